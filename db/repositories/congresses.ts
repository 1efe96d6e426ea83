import type { Db } from '../client.ts';
import type { Congress, CongressLevel } from '../schema.ts';

// Congresses: one term of one people's congress each.

export async function listCongresses(db: Db, onlyId: number | null = null): Promise<Congress[]> {
  let q = db.selectFrom('congresses').selectAll().orderBy('id');
  if (onlyId !== null) q = q.where('id', '=', onlyId);
  return q.execute();
}

export async function findCongressByName(db: Db, name: string): Promise<Congress | undefined> {
  return db.selectFrom('congresses').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findCongressById(db: Db, id: number): Promise<Congress | undefined> {
  return db.selectFrom('congresses').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCongress(
  db: Db,
  c: {
    name: string;
    level: CongressLevel;
    termStartsOn?: string | null;
    termEndsOn?: string | null;
    settings?: Record<string, unknown>;
  },
): Promise<Congress> {
  return db
    .insertInto('congresses')
    .values({
      name: c.name,
      level: c.level,
      term_starts_on: c.termStartsOn ?? null,
      term_ends_on: c.termEndsOn ?? null,
      settings: JSON.stringify(c.settings ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCongress(
  db: Db,
  id: number,
  patch: {
    level?: CongressLevel;
    termStartsOn?: string | null;
    termEndsOn?: string | null;
    settings?: Record<string, unknown>;
  },
  at: Date,
): Promise<Congress> {
  return db
    .updateTable('congresses')
    .set({
      ...(patch.level !== undefined ? { level: patch.level } : {}),
      ...(patch.termStartsOn !== undefined ? { term_starts_on: patch.termStartsOn } : {}),
      ...(patch.termEndsOn !== undefined ? { term_ends_on: patch.termEndsOn } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify(patch.settings) } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Congresses whose term is running (not archived), by id. */
export async function listLiveCongresses(db: Db): Promise<Congress[]> {
  return db.selectFrom('congresses').selectAll().where('archived_at', 'is', null).orderBy('id').execute();
}

/** Whether a current congress below the provincial level is served here (a city's own roster). */
export async function hasLiveCongressBelowProvince(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('congresses')
    .select('id')
    .where('level', '!=', 'province')
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
