import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertGroup, upsertBinding } from '../../db/repositories/groups.ts';
import { handlers } from '../../handlers/index.ts';
import { Dispatcher } from '../../src/bot/dispatch/dispatcher.ts';
import { NOT_ON_ROSTER } from '../../src/bot/dispatch/fixed-replies.ts';
import { CommandRouter } from '../../src/bot/router.ts';
import type { MessageRouter } from '../../src/bot/types.ts';
import type { ChatMessage, HandleOptions, HandleOutcome } from '../../src/channels/types.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import {
  callbackBody,
  dingtalkEnv,
  postCallback,
  replyText,
  TEST_DINGTALK,
} from '../helpers/dingtalk-callback.ts';
import { type FakeDingtalkApi, startFakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The whole DingTalk path: a signed robot callback → the real dispatcher, router and handlers → a JSON
// reply message, or an answer later through the enterprise robot's API to the fake DingTalk.

/** The real dispatcher, counting how often the channel edge hands it a message. */
class CountingDispatcher extends Dispatcher {
  calls = 0;
  override async handle(msg: ChatMessage, opts: HandleOptions): Promise<HandleOutcome> {
    this.calls++;
    return super.handle(msg, opts);
  }
}

const slowRouter = (ms: number): MessageRouter => ({
  route: async (ctx) => {
    await new Promise((r) => setTimeout(r, ms));
    return new CommandRouter(handlers).route(ctx);
  },
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`DingTalk callback on ${backend.name}`, () => {
    let fake: FakeDingtalkApi;
    let deps: TestDeps;
    let runtime: Runtime;
    let dispatcher: CountingDispatcher;
    let server: RunningServer;

    const rows = (table: 'inbound_messages' | 'outbox') => rowCount(deps.db, table);
    const outcomes = async (outcome: string) =>
      (await deps.metrics.inboundCallbacks.get()).values
        .filter((v) => v.labels.channel === 'dingtalk' && v.labels.outcome === outcome)
        .reduce((n, v) => n + v.value, 0);

    /** A server whose dispatcher routes slowly, so the answer misses the callback and goes through the API. */
    const withSlowServer = async (fn: (s: RunningServer, d: Dispatcher, r: Runtime) => Promise<void>) => {
      const r = createRuntime(deps);
      const d = new Dispatcher(deps, slowRouter(2500), { onQueued: () => r.outbox.kick() });
      const s = await startServer(deps, { ...r, dispatcher: d });
      try {
        await fn(s, d, r);
      } finally {
        await s.close();
      }
    };
    const flush = async (d: Dispatcher, r: Runtime) => {
      await d.drain();
      for (let i = 0; i < 10; i++) if ((await r.outbox.runOnce()).claimed === 0) break;
    };

    beforeAll(async () => {
      fake = await startFakeDingtalkApi({ ...TEST_DINGTALK, conversations: ['cidBOUND', 'cidFREE'] });
      deps = await createTestDeps(backend.name, { env: dingtalkEnv(fake.url) });
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '张三', dingtalk: 'zhangsan01', congressId });
      await seedPerson(deps.db, { name: '李四', dingtalk: 'lisi02', role: 'staff', congressId });
      const groupId = await insertGroup(deps.db, { congressId, name: '第一代表小组', kind: 'small' });
      await upsertBinding(
        deps.db,
        { groupId, channel: 'dingtalk', kind: 'dingtalk_conversation', address: 'cidBOUND', secret: null },
        new Date(),
      );
      runtime = createRuntime(deps);
      dispatcher = new CountingDispatcher(deps, new CommandRouter(handlers), {
        onQueued: () => runtime.outbox.kick(),
      });
      server = await startServer(deps, { ...runtime, dispatcher });
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
      await fake.close();
    });
    beforeEach(() => {
      fake.reset();
      deps.logs.lines.length = 0;
    });

    describe('refusals: nothing handled, nothing written, one log line and a metric', () => {
      const body = () => callbackBody({ text: '帮助 秘密内容' });
      const cases: [string, number, string, () => Promise<{ status: number }>][] = [
        ['a wrong sign', 401, 'bad_signature', () => postCallback(server.url, body(), { sign: 'AAAA' })],
        [
          'a sign made with another secret',
          401,
          'bad_signature',
          async () => {
            const { createHmac } = await import('node:crypto');
            const ts = Date.now();
            const sign = createHmac('sha256', 'other').update(`${ts}\nother`).digest('base64');
            return postCallback(server.url, body(), { timestampMs: ts, sign });
          },
        ],
        [
          'a timestamp over an hour old',
          401,
          'stale_timestamp',
          () => postCallback(server.url, body(), { timestampMs: Date.now() - 3_601_000 }),
        ],
        [
          'a timestamp over an hour ahead',
          401,
          'stale_timestamp',
          () => postCallback(server.url, body(), { timestampMs: Date.now() + 3_601_000 }),
        ],
        [
          'a robotCode that is not ours',
          401,
          'wrong_receiver',
          () => postCallback(server.url, callbackBody({ text: '帮助', robotCode: 'dingSOMEONEELSE' })),
        ],
        [
          'a body that is not JSON',
          400,
          'malformed',
          () => postCallback(server.url, null, { raw: '{"msgId": "x",' }),
        ],
        [
          'a message without msgId',
          400,
          'malformed',
          () => postCallback(server.url, { ...body(), msgId: undefined }),
        ],
        [
          'a body over 1 MiB',
          413,
          'too_large',
          () => postCallback(server.url, null, { raw: Buffer.alloc(1024 * 1024 + 16, 0x20) }),
        ],
      ];

      for (const [name, status, outcome, send] of cases) {
        it(`${name} → ${status}`, async () => {
          const before = {
            calls: dispatcher.calls,
            inbound: await rows('inbound_messages'),
            outbox: await rows('outbox'),
            metric: await outcomes(outcome),
          };
          const res = await send();
          expect(res.status).toBe(status);
          expect(dispatcher.calls).toBe(before.calls);
          expect(await rows('inbound_messages')).toBe(before.inbound);
          expect(await rows('outbox')).toBe(before.outbox);
          expect(await outcomes(outcome)).toBe(before.metric + 1);
          const refused = deps.logs.lines.filter((l) => l.includes('dingtalk callback refused'));
          expect(refused).toHaveLength(1);
          expect(refused[0]).toContain(outcome);
          expect(deps.logs.text).not.toContain(TEST_DINGTALK.appSecret);
          expect(deps.logs.text).not.toContain('秘密内容');
        });
      }
    });

    it('answers 帮助 written privately with the help text in the JSON reply', async () => {
      const res = await postCallback(server.url, callbackBody({ staffId: 'zhangsan01', text: '帮助' }));
      expect(res.status).toBe(200);
      expect(res.json?.msgtype).toBe('text');
      const text = replyText(res.json);
      expect(text).toContain('请假');
      expect(text).toContain('建议');
    });

    /** 张三 writes privately; the answer's text. */
    const askPrivately = async (text: string) =>
      replyText((await postCallback(server.url, callbackBody({ staffId: 'zhangsan01', text }))).json);
    /** 张三 @-mentions the robot in a group not bound to any deputy group. */
    const askInGroup = (text: string) =>
      postCallback(
        server.url,
        callbackBody({
          staffId: 'zhangsan01',
          text: `@人大代表助手 ${text}`,
          group: { id: 'cidFREE', title: '代表群' },
        }),
      );

    it('answers 帮助 by @ in a group the same way', async () => {
      const privately = await askPrivately('帮助');
      const res = await askInGroup('帮助');
      expect(res.status).toBe(200);
      expect(replyText(res.json)).toBe(privately);
    });

    it('answers a deputy’s own items asked in a group to them alone, telling the group where it went', async () => {
      expect(await askPrivately('我的履职')).toContain('履职记录');
      const before = fake.inbox('zhangsan01').length;
      const res = await askInGroup('我的履职');
      expect(res.status).toBe(200);
      expect(replyText(res.json)).toBe('已单独回复您，请在与我的单聊中查看。');
      await dispatcher.drain();
      for (let i = 0; i < 10; i++) if ((await runtime.outbox.runOnce()).claimed === 0) break;
      const inbox = fake.inbox('zhangsan01');
      expect(inbox).toHaveLength(before + 1);
      expect(inbox.at(-1)!.text).toContain('履职记录');
      expect(fake.groupInbox('cidFREE')).toHaveLength(0);
    });

    it('asks a question that waits for the deputy’s words in private, and the answer there goes on from it', async () => {
      const before = fake.inbox('zhangsan01').length;
      const res = await askInGroup('我们小区门口的路灯坏了快两个月了');
      expect(replyText(res.json)).toBe('已单独回复您，请在与我的单聊中查看。');
      await dispatcher.drain();
      for (let i = 0; i < 10; i++) if ((await runtime.outbox.runOnce()).claimed === 0) break;
      const inbox = fake.inbox('zhangsan01');
      expect(inbox).toHaveLength(before + 1);
      expect(inbox.at(-1)!.text).toContain('要把这段话作为建议提交吗？');
      expect(fake.groupInbox('cidFREE')).toHaveLength(0);
      // The yes given privately files the words said in the group.
      expect(await askPrivately('是')).toMatch(/JY-\d{4}-\d{4}/);
      const filed = await deps.db
        .selectFrom('suggestions')
        .select('content')
        .where('content', '=', '我们小区门口的路灯坏了快两个月了')
        .execute();
      expect(filed).toHaveLength(1);
    });

    it('tells someone not on the roster so, keeping only the message id', async () => {
      const res = await postCallback(
        server.url,
        callbackBody({ staffId: 'stranger9', text: '我要请假 家里有事', msgId: 'msgSTRANGER' }),
      );
      expect(replyText(res.json)).toBe(NOT_ON_ROSTER);
      const row = await deps.db
        .selectFrom('inbound_messages')
        .select(['content', 'person_id'])
        .where('message_key', '=', 'msgSTRANGER')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ content: null, person_id: null });
    });

    it('handles the same msgId twice once, giving the repeat the same answer', async () => {
      const body = callbackBody({ staffId: 'zhangsan01', text: '帮助', msgId: 'msgTWICE==' });
      const calls = dispatcher.calls;
      const first = await postCallback(server.url, body);
      const again = await postCallback(server.url, body);
      expect(again.json).toEqual(first.json);
      expect(replyText(first.json)).toContain('请假');
      const recorded = await deps.db
        .selectFrom('inbound_messages')
        .select(['id', 'status'])
        .where('channel', '=', 'dingtalk')
        .where('message_key', '=', 'msgTWICE==')
        .execute();
      expect(recorded).toEqual([{ id: expect.any(Number), status: 'handled' }]);
      expect(dispatcher.calls).toBe(calls + 2);
    });

    it('answers choices as markdown whose lines send the command back', async () => {
      const choices: MessageRouter = {
        route: async () => ({
          text: '请选择：\n1. 批准\n2. 不批准',
          buttons: [
            { label: '批准', command: '批准 QJ-2026-0001' },
            { label: '不批准', command: '不批准 QJ-2026-0001' },
          ],
        }),
      };
      const r = createRuntime(deps);
      const d = new Dispatcher(deps, choices);
      const s = await startServer(deps, { ...r, dispatcher: d });
      try {
        const res = await postCallback(s.url, callbackBody({ staffId: 'lisi02', text: '审批' }));
        expect(res.json?.msgtype).toBe('markdown');
        const text = replyText(res.json);
        expect(text).toContain('请选择');
        expect(text).toContain(
          `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('批准 QJ-2026-0001')}`,
        );
      } finally {
        await s.close();
      }
    });

    it('sends an answer that misses the callback through batchSend, answering the callback empty', async () => {
      await withSlowServer(async (s, d, r) => {
        const res = await postCallback(s.url, callbackBody({ staffId: 'zhangsan01', text: '帮助' }));
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ msgtype: 'empty' });
        await flush(d, r);
        const inbox = fake.inbox('zhangsan01');
        expect(inbox).toHaveLength(1);
        expect(inbox[0]!.text).toContain('请假');
      });
    }, 20_000);

    it('sends a late answer to a bound group into the group, and to the person for a group not bound', async () => {
      await withSlowServer(async (s, d, r) => {
        const bound = await postCallback(
          s.url,
          callbackBody({ staffId: 'zhangsan01', text: '@人大代表助手 帮助', group: { id: 'cidBOUND' } }),
        );
        expect(bound.json).toEqual({ msgtype: 'empty' });
        await flush(d, r);
        expect(fake.groupInbox('cidBOUND')).toHaveLength(1);
        expect(fake.groupInbox('cidBOUND')[0]!.text).toContain('请假');
        expect(fake.inbox('zhangsan01')).toHaveLength(0);

        const free = await postCallback(
          s.url,
          callbackBody({
            staffId: 'zhangsan01',
            text: '@人大代表助手 帮助',
            group: { id: 'cidFREE', title: '代表群' },
          }),
        );
        expect(free.json).toEqual({ msgtype: 'empty' });
        await flush(d, r);
        expect(fake.groupInbox('cidFREE')).toHaveLength(0);
        expect(fake.inbox('zhangsan01')).toHaveLength(1);
      });
    }, 30_000);

    it('logs a group the robot was @-mentioned in once, so staff can bind it', async () => {
      const group = { id: `cidNEW${Math.random().toString(36).slice(2)}`, title: '新代表群' };
      await postCallback(server.url, callbackBody({ staffId: 'zhangsan01', text: '@助手 帮助', group }));
      await postCallback(server.url, callbackBody({ staffId: 'zhangsan01', text: '@助手 帮助', group }));
      const seen = deps.logs.lines.filter((l) => l.includes(group.id));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('新代表群');
    });

    it('alerts the staff once a month when DingTalk says the quota is spent (20001), handling nothing', async () => {
      const calls = dispatcher.calls;
      const inbound = await rows('inbound_messages');
      const metric = await outcomes('quota_spent');
      const notice = { errorCode: 20001, errorMsg: '本月调用额度已用完' };
      const first = await postCallback(server.url, notice);
      const again = await postCallback(server.url, notice);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ msgtype: 'empty' });
      expect(again.json).toEqual({ msgtype: 'empty' });
      expect(dispatcher.calls).toBe(calls);
      expect(await rows('inbound_messages')).toBe(inbound);
      expect(await outcomes('quota_spent')).toBe(metric + 2);
      expect(deps.logs.text).toContain('dingtalk robot quota spent');
      const alerts = await deps.db
        .selectFrom('outbox')
        .select(['channel', 'target_kind', 'target_address', 'payload'])
        .where('cause', '=', 'dingtalk-quota-spent')
        .execute();
      // Only the staff member, not the deputy; once, however often DingTalk says so.
      expect(alerts.map((a) => [a.channel, a.target_kind, a.target_address])).toEqual([
        ['dingtalk', 'user', 'lisi02'],
      ]);
      expect((alerts[0]!.payload as { text: string }).text).toContain('20001');
    });
  });
}
