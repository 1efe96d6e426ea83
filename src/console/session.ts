import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { findToken } from '../../db/repositories/tokens.ts';
import { authenticate, bearerOf, type Principal, secretsEqual } from '../api/auth.ts';
import type { Deps } from '../deps.ts';
import { type SignInSeat, seatStillHolds } from '../services/congresses/index.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.ts';

// A console session: the principal a token resolved to, its expiry (8 h) and its CSRF token, kept in the
// shared store so every instance knows it. The cookie holds a random id; the store key is its digest,
// so the store's contents name no live cookie.

export const SESSION_HOURS = 8;
const SESSION_MS = SESSION_HOURS * 3600 * 1000;

interface StoredSession {
  principal: Principal;
  csrf: string;
  expiresAt: number;
  /** A digest of the token the session was opened with: the session lives only as long as it does. */
  credential: string;
  /** A WeCom/DingTalk sign-in: the seat it stands on (no token); the session lives only as long as it does. */
  seat?: SignInSeat;
}

/** Who is asking: from a session cookie (csrf set) or a bearer header (csrf null: no cookie, no CSRF). */
export interface Viewer {
  principal: Principal;
  csrf: string | null;
  sessionId: string | null;
}

const keyOf = (id: string) => `console:session:${createHash('sha256').update(id).digest('hex')}`;
const ID_RE = /^[A-Za-z0-9_-]{43}$/;

/** The digest a session keeps of its token (never the token). */
const credentialOf = (token: string) =>
  createHash('sha256').update(`console-session:${token}`).digest('base64url');

export async function createSession(
  deps: Deps,
  ctx: Context,
  principal: Principal,
  token: string | { seat: SignInSeat },
): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  const session: StoredSession = {
    principal,
    credential: typeof token === 'string' ? credentialOf(token) : '',
    ...(typeof token === 'string' ? {} : { seat: token.seat }),
    csrf: randomBytes(32).toString('base64url'),
    expiresAt: deps.clock.now().getTime() + SESSION_MS,
  };
  await deps.store.set(keyOf(id), JSON.stringify(session), SESSION_MS);
  setSessionCookie(ctx, id, SESSION_MS / 1000);
}

/** Forgets the session the request's cookie names (a sign-in replaces it; a sign-out also clears the cookie). */
export async function dropSession(deps: Deps, ctx: Context): Promise<void> {
  const id = readCookie(ctx, SESSION_COOKIE);
  if (id && ID_RE.test(id)) await deps.store.del(keyOf(id));
}

export async function endSession(deps: Deps, ctx: Context): Promise<void> {
  await dropSession(deps, ctx);
  clearSessionCookie(ctx);
}

/**
 * A session ends when its credential does: a personal token revoked after sign-in, or an ADMIN_TOKEN
 * rotated (or removed) since, ends its sessions at their next request.
 */
async function stillValid(deps: Deps, s: StoredSession): Promise<boolean> {
  // A platform sign-in ends when the person's staff role or mandate does (checked on every request).
  if (s.seat) return seatStillHolds(deps.db, s.seat);
  if (typeof s.credential !== 'string') return false;
  const p = s.principal;
  if (p.tokenId === 'bootstrap') {
    const admin = deps.config.adminToken;
    return admin !== undefined && admin !== '' && secretsEqual(credentialOf(admin), s.credential);
  }
  // A person's principal without its seat is not a session we opened.
  if (p.tokenId === 'person' || p.tokenId === 'contact') return false;
  const row = await findToken(deps.db, p.tokenId);
  return row !== undefined && row.revoked_at === null;
}

export async function viewerOf(deps: Deps, ctx: Context): Promise<Viewer | null> {
  const bearer = bearerOf(ctx);
  if (bearer) {
    const principal = await authenticate(deps, bearer);
    return principal ? { principal, csrf: null, sessionId: null } : null;
  }
  const id = readCookie(ctx, SESSION_COOKIE);
  if (!id || !ID_RE.test(id)) return null;
  const raw = await deps.store.get(keyOf(id));
  if (!raw) return null;
  const s = JSON.parse(raw) as StoredSession;
  if (s.expiresAt <= deps.clock.now().getTime() || !(await stillValid(deps, s))) {
    await deps.store.del(keyOf(id));
    return null;
  }
  return { principal: s.principal, csrf: s.csrf, sessionId: id };
}
