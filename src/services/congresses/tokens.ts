import { randomBytes } from 'node:crypto';
import { writeAudit } from '../../../db/repositories/audit.ts';
import { findCongressById, findCongressByName } from '../../../db/repositories/congresses.ts';
import { findOrganByName } from '../../../db/repositories/organs.ts';
import {
  findToken,
  insertToken,
  listTokens,
  revokeToken,
  type TokenListRow,
} from '../../../db/repositories/tokens.ts';
import type { TokenRole } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { actorOf, hashToken, type Principal } from './principal.ts';

// Personal staff tokens: shown once when created, stored only as their sha256, revocable.

/** Marks our tokens so a leaked one is recognisable in a paste or a secret scanner. */
export const TOKEN_PREFIX = 'rdt_';

/** A new token: the prefix and 32 random bytes, base64url. `shown` is what the list displays of it. */
export function generateToken(): { token: string; shown: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, shown: `${token.slice(0, TOKEN_PREFIX.length + 6)}…` };
}

export interface TokenView {
  id: number;
  name: string;
  role: TokenRole;
  congress: string | null;
  /** Role 'organ': the organ the token acts for. */
  organ: string | null;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (t: TokenListRow): TokenView => ({
  id: t.id,
  name: t.name,
  role: t.role,
  congress: t.congress,
  organ: t.organ,
  prefix: t.token_prefix,
  createdBy: t.created_by,
  createdAt: new Date(t.created_at).toISOString(),
  lastUsedAt: t.last_used_at ? new Date(t.last_used_at).toISOString() : null,
  revokedAt: t.revoked_at ? new Date(t.revoked_at).toISOString() : null,
});

export interface CreatedToken {
  id: number;
  name: string;
  role: TokenRole;
  congress: string | null;
  /** The token itself: returned here once, never stored or shown again. */
  token: string;
}

export async function createToken(
  deps: Pick<Deps, 'db'>,
  by: Principal,
  input: {
    name: string;
    role: TokenRole;
    congress?: string | null | undefined;
    organ?: string | undefined;
  },
  requestId: string | null,
): Promise<CreatedToken> {
  // An organ's contact acts for exactly one registered organ; no other role is bound to one.
  let organId: number | null = null;
  let organName: string | null = null;
  if (input.role === 'organ') {
    if (!input.organ) throw new AppError('bad_request', '承办单位的令牌须写明单位（organ）');
    const o = await findOrganByName(deps.db, input.organ);
    if (!o) throw new AppError('bad_request', `没有登记的单位：${input.organ}`);
    organId = o.id;
    organName = o.name;
  } else if (input.organ) throw new AppError('bad_request', '只有承办单位的令牌才写单位（organ）');
  let congressId: number | null = null;
  let congressName: string | null = null;
  if (input.congress) {
    const c = await findCongressByName(deps.db, input.congress);
    if (!c) throw new AppError('bad_request', `没有名为「${input.congress}」的人大`);
    congressId = c.id;
    congressName = c.name;
  }
  // A token bound to one congress may only hand out tokens for that congress.
  if (by.congressId !== null) {
    if (congressId === null) {
      congressId = by.congressId;
    } else if (congressId !== by.congressId) {
      throw new AppError('forbidden', '您的令牌只能为所属人大创建令牌');
    }
  }
  if (congressId !== null && congressName === null) {
    congressName = (await findCongressById(deps.db, congressId))?.name ?? null;
  }
  const { token, shown } = generateToken();
  const actor = actorOf(by);
  const row = await deps.db.transaction().execute(async (trx) => {
    const r = await insertToken(trx, {
      name: input.name,
      role: input.role,
      congressId,
      organId,
      hash: hashToken(token),
      prefix: shown,
      createdBy: actor,
    });
    await writeAudit(trx, {
      actor,
      action: 'token.create',
      subjectType: 'api_token',
      subjectId: r.id,
      detail: { name: input.name, role: input.role, congressId },
      requestId,
      // What was created, as the list shows it: never the token or its hash.
      after: { name: input.name, role: input.role, congress: congressName, organ: organName, prefix: shown },
    });
    return r;
  });
  return { id: row.id, name: input.name, role: input.role, congress: congressName, token };
}

export async function listTokenViews(deps: Pick<Deps, 'db'>, by: Principal): Promise<TokenView[]> {
  return (await listTokens(deps.db, by.congressId)).map(view);
}

export async function revokeTokenById(
  deps: Pick<Deps, 'db' | 'clock'>,
  by: Principal,
  id: number,
  requestId: string | null,
): Promise<TokenView> {
  const t = await findToken(deps.db, id);
  if (!t || (by.congressId !== null && t.congress_id !== by.congressId)) {
    throw new AppError('not_found', `没有编号为 ${id} 的令牌`);
  }
  if (!t.revoked_at) {
    await deps.db.transaction().execute(async (trx) => {
      await revokeToken(trx, id, deps.clock.now());
      await writeAudit(trx, {
        actor: actorOf(by),
        action: 'token.revoke',
        subjectType: 'api_token',
        subjectId: id,
        detail: { name: t.name },
        requestId,
      });
    });
  }
  return view((await findToken(deps.db, id))!);
}
