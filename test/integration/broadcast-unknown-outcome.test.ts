import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextOutbox, markOutboxEnded, markOutboxRetry } from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { finishBroadcasts } from '../../src/services/notices/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A notice (通知) one of whose messages ended with an unknown outcome (a group robot's send timed out past
// the platform's duplicate window: it may have arrived) is no longer "running" for ever: once nothing else
// waits it is finished, shown as 已发出（N 条结果不明）, and its sender is told which groups to ask. A message
// still being retried inside the window keeps it running. Requeuing the unknown message runs it again.

const DATONG = '大同市第十六届人民代表大会';

interface Progress {
  status: string;
  statusText: string;
  totals: Record<string, number>;
  messages: Record<string, number>;
  withdrawable: number;
  groups: { name: string; status: string; messages: Record<string, number> }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a notice with a message of unknown outcome on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let staffToken: string;
    let senderId: number;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const db = () => chat.deps.db;
    const progress = async (id: number) =>
      (await api('GET', `/broadcasts/${id}`, undefined, staffToken)).json as Progress;
    const summaries = (id: number) =>
      db()
        .selectFrom('outbox')
        .select('payload')
        .where('idempotency_key', 'like', `broadcast:${id}:summary%`)
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-one', 'key-two'] });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(db(), DATONG);
      await seedGroup(db(), { congressId, name: '城区小组', robotKey: 'key-one' });
      await seedGroup(db(), { congressId, name: '矿区小组', robotKey: 'key-two' });
      senderId = (await seedPerson(db(), { name: '工作人员甲', wecom: 'StaffA', role: 'staff', congressId }))
        .personId;
      staffToken = await issueToken(api, { name: '大同代表工委', role: 'staff', congress: DATONG });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('finishes the notice as 已发出（1 条结果不明）, tells its sender, and runs again when requeued', async () => {
      const sent = await api(
        'POST',
        '/broadcasts',
        { targets: ['城区小组', '矿区小组'], text: '请各组于本周内报送调研选题。' },
        staffToken,
      );
      expect(sent.status).toBe(202);
      const id = sent.json.id as number;
      // As if sent from chat: its sender is told the outcome.
      await db().updateTable('broadcasts').set({ sender_person_id: senderId }).where('id', '=', id).execute();

      // The first robot's send times out: retried inside the duplicate window, the notice is still running.
      const now = clock.now();
      const soon = new Date(now.getTime() + 60_000);
      const timedOut = (await claimNextOutbox(db(), now, soon, 'sender'))!;
      await markOutboxRetry(db(), timedOut.id, 'sender', 'timeout: 请求超时', soon, now);
      await chat.flush(); // the other robot's message goes out
      expect(chat.wecom.robotDelivered).toHaveLength(1);
      expect(await finishBroadcasts(chat.deps)).toEqual([]);
      expect(await progress(id)).toMatchObject({
        status: 'running',
        statusText: '发送中',
        messages: { sent: 1, waiting: 1, unknown: 0 },
      });

      // Past the window the outbox stops trying: the outcome is unknown, and nothing waits any more.
      clock.advance(120_000);
      const again = (await claimNextOutbox(
        db(),
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
        's',
      ))!;
      expect(again.id).toBe(timedOut.id);
      expect(await markOutboxEnded(db(), again.id, 's', 'unknown', 'timeout: 请求超时', now)).toBe(true);
      const lines = await finishBroadcasts(chat.deps);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`通知 ${id}：已送达 1 个群，未送达 0 个群，结果不明 1 个群`);
      const done = await progress(id);
      expect(done).toMatchObject({
        status: 'done',
        statusText: '已发出（1 条结果不明）',
        withdrawable: 0,
        totals: { sent: 1, waiting: 0, unknown: 1, failed: 0 },
        messages: { sent: 1, waiting: 0, unknown: 1, failed: 0, withdrawn: 0 },
      });
      expect(done.groups.map((g) => [g.name, g.status])).toEqual([
        ['城区小组', 'unknown'],
        ['矿区小组', 'sent'],
      ]);
      const told = await summaries(id);
      expect(told).toHaveLength(1);
      expect((told[0]!.payload as { text: string }).text).toContain(
        '1 个群已送达，1 个群结果不明（城区小组），可能已收到，请向群里确认。',
      );

      // The console says the same, and what staff can do about it.
      const b = await ConsoleBrowser.signedIn(server.url, staffToken);
      const page = await b.get(`/console/broadcasts/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<dd>已发出（1 条结果不明）<br>');
      expect(page.text).toContain('结果不明 1 个');
      expect(page.text).toContain('共 2 条：已发出 1 条，结果不明 1 条');
      expect(page.text).toContain('<span class="tag warn">结果不明</span>');
      expect(page.text).toContain('可能已经送达，也可能没有，系统不再自动重发。请向群里确认');
      expect(page.text).not.toContain(`action="/console/broadcasts/${id}/withdraw"`);
      // A withdrawal now has nothing to stop, and counts the unknown one with what cannot be withdrawn.
      const withdraw = await api('POST', `/broadcasts/${id}/withdraw`, undefined, staffToken);
      expect(withdraw.json).toMatchObject({ withdrawn: 0, already: true });
      expect(withdraw.json.message).toContain('另有 1 条正在发送，或已发出但还不知道是否送达，不能撤回。');

      // The group says it never got it: requeued (unbound token), the notice runs again until it is sent.
      const requeued = await api('POST', `/outbox/${timedOut.id}/requeue`, undefined, TEST_ADMIN_TOKEN);
      expect(requeued.status).toBe(200);
      expect(await progress(id)).toMatchObject({
        status: 'running',
        statusText: '发送中',
        messages: { sent: 1, waiting: 1, unknown: 0 },
      });
      // Requeued once: a second press finds nothing to requeue.
      const twice = await api('POST', `/outbox/${timedOut.id}/requeue`, undefined, TEST_ADMIN_TOKEN);
      expect(twice.status).toBe(409);
      expect(twice.json.error.code).toBe('conflict');
      await chat.flush();
      expect(chat.wecom.robotDelivered).toHaveLength(2);
      expect(await finishBroadcasts(chat.deps)).toHaveLength(1);
      expect(await progress(id)).toMatchObject({
        status: 'done',
        statusText: '已完成',
        messages: { sent: 2, waiting: 0, unknown: 0 },
      });
      // The sender was told once; the summary's key keeps a second one out.
      expect(await summaries(id)).toHaveLength(1);
    });

    it('a notice whose only message has an unknown outcome is finished too', async () => {
      const sent = await api(
        'POST',
        '/broadcasts',
        { targets: ['城区小组'], text: '明天的视察活动改在下午两点。' },
        staffToken,
      );
      const id = sent.json.id as number;
      const now = clock.now();
      const claimed = (await claimNextOutbox(db(), now, new Date(now.getTime() + 60_000), 'one'))!;
      await markOutboxEnded(db(), claimed.id, 'one', 'unknown', 'timeout: 请求超时', now);
      await finishBroadcasts(chat.deps);
      const p = await progress(id);
      expect(p).toMatchObject({ status: 'done', statusText: '已发出（1 条结果不明）' });
      expect(p.groups).toMatchObject([{ name: '城区小组', status: 'unknown' }]);
      const b = await ConsoleBrowser.signedIn(server.url, staffToken);
      expect((await b.get(`/console/broadcasts/${id}`)).text).toContain('已发出（1 条结果不明）');
      // The list of recent notices says the same, where the first says 已完成 since it was sent again.
      const list = await b.get('/console/broadcasts');
      expect(list.text).toContain('<span class="tag warn">已发出（1 条结果不明）</span>');
      expect(list.text).toContain('<span class="tag">已完成</span>');
    });
  });
}
