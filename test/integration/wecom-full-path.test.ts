import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../handlers/index.ts';
import { Dispatcher } from '../../src/bot/dispatch/dispatcher.ts';
import { CommandRouter } from '../../src/bot/router.ts';
import type { MessageRouter } from '../../src/bot/types.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { backends, createTestDeps, realBackend, type TestDeps } from '../helpers/backends.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';
import { seedCongress, seedPerson, seedSessionAhead } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import {
  innerXml,
  openReply,
  signedCallback,
  TEST_WECOM,
  textXml,
  wecomEnv,
} from '../helpers/wecom-envelope.ts';

// The whole path: a signed, encrypted WeCom callback → the dispatcher → a command → the database →
// an encrypted passive reply, or an answer through message/send to the (fake) WeCom.

async function post(server: RunningServer, inner: string): Promise<{ status: number; body: string }> {
  const cb = signedCallback(inner, new Date());
  const res = await fetch(`${server.url}/wecom/callback?${cb.query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: cb.body,
  });
  return { status: res.status, body: await res.text() };
}

const handledCount = async (deps: TestDeps): Promise<number> => {
  const metric = await deps.metrics.handlerDuration.get();
  return metric.values
    .filter((v) => v.metricName === 'handler_duration_seconds_count')
    .reduce((n, v) => n + v.value, 0);
};

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`WeCom full path on ${backend.name}`, () => {
    let wecom: FakeWecom;
    let a: TestDeps;
    let serverA: RunningServer;

    beforeAll(async () => {
      wecom = await startFakeWecom({
        corpId: TEST_WECOM.corpId,
        secret: TEST_WECOM.secret,
        agentId: TEST_WECOM.agentId,
      });
      a = await createTestDeps(backend.name, { env: wecomEnv(wecom.url) });
      const congressId = await seedCongress(a.db);
      await seedPerson(a.db, { name: '张三', wecom: 'ZhangSan', congressId });
      await seedSessionAhead(a);
      serverA = await startServer(a);
    });
    afterAll(async () => {
      await serverA.close();
      await a.cleanup();
      await wecom.close();
    });

    it('answers 帮助 with an encrypted passive reply, matching the sender case-insensitively', async () => {
      const res = await post(serverA, textXml('帮助', { from: 'zhangsan', msgId: '7300000000000000101' }));
      expect(res.status).toBe(200);
      const reply = openReply(res.body);
      expect(reply.signatureValid).toBe(true);
      expect(reply.toUser).toBe('zhangsan');
      expect(reply.content).toContain('请假');
      expect(reply.content).toContain('建议');
    });

    it('gives a repeat of an answered message the same stored answer, handling it once', async () => {
      const inner = textXml('帮助', { from: 'ZhangSan', msgId: '7300000000000000102' });
      const before = await handledCount(a);
      const first = openReply((await post(serverA, inner)).body).content;
      const again = openReply((await post(serverA, inner)).body).content;
      expect(again).toBe(first);
      expect(await handledCount(a)).toBe(before + 1);
      const rows = await a.db
        .selectFrom('inbound_messages')
        .select('id')
        .where('message_key', '=', '7300000000000000102')
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('runs the same command for a menu click as for the typed word', async () => {
      const typed = openReply(
        (await post(serverA, textXml('请假', { from: 'ZhangSan', msgId: '7300000000000000104' }))).body,
      ).content;
      await post(serverA, textXml('取消', { from: 'ZhangSan', msgId: '7300000000000000105' }));
      const click = innerXml({
        from: 'ZhangSan',
        createTime: Math.floor(Date.now() / 1000),
        fields: { MsgType: 'event', Event: 'click', EventKey: 'CMD_LEAVE' },
      });
      const clicked = openReply((await post(serverA, click)).body).content;
      expect(clicked).toBe(typed);
      expect(clicked).toContain('哪个会议或活动');
      await post(serverA, textXml('取消', { from: 'ZhangSan', msgId: '7300000000000000106' }));
    });

    it('sends an answer longer than a passive reply takes in parts through the API', async () => {
      const long: MessageRouter = {
        route: async () => ({
          text: Array.from({ length: 120 }, (_, i) => `第${i + 1}条：这是一段较长的说明文字。`).join('\n'),
        }),
      };
      const runtime: Runtime = createRuntime(a);
      const dispatcher = new Dispatcher(a, long, { onQueued: () => runtime.outbox.kick() });
      const server = await startServer(a, { ...runtime, dispatcher });
      try {
        wecom.reset();
        const res = await post(
          server,
          textXml('我的履职', { from: 'ZhangSan', msgId: '7300000000000000107' }),
        );
        expect(res.body).toBe('');
        await dispatcher.drain();
        for (let i = 0; i < 5; i++) await runtime.outbox.runOnce();
        const parts = wecom.inbox('ZhangSan').map((d) => d.text);
        expect(parts.length).toBeGreaterThan(1);
        for (const p of parts) {
          expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
          expect(p.endsWith('。')).toBe(true);
        }
        expect(parts.join('\n')).toContain('第120条');
      } finally {
        await server.close();
      }
    });

    it('sends an answer that is not ready in time through message/send, and answers the callback empty', async () => {
      const slow: MessageRouter = {
        route: async (ctx) => {
          await new Promise((r) => setTimeout(r, 6000));
          return new CommandRouter(handlers).route(ctx);
        },
      };
      const runtime: Runtime = createRuntime(a);
      const dispatcher = new Dispatcher(a, slow, { onQueued: () => runtime.outbox.kick() });
      const server = await startServer(a, { ...runtime, dispatcher });
      runtime.outbox.start(200);
      wecom.reset();
      try {
        const res = await post(server, textXml('帮助', { from: 'ZhangSan', msgId: '7300000000000000103' }));
        expect(res.status).toBe(200);
        expect(res.body).toBe('');
        await dispatcher.drain();
        for (let i = 0; i < 50 && wecom.inbox('ZhangSan').length === 0; i++)
          await new Promise((r) => setTimeout(r, 100));
        const inbox = wecom.inbox('ZhangSan');
        expect(inbox).toHaveLength(1);
        expect(inbox[0]!.text).toContain('请假');
      } finally {
        await server.close();
      }
    }, 20_000);
  });
}

describe.skipIf(!realBackend().available)('two instances sharing PostgreSQL and Redis', () => {
  let wecom: FakeWecom;
  let a: TestDeps;
  let b: TestDeps;
  let serverA: RunningServer;
  let serverB: RunningServer;

  beforeAll(async () => {
    wecom = await startFakeWecom({
      corpId: TEST_WECOM.corpId,
      secret: TEST_WECOM.secret,
      agentId: TEST_WECOM.agentId,
    });
    a = await createTestDeps('postgres+redis', { env: wecomEnv(wecom.url) });
    b = await createTestDeps('postgres+redis', { env: wecomEnv(wecom.url), shareWith: a });
    const congressId = await seedCongress(a.db);
    await seedPerson(a.db, { name: '张三', wecom: 'ZhangSan', congressId });
    await seedSessionAhead(a);
    serverA = await startServer(a);
    serverB = await startServer(b);
  });
  afterAll(async () => {
    await serverA.close();
    await serverB.close();
    await b.cleanup();
    await a.cleanup();
    await wecom.close();
  });

  it('handles the same MsgId delivered five times at once to two instances once', async () => {
    const inner = textXml('帮助', { from: 'ZhangSan', msgId: '7300000000000000201' });
    const results = await Promise.all(
      [serverA, serverB, serverA, serverB, serverA].map((s) => post(s, inner)),
    );
    for (const r of results) expect(r.status).toBe(200);
    const answered = results.filter((r) => r.body !== '');
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const r of answered) expect(openReply(r.body).content).toContain('请假');
    expect((await handledCount(a)) + (await handledCount(b))).toBe(1);
    // The answer is stored right after it was given.
    await Promise.all([serverA, serverB].map((s) => s.runtime.dispatcher.drain()));
    const rows = await a.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('message_key', '=', '7300000000000000201')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('handled');
    // A repeat after the answer, on either instance, gets the same answer.
    const later = await post(serverB, inner);
    expect(openReply(later.body).content).toBe(openReply(answered[0]!.body).content);
  });

  it('keeps a dialog across a restart of the instance that started it', async () => {
    const first = await post(
      serverA,
      textXml('我要请假', { from: 'ZhangSan', msgId: '7300000000000000202' }),
    );
    expect(openReply(first.body).content).toContain('哪个会议或活动');
    await serverA.close();
    // A new process on the same database and Redis.
    const c = await createTestDeps('postgres+redis', { env: wecomEnv(wecom.url), shareWith: a });
    const serverC = await startServer(c);
    try {
      const next = await post(
        serverC,
        textXml('常委会第二十次会议', { from: 'ZhangSan', msgId: '7300000000000000203' }),
      );
      const text = openReply(next.body).content;
      expect(text).not.toContain('没太明白');
      expect(text).not.toContain('哪个会议或活动');
    } finally {
      await serverC.close();
      await c.cleanup();
      serverA = await startServer(a);
    }
  });
});
