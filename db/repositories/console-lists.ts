import type { Db } from '../client.ts';
import type { OutboxStatus } from '../schema.ts';

// Lists the staff console shows that no domain keeps for itself: a deputy's recorded absences from
// sessions, and the outbox's dead rows split into failures and withdrawals.

/** The session absences of these mandates, newest session first. */
export async function absencesOfMandates(db: Db, mandateIds: number[]) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom('session_absences as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .select(['s.name', 's.starts_on', 's.ends_on', 'a.excused', 'a.not_counted_reason', 'a.mandate_id'])
    .where('a.mandate_id', 'in', mandateIds)
    .orderBy('s.starts_on', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/**
 * Dead outbox rows by what ended them: `failed` were tried and failed for good; `withdrawn` were taken back
 * before any attempt (a reminder withdrawn because the deputy took leave), which is not a failure.
 */
export async function countDeadOutbox(db: Db): Promise<{ failed: number; withdrawn: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => [
      eb.case().when('first_tried_at', 'is', null).then('withdrawn').else('failed').end().as('kind'),
      eb.fn.countAll<string>().as('n'),
    ])
    .where('status', '=', 'dead')
    .groupBy('kind')
    .execute();
  const of = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
  return { failed: of('failed'), withdrawn: of('withdrawn') };
}

/**
 * A page of the outbox, newest first. 'dead' lists only rows that were tried and failed; 'withdrawn' the
 * dead rows taken back before any attempt.
 */
export async function listOutboxView(
  db: Db,
  f: { view?: OutboxStatus | 'withdrawn' | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom('outbox');
  if (f.view === 'withdrawn') q = q.where('status', '=', 'dead').where('first_tried_at', 'is', null);
  else if (f.view === 'dead') q = q.where('status', '=', 'dead').where('first_tried_at', 'is not', null);
  else if (f.view) q = q.where('status', '=', f.view);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  return { rows, total: Number(total.n) };
}
