import cron, { type ScheduledTask } from 'node-cron';
import { jobDoneOn, markJobDone } from '../db/repositories/reminder-sets.ts';
import { FixedClock } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { loadWorkCalendar } from '../src/services/calendar/index.ts';
import { dateAt } from '../src/statute/calendar-date.ts';
import { JOBS, jobSchedule } from './job-list.ts';
import {
  type Job,
  type JobContext,
  type JobQueued,
  LIST_UP_TO,
  type QueuedReminder,
  type ReminderJob,
  type ReminderSet,
  recordReminders,
} from './reminder-ledger.ts';

// Runs the jobs on their node-cron schedules in APP_TIMEZONE, the reminder jobs of one schedule as one run.
// Each tick is taken by one instance only (a store key per job and minute), and a job never runs twice at
// once (a lock). At start every reminder job runs once: after downtime it catches up what is still ahead
// (the ledger marks it late) and the ledger drops what was already sent. The catch-up runs once a day
// across instances (a lock and a mark).

const TICK_KEY_TTL_MS = 24 * 3600_000;
const NONE: JobQueued['counts'] = { queued: 0, late: 0 };
const RUN_LOCK_MS = 10 * 60_000;
const CATCH_UP = 'catch-up';
const CATCH_UP_LOCK = 'jobs:catch-up';

export interface RunReport {
  job: string;
  outcome: 'ok' | 'failed' | 'busy';
  /** Reminders queued, and of them late. */
  counts: JobQueued['counts'];
  /** Each reminder queued, when the run queued at most a few thousand (else only counted). */
  queued: QueuedReminder[];
  /** What a task job reported. */
  lines: string[];
}

/** Runs one job once as if the clock read `now`. */
export async function runJob(deps: Deps, job: Job, now: Date): Promise<RunReport> {
  return (await runJobs(deps, [job], now))[0]!;
}

/**
 * Runs jobs once as if the clock read `now`, as one run: task jobs each in turn, the reminder jobs'
 * sets evaluated each and recorded together (a target's reminders of the day from all of them become one
 * message). A job another run holds is reported busy; a job whose evaluation fails is reported failed and
 * the others go on; if recording fails, every reminder job of the run failed (nothing of it was written).
 */
export async function runJobs(
  deps: Deps,
  jobs: readonly Job[],
  now: Date,
  listUpTo: number = LIST_UP_TO,
): Promise<RunReport[]> {
  const reports = new Map<string, RunReport>();
  const held: { job: Job; lock: string }[] = [];
  for (const job of jobs) {
    const lock = await deps.store.acquireLock(`jobs:running:${job.name}`, RUN_LOCK_MS);
    if (lock) held.push({ job, lock });
    else reports.set(job.name, { job: job.name, outcome: 'busy', counts: NONE, queued: [], lines: [] });
  }
  const done = (job: Job, outcome: 'ok' | 'failed', q?: JobQueued, lines: string[] = []) => {
    deps.metrics.reminderRuns.inc({ job: job.name, outcome });
    reports.set(job.name, {
      job: job.name,
      outcome,
      counts: q?.counts ?? NONE,
      queued: q?.queued ?? [],
      lines,
    });
  };
  try {
    if (held.length > 0) {
      const cal = await loadWorkCalendar(deps.db);
      // The jobs see the clock they run for (`jobs run --now`), as do the services they call.
      const ctx: JobContext = {
        deps: { ...deps, clock: new FixedClock(now) },
        now,
        today: dateAt(now, deps.config.timezone),
        cal,
      };
      const evaluated: { job: ReminderJob; sets: ReminderSet[] }[] = [];
      for (const { job } of held) {
        try {
          if (job.kind === 'task') done(job, 'ok', undefined, await job.run(ctx));
          else evaluated.push({ job, sets: await job.evaluate(ctx) });
        } catch (err) {
          deps.log.error({ err, job: job.name }, 'job failed');
          done(job, 'failed');
        }
      }
      if (evaluated.length > 0) {
        try {
          const queued = await recordReminders(
            deps,
            cal,
            evaluated.map((e) => ({ job: e.job.name, sets: e.sets })),
            now,
            listUpTo,
          );
          for (const { job } of evaluated) {
            const mine = queued.find((q) => q.job === job.name);
            done(job, 'ok', mine);
            deps.log.info({ job: job.name, queued: mine?.counts.queued ?? 0 }, 'job ran');
          }
        } catch (err) {
          deps.log.error({ err, jobs: evaluated.map((e) => e.job.name) }, 'job failed');
          for (const { job } of evaluated) done(job, 'failed');
        }
      }
    }
  } finally {
    for (const { job, lock } of held) await deps.store.releaseLock(`jobs:running:${job.name}`, lock);
  }
  return jobs.map((j) => reports.get(j.name)!);
}

export interface SchedulerOptions {
  jobs?: readonly Job[];
  /** Called after a run queued messages (the outbox sends at once). */
  onQueued?: () => void;
}

export class Scheduler {
  private readonly deps: Deps;
  private readonly jobs: readonly Job[];
  private readonly onQueued: (() => void) | undefined;
  private tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(deps: Deps, opts: SchedulerOptions = {}) {
    this.deps = deps;
    this.jobs = opts.jobs ?? JOBS;
    this.onQueued = opts.onQueued;
  }

  /** One scheduled tick of a job: run it unless another instance already took this minute. */
  async tick(job: Job, now: Date = this.deps.clock.now()): Promise<RunReport | null> {
    return (await this.tickAll([job], now))[0] ?? null;
  }

  /**
   * One scheduled tick of jobs that share a schedule: the ones no other instance took this minute run
   * together (runJobs). Returns their reports.
   */
  async tickAll(jobs: readonly Job[], now: Date = this.deps.clock.now()): Promise<RunReport[]> {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
    const mine: Job[] = [];
    for (const job of jobs) {
      if (await this.deps.store.setIfAbsent(`jobs:tick:${job.name}:${minute}`, '1', TICK_KEY_TTL_MS))
        mine.push(job);
      else this.deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'skipped' });
    }
    if (mine.length === 0) return [];
    const reports = await runJobs(this.deps, mine, now);
    if (reports.some((r) => r.counts.queued > 0)) this.onQueued?.();
    return reports;
  }

  /**
   * Runs every reminder job once now: the catch-up after a start. Done once a day across instances: the
   * instance that takes the lock runs it and marks the day; another starting meanwhile, or later that day,
   * leaves it (a start after the holder failed runs it again, as the mark is set only when every job ran).
   */
  async catchUp(now: Date = this.deps.clock.now()): Promise<RunReport[]> {
    const day = dateAt(now, this.deps.config.timezone);
    const lock = await this.deps.store.acquireLock(CATCH_UP_LOCK, RUN_LOCK_MS);
    if (!lock) return [];
    let reports: RunReport[] = [];
    try {
      if (await jobDoneOn(this.deps.db, CATCH_UP, day)) return [];
      reports = await runJobs(
        this.deps,
        this.jobs.filter((j) => j.kind === 'reminders'),
        now,
      );
      if (reports.every((r) => r.outcome === 'ok')) await markJobDone(this.deps.db, CATCH_UP, day, now);
    } finally {
      await this.deps.store.releaseLock(CATCH_UP_LOCK, lock);
    }
    if (reports.some((r) => r.counts.queued > 0)) this.onQueued?.();
    const late = reports.reduce((n, r) => n + r.counts.late, 0);
    if (late > 0) this.deps.log.info({ late }, 'caught up reminders missed while stopped');
    return reports;
  }

  start(): void {
    const tz = this.deps.config.timezone;
    // Reminder jobs that share a schedule run as one (a target's reminders of the day in one message);
    // each task job on its own.
    const runs = new Map<string, Job[]>();
    for (const job of this.jobs) {
      const key = job.kind === 'reminders' ? `reminders ${jobSchedule(job)}` : `task ${job.name}`;
      runs.set(key, [...(runs.get(key) ?? []), job]);
    }
    for (const [key, jobs] of runs) {
      const task = cron.schedule(jobSchedule(jobs[0]!), () => this.track(this.tickAll(jobs)), {
        timezone: tz,
        name: key,
        noOverlap: true,
      });
      this.tasks.push(task);
    }
    this.track(this.catchUp());
  }

  private track(p: Promise<unknown>): void {
    const guarded = p.catch((err: unknown) => this.deps.log.error({ err }, 'scheduler run failed'));
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
    await Promise.all([...this.running]);
  }
}
