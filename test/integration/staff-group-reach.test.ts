import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/job-list.ts';
import type { ReminderJob } from '../../jobs/reminder-ledger.ts';
import { runJobs } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import type { Deps } from '../../src/deps.ts';
import { alertStaffDingtalkQuotaSpent } from '../../src/services/notices/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// A congress whose staff group is bound only to a group chat of WeCom's intelligent robot. While the
// service has no robot, that chat reaches nobody: staff notices, platform alerts and the day's reminders
// go to each staff member on their own chats, never to the group (where they would be lost). Once the
// robot is configured, the group's chat is the way, for the alerts and the reminder run alike.

const NOW = '2026-12-21T02:00:00Z'; // Monday 10:00 in Shanghai; next year's holidays not yet loaded
const BOT_CHAT = 'wrSTAFF01';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `a staff group bound only to the robot's chat on ${backend.name}`,
    () => {
      let chat: ChatHarness;
      const clock = new FixedClock(NOW);
      const db = () => chat.deps.db;
      let staffA: number;
      let staffB: number;
      let staffGroup: number;
      const reminderJobs = JOBS.filter((j): j is ReminderJob => j.kind === 'reminders');
      const withBot = (): Deps => ({
        ...chat.deps,
        config: {
          ...chat.deps.config,
          wecomBot: { botId: 'bot', secret: 'secret', wsUrl: 'ws://127.0.0.1:1' },
        },
      });
      const rowsOf = (ids: number[]) =>
        db()
          .selectFrom('outbox')
          .select(['id', 'channel', 'target_kind', 'target_address'])
          .where('id', 'in', ids.length > 0 ? ids : [-1])
          .orderBy('id')
          .execute();

      beforeAll(async () => {
        chat = await createChatHarness(backend.name, { clock });
        const congressId = await seedCongress(db());
        staffA = (await seedPerson(db(), { name: '工作人员甲', wecom: 'StaffA', congressId, role: 'staff' }))
          .personId;
        staffB = (
          await seedPerson(db(), { name: '工作人员乙', dingtalk: 'ding-staff-b', congressId, role: 'admin' })
        ).personId;
        await seedPerson(db(), { name: '张大爷', wecom: 'ZhangDaYe', congressId });
        staffGroup = (
          await db()
            .insertInto('groups')
            .values({ congress_id: congressId, name: '人大代表工作室', kind: 'staff' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        await db()
          .insertInto('group_bindings')
          .values({ group_id: staffGroup, channel: 'wecom', kind: 'wecom_bot', address: BOT_CHAT })
          .execute();
      });
      afterAll(async () => {
        await chat?.close();
      });

      it('tells each staff member of a deputy’s new suggestion on their own chats', async () => {
        const reply = await chat.say('ZhangDaYe', '建议 村口路灯坏了三盏，晚上出行不便');
        expect(reply).toContain('JY-2026-0001');
        const notices = await db()
          .selectFrom('outbox')
          .select(['channel', 'target_kind', 'target_address'])
          .where('idempotency_key', 'like', 'suggestion:JY-2026-0001:submitted:staff%')
          .orderBy('target_address')
          .execute();
        expect(notices.map((n) => `${n.channel}:${n.target_kind}:${n.target_address}`).sort()).toEqual([
          'dingtalk:user:ding-staff-b',
          'wecom:user:StaffA',
        ]);
        const toGroup = await db()
          .selectFrom('outbox')
          .select('id')
          .where('target_address', '=', BOT_CHAT)
          .execute();
        expect(toGroup).toEqual([]);
        expect((await chat.inbox('StaffA')).filter((t) => t.includes('JY-2026-0001'))).toEqual([
          '【待交办】建议 JY-2026-0001「村口路灯坏了三盏，晚上出行不便」已提交，请确定承办单位后交办（交办 JY-2026-0001 承办单位、协办单位）。',
        ]);
      });

      it('sends a platform alert to each staff member, and to the robot’s chat once the robot is configured', async () => {
        const alerts = () =>
          db()
            .selectFrom('outbox')
            .select(['channel', 'target_kind', 'target_address'])
            .where('cause', '=', 'dingtalk-quota-spent')
            .orderBy('id')
            .execute();
        await alertStaffDingtalkQuotaSpent(chat.deps);
        expect((await alerts()).map((a) => a.target_address).sort()).toEqual(['StaffA', 'ding-staff-b']);
        await alertStaffDingtalkQuotaSpent(withBot());
        expect((await alerts()).slice(2)).toEqual([
          { channel: 'wecom', target_kind: 'wecom_bot', target_address: BOT_CHAT },
        ]);
      });

      it('sends the day’s staff reminders to each staff member, with a message for every ledger row', async () => {
        const reports = await runJobs(chat.deps, reminderJobs, new Date(NOW));
        expect(reports.every((r) => r.outcome === 'ok')).toBe(true);
        const queued = reports.flatMap((r) => r.queued);
        const staff = queued.filter((q) => q.rule === 'calendar');
        expect(staff.map((q) => q.target).sort()).toEqual([`person:${staffA}`, `person:${staffB}`].sort());
        expect(queued.filter((q) => q.target.startsWith('group:'))).toEqual([]);

        const ledger = await db()
          .selectFrom('reminder_ledger')
          .select(['rule', 'target', 'outbox_id'])
          .where('target', 'in', [`person:${staffA}`, `person:${staffB}`])
          .execute();
        // Staff reminders of Datong's city congress in December: 大同 第七条(十) (S3), 山西 第四十一条 (S14)
        // and next year's holiday arrangement.
        expect(ledger.map((l) => `${l.rule}|${l.target}`).sort()).toEqual(
          ['S3', 'S14', 'calendar']
            .flatMap((rule) => [`${rule}|person:${staffA}`, `${rule}|person:${staffB}`])
            .sort(),
        );
        const ids = ledger.map((l) => l.outbox_id);
        expect(ids.every((id) => id !== null)).toBe(true);
        const rows = await rowsOf(ids as number[]);
        expect(
          [...new Set(rows.map((r) => `${r.channel}:${r.target_kind}:${r.target_address}`))].sort(),
        ).toEqual(['dingtalk:user:ding-staff-b', 'wecom:user:StaffA']);
        const groupRows = await db()
          .selectFrom('reminder_ledger')
          .select('target')
          .where('target', '=', `group:${staffGroup}`)
          .execute();
        expect(groupRows).toEqual([]);
      });

      it('sends the day’s staff reminders to the robot’s chat once the robot is configured', async () => {
        const reports = await runJobs(withBot(), reminderJobs, new Date(NOW));
        expect(reports.every((r) => r.outcome === 'ok')).toBe(true);
        const queued = reports.flatMap((r) => r.queued);
        // The persons were reminded already (the ledger holds them); the group is a target of its own.
        expect(queued.filter((q) => q.target.startsWith('person:'))).toEqual([]);
        expect(queued.map((q) => `${q.rule}|${q.target}`).sort()).toEqual(
          ['S3', 'S14', 'calendar'].map((rule) => `${rule}|group:${staffGroup}`).sort(),
        );
        const ids = queued.map((q) => q.outboxId);
        expect(ids.every((id) => id !== null)).toBe(true);
        expect(
          (await rowsOf(ids as number[])).map((r) => [r.channel, r.target_kind, r.target_address]),
        ).toEqual([['wecom', 'wecom_bot', BOT_CHAT]]);
      });
    },
  );
}
