import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SAVED } from '../../src/channels/dingtalk/not-saved.ts';
import type { LongConnection } from '../../src/channels/long-connection.ts';
import { type InboundHandler, NotRecordedError } from '../../src/channels/types.ts';
import { WecomAibotConnection } from '../../src/channels/wecom/aibot-connection.ts';
import { simulateLongConnection } from '../../src/cli/simulator.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { mediaContent } from '../../src/services/media/index.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { FAST, FakeWecomAibotGateway, waitFor } from '../helpers/fake-long-connections.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// WeCom's intelligent robot over its long connection, against a local gateway speaking the documented
// frames: private messages and group @-mentions answered on the connection, a dropped connection opened
// again, the same frame handled once, a picture fetched and decrypted with its own key, a displacement
// ending the old connection without a storm, a refused login on /readyz and /metrics.

const BOT = { id: 'aibBOT0001', secret: 'bot-secret-for-tests-0123456789' };
const botEnv = (url: string, secret = BOT.secret) => ({
  WECOM_BOT_ID: BOT.id,
  WECOM_BOT_SECRET: secret,
  WECOM_BOT_WS_URL: url,
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`WeCom robot long connection on ${backend.name}`, () => {
    let gw: FakeWecomAibotGateway;
    let deps: TestDeps;
    let runtime: Runtime;
    let conn: LongConnection;

    const inbound = (key: string) =>
      deps.db.selectFrom('inbound_messages').selectAll().where('message_key', '=', key).execute();

    beforeAll(async () => {
      gw = await new FakeWecomAibotGateway(BOT.id, BOT.secret).start();
      deps = await createTestDeps(backend.name, { env: botEnv(gw.url) });
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
      runtime = createRuntime(deps, { connectionTiming: FAST });
      conn = runtime.connections[0]!;
      runtime.outbox.start(50);
      runtime.media.start(50);
      conn.start();
      await waitFor(() => conn.connected);
    });
    afterAll(async () => {
      await conn.stop();
      await runtime.dispatcher.drain();
      await runtime.outbox.stop();
      await runtime.media.stop();
      await deps.cleanup();
      await gw.close();
    });

    it('answers a private message on the connection, after recording it', async () => {
      const sent = gw.text('ZhangSan', '帮助')!;
      const answer = await waitFor(() => gw.answerTo(sent.reqId), 4500);
      expect(answer).toContain('建议');
      // The answer is stored after it goes out (off the answer's path): once that is done, it is handled.
      await runtime.dispatcher.drain();
      const rows = await inbound(sent.msgid);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('handled');
      expect(gw.answers.find((a) => a.reqId === sent.reqId)?.cmd).toBe('aibot_respond_msg');
    });

    it('understands an @-mention in a group like DingTalk: the mention dropped, the answer to the group', async () => {
      const sent = gw.text('ZhangSan', '@人大代表助手 帮助', { chatid: 'wrGROUPchat01' })!;
      // On the frame, or (when not ready in time) pushed into the group.
      const answer = await waitFor(() => gw.answerTo(sent.reqId, 'wrGROUPchat01'), 4500);
      expect(answer).toContain('建议');
      const [row] = await inbound(sent.msgid);
      expect((row!.content as { text?: string }).text).toBe('帮助');
      expect((row!.content as { conversation?: { kind: string; id: string } }).conversation).toEqual({
        kind: 'group',
        id: 'wrGROUPchat01',
      });
    });

    it('handles the same frame twice only once', async () => {
      const msgid = `dup${randomBytes(6).toString('hex')}`;
      const a = gw.text('ZhangSan', '帮助', { msgid })!;
      await waitFor(() => gw.answerTo(a.reqId), 4500);
      const b = gw.text('ZhangSan', '帮助', { msgid })!;
      // The repeat gets the stored answer; nothing is recorded or done twice.
      expect(await waitFor(() => gw.answerTo(b.reqId), 4500)).toBe(gw.answerTo(a.reqId));
      expect(await inbound(msgid)).toHaveLength(1);
    });

    it('opens the connection again when the gateway drops it, and answers the next message', async () => {
      const logins = gw.logins.length;
      gw.drop();
      await waitFor(() => gw.logins.length > logins && gw.live === 1 && conn.connected);
      const sent = gw.text('ZhangSan', '帮助')!;
      expect(await waitFor(() => gw.answerTo(sent.reqId), 4500)).toContain('建议');
    });

    it('keeps the connection with heartbeats', async () => {
      const pings = gw.pings;
      await waitFor(() => gw.pings >= pings + 2);
      expect(conn.connected).toBe(true);
    });

    it('fetches a picture at once, decrypts it with its own key and keeps it', async () => {
      const picture = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100)]);
      const sent = gw.image('ZhangSan', picture)!;
      await waitFor(() => gw.answerTo(sent.reqId), 4500);
      let kept: { id: number; status: string } | undefined;
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        kept = await deps.db
          .selectFrom('media')
          .select(['id', 'status'])
          .where('platform_id', 'like', 'aibot:%')
          .executeTakeFirst();
        if (kept?.status === 'fetched') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(kept?.status).toBe('fetched');
      const content = await mediaContent(deps, kept!.id);
      expect(Buffer.from(content!.content).equals(picture)).toBe(true);
      expect(content!.contentType).toBe('image/jpeg');
    });

    it('ends the old connection when a newer one displaces it, without reconnecting in a storm', async () => {
      const { WebSocket } = await import('ws');
      const other = new WebSocket(gw.url);
      await new Promise((r) => other.once('open', r));
      other.send(
        JSON.stringify({
          cmd: 'aibot_subscribe',
          headers: { req_id: 'aibot_subscribe_other' },
          body: { bot_id: BOT.id, secret: BOT.secret },
        }),
      );
      await waitFor(() => conn.status().state === 'displaced');
      const logins = gw.logins.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(gw.logins.length).toBe(logins);
      other.terminate();
    });

    for (const mode of ['wecom-bot', 'dingtalk-stream'] as const) {
      it(`lets \`simulate --${mode}\` try the mode against a built-in fake gateway`, async () => {
        const r = await simulateLongConnection(deps, mode, 'ZhangSan', '帮助');
        expect(r.status).toBe(200);
        expect(r.reply).toContain('建议');
      });
    }

    it('never answers as if saved a message that could not be recorded: the person is asked to resend', async () => {
      await conn.stop();
      const failing: InboundHandler = {
        handle: async () => {
          throw new NotRecordedError(new Error('database down'));
        },
      };
      const c = new WecomAibotConnection(deps, failing, deps.config.wecomBot!, FAST);
      c.start();
      try {
        await waitFor(() => c.connected, 4000);
        const sent = gw.text('ZhangSan', '建议 小区路灯坏了')!;
        expect(await waitFor(() => gw.answerTo(sent.reqId), 4500)).toBe(NOT_SAVED);
        expect(await inbound(sent.msgid)).toHaveLength(0);
      } finally {
        await c.stop();
      }
    });

    it('reports a refused login on /readyz and /metrics with the reason', async () => {
      const bad = await createTestDeps(backend.name, {
        env: botEnv(gw.url, 'wrong-secret'),
        shareWith: deps,
      });
      const r = createRuntime(bad, { connectionTiming: { ...FAST, lease: { ...FAST.lease } } });
      // Its own lease key would be the same robot's: take the connection over only for this check.
      await conn.stop();
      const c = r.connections[0]!;
      c.start();
      const server: RunningServer = await startServer(bad, r);
      try {
        await waitFor(() => c.status().state === 'auth_failed');
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { failing: string[]; connections: { reason?: string }[] };
        expect(body.failing).toContain('wecom_bot');
        expect(body.connections[0]!.reason).toContain('40058');
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        expect(metrics).toMatch(
          /channel_connection\{channel="wecom_bot",state="auth_failed",reason="errcode 40058[^"]*"\} 1/,
        );
      } finally {
        await c.stop();
        await server.close();
        if (backend.name === 'postgres+redis') await bad.store.close();
      }
    });

    it('binds a group chat the robot is in to a deputy group: notices go into it over the connection', async () => {
      const server = await startServer(deps, runtime);
      try {
        const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
        const put = await fetch(`${server.url}/api/groups/${encodeURIComponent('第一代表小组')}`, {
          method: 'PUT',
          headers: auth,
          body: JSON.stringify({ kind: 'small', wecomBotChatId: 'wrGROUPchat01' }),
        });
        expect(put.status).toBe(201);
        const sent = await fetch(`${server.url}/api/broadcasts`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ targets: ['第一代表小组'], text: '本周五下午三点开会' }),
        });
        expect(sent.status).toBe(202);
        const rows = await deps.db
          .selectFrom('outbox')
          .select(['channel', 'target_kind', 'target_address'])
          .where('cause', 'like', 'broadcast:%')
          .execute();
        expect(rows).toEqual([
          { channel: 'wecom', target_kind: 'wecom_bot', target_address: 'wrGROUPchat01' },
        ]);
      } finally {
        await server.close();
      }
    });
  });
}
