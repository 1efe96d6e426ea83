import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobByName } from '../../jobs/job-list.ts';
import { runJob, Scheduler } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 通知 (大同 第八条, S18) from chat — a preview, sent only after 确认, dropped by 取消 — and through the API;
// the sender's summary at the end; GET /api/reminders; job runs in /metrics.

interface Progress {
  status: string;
  totals: Record<string, number>;
  groups: { name: string; status: string }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`broadcasts on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let congressId = 0;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const count = (table: 'broadcasts' | 'outbox') => rowCount(chat.deps.db, table);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-one', 'key-two'] });
      server = await startServer(chat.deps, chat.runtime);
      congressId = await seedCongress(chat.deps.db);
      await seedPerson(chat.deps.db, { name: '工作人员甲', wecom: 'StaffA', congressId, role: 'staff' });
      await seedPerson(chat.deps.db, { name: '代表乙', wecom: 'DeputyB', congressId });
      await seedGroup(chat.deps.db, { congressId, name: '城区小组', robotKey: 'key-one' });
      await seedGroup(chat.deps.db, { congressId, name: '矿区小组', robotKey: 'key-two' });
      await seedGroup(chat.deps.db, { congressId, name: '新荣小组' });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('通知 shows a preview with the number of groups and sends nothing until 确认', async () => {
      const preview = await chat.say('StaffA', '通知 全体 本期《人大工作信息》已印发，请查收。');
      // 新荣小组 has no robot and nobody registered: named as one that cannot receive it.
      expect(preview).toContain('将向 2 个群发送通知');
      expect(preview).toContain('收不到：新荣小组');
      expect(preview).toContain('新荣小组');
      expect(preview).toContain('确认');
      expect(await count('broadcasts')).toBe(0);
      const sent = await chat.say('StaffA', '确认');
      expect(sent).toContain('已开始发送到 2 个群');
      expect(sent).toContain('新荣小组 收不到');
      await chat.flush();
      expect(chat.wecom.robotDelivered.map((d) => d.key).sort()).toEqual(['key-one', 'key-two']);
      expect(chat.wecom.robotDelivered[0]!.text).toContain('【通知】本期《人大工作信息》已印发，请查收');
      // 确认 again has nothing to confirm and sends nothing twice.
      expect(await chat.say('StaffA', '确认')).toContain('当前没有需要确认的操作');
      await chat.flush();
      expect(chat.wecom.robotDelivered).toHaveLength(2);
    });

    it('tells the sender the outcome when the broadcast is done', async () => {
      const r = await runJob(chat.deps, jobByName('broadcast-summary')!, clock.now());
      expect(r.lines.join()).toContain('已送达 2 个群');
      const inbox = await chat.inbox('StaffA');
      expect(inbox.at(-1)).toContain('2 个群已送达');
      expect(inbox.at(-1)).toContain('新荣小组');
    });

    it('取消 drops a previewed 通知, and an unknown group changes nothing', async () => {
      const before = await count('broadcasts');
      await chat.say('StaffA', '通知 城区小组 明天上午九点开会。');
      expect(await chat.say('StaffA', '取消')).toContain('已取消');
      expect(await chat.say('StaffA', '确认')).toContain('当前没有需要确认的操作');
      // "通知给城区小组：…" names the group after its 给, and keeps the whole text.
      const given = await chat.say('StaffA', '通知给城区小组：明天上午九点开会。');
      expect(given).toContain('将向 1 个群发送通知');
      expect(given).toContain('明天上午九点开会');
      expect(await chat.say('StaffA', '取消')).toContain('已取消');
      const unknown = await chat.say('StaffA', '通知 火星小组 明天开会。');
      expect(unknown).toContain('没有这些代表群：火星小组');
      expect(await count('broadcasts')).toBe(before);
    });

    it('a deputy may not broadcast', async () => {
      const text = await chat.say('DeputyB', '通知 全体 大家好。');
      expect(text).toContain('不在您可以使用的命令中');
    });

    it('POST /api/broadcasts queues it and GET /api/broadcasts/{id} shows progress per group', async () => {
      const res = await fetch(`${server.url}/api/broadcasts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ targets: ['城区小组', '矿区小组'], text: '请于周五前报送活动计划。' }),
      });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: number; groups: number };
      expect(body.groups).toBe(2);
      const waiting = (await (
        await fetch(`${server.url}/api/broadcasts/${body.id}`, { headers: auth })
      ).json()) as Progress;
      expect(waiting.status).toBe('running');
      expect(waiting.totals.waiting).toBe(2);
      await chat.flush();
      const done = (await (
        await fetch(`${server.url}/api/broadcasts/${body.id}`, { headers: auth })
      ).json()) as Progress;
      expect(done.groups.map((g: { status: string }) => g.status)).toEqual(['sent', 'sent']);
    });

    it('refuses a bad broadcast body with 400 naming the field, and changes nothing', async () => {
      const before = [await count('broadcasts'), await count('outbox')];
      for (const [body, field] of [
        [{ targets: [], text: '内容' }, 'targets'],
        [{ targets: ['all'] }, 'text'],
        [{ targets: ['all', '城区小组'], text: '内容' }, 'targets'],
        [{ targets: ['火星小组'], text: '内容' }, '火星小组'],
        [{ targets: ['all'], text: '内容', extra: 1 }, 'extra'],
      ] as const) {
        const res = await fetch(`${server.url}/api/broadcasts`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
        const err = (await res.json()) as { error: { code: string; message: string } };
        expect(err.error.code).toBe('invalid_body');
        expect(err.error.message).toContain(field);
      }
      expect([await count('broadcasts'), await count('outbox')]).toEqual(before);
      expect((await fetch(`${server.url}/api/broadcasts/99999`, { headers: auth })).status).toBe(404);
    });

    it('GET /api/reminders lists the ledger, and job runs are counted in /metrics', async () => {
      await chat.deps.db
        .insertInto('sessions')
        .values({
          congress_id: congressId,
          name: '市十六届人大六次会议',
          starts_on: '2026-11-27',
          ends_on: '2026-11-29',
        })
        .execute();
      const scheduler = new Scheduler(chat.deps);
      await scheduler.tick(jobByName('session-leave')!, clock.now());
      const res = await fetch(`${server.url}/api/reminders?rule=S5`, { headers: auth });
      expect(res.status).toBe(200);
      const list = (await res.json()) as {
        total: number;
        items: { rule: string; target: string; outboxStatus: string }[];
      };
      expect(list.total).toBe(1);
      expect(list.items[0]).toMatchObject({ rule: 'S5', outboxStatus: 'pending' });
      expect((await fetch(`${server.url}/api/reminders?rule=S99x`, { headers: auth })).status).toBe(400);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/reminder_runs_total\{job="session-leave",outcome="ok"\} 1/);
    });
  });
}
