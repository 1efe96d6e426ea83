import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson, setCongressSettings } from '../helpers/seed.ts';

// Which reminders fall due on given dates of 2026, and for whom; nothing where the minimum is met;
// nothing outside working hours. Jobs run at 08:00 Shanghai (00:00Z) unless said otherwise.

const at8 = (date: string) => new Date(`${date}T00:00:00Z`);
const job = (name: string) => JOBS.find((j) => j.name === name)!;
const STAFF_KEY = 'staff-robot-key-0001';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`reminders by date on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-06-15T00:00:00Z');
    const ids: Record<string, number> = {};

    const ledger = (rule: string) =>
      chat.deps.db.selectFrom('reminder_ledger').selectAll().where('rule', '=', rule).orderBy('id').execute();
    const outboxOf = (id: number | null) =>
      chat.deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id ?? -1)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: [STAFF_KEY] });
      const db = chat.deps.db;
      const congressId = await seedCongress(db);
      ids.congress = congressId;
      for (const [key, name, wecom, role] of [
        ['leader', '组长甲', 'LeaderA', 'deputy'],
        ['deputy', '代表乙', 'DeputyB', 'deputy'],
        ['visitor', '代表丙', 'DeputyC', 'deputy'],
        ['host', '副主任丁', 'HostD', 'staff'],
      ] as const) {
        const p = await seedPerson(db, { name, wecom, congressId, role });
        ids[key] = p.personId;
        ids[`${key}Mandate`] = p.mandateId;
      }
      const group = async (name: string, kind: 'small' | 'large' | 'staff', leader: number | null) =>
        (
          await db
            .insertInto('groups')
            .values({ congress_id: congressId, name, kind, leader_person_id: leader })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      ids.quiet = await group('第一小组', 'small', ids.leader!);
      ids.active = await group('第二小组', 'small', ids.deputy!);
      ids.staffGroup = await group('代表工作室', 'staff', null);
      await db
        .insertInto('group_bindings')
        .values({
          group_id: ids.staffGroup,
          channel: 'wecom',
          kind: 'wecom_robot',
          address: STAFF_KEY,
          secret: null,
        })
        .execute();
      await setCongressSettings(db, congressId, { receptionHosts: ['副主任丁'] });
      // 第二小组 met in the second quarter; 代表丙 attended a station activity in 2026.
      await db
        .insertInto('activities')
        .values({
          code: 'HD-2026-0001',
          congress_id: congressId,
          kind: 'small_group',
          title: '第二季度小组活动',
          organiser: '代表工作室',
          group_id: ids.active,
          starts_at: '2026-05-20T01:00:00Z',
          ends_at: '2026-05-20T04:00:00Z',
          created_by: 'test',
        })
        .execute();
      const station = await db
        .insertInto('activities')
        .values({
          code: 'HD-2026-0002',
          congress_id: congressId,
          kind: 'station',
          title: '进站接待',
          organiser: '联络站',
          starts_at: '2026-03-10T01:00:00Z',
          ends_at: '2026-03-10T05:00:00Z',
          created_by: 'test',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('activity_participants')
        .values({ activity_id: station.id, mandate_id: ids.visitorMandate!, attended: true })
        .execute();
    });
    afterAll(async () => {
      await chat.close();
    });

    it('S1: ten working days before the quarter ends, only the group without an activity, to its leader and staff', async () => {
      const early = await runJob(chat.deps, job('group-activity'), at8('2026-06-12'));
      expect(early.queued).toHaveLength(0);
      const r = await runJob(chat.deps, job('group-activity'), at8('2026-06-15'));
      expect(r.queued.map((q) => q.target).sort()).toEqual(
        [`group:${ids.staffGroup}`, `person:${ids.leader}`].sort(),
      );
      expect(r.queued.every((q) => q.period === `2026-Q2#group:${ids.quiet}`)).toBe(true);
      // Working hours: queued at 08:00, not before 09:00 that Monday.
      for (const q of r.queued) expect(q.notBefore.toISOString()).toBe('2026-06-15T01:00:00.000Z');
      clock.set('2026-06-15T00:30:00Z');
      await chat.flush();
      expect(chat.wecom.inbox('LeaderA')).toHaveLength(0);
      clock.set('2026-06-15T01:00:00Z');
      const inbox = await chat.inbox('LeaderA');
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toContain('第一小组');
      expect(inbox[0]).toContain('大同 第六条');
      expect(chat.wecom.inbox('DeputyB')).toHaveLength(0);
      expect(
        chat.wecom.robotDelivered
          .filter((d) => d.key === STAFF_KEY)
          .map((d) => d.text)
          .join(),
      ).toContain('第一小组');
      // Running again the same day or the next sends nothing more.
      expect((await runJob(chat.deps, job('group-activity'), at8('2026-06-16'))).queued).toHaveLength(0);
    });

    it('S2: the 5th of July 2026 is a Sunday: the reception day is Monday the 6th, deputies told from 1 July', async () => {
      expect((await runJob(chat.deps, job('reception-day'), at8('2026-06-30'))).queued).toHaveLength(0);
      const r = await runJob(chat.deps, job('reception-day'), at8('2026-07-01'));
      const targets = r.queued.map((q) => q.target).sort();
      expect(targets).toEqual(
        [`person:${ids.leader}`, `person:${ids.deputy}`, `person:${ids.visitor}`].sort(),
      );
      const row = (await ledger('S2')).find((l) => l.target === `person:${ids.deputy}`)!;
      const msg = await outboxOf(row.outbox_id);
      expect((msg.payload as { text: string }).text).toContain('2026-07-06（星期一）');
      // On the day: the booker and the host, with the topic.
      await chat.deps.db
        .insertInto('reception_bookings')
        .values({
          code: 'JD-2026-0001',
          congress_id: ids.congress!,
          mandate_id: ids.deputyMandate!,
          month: '2026-07',
          topic: '老旧小区加装电梯',
          status: 'booked',
        } as never)
        .execute();
      const day = await runJob(chat.deps, job('reception-day'), at8('2026-07-06'));
      expect(day.queued.map((q) => q.target).sort()).toEqual(
        [`person:${ids.deputy}`, `person:${ids.host}`].sort(),
      );
      clock.set('2026-07-06T02:00:00Z');
      const host = await chat.inbox('HostD');
      expect(host.at(-1)).toContain('老旧小区加装电梯');
    });

    it('1 October 2026 is inside the National Day holiday: S9, S3 and S14 wait for 8 October, staff get one digest', async () => {
      clock.set(at8('2026-10-01'));
      const s9 = await runJob(chat.deps, job('station-activity'), at8('2026-10-01'));
      // 代表丙 attended a station activity this year: not reminded.
      expect(s9.queued.map((q) => q.target).sort()).toEqual(
        [`person:${ids.leader}`, `person:${ids.deputy}`].sort(),
      );
      for (const q of s9.queued) expect(q.notBefore.toISOString()).toBe('2026-10-08T01:00:00.000Z');
      const s3 = await runJob(chat.deps, job('yearly-campaign'), at8('2026-10-01'));
      const s14 = await runJob(chat.deps, job('yearly-study'), at8('2026-10-01'));
      expect(s3.queued.map((q) => q.target)).toEqual([`group:${ids.staffGroup}`]);
      expect(s14.queued.map((q) => q.target)).toEqual([`group:${ids.staffGroup}`]);
      // One message carries both staff reminders.
      expect(s3.queued[0]!.outboxId).toBe(s14.queued[0]!.outboxId);
      clock.set('2026-10-07T03:00:00Z');
      await chat.flush();
      expect(chat.wecom.inbox('DeputyB').some((d) => d.text.includes('联络站'))).toBe(false);
      clock.set('2026-10-08T01:00:00Z');
      const before = chat.wecom.robotDelivered.length;
      await chat.flush();
      const staff = chat.wecom.robotDelivered.slice(before).filter((d) => d.key === STAFF_KEY);
      expect(staff).toHaveLength(1);
      expect(staff[0]!.text).toContain('建言献策');
      expect(staff[0]!.text).toContain('集体学习');
      expect((await chat.inbox('DeputyB')).some((t) => t.includes('山西 第二十一条'))).toBe(true);
    });

    it('Saturday 10 October 2026 is a make-up workday: a reminder due then goes out that morning', async () => {
      await chat.deps.db
        .insertInto('deadlines')
        .values({
          kind: 'S8',
          subject_type: 'suggestion',
          subject_id: 'JY-2026-0009',
          congress_id: ids.congress!,
          label: '关于老旧小区加装电梯的建议',
          starts_on: '2026-07-14',
          months: 3,
          due_on: '2026-10-14',
          target_on: null,
          provisional: false,
          closed_at: null,
        })
        .execute();
      const r = await runJob(chat.deps, job('feedback-clock'), at8('2026-10-10'));
      expect(r.queued.map((q) => q.period)).toEqual([expect.stringMatching(/^deadline:\d+:3$/)]);
      expect(r.queued[0]!.notBefore.toISOString()).toBe('2026-10-10T01:00:00.000Z');
      clock.set('2026-10-10T01:00:00Z');
      const saturday = chat.wecom.robotDelivered.length;
      await chat.flush();
      expect(
        chat.wecom.robotDelivered
          .slice(saturday)
          .map((d) => d.text)
          .join(),
      ).toContain('2026-10-14（星期三）');
      // Once overdue, staff are told; queued at 20:00 on Friday 16 October it waits for Monday 09:00.
      const overdue = await runJob(chat.deps, job('feedback-clock'), new Date('2026-10-16T12:00:00Z'));
      expect(overdue.queued.map((q) => q.period)).toEqual([expect.stringMatching(/:overdue$/)]);
      expect(overdue.queued[0]!.notBefore.toISOString()).toBe('2026-10-19T01:00:00.000Z');
      clock.set('2026-10-17T04:00:00Z');
      const sent = chat.wecom.robotDelivered.length;
      await chat.flush();
      expect(chat.wecom.robotDelivered.length).toBe(sent);
      // A run on the Saturday adds nothing: the ledger holds it.
      expect(
        (await runJob(chat.deps, job('feedback-clock'), new Date('2026-10-17T04:00:00Z'))).queued,
      ).toHaveLength(0);
    });

    it('keeps each reminder once per rule, period and target; one first queued after its day is marked late', async () => {
      const rows = await chat.deps.db.selectFrom('reminder_ledger').selectAll().execute();
      const keys = rows.map((r) => `${r.rule}|${r.period}|${r.target}`);
      expect(new Set(keys).size).toBe(keys.length);
      // The overdue escalation fell due on 15 October and was first queued on the 16th.
      expect(rows.filter((r) => r.late).map((r) => r.period)).toEqual([expect.stringMatching(/:overdue$/)]);
    });
  });
}
