// The queries only the per-deputy reference (reminders-reference.ts) makes: the service's set-based engine
// replaced them (db/repositories/reminder-candidates.ts, reminder-sets.ts), so they live with the test.
import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { NewLedgerRow } from '../../db/repositories/reminders.ts';
import type { ActivityKind, NewOutboxRow } from '../../db/schema.ts';
import type { Target } from '../../src/services/notices/index.ts';

/** Active deputies of a congress who attended no station activity that started in [from, to) (S9). */
export async function deputiesWithoutStationVisit(db: Db, congressId: number, from: Date, to: Date) {
  return db
    .selectFrom('mandates as m')
    .select('m.person_id')
    .where('m.congress_id', '=', congressId)
    .where('m.role', '=', 'deputy')
    .where('m.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('activity_participants as p')
            .innerJoin('activities as a', 'a.id', 'p.activity_id')
            .select('p.id')
            .whereRef('p.mandate_id', '=', 'm.id')
            .where('p.attended', '=', true)
            .where('a.kind', '=', 'station')
            .where('a.starts_at', '>=', from)
            .where('a.starts_at', '<', to),
        ),
      ),
    )
    .orderBy('m.person_id')
    .execute();
}

/** Whether a congress held an activity of this kind that started in [from, to). */
export async function activityHeld(
  db: Db,
  congressId: number,
  kind: ActivityKind,
  from: Date,
  to: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('activities')
    .select('id')
    .where('congress_id', '=', congressId)
    .where('kind', '=', kind)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .executeTakeFirst();
  return row !== undefined;
}

/** A congress's stations that have a head (站长), for the S10 reminder. */
export async function listStationsWithHead(db: Db, congressId: number) {
  return db
    .selectFrom('stations')
    .select(['id', 'name', 'head_person_id'])
    .where('congress_id', '=', congressId)
    .where('head_person_id', 'is not', null)
    .orderBy('id')
    .execute();
}

/** A congress's deputy groups (small and large) with their leaders, for the S1 reminder. */
export async function listMeetingGroups(db: Db, congressId: number) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'kind', 'leader_person_id'])
    .where('congress_id', '=', congressId)
    .where('kind', 'in', ['small', 'large'])
    .orderBy('id')
    .execute();
}

/** The organs with an open assignment on this clock. */
export async function openOrgansOfDeadline(db: Db, deadlineId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('suggestion_assignments')
    .select('organ_id')
    .distinct()
    .where('deadline_id', '=', deadlineId)
    .where('status', '=', 'open')
    .orderBy('organ_id')
    .execute();
  return rows.map((r) => r.organ_id);
}

/** A congress's sessions that open after `day`, soonest first (S5 reminder). */
export async function listSessionsOpeningAfter(db: Db, congressId: number, day: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'name', 'starts_on'])
    .where('congress_id', '=', congressId)
    .where('starts_on', '>', day)
    .orderBy('starts_on')
    .execute();
}

/** Inserts the ledger row; null when (rule, period, target) is already there (already sent). */
export async function insertLedgerRow(db: Db, r: NewLedgerRow): Promise<number | null> {
  const row = await db
    .insertInto('reminder_ledger')
    .values({
      rule: r.rule,
      period: r.period,
      target: r.target,
      job: r.job,
      due_on: r.dueOn,
      event_on: r.eventOn,
      late: r.late,
      created_at: r.at,
    })
    .onConflict((oc) => oc.columns(['rule', 'period', 'target']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function setLedgerOutbox(db: Db, id: number, outboxId: number | null): Promise<void> {
  await db.updateTable('reminder_ledger').set({ outbox_id: outboxId }).where('id', '=', id).execute();
}

/** The newest row whose idempotency key matches `keyLike` (a LIKE pattern), locked for the transaction. */
export async function latestOutboxRowLike(db: Db, keyLike: string) {
  return db
    .selectFrom('outbox')
    .select(['id', 'status', 'attempts', 'payload', 'idempotency_key'])
    .where('idempotency_key', 'like', keyLike)
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Replaces a waiting row's payload and appends one more cause. */
export async function extendOutboxRow(db: Db, id: number, payload: unknown, cause: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ payload: JSON.stringify(payload), cause: sql`cause || ',' || ${cause}` })
    .where('id', '=', id)
    .execute();
}

/** Inserts one message whose key must be new (a repeat throws, rolling its transaction back). */
export async function insertNewOutboxRow(db: Db, row: NewOutboxRow): Promise<number> {
  const r = await db.insertInto('outbox').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** People holding an active deputy mandate in the congress; with groupNames, only members of those groups. */
export async function activeDeputyPersonIds(
  db: Db,
  congressId: number,
  groupNames?: string[],
): Promise<number[]> {
  if (groupNames && groupNames.length === 0) return [];
  let q = db
    .selectFrom('mandates as m')
    .select('m.person_id')
    .where('m.congress_id', '=', congressId)
    .where('m.role', '=', 'deputy')
    .where('m.status', '=', 'active');
  if (groupNames) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('groups as g')
          .select('g.id')
          .where('g.name', 'in', groupNames)
          .where((e2) =>
            e2.or([e2('g.id', '=', e2.ref('m.large_group_id')), e2('g.id', '=', e2.ref('m.small_group_id'))]),
          ),
      ),
    );
  }
  const rows = await q.orderBy('m.person_id').execute();
  return rows.map((r) => r.person_id);
}

/** Active deputies of a congress (optionally only those in the named groups), as person targets. */
export async function deputyTargets(db: Db, congressId: number, groupNames?: string[]): Promise<Target[]> {
  const people = await activeDeputyPersonIds(db, congressId, groupNames);
  return people.map((personId) => ({ kind: 'person', personId }));
}
