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
 * A change whose service writes the one row itself, with the subject before and after, in the change's
 * transaction, as chat does (an organ's action, a staff step on an item or a leave request): where it came
 * from, for that row; the trail writes none for the request.
 */
export const auditSourceOf = (
  ctx: Context,
  via: 'api' | 'console',
): { via: 'api' | 'console'; requestId: string | null } => {
  markAudited(ctx);
  return { via, requestId: (ctx.state.requestId as string | undefined) ?? null };
};

/** An organ's action through the API or the console (its service writes the one row). */
export const organAuditOf = auditSourceOf;

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
  return view.secret ? withoutItemWords(view) : view;
}

/** The answers' words within an item's assignments (what an organ wrote about a 涉密 item is 涉密 too). */
const ANSWER_WORDS = ['done', 'planned', 'cannot', 'cannotReason'];

/**
 * An item's view without its words: title, content, place, the words of its organs' answers, and its
 * history's reasons and details (which may quote what it said before, or an answer, from before it was
 * 涉密); each history row keeps when, who, what and its summary.
 */
function withoutItemWords<V extends object>(view: V): V {
  const out: Record<string, unknown> = { ...view, title: null, content: null, location: null };
  if (Array.isArray(out.history)) {
    out.history = out.history.map((h: unknown) =>
      isObject(h)
        ? { ...h, ...('reason' in h ? { reason: null } : {}), ...('detail' in h ? { detail: null } : {}) }
        : h,
    );
  }
  if (Array.isArray(out.assignments)) {
    out.assignments = out.assignments.map((a: unknown) => {
      const answer = (a as { answer?: unknown } | null)?.answer;
      if (answer === null || typeof answer !== 'object') return a;
      const blank = Object.fromEntries(ANSWER_WORDS.filter((k) => k in answer).map((k) => [k, null]));
      return { ...(a as object), answer: { ...answer, ...blank } };
    });
  }
  return out as V;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** An item's view (it says whether it is 涉密). */
const isItem = (v: unknown): v is Record<string, unknown> & { secret: boolean } =>
  isObject(v) && typeof v.secret === 'boolean' && 'content' in v;

/** The top-level fields whose values differ between before and after, in order of their names. */
const changedFields = (before: Record<string, unknown>, after: Record<string, unknown>): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();

function withoutSecrets(v: unknown, depth = 0): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => withoutSecrets(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // A yes/no (an item's 涉密 flag) holds no secret.
    if (!SECRET_KEYS.has(k) || typeof x === 'boolean') out[k] = withoutSecrets(x, depth + 1);
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
  const answer = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? body : null;
  // A change that changed nothing (a repeat 签收 answers `already: true`) writes no row.
  if (isObject(answer) && answer.already === true) return;
  let before: unknown = ctx.state.auditBefore ?? null;
  let after: unknown = answer;
  let input = what.input === undefined ? undefined : withoutSecrets(what.input);
  let inputFields: string[] | undefined;
  let changed: string[] | undefined;
  // An item that is or becomes 涉密: its words are in neither side (whatever it was before), nor in the
  // form's fields; the row names the fields that changed instead.
  if ((isItem(before) && before.secret) || (isItem(after) && after.secret)) {
    if (isItem(before)) before = withoutItemWords(before);
    if (isItem(after)) after = withoutItemWords(after);
    if (isObject(before) && isObject(after)) changed = changedFields(before, after);
    if (isObject(input)) {
      inputFields = Object.keys(input).sort();
      input = undefined;
    }
  }
  await writeAudit(deps.db, {
    actor: actorOf(principal),
    action: `${what.channel}:${ctx.method} ${route}`,
    subjectType: what.channel === 'api' ? 'api_route' : 'console_form',
    subjectId: ctx.path.slice(0, 200),
    detail: {
      route,
      params,
      status: ctx.status,
      ...(input === undefined ? {} : { input }),
      ...(inputFields === undefined ? {} : { inputFields }),
      ...(changed === undefined ? {} : { changed }),
    },
    requestId: (ctx.state.requestId as string | undefined) ?? null,
    before: withoutSecrets(before),
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
