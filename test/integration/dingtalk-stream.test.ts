import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../../handlers/index.ts';
import { Dispatcher } from '../../src/bot/dispatch/dispatcher.ts';
import { CommandRouter } from '../../src/bot/router.ts';
import { DingtalkStreamConnection } from '../../src/channels/dingtalk/stream-connection.ts';
import type { LongConnection } from '../../src/channels/long-connection.ts';
import { type InboundHandler, NotRecordedError } from '../../src/channels/types.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { dingtalkEnv, TEST_DINGTALK } from '../helpers/dingtalk-callback.ts';
import { FAST, FakeDingtalkStreamGateway, waitFor } from '../helpers/fake-long-connections.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// DingTalk Stream mode against a local gateway speaking the documented frames: the endpoint asked of
// DINGTALK_API_BASE, SYSTEM pings answered, robot CALLBACK frames acknowledged by messageId only after
// the message is recorded, answers to the sessionWebhook, reconnection after a drop, a refused login
// reported on /readyz and /metrics.

const streamEnv = (url: string, secret: string = TEST_DINGTALK.appSecret) => ({
  ...dingtalkEnv(url),
  DINGTALK_APP_SECRET: secret,
  DINGTALK_MODE: 'stream',
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`DingTalk Stream mode on ${backend.name}`, () => {
    let gw: FakeDingtalkStreamGateway;
    let deps: TestDeps;
    let runtime: Runtime;
    let conn: LongConnection;

    const inbound = (key: string) =>
      deps.db.selectFrom('inbound_messages').selectAll().where('message_key', '=', key).execute();

    beforeAll(async () => {
      gw = await new FakeDingtalkStreamGateway(TEST_DINGTALK.appKey, TEST_DINGTALK.appSecret).start();
      deps = await createTestDeps(backend.name, { env: streamEnv(gw.url) });
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '张三', dingtalk: 'zhangsan01', congressId });
      runtime = createRuntime(deps, { connectionTiming: FAST });
      conn = runtime.connections[0]!;
      runtime.outbox.start(50);
      conn.start();
      await waitFor(() => conn.connected && gw.live === 1);
    });
    afterAll(async () => {
      await conn.stop();
      await runtime.dispatcher.drain();
      await runtime.outbox.stop();
      await deps.cleanup();
      await gw.close();
    });

    it('asks the gateway on DINGTALK_API_BASE for the endpoint with the app credentials', () => {
      expect(gw.opens[0]).toEqual({ clientId: TEST_DINGTALK.appKey, ok: true });
    });

    it('answers a private message and acknowledges the frame after recording it', async () => {
      const body = gw.robotBody('zhangsan01', '帮助');
      const id = gw.push(body)!;
      expect(await waitFor(() => gw.replyFor(body), 4500)).toContain('建议');
      await waitFor(() => gw.acked.includes(id));
      // The answer is stored after it goes out (off the answer's path): once that is done, it is handled.
      await runtime.dispatcher.drain();
      const [row] = await inbound(String(body.msgId));
      expect(row!.status).toBe('handled');
    });

    it('answers a group @-mention to the group, the mention dropped', async () => {
      const body = gw.robotBody('zhangsan01', '帮助', { group: 'cidGROUP01' });
      gw.push(body);
      expect(await waitFor(() => gw.replyFor(body), 4500)).toContain('建议');
      const [row] = await inbound(String(body.msgId));
      expect((row!.content as { text?: string }).text).toBe('帮助');
    });

    it('handles the same frame twice once, acknowledging both', async () => {
      const body = gw.robotBody('zhangsan01', '帮助');
      const id = gw.push(body)!;
      await waitFor(() => gw.acked.includes(id));
      gw.push(body, id);
      await waitFor(() => gw.acked.filter((x) => x === id).length === 2);
      expect(await inbound(String(body.msgId))).toHaveLength(1);
    });

    it('answers the gateway’s ping with the same headers', async () => {
      const pongs = gw.pongs;
      gw.ping();
      await waitFor(() => gw.pongs > pongs);
    });

    it('connects again after the gateway drops the connection and answers the next message', async () => {
      const opens = gw.opens.length;
      gw.drop();
      await waitFor(() => gw.opens.length > opens && gw.live === 1 && conn.connected);
      const body = gw.robotBody('zhangsan01', '帮助');
      gw.push(body);
      expect(await waitFor(() => gw.replyFor(body), 4500)).toContain('建议');
    });

    it('leaves a frame whose recording failed unacknowledged: it comes again and is handled then', async () => {
      await conn.stop();
      // The database refuses the first time (NotRecordedError), then works.
      const real = new Dispatcher(deps, new CommandRouter(handlers));
      let failures = 1;
      const flaky: InboundHandler = {
        handle: async (msg, opts) => {
          if (failures-- > 0) throw new NotRecordedError(new Error('database down'));
          return real.handle(msg, opts);
        },
      };
      const c = new DingtalkStreamConnection(deps, flaky, runtime.alerts, FAST);
      c.start();
      try {
        await waitFor(() => c.connected && gw.live === 1);
        gw.unacked.clear();
        const body = gw.robotBody('zhangsan01', '帮助');
        const id = gw.push(body)!;
        await new Promise((r) => setTimeout(r, 200));
        expect(gw.acked).not.toContain(id);
        expect(await inbound(String(body.msgId))).toHaveLength(0);
        expect(gw.redeliver()).toBe(1);
        await waitFor(() => gw.acked.includes(id));
        expect(await waitFor(() => gw.replyFor(body), 4500)).toContain('建议');
        expect(await inbound(String(body.msgId))).toHaveLength(1);
      } finally {
        await c.stop();
        await real.drain();
      }
    });

    it('reports refused credentials on /readyz and /metrics with the reason', async () => {
      const bad = await createTestDeps(backend.name, {
        env: streamEnv(gw.url, 'wrong-secret'),
        shareWith: deps,
        storePrefix: `t:${randomUUID()}:`,
      });
      const r = createRuntime(bad, { connectionTiming: FAST });
      const c = r.connections[0]!;
      c.start();
      const server: RunningServer = await startServer(bad, r);
      try {
        await waitFor(() => c.status().state === 'auth_failed');
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { failing: string[]; connections: { reason?: string }[] };
        expect(body.failing).toContain('dingtalk_stream');
        expect(body.connections[0]!.reason).toContain('401');
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(
          /channel_connection\{channel="dingtalk_stream",state="auth_failed",reason="HTTP 401[^"]*"\} 1/,
        );
      } finally {
        await c.stop();
        await server.close();
        if (backend.name === 'postgres+redis') await bad.store.close();
      }
    });
  });
}
