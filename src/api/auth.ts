import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { findTokenByHash, touchToken } from '../../db/repositories/tokens.ts';
import type { TokenRole } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { actorOf, hashToken, type Principal } from '../services/congresses/index.ts';

// The principal and token hashing belong to the congresses domain (tokens); re-exported for the routes.
export { actorOf, hashToken, type Principal };

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

// admin ⊇ approver ⊇ staff; an organ's contact holds none of them (only its own items).
const RANK: Record<TokenRole, number> = { organ: 0, staff: 1, approver: 2, admin: 3 };

export const hasRole = (p: Principal, needed: TokenRole): boolean => RANK[p.role] >= RANK[needed];

/**
 * Whether the principal may change what belongs to no single congress: shared data (the organ
 * register, calendar corrections) and people-level fields (a person's name, ids, mobile). An admin or
 * a token bound to no congress may; a token bound to one congress may not.
 */
export const mayChangeShared = (p: Principal): boolean => p.role === 'admin' || p.congressId === null;

export const SHARED_DATA_REFUSAL =
  '您的令牌只属于一个人大，不能修改各人大共用的数据（承办单位、工作日历）；请由管理员或不限定人大的令牌操作';

export const principalOf = (ctx: Context): Principal => {
  const p = ctx.state.principal as Principal | undefined;
  if (!p) throw new AppError('unauthorized', '需要登录令牌');
  return p;
};

/** Resolves a bearer token to a principal, or null. */
export async function authenticate(deps: Deps, token: string): Promise<Principal | null> {
  if (token.length === 0 || token.length > 512) return null;
  if (deps.config.adminToken && secretsEqual(token, deps.config.adminToken)) {
    return { tokenId: 'bootstrap', name: '管理员', role: 'admin', congressId: null };
  }
  const row = await findTokenByHash(deps.db, hashToken(token));
  if (!row || row.revoked_at) return null;
  await touchToken(deps.db, row.id, deps.clock.now());
  return {
    tokenId: row.id,
    name: row.name,
    role: row.role,
    congressId: row.congress_id,
    ...(row.organ_id !== null ? { organId: row.organ_id } : {}),
  };
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

/** Shared data: 403 (shared_data_forbidden) for a token bound to one congress. */
export function requireShared(): Middleware {
  return async (ctx, next) => {
    if (!mayChangeShared(principalOf(ctx))) throw new AppError('shared_data_forbidden', SHARED_DATA_REFUSAL);
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
