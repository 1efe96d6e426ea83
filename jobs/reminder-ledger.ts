import type { RawBuilder } from 'kysely';
import {
  type CandidateRow,
  candidatesFromList,
  countStagedByJob,
  insertStagedLedgerRows,
  type JobCandidates,
  type JobCount,
  overflowDigests,
  planDigests,
  prepareReminderRun,
  stageAddresses,
  stageNewReminders,
  type WrittenReminder,
  withReminderRunLock,
  writeDigestsThatFit,
  writePackedDigests,
} from '../db/repositories/reminder-sets.ts';
import type { Deps } from '../src/deps.ts';
import { type Target, targetKey, usableGroupKinds } from '../src/services/notices/index.ts';
import type { WorkCalendar } from '../src/statute/calendar.ts';
import { dateAt } from '../src/statute/calendar-date.ts';
import type { RuleId } from '../src/statute/rules.ts';
import { nextSendingTime } from '../src/statute/working-hours.ts';
import { DIGEST_FORMAT, packOverflow } from './digest.ts';

// A reminder is a ledger row unique per (rule, period, target), written in one transaction with the
// outbox row that carries it. A job's reminders are evaluated as sets over the whole roster (queries in
// db/repositories/reminder-candidates.ts); one run writes what is new to the ledger and the digests in a
// few statements, never a round trip per deputy, and runs of different jobs take turns (a table lock), so
// two never race for one target's digest.

/** A rule of the catalog, or 'calendar' for the holiday-arrangement reminder ("Counting time"). */
export type ReminderRule = RuleId | 'calendar';

/** One reminder a job works out itself (a handful per congress): it becomes a query like the others. */
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

/** A job's reminders: queries over the roster, each row a reminder (see CandidateRow). */
export type ReminderSet = RawBuilder<CandidateRow>;

export const listedReminders = (reminders: Reminder[]): ReminderSet[] =>
  reminders.length === 0
    ? []
    : [candidatesFromList(reminders.map((r) => ({ ...r, target: targetKey(r.target) })))];

export interface QueuedReminder {
  rule: ReminderRule;
  period: string;
  target: string;
  late: boolean;
  notBefore: Date;
  outboxId: number | null;
}

/** What a reminder job's part of a run came to. */
export interface JobQueued {
  job: string;
  /** Reminders queued (new ledger rows), and of them those first queued after their due day. */
  counts: { queued: number; late: number };
  /** Each reminder, when the run queued at most LIST_UP_TO in all; else only counted. */
  queued: QueuedReminder[];
}

/** Up to how many reminders a run lists one by one (`jobs run` prints them; tests read them). */
export const LIST_UP_TO = 10_000;
/** Parts of a run on PostgreSQL, written side by side (the 2-core machines it is sized for). */
const RUN_PARTS = 2;

/**
 * Writes each reminder of the jobs' sets not yet in the ledger with its message; returns, per job that
 * queued any, what it queued.
 * The jobs that run at one moment are recorded together: a target's reminders of the day from all of
 * them become one digest, rendered and written once.
 */
export async function recordReminders(
  deps: Pick<Deps, 'dbHandle' | 'config'>,
  cal: WorkCalendar,
  jobs: readonly JobCandidates[],
  now: Date,
  listUpTo: number = LIST_UP_TO,
): Promise<JobQueued[]> {
  if (jobs.every((j) => j.sets.length === 0)) return [];
  const tz = deps.config.timezone;
  const today = dateAt(now, tz);
  // CONTRACT §4: pushes only on working days between 09:00 and 18:00.
  const notBefore = nextSendingTime(cal, now, tz);
  const sendDate = dateAt(notBefore, tz);
  const { bulk, engine } = deps.dbHandle;
  // A group's chats as groupRoute takes them: the intelligent robot's only while it is configured.
  const kinds = usableGroupKinds(deps.config);
  // Parts side by side write the outbox and the ledger in turn, never both parts the same table at once:
  // two writers of one table queue on its newest pages and the log. One part writes its ledger rows first,
  // the other its messages: a message that fits took its id when it was planned; a packed one's is known
  // only once it is written, so those rows come last. Targets are spread over the parts by a hash of their
  // key (partOf), so the parts are the same size; a part whose digests overflow packs them after writing
  // its messages that fit, and writes those reminders' ledger rows last.
  const ledgerTurn = oneAtATime();
  const outboxTurn = oneAtATime();
  // A part of the run: its targets (partOf), with their digests and ledger rows, in one transaction.
  // Its reminders are listed one by one when there are few, else counted.
  const part = (index: number, of: number) =>
    bulk.transaction().execute(async (trx) => {
      await prepareReminderRun(trx);
      // What is due, still ahead and not in the ledger; already sent or already past drops out here.
      const staged = await stageNewReminders(trx, jobs, today, { index, of });
      if (staged === 0) return { counts: [], written: [] };
      await stageAddresses(trx, sendDate, kinds);
      const overflowing = (await planDigests(trx, DIGEST_FORMAT)).overflowing > 0;
      const list = staged <= Math.floor(listUpTo / of);
      const ledger = (rows: 'fitting' | 'packed') =>
        insertStagedLedgerRows(trx, { rows, today, at: now, list });
      const ledgerFirst = index % 2 === 1;
      const written = ledgerFirst ? await ledgerTurn(() => ledger('fitting')) : [];
      await outboxTurn(async () => {
        await writeDigestsThatFit(trx, DIGEST_FORMAT, notBefore);
        if (overflowing) await writePackedDigests(trx, packOverflow(await overflowDigests(trx)), notBefore);
      });
      if (!ledgerFirst || overflowing)
        written.push(
          ...(await ledgerTurn(async () => [
            ...(ledgerFirst ? [] : await ledger('fitting')),
            ...(overflowing ? await ledger('packed') : []),
          ])),
        );
      return list
        ? { counts: countByJob(written), written }
        : { counts: await countStagedByJob(trx, today), written: null };
    });
  // On PostgreSQL the run is split in parts written side by side, one per core of a machine like the ones
  // it runs on, under one lock; PGlite has one connection, which already makes runs take turns. Either way
  // on the handle without the serving pool's query time limit: at province scale a statement runs seconds.
  const parts =
    engine === 'postgres'
      ? await withReminderRunLock(bulk, async () => {
          const settled = await Promise.allSettled(
            Array.from({ length: RUN_PARTS }, (_, i) => part(i, RUN_PARTS)),
          );
          const failed = settled.find((r) => r.status === 'rejected');
          // A part that committed stays: its reminders are in the ledger and the next run skips them.
          if (failed) throw failed.reason;
          return settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof part>>>).value);
        })
      : [await part(0, 1)];
  const byJob = new Map<string, JobQueued>();
  const entry = (job: string) => {
    const q = byJob.get(job) ?? { job, counts: { queued: 0, late: 0 }, queued: [] };
    byJob.set(job, q);
    return q;
  };
  for (const c of parts.flatMap((p) => p.counts)) {
    const q = entry(c.job);
    q.counts.queued += c.queued;
    q.counts.late += c.late;
  }
  // Listed only when every part listed its own.
  if (parts.every((p) => p.written !== null))
    for (const x of parts.flatMap((p) => p.written ?? []))
      entry(x.job).queued.push({
        rule: x.rule as ReminderRule,
        period: x.period,
        target: x.target,
        late: x.late,
        notBefore,
        outboxId: x.outbox_id,
      });
  return [...byJob.values()];
}

/** Per job, the reminders listed and of them those marked late. */
function countByJob(written: readonly WrittenReminder[]): JobCount[] {
  const by = new Map<string, JobCount>();
  for (const w of written) {
    const c = by.get(w.job) ?? { job: w.job, queued: 0, late: 0 };
    c.queued += 1;
    if (w.late) c.late += 1;
    by.set(w.job, c);
  }
  return [...by.values()];
}

/** Runs the functions it is given one at a time, in the order given, whether each succeeds or fails. */
function oneAtATime(): <T>(f: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (f) => {
    const run = tail.then(f, f);
    tail = run.catch(() => {});
    return run;
  };
}

/** What a job sees: the frozen instant it runs for, that day in APP_TIMEZONE, and the calendar. */
export interface JobContext {
  deps: Deps;
  now: Date;
  today: string;
  cal: WorkCalendar;
}

/** A reminder rule's job: the sets of reminders due on `today` (the ledger drops what was already sent). */
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
  evaluate(ctx: JobContext): Promise<ReminderSet[]>;
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
