// The reminder run for a large roster: one congress with N deputies in N/10 small groups (each with a
// leader) and N/100 stations (each with a head), seeded in bulk; then the day's run of every reminder job
// of jobs/job-list.ts, as the scheduler runs them at their common hour (one run: runJobs), on a date that
// makes each fire, and the same run once more (the ledger: nothing again).
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { JOBS } from '../jobs/job-list.ts';
import type { ReminderJob } from '../jobs/reminder-ledger.ts';
import { runJobs } from '../jobs/scheduler.ts';
import type { Config } from '../src/config.ts';
import { openBenchBackend } from './backend.ts';

// Monday 21 December 2026, 08:00 in Shanghai (the jobs' schedule). On that day every reminder rule is
// in its window: ten working days before the quarter's end (S1), after 1 October (S3, S9, S14), after
// the 20th (S10), three working days before the reception day set to the 23rd (S2), five working days
// before the session opening on the 25th (S5), inside the 14-working-day window of the feedback clocks
// due on the 31st (S8a), and after 1 December with next year's holidays perhaps not yet published.
export const REMINDER_RUN_AT = '2026-12-21T00:00:00Z';
const RECEPTION_DAY = 23;
const SESSION_OPENS = '2026-12-25';
const CLOCKS_DUE = '2026-12-31';
const FEEDBACK_CLOCKS = 200;
const STAFF = 2;

export interface RosterSize {
  deputies: number;
  groups: number;
  stations: number;
}

export interface ReminderJobResult {
  job: string;
  rules: string;
  queued: number;
  /** Outbox rows the job's reminders were written into (a day's reminders to one person share a digest). */
  outboxRows: number;
  againQueued: number;
  outcome: string;
}

export interface ReminderBench {
  roster: RosterSize;
  /** Ledger rows of past periods seeded before the day (BENCH_LEDGER_MONTHS). */
  historyRows: number;
  seedSeconds: number;
  runAt: string;
  jobs: ReminderJobResult[];
  /** The day's run (every job, one run) and the same run again; outboxRows is the outbox's size after. */
  total: { seconds: number; queued: number; outboxRows: number; againSeconds: number; againQueued: number };
}

export const rosterFor = (deputies: number): RosterSize => ({
  deputies,
  groups: Math.max(1, Math.floor(deputies / 10)),
  stations: Math.max(1, Math.floor(deputies / 100)),
});

/** Seeds the roster with a handful of INSERT … SELECT statements (ids are explicit: the database is fresh). */
async function seedRoster(db: Db, r: RosterSize): Promise<void> {
  const n = sql.lit(r.deputies);
  const g = sql.lit(r.groups);
  const s = sql.lit(r.stations);
  await db.transaction().execute(async (trx) => {
    const c = await trx
      .insertInto('congresses')
      .values({
        name: '大同市人大常委会（压测）',
        level: 'city',
        settings: JSON.stringify({ receptionDayOfMonth: RECEPTION_DAY }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const congress = sql.lit(c.id);
    const run = (q: ReturnType<typeof sql>) => q.execute(trx);
    await run(sql`insert into people (id, name) select i, '代表' || i from generate_series(1, ${n}) i`);
    await run(
      sql`insert into people (id, name) select ${n} + i, '工作人员' || i from generate_series(1, ${sql.lit(STAFF)}) i`,
    );
    await run(sql`select setval(pg_get_serial_sequence('people', 'id'), (select max(id) from people))`);
    await run(
      sql`insert into person_identities (person_id, channel, external_id, external_id_norm)
          select id, 'wecom', 'dep' || id, 'dep' || id from people`,
    );
    // Deputy i sits in small group (i mod G) and station (i mod S); deputy g leads group g, deputy s heads station s.
    await run(
      sql`insert into groups (id, congress_id, name, kind, leader_person_id)
          select k, ${congress}, '第' || k || '代表小组', 'small', k from generate_series(1, ${g}) k`,
    );
    await run(
      sql`insert into groups (id, congress_id, name, kind) values (${g} + 1, ${congress}, '工作人员群', 'staff')`,
    );
    await run(sql`select setval(pg_get_serial_sequence('groups', 'id'), ${g} + 1)`);
    // Staff are reached through their group's robot, as CONTRACT §4 prefers.
    await run(
      sql`insert into group_bindings (group_id, channel, kind, address)
          values (${g} + 1, 'wecom', 'wecom_robot', 'bench-staff-robot')`,
    );
    await run(
      sql`insert into stations (id, congress_id, name, head_person_id)
          select k, ${congress}, '第' || k || '联络站', k from generate_series(1, ${s}) k`,
    );
    await run(sql`select setval(pg_get_serial_sequence('stations', 'id'), ${s})`);
    await run(
      sql`insert into mandates (person_id, congress_id, role, small_group_id, station_id)
          select i, ${congress}, 'deputy', ((i - 1) % ${g}) + 1, ((i - 1) % ${s}) + 1
          from generate_series(1, ${n}) i`,
    );
    await run(
      sql`insert into mandates (person_id, congress_id, role)
          select ${n} + i, ${congress}, 'staff' from generate_series(1, ${sql.lit(STAFF)}) i`,
    );
    await run(
      sql`insert into sessions (congress_id, name, starts_on, ends_on)
          values (${congress}, '市人民代表大会第三次会议', ${SESSION_OPENS}, ${SESSION_OPENS}::date + 2)`,
    );
    await run(
      sql`insert into deadlines (kind, subject_type, subject_id, congress_id, label, starts_on, months, due_on)
          select 'S8a', 'report', 'BG-' || k, ${congress}, '专项工作报告' || k, '2026-11-30', 1, ${CLOCKS_DUE}
          from generate_series(1, ${sql.lit(FEEDBACK_CLOCKS)}) k`,
    );
  });
  await sql`analyze`.execute(db);
  // The seeding wrote a few hundred MB of log: flushed now, its checkpoint does not fall in the timed run
  // (a day's run does not follow a bulk load). Best effort: it needs a privileged role.
  await sql`checkpoint`.execute(db).catch(() => {});
}

/**
 * The ledger as after `months` months of runs before the day: each deputy's reception-day reminders (S2,
 * two a month) and a session's leave reminder (S5) a quarter, all of past periods, so nothing of them is
 * due again. A run must not grow slower with the ledger's history.
 */
async function seedLedgerHistory(db: Db, r: RosterSize, months: number): Promise<number> {
  if (months <= 0) return 0;
  const n = sql.lit(r.deputies);
  const m = sql.lit(months);
  const written =
    await sql`insert into reminder_ledger (rule, period, target, job, due_on, event_on, late, created_at)
      select x.rule, x.period, 'person:' || p, x.job, x.day, x.day, false, x.day
      from generate_series(1, ${n}) p,
        lateral (select 'S2' as rule, to_char(d, 'YYYY-MM') || h.k as period, 'reception-day' as job, d::date as day
                 from generate_series(date '2026-12-01' - make_interval(months => ${m}), date '2026-11-01', '1 month') d,
                      (values ('#before'), ('#day')) h(k)
                 union all
                 select 'S5', 'session:past-' || to_char(d, 'YYYY-MM'), 'session-leave', d::date
                 from generate_series(date '2026-12-01' - make_interval(months => ${m}), date '2026-11-01', '3 months') d) x
      order by x.rule, x.period, 'person:' || p`.execute(db);
  await sql`analyze reminder_ledger`.execute(db);
  await sql`checkpoint`.execute(db).catch(() => {});
  return Number(written.numAffectedRows ?? 0);
}

const outboxCount = async (db: Db): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Per job, the messages that carry the reminders the run at `at` queued (one digest carries several). */
async function messagesByJob(db: Db, at: Date): Promise<Map<string, number>> {
  const r = await sql<{ job: string; n: number }>`select job, count(distinct outbox_id)::int as n
    from reminder_ledger where created_at = ${at} group by job`.execute(db);
  return new Map(r.rows.map((x) => [x.job, x.n]));
}

const seconds = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;

export async function benchReminders(
  config: Config,
  deputies: number,
  historyMonths = 0,
): Promise<ReminderBench> {
  const roster = rosterFor(deputies);
  const backend = await openBenchBackend({ ...config, timezone: 'Asia/Shanghai' });
  const { deps } = backend;
  try {
    const t0 = performance.now();
    await seedRoster(deps.db, roster);
    const historyRows = await seedLedgerHistory(deps.db, roster, historyMonths);
    const seedSeconds = seconds(t0);
    const now = new Date(REMINDER_RUN_AT);
    const jobs = JOBS.filter((j): j is ReminderJob => j.kind === 'reminders');
    const t1 = performance.now();
    const first = await runJobs(deps, jobs, now);
    const firstSeconds = seconds(t1);
    const t2 = performance.now();
    const again = await runJobs(deps, jobs, now);
    const againSeconds = seconds(t2);
    const messages = await messagesByJob(deps.db, now);
    const results: ReminderJobResult[] = jobs.map((job, i) => ({
      job: job.name,
      rules: job.rules.join(',') || 'calendar',
      queued: first[i]!.counts.queued,
      outboxRows: messages.get(job.name) ?? 0,
      againQueued: again[i]!.counts.queued,
      outcome:
        first[i]!.outcome === again[i]!.outcome
          ? first[i]!.outcome
          : `${first[i]!.outcome}/${again[i]!.outcome}`,
    }));
    const sum = (f: (r: ReminderJobResult) => number) => results.reduce((a, r) => a + f(r), 0);
    return {
      roster,
      historyRows,
      seedSeconds,
      runAt: REMINDER_RUN_AT,
      jobs: results,
      total: {
        seconds: firstSeconds,
        queued: sum((r) => r.queued),
        outboxRows: await outboxCount(deps.db),
        againSeconds,
        againQueued: sum((r) => r.againQueued),
      },
    };
  } finally {
    await backend.close();
  }
}
