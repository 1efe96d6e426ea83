import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { planBroadcast, startBroadcast } from '../../src/services/notices/broadcast.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { dingtalkEnv, type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk.ts';
import { seedCongress } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Delivery at the platforms' limits: a broadcast to many groups sharing robots is paced by each robot's
// budget and reaches each group once; DingTalk's 130101 backs off that robot only; 5xx is retried and a
// robot that always fails ends dead, visible in GET /api/outbox and /metrics; a long text is split at
// sentence boundaries.

const WECOM_KEYS = ['robot-key-a', 'robot-key-b', 'robot-key-c'];
const DING = [
  { token: 'ding-token-blocked', secret: 'SECblocked0123456789' },
  { token: 'ding-token-fine', secret: 'SECfine0123456789abcd' },
  { token: 'ding-token-broken' },
];

interface Progress {
  totals: Record<string, number>;
  groups: { name: string; status: string }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`delivery at the limits on ${backend.name}`, () => {
    let chat: ChatHarness;
    let ding: FakeDingtalk;
    let server: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let congressId = 0;

    const group = async (
      name: string,
      binding: { kind: 'wecom_robot' | 'dingtalk_robot'; address: string; secret?: string },
    ) => {
      const g = await chat.deps.db
        .insertInto('groups')
        .values({ congress_id: congressId, name, kind: 'small' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await chat.deps.db
        .insertInto('group_bindings')
        .values({
          group_id: g.id,
          channel: binding.kind === 'wecom_robot' ? 'wecom' : 'dingtalk',
          kind: binding.kind,
          address: binding.address,
          secret: binding.secret ?? null,
        })
        .execute();
      return g.id;
    };
    const broadcast = async (groups: string[], text: string) =>
      startBroadcast(chat.deps, {
        plan: await planBroadcast(chat.deps.db, null, { all: false, groups }, chat.deps.config),
        targets: groups,
        text,
        actor: 'test',
        senderPersonId: null,
      });

    beforeAll(async () => {
      ding = await startFakeDingtalk(DING, clock);
      chat = await createChatHarness(backend.name, {
        clock,
        env: dingtalkEnv(ding.url),
        robotKeys: WECOM_KEYS,
      });
      server = await startServer(chat.deps, chat.runtime);
      congressId = await seedCongress(chat.deps.db);
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
      await ding.close();
    });

    it('a broadcast to 60 groups sharing 3 robots: each group once, never more than 20 a minute to one robot', async () => {
      const names: string[] = [];
      for (let i = 0; i < 60; i++) {
        names.push(`第${String(i + 1).padStart(2, '0')}小组`);
        await group(names[i]!, { kind: 'wecom_robot', address: WECOM_KEYS[i % 3]! });
      }
      const r = await broadcast(names, '请各小组于本周五前报送第四季度活动计划。');
      expect(r.groups).toBe(60);
      const start = clock.now().getTime();
      for (let step = 0; step < 200 && chat.wecom.robotDelivered.length < 60; step++) {
        await chat.runtime.outbox.runOnce(100);
        clock.advance(5_000);
      }
      expect(chat.wecom.robotDelivered).toHaveLength(60);
      for (const key of WECOM_KEYS) {
        const times = chat.wecom.robotDelivered.filter((d) => d.key === key).map((d) => d.at.getTime());
        expect(times).toHaveLength(20);
        for (const t of times)
          expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
      }
      // Budgets acted in advance: WeCom never had to refuse (45009), and nothing died.
      const rows = await chat.deps.db
        .selectFrom('outbox')
        .select(['status', 'last_error'])
        .where('cause', 'like', `broadcast:${r.id}:%`)
        .execute();
      // Each group's row is unique: 60 rows, 60 deliveries, none twice.
      expect(rows).toHaveLength(60);
      expect(rows.every((x) => x.status === 'sent')).toBe(true);
      expect(rows.some((x) => x.last_error?.includes('45009'))).toBe(false);
      // 20 per robot fit in one minute's limit: the limit forces no wait, and none was taken.
      const last = Math.max(...chat.wecom.robotDelivered.map((d) => d.at.getTime()));
      expect(last - start).toBe(0);
      const progress = (await (
        await fetch(`${server.url}/api/broadcasts/${r.id}`, {
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        })
      ).json()) as Progress;
      expect(progress.totals.sent).toBe(60);
    });

    it('two broadcasts to the 60 groups take the minute the limit forces, and no more than 105 % of it', async () => {
      clock.advance(61_000); // the robots' last minute is over
      chat.wecom.reset();
      const names = Array.from({ length: 60 }, (_, i) => `第${String(i + 1).padStart(2, '0')}小组`);
      await broadcast(names, '第一批：请核对代表联系方式。');
      await broadcast(names, '第二批：请于月底前报送履职情况。');
      const start = clock.now().getTime();
      for (let step = 0; step < 200 && chat.wecom.robotDelivered.length < 120; step++) {
        await chat.runtime.outbox.runOnce(200);
        if (chat.wecom.robotDelivered.length < 120) clock.advance(1_000);
      }
      expect(chat.wecom.robotDelivered).toHaveLength(120);
      // 40 messages per robot at 20 in any minute: the second twenty cannot start before a minute has passed.
      const minimum = 60_000;
      const took = Math.max(...chat.wecom.robotDelivered.map((d) => d.at.getTime())) - start;
      expect(took).toBeGreaterThanOrEqual(minimum);
      expect(took).toBeLessThanOrEqual(minimum * 1.05);
      for (const key of WECOM_KEYS) {
        const times = chat.wecom.robotDelivered.filter((d) => d.key === key).map((d) => d.at.getTime());
        expect(times).toHaveLength(40);
        for (const t of times)
          expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
      }
      expect(chat.wecom.robotDelivered.filter((d) => d.text.includes('第一批'))).toHaveLength(60);
      expect(chat.wecom.robotDelivered.filter((d) => d.text.includes('第二批'))).toHaveLength(60);
    });

    it('DingTalk 130101 backs off that robot only; the other robot keeps flowing', async () => {
      await group('钉钉甲组', { kind: 'dingtalk_robot', address: DING[0]!.token, secret: DING[0]!.secret });
      await group('钉钉乙组', { kind: 'dingtalk_robot', address: DING[1]!.token, secret: DING[1]!.secret });
      ding.inject(DING[0]!.token, { kind: 'errcode', errcode: 130101 });
      await broadcast(['钉钉甲组', '钉钉乙组'], '第一条通知。');
      await broadcast(['钉钉甲组', '钉钉乙组'], '第二条通知。');
      await chat.runtime.outbox.runOnce();
      expect(ding.received(DING[1]!.token).map((m) => m.text)).toEqual([
        '【通知】第一条通知。',
        '【通知】第二条通知。',
      ]);
      expect(ding.received(DING[0]!.token)).toHaveLength(0);
      // Both of the blocked robot's messages wait ten minutes; neither counts as a failed attempt.
      const waiting = await chat.deps.db
        .selectFrom('outbox')
        .select(['status', 'not_before', 'attempts'])
        .where('target_address', '=', DING[0]!.token)
        .execute();
      expect(waiting).toHaveLength(2);
      for (const w of waiting) {
        expect(w.status).not.toBe('dead');
        expect(new Date(w.not_before).getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 9 * 60_000);
      }
      clock.advance(11 * 60_000);
      await chat.runtime.outbox.runOnce();
      expect(ding.received(DING[0]!.token)).toHaveLength(2);
      expect(ding.answers.filter((a) => a.token === DING[0]!.token && a.errcode === 130101)).toHaveLength(1);
    });

    it('5xx twice then an answer is retried and delivered once; a robot always failing ends dead and is reported', async () => {
      await group('重试组', { kind: 'wecom_robot', address: WECOM_KEYS[0]! });
      await group('故障组', { kind: 'dingtalk_robot', address: DING[2]!.token });
      ding.inject(DING[2]!.token, { kind: 'status', status: 502 }, 100);
      chat.wecom.inject('/cgi-bin/webhook/send', { kind: 'status', status: 502 }, 2);
      const r = await broadcast(['重试组', '故障组'], '重试测试。');
      // Transient failures are retried for 24 hours before a row ends dead.
      for (let i = 0; i < 45; i++) {
        clock.advance(35 * 60_000);
        await chat.runtime.outbox.runOnce();
      }
      expect(chat.wecom.robotDelivered.filter((d) => d.text === '【通知】重试测试。')).toHaveLength(1);
      const res = await fetch(`${server.url}/api/outbox?status=dead`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      const dead = (await res.json()) as {
        items: { cause: string; target: string; lastError: string; attempts: number }[];
      };
      const brokenId = await groupId('故障组');
      const mine = dead.items.filter((x) => x.cause === `broadcast:${r.id}:${brokenId}`);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.lastError).toContain('502');
      // The robot's token is a credential: the API shows a fingerprint only.
      expect(JSON.stringify(dead)).not.toContain(DING[2]!.token);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/outbox_sends_total\{channel="dingtalk",outcome="dead"\} [1-9]/);
      const progress = (await (
        await fetch(`${server.url}/api/broadcasts/${r.id}`, {
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        })
      ).json()) as Progress;
      expect(progress.groups).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: '故障组', status: 'failed' }),
          expect.objectContaining({ name: '重试组', status: 'sent' }),
        ]),
      );
    });

    it('a text longer than the platform takes is split at sentence boundaries, not cut', async () => {
      await group('长文组', { kind: 'wecom_robot', address: WECOM_KEYS[1]! });
      const sentence = '请各位代表认真学习本期《人大工作信息》刊发的各项制度，并结合本地实际提出意见建议。';
      const text = sentence.repeat(30);
      clock.set('2026-11-24T02:00:00Z'); // Tuesday 10:00: within sending hours
      await broadcast(['长文组'], text);
      for (let i = 0; i < 5; i++) {
        await chat.runtime.outbox.runOnce();
        clock.advance(60_000);
      }
      const parts = chat.wecom.robotDelivered
        .filter((d) => d.text.includes('人大工作信息'))
        .map((d) => d.text);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) {
        expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(2048);
        expect(p.endsWith('。')).toBe(true);
      }
      expect(parts.join('')).toBe(`【通知】${text}`);
    });

    it('refuses GET /api/outbox with a bad status and without a token', async () => {
      const bad = await fetch(`${server.url}/api/outbox?status=lost`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
      expect((await fetch(`${server.url}/api/outbox`)).status).toBe(401);
    });

    async function groupId(name: string): Promise<number> {
      return (
        await chat.deps.db
          .selectFrom('groups')
          .select('id')
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;
    }
  });
}
