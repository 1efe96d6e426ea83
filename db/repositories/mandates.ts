import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { MandateRole, MandateStatus } from '../schema.ts';

// The one home of the "live mandate" rule: a seat counts while its status is 'active' and its congress
// (term) is not archived. Queries use liveMandate(); code holding loaded rows uses isLiveMandate().

/** The aliases the queries give the mandates and congresses tables. */
export type MandateAlias = 'mandates' | 'm';
export type CongressAlias = 'congresses' | 'c';

/**
 * A WHERE condition for a query that joins mandates and congresses (under the given aliases):
 * `.innerJoin('congresses as c', 'c.id', 'm.congress_id').where(liveMandate('m', 'c'))`.
 */
export function liveMandate(
  mandates: MandateAlias = 'mandates',
  congresses: CongressAlias = 'congresses',
): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${mandates}.status`)} = 'active' and ${sql.ref(`${congresses}.archived_at`)} is null)`;
}

/** A congress (term) is live until it is archived. */
export const isLiveCongress = (c: { archived_at: Date | string | null }): boolean => c.archived_at === null;

/** The same rule for a loaded mandate. */
export const isLiveMandate = (m: { status: MandateStatus | string; congressArchived: boolean }): boolean =>
  m.status === 'active' && !m.congressArchived;

/**
 * People holding an active mandate with one of these roles in each of these congresses (with
 * electoralUnit, only those of that 选举单位), each once per congress: as a query of `group_id` (the
 * congress) and `person_id`, for a statement that writes to each congress's people at once. The lists go
 * in as arrays, so the text is the same for any number of congresses (a prepared statement can hold it).
 */
export function activePeopleWithRolesQuery(
  congressIds: readonly number[],
  roles: readonly MandateRole[],
  electoralUnit?: string,
): RawBuilder<{ group_id: number; person_id: number }> {
  return sql<{ group_id: number; person_id: number }>`select distinct congress_id as group_id, person_id
    from mandates
    where congress_id = any(${congressIds}::integer[])
      and role = any(${roles}::text[]) and status = 'active'
      ${electoralUnit !== undefined ? sql`and electoral_unit = ${electoralUnit}` : sql``}`;
}

/** The people of activePeopleWithRolesQuery in one congress, by id. */
export async function activePeopleWithRoles(
  db: Db,
  congressId: number,
  roles: readonly MandateRole[],
  electoralUnit?: string,
): Promise<number[]> {
  const { rows } = await sql<{ person_id: number }>`select person_id
    from (${activePeopleWithRolesQuery([congressId], roles, electoralUnit)}) as q order by person_id`.execute(
    db,
  );
  return rows.map((r) => r.person_id);
}

/** A mandate with its holder's name and its congress's name; undefined when there is no such mandate. */
export async function findMandateWithNames(db: Db, mandateId: number) {
  return db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .select(['m.congress_id', 'm.electoral_unit', 'm.person_id', 'p.name', 'c.name as congress'])
    .where('m.id', '=', mandateId)
    .executeTakeFirst();
}
