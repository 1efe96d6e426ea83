import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_TIMING } from '../../src/channels/connection-lease.ts';
import { type LongConnection, reconnectDelayMs } from '../../src/channels/long-connection.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { dingtalkEnv, TEST_DINGTALK } from '../helpers/dingtalk-callback.ts';
import {
  FAST,
  FakeDingtalkStreamGateway,
  FakeWecomAibotGateway,
  waitFor,
} from '../helpers/fake-long-connections.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Several instances, one connection per robot: exactly one instance holds each outbound-only connection
// (a lease in the shared store); the robot's pushes in the outbox are claimed only by the holder; when
// the holder dies, another instance takes the connection over once the lease runs out.

const BOT = { id: 'aibLEASE01', secret: 'lease-bot-secret-0123456789' };

it('reconnects after a capped, jittered backoff', () => {
  // Half of each wait is fixed, half random: 1 s, 2 s, 4 s … never past the cap.
  expect(reconnectDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
  expect(reconnectDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
  expect(reconnectDelayMs(3, 1000, 60_000, () => 0.5)).toBe(3000);
  expect(reconnectDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  expect(reconnectDelayMs(30, 1000, 60_000, () => 0)).toBe(30_000);
});

it('takes a dead holder’s connection over within 30 s with the default lease times', () => {
  expect(DEFAULT_LEASE_TIMING.ttlMs + DEFAULT_LEASE_TIMING.retryEveryMs).toBeLessThanOrEqual(30_000);
  expect(DEFAULT_LEASE_TIMING.renewEveryMs * 3).toBeLessThanOrEqual(DEFAULT_LEASE_TIMING.ttlMs);
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`one holder per connection on ${backend.name}`, () => {
    let wecom: FakeWecomAibotGateway;
    let ding: FakeDingtalkStreamGateway;
    let a: TestDeps;
    let b: TestDeps;
    let ra: Runtime;
    let rb: Runtime;
    const bot = (r: Runtime) => r.connections.find((c) => c.channel === 'wecom_bot')!;
    const stream = (r: Runtime) => r.connections.find((c) => c.channel === 'dingtalk_stream')!;

    beforeAll(async () => {
      wecom = await new FakeWecomAibotGateway(BOT.id, BOT.secret).start();
      ding = await new FakeDingtalkStreamGateway(TEST_DINGTALK.appKey, TEST_DINGTALK.appSecret).start();
      const env = {
        WECOM_BOT_ID: BOT.id,
        WECOM_BOT_SECRET: BOT.secret,
        WECOM_BOT_WS_URL: wecom.url,
        ...dingtalkEnv(ding.url),
        DINGTALK_MODE: 'stream',
      };
      a = await createTestDeps(backend.name, { env });
      b = await createTestDeps(backend.name, { env, shareWith: a });
      const congressId = await seedCongress(a.db);
      await seedPerson(a.db, { name: '张三', wecom: 'ZhangSan', dingtalk: 'zhangsan01', congressId });
      ra = createRuntime(a, { connectionTiming: FAST });
      rb = createRuntime(b, { connectionTiming: FAST });
      for (const c of ra.connections) c.start();
      await waitFor(() => bot(ra).connected && stream(ra).connected);
      for (const c of rb.connections) c.start();
    });
    afterAll(async () => {
      for (const r of [ra, rb]) {
        await Promise.all(r.connections.map((c: LongConnection) => c.stop()));
        await r.dispatcher.drain();
        await r.outbox.stop();
      }
      await b.cleanup();
      await a.cleanup();
      await wecom.close();
      await ding.close();
    });

    it('lets exactly one instance hold each connection', async () => {
      // Several renewals and retries pass; the second instance keeps waiting.
      await new Promise((r) => setTimeout(r, 400));
      expect(wecom.live).toBe(1);
      expect(ding.live).toBe(1);
      expect(wecom.logins).toHaveLength(1);
      expect(bot(ra).holds && stream(ra).holds).toBe(true);
      expect(bot(rb).holds || stream(rb).holds).toBe(false);
      expect(bot(rb).status().state).toBe('standby');
    });

    it('has the robot’s pushes claimed only by the holder', async () => {
      await enqueue(a.db, {
        channel: 'wecom',
        targetKind: 'wecom_bot',
        targetAddress: 'wrGROUPchat01',
        payload: { text: '【通知】明天上午九点开会' },
        idempotencyKey: 'lease-test:push:1',
      });
      expect((await rb.outbox.runOnce()).claimed).toBe(0);
      const sent = await ra.outbox.runOnce();
      expect(sent).toMatchObject({ claimed: 1, sent: 1 });
      expect(wecom.pushes).toEqual([{ chatid: 'wrGROUPchat01', content: '【通知】明天上午九点开会' }]);
    });

    it('hands the connections to the other instance when the holder dies, which then answers', async () => {
      const logins = wecom.logins.length;
      for (const c of ra.connections) c.abandon();
      await waitFor(() => bot(rb).connected && stream(rb).connected, 4000);
      expect(wecom.logins.length).toBe(logins + 1);
      expect(wecom.live).toBe(1);
      expect(ding.live).toBe(1);

      const sent = wecom.text('ZhangSan', '帮助')!;
      expect(await waitFor(() => wecom.answerTo(sent.reqId), 4500)).toContain('建议');
      const body = ding.robotBody('zhangsan01', '帮助');
      ding.push(body);
      expect(await waitFor(() => ding.replyFor(body), 4500)).toContain('建议');

      // The robot's pushes now go out from the new holder.
      await enqueue(b.db, {
        channel: 'wecom',
        targetKind: 'wecom_bot',
        targetAddress: 'ZhangSan',
        payload: { text: '您的请假已批准' },
        idempotencyKey: 'lease-test:push:2',
      });
      expect(await rb.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
      expect(wecom.pushes.at(-1)).toEqual({ chatid: 'ZhangSan', content: '您的请假已批准' });
    });
  });
}
