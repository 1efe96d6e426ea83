import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { OutboxStatus, ReminderLedgerTable } from '../schema.ts';

// The reminder ledger (002, with 007's columns): one row per rule, period and target, unique, written
// in the transaction that queues its message, so restarts and several instances never send it twice.

export type ReminderLedgerRow = Selectable<ReminderLedgerTable>;

export interface NewLedgerRow {
  rule: string;
  period: string;
  target: string;
  job: string;
  dueOn: string;
  eventOn: string;
  late: boolean;
  at: Date;
}

export interface LedgerFilter {
  rule?: string;
  period?: string;
  target?: string;
  limit: number;
  offset: number;
}

export interface LedgerView extends ReminderLedgerRow {
  outbox_status: OutboxStatus | null;
  sent_at: Date | null;
  /** Null on a dead row: it was withdrawn before any attempt (not a failure). */
  first_tried_at: Date | null;
}

export async function listLedger(db: Db, f: LedgerFilter): Promise<{ rows: LedgerView[]; total: number }> {
  let q = db.selectFrom('reminder_ledger as r').leftJoin('outbox as o', 'o.id', 'r.outbox_id');
  if (f.rule) q = q.where('r.rule', '=', f.rule);
  if (f.period) q = q.where('r.period', 'like', `${f.period}%`);
  if (f.target) q = q.where('r.target', '=', f.target);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('r')
    .select(['o.status as outbox_status', 'o.sent_at', 'o.first_tried_at'])
    .orderBy('r.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { rows: rows as LedgerView[], total: Number(total.n) };
}

/**
 * Claims (rule, period, target) for a reminder a service sends itself, with the job that found it, the day
 * it fell due, the event it announces and whether it came after its due day, as the reminder runs write
 * theirs (reminder-sets.ts): the row's id, or null when it was claimed before.
 */
export async function claimLedgerSlot(db: Db, r: NewLedgerRow): Promise<number | null> {
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

/** Points a claimed ledger row at the message that carries its reminder. */
export async function setLedgerOutbox(db: Db, id: number, outboxId: number): Promise<void> {
  await db.updateTable('reminder_ledger').set({ outbox_id: outboxId }).where('id', '=', id).execute();
}

/** Whether any reminder of a rule's period was written (to anyone). */
export async function ledgerHasPeriod(db: Db, rule: string, period: string): Promise<boolean> {
  const row = await db
    .selectFrom('reminder_ledger')
    .select('id')
    .where('rule', '=', rule)
    .where('period', '=', period)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
