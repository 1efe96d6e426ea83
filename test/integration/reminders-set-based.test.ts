import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { normalizeExternalId } from '../../db/external-id.ts';
import { JOBS } from '../../jobs/job-list.ts';
import { type ReminderJob, recordReminders } from '../../jobs/reminder-ledger.ts';
import { runJob, runJobs, Scheduler } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { loadWorkCalendar } from '../../src/services/calendar/index.ts';
import { dateAt } from '../../src/statute/calendar-date.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { REFERENCE_JOBS, runReferenceJob } from '../helpers/reminders-reference.ts';

// The set-based reminder engine gives what the per-deputy evaluation gave: on one generated roster with
// every edge case (met minimum, suspended, two mandates, groups without a leader, stations without a
// head, staff reached by group or one by one, people on no channel, an archived congress, a township),
// the same ledger rows and the same digests, day after day, with some digests already sent in between.
// And two instances starting together run the catch-up once.

const at = (iso: string) => new Date(iso);

/** A small deterministic generator, so both databases get the same roster. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

interface Roster {
  city: number;
}

async function seedRoster(db: Db): Promise<Roster> {
  const r = rng(20261221);
  const congress = async (name: string, level: string, settings: unknown, archived = false) =>
    (
      await db
        .insertInto('congresses')
        .values({
          name,
          level: level as 'city',
          settings: JSON.stringify(settings),
          term_starts_on: '2022-01-01',
          term_ends_on: '2027-01-31',
          ...(archived ? { archived_at: at('2026-01-01T00:00:00Z') } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const city = await congress('大同市第十六届人民代表大会', 'city', {
    receptionDayOfMonth: 23,
    receptionHosts: ['主任甲'],
    whoMayBook: ['第1小组', '第2小组', '第3小组', '第4小组', '第5小组', '第6小组'],
  });
  const county = await congress('广灵县第十八届人民代表大会', 'county', {});
  const town = await congress('壶流河镇第十九届人民代表大会', 'township', {});
  const archived = await congress('大同市第十五届人民代表大会', 'city', {}, true);

  let n = 0;
  const person = async (name: string, channels: { wecom?: boolean; dingtalk?: boolean }) => {
    n++;
    const p = await db.insertInto('people').values({ name }).returning('id').executeTakeFirstOrThrow();
    for (const channel of ['wecom', 'dingtalk'] as const) {
      if (!channels[channel]) continue;
      const id = `${channel}-${n}`;
      await db
        .insertInto('person_identities')
        .values({
          person_id: p.id,
          channel,
          external_id: id,
          external_id_norm: normalizeExternalId(channel, id),
        })
        .execute();
    }
    return p.id;
  };
  const mandate = async (
    personId: number,
    congressId: number,
    o: { role?: 'deputy' | 'staff' | 'admin'; status?: 'active' | 'suspended' | 'terminated' } = {},
  ) =>
    (
      await db
        .insertInto('mandates')
        .values({
          person_id: personId,
          congress_id: congressId,
          role: o.role ?? 'deputy',
          status: o.status ?? 'active',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const channelsOf = () => {
    const x = r();
    return x < 0.1
      ? {}
      : x < 0.3
        ? { dingtalk: true }
        : x < 0.5
          ? { wecom: true, dingtalk: true }
          : { wecom: true };
  };
  const statusOf = () => {
    const x = r();
    return x < 0.08 ? 'suspended' : x < 0.12 ? 'terminated' : 'active';
  };

  // Staff: the city by its staff group's robot (its chat of WeCom's intelligent robot unused: the service
  // has no robot); the county one by one (its staff group has no binding); the township by one staff
  // member on DingTalk only (its staff group is bound only to the intelligent robot's chat, which nothing
  // can reach).
  const host = await person('主任甲', { wecom: true });
  await mandate(host, city, { role: 'staff' });
  const staffGroup = await db
    .insertInto('groups')
    .values({ congress_id: city, name: '人大代表工作室', kind: 'staff' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('group_bindings')
    .values([
      { group_id: staffGroup.id, channel: 'wecom', kind: 'wecom_appchat', address: 'chat-staff' },
      { group_id: staffGroup.id, channel: 'wecom', kind: 'wecom_robot', address: 'robot-staff' },
      { group_id: staffGroup.id, channel: 'dingtalk', kind: 'dingtalk_robot', address: 'ding-staff' },
      { group_id: staffGroup.id, channel: 'wecom', kind: 'wecom_bot', address: 'bot-chat-staff' },
    ])
    .execute();
  const townStaffGroup = await db
    .insertInto('groups')
    .values({ congress_id: town, name: '镇人大办', kind: 'staff' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('group_bindings')
    .values({ group_id: townStaffGroup.id, channel: 'wecom', kind: 'wecom_bot', address: 'bot-chat-town' })
    .execute();
  await db
    .insertInto('groups')
    .values({ congress_id: county, name: '县代表工作室', kind: 'staff' })
    .execute();
  for (const name of ['县工作人员甲', '县工作人员乙'])
    await mandate(await person(name, { wecom: true }), county, { role: 'staff' });
  await mandate(await person('县管理员', { wecom: true }), county, { role: 'admin', status: 'suspended' });
  await mandate(await person('镇工作人员', { dingtalk: true }), town, { role: 'staff' });
  await mandate(await person('旧届工作人员', { wecom: true }), archived, { role: 'staff' });

  // Deputies; some of the city's also sit in the county congress (two mandates).
  const deputies: Record<number, { person: number; mandate: number }[]> = {
    [city]: [],
    [county]: [],
    [town]: [],
    [archived]: [],
  };
  for (const [c, count] of [
    [city, 90],
    [county, 40],
    [town, 30],
    [archived, 5],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const p = await person(`代表${c}-${i}`, channelsOf());
      deputies[c]!.push({ person: p, mandate: await mandate(p, c, { status: statusOf() }) });
    }
  }
  for (const d of deputies[city]!.slice(0, 12)) {
    deputies[county]!.push({ person: d.person, mandate: await mandate(d.person, county) });
  }

  // Groups: small and large, every fourth without a leader, every third met in its period.
  let code = 0;
  const activity = async (o: {
    congressId: number;
    kind: 'small_group' | 'large_group' | 'station' | 'study' | 'campaign';
    startsAt: string;
    hours: number;
    groupId?: number;
    stationId?: number;
    attended?: number[];
    absent?: number[];
  }) => {
    const a = await db
      .insertInto('activities')
      .values({
        code: `HD-2026-${String(++code).padStart(4, '0')}`,
        congress_id: o.congressId,
        kind: o.kind,
        title: '活动',
        organiser: '代表工作室',
        group_id: o.groupId ?? null,
        station_id: o.stationId ?? null,
        starts_at: o.startsAt,
        ends_at: new Date(new Date(o.startsAt).getTime() + o.hours * 3600_000).toISOString(),
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const m of o.attended ?? [])
      await db
        .insertInto('activity_participants')
        .values({ activity_id: a.id, mandate_id: m, attended: true })
        .execute();
    for (const m of o.absent ?? [])
      await db
        .insertInto('activity_participants')
        .values({ activity_id: a.id, mandate_id: m, attended: false })
        .execute();
  };
  for (const c of [city, county, town]) {
    const members = deputies[c]!;
    for (let g = 1; g <= 8; g++) {
      const kind = g <= 6 ? 'small' : 'large';
      const leader = g % 4 === 0 ? null : members[g]!.person;
      const group = await db
        .insertInto('groups')
        .values({
          congress_id: c,
          name: kind === 'small' ? `第${g}小组` : `第${g}大组`,
          kind,
          leader_person_id: leader,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [i, m] of members.entries()) {
        if (i % 8 !== g - 1) continue;
        await db
          .updateTable('mandates')
          .set(kind === 'small' ? { small_group_id: group.id } : { large_group_id: group.id })
          .where('id', '=', m.mandate)
          .execute();
      }
      if (g % 3 === 0)
        await activity({
          congressId: c,
          kind: kind === 'small' ? 'small_group' : 'large_group',
          startsAt: '2026-11-10T01:00:00Z',
          hours: 2,
          groupId: group.id,
        });
      // A meeting of the quarter before does not count.
      if (g % 3 === 1)
        await activity({
          congressId: c,
          kind: 'small_group',
          startsAt: '2026-09-10T01:00:00Z',
          hours: 2,
          groupId: group.id,
        });
    }
    // Stations: one without a head, one with half a working day of reception this month, one with less.
    for (let s = 1; s <= 4; s++) {
      const st = await db
        .insertInto('stations')
        .values({
          congress_id: c,
          name: `第${s}联络站`,
          head_person_id: s === 4 ? null : members[10 + s]!.person,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (s === 1)
        await activity({
          congressId: c,
          kind: 'station',
          startsAt: '2026-12-03T01:00:00Z',
          hours: 4,
          stationId: st.id,
        });
      if (s === 2)
        await activity({
          congressId: c,
          kind: 'station',
          startsAt: '2026-12-03T01:00:00Z',
          hours: 2,
          stationId: st.id,
        });
    }
    // S9: some attended a station activity this year, some were invited and did not come, some last year.
    const attended = members.filter(() => r() < 0.3).map((m) => m.mandate);
    const absent = members.filter(() => r() < 0.2).map((m) => m.mandate);
    await activity({
      congressId: c,
      kind: 'station',
      startsAt: '2026-05-06T01:00:00Z',
      hours: 3,
      attended,
      absent: absent.filter((m) => !attended.includes(m)),
    });
    await activity({
      congressId: c,
      kind: 'station',
      startsAt: '2025-05-06T01:00:00Z',
      hours: 3,
      attended: members.slice(0, 20).map((m) => m.mandate),
    });
  }
  // S3 and S14: the city held its study but no campaign; the county neither.
  await activity({ congressId: city, kind: 'study', startsAt: '2026-04-08T01:00:00Z', hours: 3 });

  // S5: sessions of the city and the township open within five working days; the county's later.
  await db
    .insertInto('sessions')
    .values([
      { congress_id: city, name: '市十六届人大五次会议', starts_on: '2026-12-25', ends_on: '2026-12-27' },
      { congress_id: town, name: '镇十九届人大三次会议', starts_on: '2026-12-24', ends_on: '2026-12-24' },
      { congress_id: county, name: '县十八届人大四次会议', starts_on: '2027-01-20', ends_on: '2027-01-22' },
      { congress_id: archived, name: '旧届会议', starts_on: '2026-12-24', ends_on: '2026-12-24' },
    ])
    .execute();

  // S8a: report clocks due on 31 December; enough of them that the city's staff digest overflows one
  // message; one clock of no congress reaches every live congress's staff.
  for (let k = 1; k <= 14; k++) {
    await db
      .insertInto('deadlines')
      .values({
        kind: 'S8a',
        subject_type: 'report',
        subject_id: `BG-2026-${String(k).padStart(3, '0')}`,
        congress_id: k === 14 ? null : k % 5 === 0 ? county : city,
        label: `关于全市${k}号专项工作情况的报告（审议意见研究处理情况）`,
        starts_on: '2026-11-30',
        months: 1,
        due_on: '2026-12-31',
        target_on: null,
        provisional: false,
        closed_at: null,
      })
      .execute();
  }

  // S2: bookings of December at the city (one cancelled).
  const booked = deputies[city]!.slice(20, 24);
  for (const [i, d] of booked.entries()) {
    await db
      .insertInto('reception_bookings')
      .values({
        code: `JD-2026-${String(i + 1).padStart(4, '0')}`,
        congress_id: city,
        mandate_id: d.mandate,
        month: '2026-12',
        topic: i === 1 ? null : `话题${i}`,
        status: i === 3 ? 'cancelled' : 'booked',
      })
      .execute();
  }
  return { city };
}

/** Marks some digests sent, the same ones in both databases (by key), so later reminders start new ones. */
async function sendSome(db: Db): Promise<void> {
  await sql`update outbox set status = 'sent', attempts = 1, sent_at = now()
    where status = 'pending' and substr(md5(idempotency_key), 1, 1) < '6'`.execute(db);
}

async function ledgerOf(db: Db) {
  const rows = await db
    .selectFrom('reminder_ledger as l')
    .leftJoin('outbox as o', 'o.id', 'l.outbox_id')
    .select([
      'l.rule',
      'l.period',
      'l.target',
      'l.job',
      'l.due_on',
      'l.event_on',
      'l.late',
      'o.idempotency_key',
    ])
    .execute();
  return rows
    .map(
      (x) =>
        `${x.rule}|${x.period}|${x.target}|${x.job}|${x.due_on}|${x.event_on}|${x.late}|${x.idempotency_key ?? '-'}`,
    )
    .sort();
}

/**
 * A digest's items, read from its text (the two engines may list a target's reminders of several jobs in
 * a different order): this roster's reminders hold no numbered line of their own.
 */
function digestItems(text: string, count: number): string[] {
  const body = text.slice('【履职提醒】'.length);
  if (count === 1) return [body];
  const lines = body.slice(`今天有 ${count} 项提醒：\n`.length).split(/\n(?=\d+\. )/);
  expect(lines).toHaveLength(count);
  return lines.map((l, i) => {
    expect(l.startsWith(`${i + 1}. `)).toBe(true);
    return l.slice(`${i + 1}. `.length);
  });
}

async function outboxOf(db: Db) {
  const rows = await db
    .selectFrom('outbox')
    .select([
      'channel',
      'target_kind',
      'target_address',
      'idempotency_key',
      'payload',
      'status',
      'not_before',
      'cause',
    ])
    .execute();
  return rows
    .map((x) => {
      const p = x.payload as { text: string; count?: number; part?: unknown };
      const items = p.count === undefined ? [] : digestItems(p.text, p.count).sort();
      const causes = (x.cause ?? '').split(',').sort().join(',');
      return JSON.stringify([
        x.idempotency_key,
        x.channel,
        x.target_kind,
        x.target_address,
        x.status,
        new Date(x.not_before).toISOString(),
        items,
        p.count === undefined ? p.text : Buffer.byteLength(p.text),
        p.part ?? null,
        causes,
      ]);
    })
    .sort();
}

// Runs at 08:00 Shanghai (00:00Z) unless said otherwise; 18 December 2026 is a Friday, its run at 20:00
// waits for Monday's sending hours.
const RUNS = [
  '2026-12-18T12:00:00Z',
  '2026-12-21T00:00:00Z',
  '2026-12-21T00:00:00Z',
  '2026-12-22T00:00:00Z',
  '2026-12-23T00:00:00Z',
  '2026-12-24T03:00:00Z',
];

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`set-based reminders on ${backend.name}`, () => {
    const clock = new FixedClock(RUNS[0]!);
    let sets: TestDeps;
    let ref: TestDeps;
    let second: TestDeps;

    beforeAll(async () => {
      sets = await createTestDeps(backend.name, { clock });
      ref = await createTestDeps(backend.name, { clock });
      second = await createTestDeps(backend.name, { clock, shareWith: sets });
      await seedRoster(sets.db);
      await seedRoster(ref.db);
    }, 300_000);
    afterAll(async () => {
      await second.cleanup();
      await sets.cleanup();
      await ref.cleanup();
    });

    it('every job, alone or with the others of its hour, writes the same ledger rows and digests as the per-deputy evaluation, run after run', async () => {
      const jobs = JOBS.filter((j): j is ReminderJob => j.kind === 'reminders');
      expect(jobs.map((j) => j.name).sort()).toEqual(REFERENCE_JOBS.map((j) => j.name).sort());
      let queuedBySets = 0;
      for (const [i, iso] of RUNS.entries()) {
        const now = at(iso);
        clock.set(now);
        const cal = await loadWorkCalendar(ref.db);
        // The scheduler runs the jobs of one hour as one run (runJobs); the CLI runs one job (runJob): both
        // are compared with the reference, which evaluates each job on its own, deputy by deputy.
        const together = i % 2 === 1;
        // Together, the reminders are only counted (as a province's run is), not listed one by one.
        const reports = together ? await runJobs(sets, jobs, now, 0) : [];
        for (const [j, job] of jobs.entries()) {
          const mine = together ? reports[j]! : await runJob(sets, job, now);
          expect(mine.job).toBe(job.name);
          expect(mine.outcome).toBe('ok');
          const theirs = await runReferenceJob(
            ref,
            cal,
            REFERENCE_JOBS.find((j) => j.name === job.name)!,
            now,
          );
          expect(mine.counts).toEqual({ queued: theirs.length, late: theirs.filter((q) => q.late).length });
          expect(mine.queued.map((q) => `${q.rule}|${q.period}|${q.target}|${q.late}`).sort()).toEqual(
            together ? [] : theirs.map((q) => `${q.rule}|${q.period}|${q.target}|${q.late}`).sort(),
          );
          queuedBySets += mine.counts.queued;
        }
        expect(await ledgerOf(sets.db)).toEqual(await ledgerOf(ref.db));
        expect(await outboxOf(sets.db)).toEqual(await outboxOf(ref.db));
        if (i % 2 === 1) {
          await sendSome(sets.db);
          await sendSome(ref.db);
        }
      }
      // The roster made every rule fire, and the township got none of the Datong or standing-committee rules.
      const rules = await sets.db.selectFrom('reminder_ledger').select('rule').distinct().execute();
      expect(rules.map((x) => x.rule).sort()).toEqual(
        ['S1', 'S10', 'S14', 'S2', 'S3', 'S5', 'S8a', 'S9', 'calendar'].sort(),
      );
      expect(queuedBySets).toBeGreaterThan(200);
      // A staff group is a target only where a message reaches it: the township's, bound only to the
      // intelligent robot's chat, is not; its staff member is.
      const groupRows = await sets.db
        .selectFrom('reminder_ledger')
        .select(['target', 'outbox_id'])
        .where('target', 'like', 'group:%')
        .execute();
      expect(groupRows.length).toBeGreaterThan(0);
      expect(groupRows.filter((r) => r.outbox_id === null)).toEqual([]);
      expect(new Set(groupRows.map((r) => r.target)).size).toBe(1);
      const overflowed = await sets.db
        .selectFrom('outbox')
        .select('idempotency_key')
        .where('idempotency_key', 'like', 'digest:group:%#2')
        .execute();
      expect(overflowed.length).toBeGreaterThan(0);
    }, 300_000);

    it('a suspended deputy, an archived congress and a township get nothing they are not bound by', async () => {
      const suspended = await sets.db
        .selectFrom('mandates')
        .select('person_id')
        .where('status', '!=', 'active')
        .where('role', '=', 'deputy')
        .execute();
      const onlySuspended = [];
      for (const s of suspended) {
        const other = await sets.db
          .selectFrom('mandates')
          .select('id')
          .where('person_id', '=', s.person_id)
          .where('status', '=', 'active')
          .execute();
        if (other.length === 0) onlySuspended.push(`person:${s.person_id}`);
      }
      expect(onlySuspended.length).toBeGreaterThan(0);
      const got = await sets.db
        .selectFrom('reminder_ledger')
        .select('target')
        .where('target', 'in', onlySuspended)
        .where((eb) => eb.or([eb('rule', 'in', ['S5', 'S9']), eb('period', 'like', '%#before')]))
        .execute();
      expect(got).toEqual([]);
      const town = await sets.db
        .selectFrom('congresses')
        .select('id')
        .where('level', '=', 'township')
        .executeTakeFirstOrThrow();
      const townRows = await sets.db
        .selectFrom('reminder_ledger')
        .select(['rule', 'period'])
        .where('rule', 'in', ['S1', 'S3', 'S14'])
        .where((eb) => eb.or([eb('period', 'like', `%congress:${town.id}`)]))
        .execute();
      expect(townRows).toEqual([]);
    });

    it('two instances starting together run the catch-up once, and once that day', async () => {
      const now = at('2026-12-28T02:00:00Z');
      clock.set(now);
      // A session opening on 31 December falls due today.
      await sets.db
        .insertInto('sessions')
        .values({
          congress_id: (
            await sets.db
              .selectFrom('congresses')
              .select('id')
              .where('level', '=', 'city')
              .executeTakeFirstOrThrow()
          ).id,
          name: '市人大常委会第四十次会议',
          starts_on: '2026-12-31',
          ends_on: '2026-12-31',
        })
        .execute();
      const before = await sets.db
        .selectFrom('reminder_ledger')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const [a, b] = await Promise.all([
        new Scheduler(sets).catchUp(now),
        new Scheduler(second).catchUp(now),
      ]);
      const ran = [a, b].filter((r) => r.length > 0);
      expect(ran).toHaveLength(1);
      expect(ran[0]!.every((r) => r.outcome === 'ok')).toBe(true);
      expect(ran[0]!.flatMap((r) => r.queued).some((q) => q.rule === 'S5')).toBe(true);
      const after = await sets.db
        .selectFrom('reminder_ledger')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBeGreaterThan(Number(before.n));
      // A restart later that day does not run it again; the next day it runs.
      expect(await new Scheduler(second).catchUp(at('2026-12-28T06:00:00Z'))).toEqual([]);
      const marks = await sets.db.selectFrom('job_marks').selectAll().execute();
      expect(marks.map((m) => `${m.name}|${m.day}`)).toEqual(['catch-up|2026-12-28']);
      const next = await new Scheduler(second).catchUp(at('2026-12-29T00:00:00Z'));
      expect(next.length).toBeGreaterThan(0);
      expect(next.flatMap((r) => r.queued).filter((q) => q.rule === 'S5')).toEqual([]);
    }, 300_000);

    // S5 on a session of the city's standing committee, run as the scheduler runs the job.
    const sessionLeave = JOBS.find((j): j is ReminderJob => j.name === 'session-leave')!;
    /** Registers a one-day session of the city congress; returns the congress's id. */
    const citySessionOn = async (name: string, on: string): Promise<number> => {
      const city = await sets.db
        .selectFrom('congresses')
        .select('id')
        .where('level', '=', 'city')
        .executeTakeFirstOrThrow();
      await sets.db
        .insertInto('sessions')
        .values({ congress_id: city.id, name, starts_on: on, ends_on: on })
        .execute();
      return city.id;
    };
    const runSessionLeave = async (deps: TestDeps, now: Date) => {
      const cal = await loadWorkCalendar(deps.db);
      const ctx = { deps, now, today: dateAt(now, deps.config.timezone), cal };
      return recordReminders(
        deps,
        cal,
        [{ job: sessionLeave.name, sets: await sessionLeave.evaluate(ctx) }],
        now,
      );
    };
    /** The S5 ledger rows the run at `now` wrote. */
    const sessionLeaveRows = (now: Date) =>
      sets.db
        .selectFrom('reminder_ledger')
        .select(['target', 'outbox_id'])
        .where('rule', '=', 'S5')
        .where('job', '=', sessionLeave.name)
        .where('created_at', '=', now)
        .execute();

    it('two runs at once on two connections, past every store lock, take turns: each reminder once', async () => {
      const now = at('2026-12-30T00:00:00Z');
      clock.set(now);
      // A session opening tomorrow, registered late: its S5 reminders are due (late).
      await citySessionOn('市人大常委会第四十一次会议', '2026-12-31');
      const [a, b] = await Promise.all([runSessionLeave(sets, now), runSessionLeave(second, now)]);
      const queued = [...a, ...b].map((q) => q.counts.queued);
      // One run wrote them all; the other, after it, found nothing new (a race would have failed one of them
      // on a duplicate digest key).
      expect(queued.filter((n) => n > 0)).toHaveLength(1);
      const rows = await sessionLeaveRows(now);
      expect(rows.length).toBe(queued.reduce((n, x) => n + x, 0));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.target)).size).toBe(rows.length);
      // Each deputy reachable in chat got the reminder in a message of their own.
      const carried = rows.filter((r) => r.outbox_id !== null);
      expect(carried.length).toBeGreaterThan(0);
      expect(new Set(carried.map((r) => r.outbox_id)).size).toBe(carried.length);
    }, 300_000);

    it.skipIf(backend.name !== 'postgres+redis')(
      'a part refused by the database leaves the other part written, and the next run writes the rest once',
      async () => {
        const now = at('2027-01-04T00:00:00Z');
        clock.set(now);
        const cityId = await citySessionOn('市人大常委会第四十二次会议', '2027-01-06');
        // One deputy's messages are refused: the part that holds them fails, whichever part it is.
        const refused = await sets.db
          .selectFrom('person_identities as pi')
          .innerJoin('mandates as m', 'm.person_id', 'pi.person_id')
          .select(['pi.person_id', 'pi.external_id'])
          .where('m.congress_id', '=', cityId)
          .where('m.role', '=', 'deputy')
          .where('m.status', '=', 'active')
          .orderBy('pi.person_id')
          .executeTakeFirstOrThrow();
        await sql`create function refuse_one() returns trigger language plpgsql as $$
          begin
            if new.target_address = ${sql.lit(refused.external_id)} then raise exception 'refused'; end if;
            return new;
          end $$`.execute(sets.db);
        await sql`create trigger refuse_one before insert on outbox
          for each row execute function refuse_one()`.execute(sets.db);
        let first: Awaited<ReturnType<typeof sessionLeaveRows>>;
        try {
          await expect(runSessionLeave(sets, now)).rejects.toThrow(/refused/);
          first = await sessionLeaveRows(now);
        } finally {
          await sql`drop trigger refuse_one on outbox`.execute(sets.db);
          await sql`drop function refuse_one()`.execute(sets.db);
        }
        // The other part committed; the refused deputy's part wrote nothing.
        expect(first.length).toBeGreaterThan(0);
        expect(first.map((r) => r.target)).not.toContain(`person:${refused.person_id}`);

        const again = await runSessionLeave(sets, now);
        const all = await sessionLeaveRows(now);
        expect(again[0]!.counts.queued).toBe(all.length - first.length);
        expect(all.map((r) => r.target)).toContain(`person:${refused.person_id}`);
        expect(new Set(all.map((r) => r.target)).size).toBe(all.length);
        const carried = all.filter((r) => r.outbox_id !== null);
        expect(new Set(carried.map((r) => r.outbox_id)).size).toBe(carried.length);
      },
      300_000,
    );
  });
}
