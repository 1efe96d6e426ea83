import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingtalkApiClient } from '../../src/channels/dingtalk/api-client.ts';
import { dingtalkApiSender } from '../../src/channels/dingtalk/api-sender.ts';
import { dingtalkSender } from '../../src/channels/dingtalk/outbound-sender.ts';
import { DingtalkRobotClient } from '../../src/channels/dingtalk/robot-client.ts';
import { FixedClock } from '../../src/clock.ts';
import { enqueue, OutboxDispatcher } from '../../src/messaging/index.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { TEST_DINGTALK } from '../helpers/dingtalk-callback.ts';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk.ts';
import { FakeDingtalkApi, TOKEN_PATH } from '../helpers/fake-dingtalk-api.ts';

// A DingTalk send whose outcome is unknown (no answer before the client's timeout) is not sent again:
// DingTalk documents no duplicate key for oToMessages/batchSend or groupMessages/send (msgKey names the
// message template), so a resend could reach the person twice. The row is 'unknown' at once, for staff to
// confirm or requeue; a clear refusal or a 5xx is still retried as before.

const BATCH = '/v1.0/robot/oToMessages/batchSend';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a DingTalk send with an unknown outcome on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    let fake: FakeDingtalkApi;
    let robots: FakeDingtalk;
    let robotOutbox: OutboxDispatcher;
    let deps: TestDeps;
    let outbox: OutboxDispatcher;
    let n = 0;

    beforeAll(async () => {
      fake = await new FakeDingtalkApi({ ...TEST_DINGTALK, clock }).start();
      deps = await createTestDeps(backend.name, { clock });
      // A short client timeout, so the test does not wait the real 5 s.
      const client = new DingtalkApiClient({
        config: {
          appKey: TEST_DINGTALK.appKey,
          appSecret: TEST_DINGTALK.appSecret,
          robotCode: TEST_DINGTALK.robotCode,
          apiBase: fake.url,
          oapiBase: fake.url,
        },
        store: deps.store,
        log: deps.log,
        clock,
        timeZone: 'Asia/Shanghai',
        timeoutMs: 1000,
      });
      // The access token first (a token that does not come in time is a plain retry, not this test's case).
      await client.sendToUsers(
        ['warmup01'],
        { msgKey: 'sampleText', msgParam: { content: '预热' } },
        {
          idempotencyKey: 'warmup',
        },
      );
      outbox = new OutboxDispatcher(deps, { dingtalk: dingtalkApiSender(client) });
      robots = await startFakeDingtalk([{ token: 'robot-token-1' }], clock);
      const robotClient = new DingtalkRobotClient({
        oapiBase: robots.url,
        store: deps.store,
        log: deps.log,
        clock,
        timeoutMs: 1000,
      });
      robotOutbox = new OutboxDispatcher(deps, { dingtalk: dingtalkSender(robotClient, deps.db) });
    });
    afterAll(async () => {
      await deps.cleanup();
      await fake.close();
      await robots.close();
    });
    beforeEach(() => fake.reset());

    const queue = async (user: string) =>
      (await enqueue(deps.db, {
        channel: 'dingtalk',
        targetKind: 'user',
        targetAddress: user,
        payload: { text: `第${++n}条通知` },
        idempotencyKey: `ding-unknown:${n}`,
      }))!;
    const row = (id: number) =>
      deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('a timed-out send becomes unknown at once and is never sent again by itself', async () => {
      const id = await queue('zhangsan01');
      fake.inject(BATCH, { kind: 'hang' });
      const started = Date.now();
      const summary = await outbox.runOnce();
      expect(Date.now() - started).toBeLessThan(4000);
      expect(summary.unknown).toBe(1);
      const r = await row(id);
      expect(r.status).toBe('unknown');
      expect(r.unknown_since).not.toBeNull();
      expect(r.last_error).toContain('timeout');
      expect(fake.count(BATCH)).toBe(1);
      // Hours later nothing resends it: staff decide.
      clock.advance(6 * 3600_000);
      expect((await outbox.runOnce()).claimed).toBe(0);
      expect(fake.count(BATCH)).toBe(1);
    });

    it('a token that does not come in time is a plain retry, not an unknown outcome: nothing was sent', async () => {
      // A client with a store of its own, so it has no token yet.
      const cold = new DingtalkApiClient({
        config: {
          appKey: TEST_DINGTALK.appKey,
          appSecret: TEST_DINGTALK.appSecret,
          robotCode: TEST_DINGTALK.robotCode,
          apiBase: fake.url,
          oapiBase: fake.url,
        },
        store: new MemoryStore(clock),
        log: deps.log,
        clock,
        timeZone: 'Asia/Shanghai',
        timeoutMs: 1000,
      });
      const id = await queue('wangwu01');
      fake.inject(TOKEN_PATH, { kind: 'hang' });
      expect(
        (await new OutboxDispatcher(deps, { dingtalk: dingtalkApiSender(cold) }).runOnce()).retried,
      ).toBe(1);
      const r = await row(id);
      expect(r.status).toBe('failed');
      expect(r.unknown_since).toBeNull();
      expect(fake.count(BATCH)).toBe(0);
      await deps.db.deleteFrom('outbox').where('id', '=', id).execute();
    });

    it('a 5xx is still retried and then sent once', async () => {
      const id = await queue('lisi01');
      fake.inject(BATCH, { kind: 'status', status: 502 });
      expect((await outbox.runOnce()).retried).toBe(1);
      expect((await row(id)).status).toBe('failed');
      clock.advance(120_000);
      expect((await outbox.runOnce()).sent).toBe(1);
      expect((await row(id)).status).toBe('sent');
      expect(fake.inbox('lisi01')).toHaveLength(1);
    });
    it('a custom group robot that took the message but never answered: unknown, and the group got it once', async () => {
      const id = (await enqueue(deps.db, {
        channel: 'dingtalk',
        targetKind: 'dingtalk_robot',
        targetAddress: 'robot-token-1',
        payload: { text: '代表小组活动通知' },
        idempotencyKey: `ding-unknown:${++n}`,
      }))!;
      robots.inject('robot-token-1', { kind: 'late' });
      expect((await robotOutbox.runOnce()).unknown).toBe(1);
      expect((await row(id)).status).toBe('unknown');
      clock.advance(3600_000);
      expect((await robotOutbox.runOnce()).claimed).toBe(0);
      expect(robots.received('robot-token-1').map((m) => m.text)).toEqual(['代表小组活动通知']);
    });
  });
}
