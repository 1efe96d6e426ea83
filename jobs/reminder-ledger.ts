import { insertLedgerRow, setLedgerOutbox } from '../db/repositories/reminders.ts';
import type { Deps } from '../src/deps.ts';
import { addressesOf, type Target, targetKey } from '../src/services/notices/index.ts';
import type { WorkCalendar } from '../src/statute/calendar.ts';
import { dateAt } from '../src/statute/calendar-date.ts';
import type { RuleId } from '../src/statute/rules.ts';
import { nextSendingTime } from '../src/statute/working-hours.ts';
import { addToDigest } from './digest.ts';

// A reminder is a ledger row unique per (rule, period, target), written in one transaction with the
// outbox row that carries it: a unique violation means it was already sent, and nothing is queued.

/** A rule of the catalog, or 'calendar' for the holiday-arrangement reminder ("Counting time"). */
export type ReminderRule = RuleId | 'calendar';

export interface Reminder {
  rule: ReminderRule;
  /** The period the rule counts over, plus what it is about (e.g. '2026-Q3#group:4', 'deadline:7:14'). */
  period: string;
  target: Target;
  text: string;
  /** The first day the reminder is due. */
  dueOn: string;
  /** The event it announces: once that has passed, a catch-up no longer sends it. */
  eventOn: string;
}

export interface QueuedReminder {
  rule: ReminderRule;
  period: string;
  target: string;
  late: boolean;
  notBefore: Date;
  outboxId: number | null;
}

const BATCH = 200;

/** Writes each reminder not yet in the ledger with its message; returns what was queued. */
export async function recordReminders(
  deps: Pick<Deps, 'db' | 'config'>,
  cal: WorkCalendar,
  job: string,
  reminders: Reminder[],
  now: Date,
): Promise<QueuedReminder[]> {
  const tz = deps.config.timezone;
  const today = dateAt(now, tz);
  // CONTRACT §4: pushes only on working days between 09:00 and 18:00.
  const notBefore = nextSendingTime(cal, now, tz);
  const sendDate = dateAt(notBefore, tz);
  const queued: QueuedReminder[] = [];
  const due = reminders.filter((r) => r.eventOn >= today);
  // Reminders are written in batches, one transaction each: every ledger row still commits with the
  // outbox row that carries it, without paying a commit per reminder on a roster of thousands.
  for (let start = 0; start < due.length; start += BATCH) {
    const batch = due.slice(start, start + BATCH);
    const done = await deps.db.transaction().execute(async (trx) => {
      const out: QueuedReminder[] = [];
      for (const r of batch) {
        const target = targetKey(r.target);
        const late = today > r.dueOn;
        const ledgerId = await insertLedgerRow(trx, {
          rule: r.rule,
          period: r.period,
          target,
          job,
          dueOn: r.dueOn,
          eventOn: r.eventOn,
          late,
          at: now,
        });
        if (ledgerId === null) continue;
        let outboxId: number | null = null;
        for (const to of await addressesOf(trx, r.target)) {
          const id = await addToDigest(trx, {
            targetKey: target,
            to,
            sendDate,
            notBefore,
            text: r.text,
            cause: `reminder:${r.rule}:${r.period}`,
          });
          outboxId ??= id;
        }
        await setLedgerOutbox(trx, ledgerId, outboxId);
        out.push({ rule: r.rule, period: r.period, target, late, notBefore, outboxId });
      }
      return out;
    });
    queued.push(...done);
  }
  return queued;
}

/** What a job sees: the frozen instant it runs for, that day in APP_TIMEZONE, and the calendar. */
export interface JobContext {
  deps: Deps;
  now: Date;
  today: string;
  cal: WorkCalendar;
}

/** A reminder rule's job: which reminders are due on `today` (the ledger drops what was already sent). */
export interface ReminderJob {
  kind: 'reminders';
  name: string;
  rules: RuleId[];
  /**
   * A node-cron expression in APP_TIMEZONE, only for a job none of whose rules has a schedule in the
   * catalog (src/statute/rules.ts); otherwise the catalog's is the one that runs (see jobSchedule).
   */
  schedule?: string;
  summary: string;
  evaluate(ctx: JobContext): Promise<Reminder[]>;
}

/** A function another feature exposes for the scheduler; returns lines describing what it did. */
export interface TaskJob {
  kind: 'task';
  name: string;
  rules: RuleId[];
  /** As for a reminder job: only where no rule of the job has a schedule in the catalog. */
  schedule?: string;
  summary: string;
  run(ctx: JobContext): Promise<string[]>;
}

export type Job = ReminderJob | TaskJob;
