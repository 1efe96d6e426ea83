import type { Context, Middleware } from 'koa';
import { writeAudit } from '../../db/repositories/audit.ts';
import type { Deps } from '../deps.ts';
import { actorOf, type Principal } from './auth.ts';

// Every change through the API or the console is an audit row (who, what, before, after). A service
// that knows its subject writes the row itself, with the subject before and after, in the change's own
// transaction, and the route marks the request audited (`markAudited`). Every other successful change
// gets one row here once it has answered: who, the route and its parameters, and what it answered.

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Keys never copied into an audit row, wherever they appear. */
const SECRET_KEYS = new Set(['token', 'csrf', '_csrf', 'secret', 'password', 'aesKey', 'appSecret']);

/** Tells the trail that this request's service wrote its own audit row(s). */
export const markAudited = (ctx: Context): void => {
  ctx.state.audited = true;
};

/**
 * What the request's subject was before the change (read by the route before it changes anything, in the
 * caller's scope): the trail's row carries it as `before`. A route that creates something sets nothing.
 */
export const auditBefore = (ctx: Context, before: unknown): void => {
  ctx.state.auditBefore = before ?? null;
};

/** What the request's subject is after the change, when the answer itself is not what the row should keep. */
export const auditAfter = (ctx: Context, after: unknown): void => {
  ctx.state.auditAfter = after ?? null;
};

/** An item as an audit row keeps it: a secret (涉密) item's words and place stay out of the log. */
export function itemForAudit<
  V extends { secret: boolean; title: unknown; content: unknown; location: unknown },
>(view: V | null | undefined): V | null {
  if (!view) return null;
  return view.secret ? { ...view, title: null, content: null, location: null } : view;
}

function withoutSecrets(v: unknown, depth = 0): unknown {
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => withoutSecrets(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!SECRET_KEYS.has(k)) out[k] = withoutSecrets(x, depth + 1);
  }
  return out;
}

/** Writes the one row for a change whose service wrote none. */
export async function auditRequest(
  deps: Pick<Deps, 'db'>,
  ctx: Context,
  principal: Principal,
  what: { channel: 'api' | 'console'; input?: unknown },
): Promise<void> {
  const route = String((ctx as { _matchedRoute?: string })._matchedRoute ?? ctx.path);
  const params = (ctx as { params?: Record<string, string> }).params ?? {};
  const body: unknown = ctx.state.auditAfter !== undefined ? ctx.state.auditAfter : ctx.body;
  const after = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? body : null;
  await writeAudit(deps.db, {
    actor: actorOf(principal),
    action: `${what.channel}:${ctx.method} ${route}`,
    subjectType: what.channel === 'api' ? 'api_route' : 'console_form',
    subjectId: ctx.path.slice(0, 200),
    detail: {
      route,
      params,
      status: ctx.status,
      ...(what.input === undefined ? {} : { input: withoutSecrets(what.input) }),
    },
    requestId: (ctx.state.requestId as string | undefined) ?? null,
    before: withoutSecrets(ctx.state.auditBefore ?? null),
    after: withoutSecrets(after),
  });
}

/** After every successful API change its service did not audit: one row. */
export function auditTrail(deps: Pick<Deps, 'db'>): Middleware {
  return async (ctx, next) => {
    await next();
    if (!MUTATING.has(ctx.method) || ctx.status >= 400 || ctx.state.audited === true) return;
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal) return;
    await auditRequest(deps, ctx, principal, { channel: 'api' });
  };
}
