import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { TokenRole } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

export interface Principal {
  /** 'bootstrap' for ADMIN_TOKEN, otherwise the personal token's id. */
  tokenId: number | 'bootstrap';
  name: string;
  role: TokenRole;
  /** A token bound to one congress acts only within it. */
  congressId: number | null;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

// admin ⊇ approver ⊇ staff
const RANK: Record<TokenRole, number> = { staff: 1, approver: 2, admin: 3 };

export const hasRole = (p: Principal, needed: TokenRole): boolean => RANK[p.role] >= RANK[needed];

export const principalOf = (ctx: Context): Principal => {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw new AppError('unauthorized', '需要登录令牌');
  return p;
};

export const actorOf = (p: Principal): string =>
  p.tokenId === 'bootstrap' ? 'admin:bootstrap' : `token:${p.tokenId}`;

/** Resolves a bearer token to a principal, or null. */
export async function authenticate(deps: Deps, token: string): Promise<Principal | null> {
  if (token.length === 0 || token.length > 512) return null;
  if (deps.config.adminToken && secretsEqual(token, deps.config.adminToken)) {
    return { tokenId: 'bootstrap', name: '管理员', role: 'admin', congressId: null };
  }
  const row = await deps.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'congress_id', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  await deps.db
    .updateTable('api_tokens')
    .set({ last_used_at: deps.clock.now() })
    .where('id', '=', row.id)
    .execute();
  return { tokenId: row.id, name: row.name, role: row.role, congressId: row.congress_id };
}

export const bearerOf = (ctx: Context): string | null => {
  const h = ctx.get('authorization');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
};

/** Every /api route: a valid token or 401. */
export function requireAuth(deps: Deps): Middleware {
  return async (ctx, next) => {
    const token = bearerOf(ctx);
    const principal = token ? await authenticate(deps, token) : null;
    if (!principal) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', '令牌无效或已撤销');
    }
    ctx.state.principal = principal;
    await next();
  };
}

/** A route's role check: 403 when the principal's role lacks the right. */
export function requireRole(role: TokenRole): Middleware {
  return async (ctx, next) => {
    const p = principalOf(ctx);
    if (!hasRole(p, role)) throw new AppError('forbidden', '您的角色无权进行此操作');
    await next();
  };
}
