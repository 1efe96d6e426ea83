import type { Db } from '../client.ts';
import type { TokenRole } from '../schema.ts';

// Personal API tokens. Only the sha256 of a token is stored; the token itself is shown once.

export interface TokenListRow {
  id: number;
  name: string;
  role: TokenRole;
  congress_id: number | null;
  congress: string | null;
  /** Role 'organ': the organ the token acts for. */
  organ: string | null;
  token_prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertToken(
  db: Db,
  t: {
    name: string;
    role: TokenRole;
    congressId: number | null;
    organId?: number | null;
    hash: string;
    prefix: string;
    createdBy: string;
  },
): Promise<{ id: number; created_at: Date }> {
  return db
    .insertInto('api_tokens')
    .values({
      name: t.name,
      role: t.role,
      congress_id: t.congressId,
      organ_id: t.organId ?? null,
      token_hash: t.hash,
      token_prefix: t.prefix,
      created_by: t.createdBy,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Tokens with their congress's and organ's names; never the hashes. */
const tokenRows = (db: Db) =>
  db
    .selectFrom('api_tokens as t')
    .leftJoin('congresses as c', 'c.id', 't.congress_id')
    .leftJoin('organs as o', 'o.id', 't.organ_id')
    .select([
      't.id',
      't.name',
      't.role',
      't.congress_id',
      'c.name as congress',
      'o.name as organ',
      't.token_prefix',
      't.created_by',
      't.created_at',
      't.last_used_at',
      't.revoked_at',
    ]);

/** Every token (or those bound to one congress), newest first. */
export async function listTokens(db: Db, congressId: number | null): Promise<TokenListRow[]> {
  let q = tokenRows(db).orderBy('t.id', 'desc');
  if (congressId !== null) q = q.where('t.congress_id', '=', congressId);
  return q.execute();
}

export async function findToken(db: Db, id: number): Promise<TokenListRow | undefined> {
  return tokenRows(db).where('t.id', '=', id).executeTakeFirst();
}

/** Marks a token revoked (keeping the first revocation time). */
export async function revokeToken(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** A token by the sha256 of its text, for signing in; revoked ones too (the caller refuses them). */
export async function findTokenByHash(db: Db, hash: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'congress_id', 'organ_id', 'revoked_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
}

export async function touchToken(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
