import cron, { type ScheduledTask } from 'node-cron';
import { jobDoneOn, markJobDone } from '../db/repositories/reminder-sets.ts';
import { FixedClock } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { loadWorkCalendar } from '../src/services/calendar/index.ts';
import { dateAt } from '../src/statute/calendar-date.ts';
import { JOBS, jobSchedule } from './job-list.ts';
import { type Job, type JobContext, type QueuedReminder, recordReminders } from './reminder-ledger.ts';

// Runs the jobs on their node-cron schedules in APP_TIMEZONE. Each tick is taken by one instance only
// (a store key per job and minute), and a job never runs twice at once (a lock). At start every reminder
// job runs once: after downtime it catches up what is still ahead (the ledger marks it late) and the
// ledger drops what was already sent. The catch-up runs once a day across instances (a lock and a mark).

const TICK_KEY_TTL_MS = 24 * 3600_000;
const RUN_LOCK_MS = 10 * 60_000;
const CATCH_UP = 'catch-up';
const CATCH_UP_LOCK = 'jobs:catch-up';

export interface RunReport {
  job: string;
  outcome: 'ok' | 'failed' | 'busy';
  queued: QueuedReminder[];
  /** What a task job reported. */
  lines: string[];
}

/** Runs one job once as if the clock read `now`. */
export async function runJob(deps: Deps, job: Job, now: Date): Promise<RunReport> {
  const lock = await deps.store.acquireLock(`jobs:running:${job.name}`, RUN_LOCK_MS);
  if (!lock) {
    deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'busy' });
    return { job: job.name, outcome: 'busy', queued: [], lines: [] };
  }
  try {
    const cal = await loadWorkCalendar(deps.db);
    // The job sees the clock it runs for (`jobs run --now`), as do the services it calls.
    const ctx: JobContext = {
      deps: { ...deps, clock: new FixedClock(now) },
      now,
      today: dateAt(now, deps.config.timezone),
      cal,
    };
    if (job.kind === 'task') {
      const lines = await job.run(ctx);
      deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'ok' });
      return { job: job.name, outcome: 'ok', queued: [], lines };
    }
    const due = await job.evaluate(ctx);
    const queued = await recordReminders(deps, cal, job.name, due, now);
    deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'ok' });
    deps.log.info({ job: job.name, due: due.length, queued: queued.length }, 'job ran');
    return { job: job.name, outcome: 'ok', queued, lines: [] };
  } catch (err) {
    deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'failed' });
    deps.log.error({ err, job: job.name }, 'job failed');
    return { job: job.name, outcome: 'failed', queued: [], lines: [] };
  } finally {
    await deps.store.releaseLock(`jobs:running:${job.name}`, lock);
  }
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
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
    const mine = await this.deps.store.setIfAbsent(`jobs:tick:${job.name}:${minute}`, '1', TICK_KEY_TTL_MS);
    if (!mine) {
      this.deps.metrics.reminderRuns.inc({ job: job.name, outcome: 'skipped' });
      return null;
    }
    const report = await runJob(this.deps, job, now);
    if (report.queued.length > 0) this.onQueued?.();
    return report;
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
    const reports: RunReport[] = [];
    try {
      if (await jobDoneOn(this.deps.db, CATCH_UP, day)) return [];
      for (const job of this.jobs) {
        if (job.kind !== 'reminders') continue;
        const r = await runJob(this.deps, job, now);
        reports.push(r);
      }
      if (reports.every((r) => r.outcome === 'ok')) await markJobDone(this.deps.db, CATCH_UP, day, now);
    } finally {
      await this.deps.store.releaseLock(CATCH_UP_LOCK, lock);
    }
    if (reports.some((r) => r.queued.length > 0)) this.onQueued?.();
    const late = reports.flatMap((r) => r.queued).filter((q) => q.late).length;
    if (late > 0) this.deps.log.info({ late }, 'caught up reminders missed while stopped');
    return reports;
  }

  start(): void {
    const tz = this.deps.config.timezone;
    for (const job of this.jobs) {
      const task = cron.schedule(jobSchedule(job), () => this.track(this.tick(job)), {
        timezone: tz,
        name: job.name,
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
