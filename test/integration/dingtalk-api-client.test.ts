import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDingtalkApiClient,
  DingtalkApiClient,
  messageOf,
} from '../../src/channels/dingtalk/api-client.ts';
import { dingtalkApiSender, dingtalkSenderByTarget } from '../../src/channels/dingtalk/api-sender.ts';
import type { OutboundSender } from '../../src/messaging/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { KvStore } from '../../src/store/types.ts';
import { backends, createTestDeps, createTestStore, type TestDeps } from '../helpers/backends.ts';
import { dingtalkEnv, TEST_DINGTALK } from '../helpers/dingtalk-callback.ts';
import {
  BATCH_SEND_PATH,
  FakeDingtalkApi,
  GROUP_SEND_PATH,
  TOKEN_PATH,
} from '../helpers/fake-dingtalk-api.ts';

// The enterprise robot's API client against the fake DingTalk API: the shared token, its refresh, the
// 20-a-call split, failures as values, the monthly meter, and nothing secret in the logs.

const text = (s: string) => messageOf({ text: s });
const key = () => `k-${Math.random().toString(36).slice(2)}`;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`DingTalk API client on ${backend.name}`, () => {
    let fake: FakeDingtalkApi;
    let deps: TestDeps;
    let store: KvStore;
    let prefix = '';
    const stores: KvStore[] = [];

    const newStore = (): KvStore => {
      prefix = `t:ding:${Math.random().toString(36).slice(2)}:`;
      const s = createTestStore(backend.name, undefined, prefix);
      stores.push(s);
      return s;
    };
    /** A second "instance" on the same store. */
    const sameStore = (): KvStore => {
      if (backend.name === 'pglite+memory') return store;
      const s = createTestStore(backend.name, undefined, prefix);
      stores.push(s);
      return s;
    };
    const clientFor = (o: { secret?: string; timeoutMs?: number; s?: KvStore } = {}) =>
      new DingtalkApiClient({
        config: { ...deps.config.dingtalk!, ...(o.secret ? { appSecret: o.secret } : {}) },
        store: o.s ?? store,
        log: deps.log,
        clock: deps.clock,
        timeZone: deps.config.timezone,
        timeoutMs: o.timeoutMs ?? 2000,
      });

    beforeAll(async () => {
      fake = await new FakeDingtalkApi({
        ...TEST_DINGTALK,
        staff: [
          'zhangsan01',
          'lisi02',
          ...Array.from({ length: 45 }, (_, i) => `deputy${String(i).padStart(2, '0')}`),
        ],
        conversations: ['cidGROUP1'],
      }).start();
      deps = await createTestDeps(backend.name, { env: dingtalkEnv(fake.url) });
    });
    afterAll(async () => {
      for (const s of stores) await s.close().catch(() => {});
      await fake.close();
      await deps.cleanup();
    });
    beforeEach(() => {
      fake.reset();
      deps.logs.lines.length = 0;
      store = newStore();
    });

    it('fetches the access token once and reuses it for later sends', async () => {
      const c = clientFor();
      expect(await c.sendToUsers(['zhangsan01'], text('第一条'), { idempotencyKey: key() })).toMatchObject({
        ok: true,
      });
      expect(await c.sendToUsers(['zhangsan01'], text('第二条'), { idempotencyKey: key() })).toMatchObject({
        ok: true,
      });
      expect(fake.inbox('zhangsan01').map((d) => d.text)).toEqual(['第一条', '第二条']);
      expect(fake.count(TOKEN_PATH)).toBe(1);
    });

    it('lets two instances sharing the store fetch the token once between them', async () => {
      const a = clientFor();
      const b = clientFor({ s: sameStore() });
      const results = await Promise.all([
        a.sendToUsers(['zhangsan01'], text('甲'), { idempotencyKey: key() }),
        b.sendToUsers(['lisi02'], text('乙'), { idempotencyKey: key() }),
        a.sendToUsers(['lisi02'], text('丙'), { idempotencyKey: key() }),
      ]);
      for (const r of results) expect(r.ok).toBe(true);
      expect(fake.count(TOKEN_PATH)).toBe(1);
      expect(fake.inbox('lisi02')).toHaveLength(2);
    });

    it('refreshes an expired token once and sends', async () => {
      const c = clientFor();
      await c.sendToUsers(['zhangsan01'], text('之前'), { idempotencyKey: key() });
      fake.expireTokens();
      const r = await c.sendToUsers(['zhangsan01'], text('之后'), { idempotencyKey: key() });
      expect(r.ok).toBe(true);
      expect(fake.count(TOKEN_PATH)).toBe(2);
      expect(fake.inbox('zhangsan01').map((d) => d.text)).toEqual(['之前', '之后']);
    });

    it('reports a wrong AppSecret as a configuration error, without the secret in any log line', async () => {
      const wrong = 'WrongSecret_0123456789abcdefghijklmnopqrstuvwxyz';
      const r = await clientFor({ secret: wrong }).sendToUsers(['zhangsan01'], text('x'), {
        idempotencyKey: key(),
      });
      expect(r).toMatchObject({ ok: false, code: 'configuration', retryable: false });
      expect(!r.ok && r.message).toContain('DINGTALK_APP_SECRET');
      expect(fake.inbox('zhangsan01')).toHaveLength(0);
      expect(deps.logs.text).toContain('invalidClientIdOrSecret');
      expect(deps.logs.text).not.toContain(wrong);
      expect(deps.logs.text).not.toContain(TEST_DINGTALK.appSecret);
    });

    it('never writes an access token into a log line', async () => {
      const c = clientFor();
      await c.sendToUsers(['zhangsan01'], text('x'), { idempotencyKey: key() });
      fake.expireTokens();
      await c.sendToConversation('cidGROUP1', text('y'), { idempotencyKey: key() });
      expect(fake.issuedTokens().length).toBeGreaterThanOrEqual(2);
      for (const t of fake.issuedTokens()) expect(deps.logs.text).not.toContain(t);
    });

    it('splits a list of 45 people into calls of at most 20', async () => {
      const ids = Array.from({ length: 45 }, (_, i) => `deputy${String(i).padStart(2, '0')}`);
      const r = await clientFor().sendToUsers(ids, text('通知'), { idempotencyKey: key() });
      expect(r).toMatchObject({ ok: true, invalidUserIds: [], flowControlledUserIds: [] });
      expect(fake.batches.map((b) => b.length)).toEqual([20, 20, 5]);
      for (const id of ids) expect(fake.inbox(id).map((d) => d.text)).toEqual(['通知']);
    });

    it('is refused by the fake, as by DingTalk, past 20 userIds or with an unknown msgKey', async () => {
      const c = clientFor();
      await c.sendToUsers(['zhangsan01'], text('x'), { idempotencyKey: key() });
      const token = fake.issuedTokens().at(-1)!;
      const post = (body: unknown) =>
        fetch(`${fake.url}${BATCH_SEND_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
          body: JSON.stringify(body),
        });
      const tooMany = await post({
        robotCode: TEST_DINGTALK.robotCode,
        userIds: Array.from({ length: 21 }, (_, i) => `u${i}`),
        msgKey: 'sampleText',
        msgParam: JSON.stringify({ content: 'x' }),
      });
      expect(tooMany.status).toBe(400);
      const unknownKey = await post({
        robotCode: TEST_DINGTALK.robotCode,
        userIds: ['zhangsan01'],
        msgKey: 'sampleNothing',
        msgParam: '{}',
      });
      expect(unknownKey.status).toBe(400);
      expect(((await unknownKey.json()) as { code: string }).code).toContain('msgKey');
    });

    it('sends one message once for one idempotency key', async () => {
      const c = clientFor();
      const k = key();
      await c.sendToUsers(['zhangsan01'], text('只一次'), { idempotencyKey: k });
      const again = await c.sendToUsers(['zhangsan01'], text('只一次'), { idempotencyKey: k });
      expect(again).toMatchObject({ ok: true, duplicate: true });
      expect(fake.inbox('zhangsan01')).toHaveLength(1);
    });

    it('sends to a group the robot is in, and refuses an unknown group', async () => {
      const c = clientFor();
      expect(await c.sendToConversation('cidGROUP1', text('群通知'), { idempotencyKey: key() })).toEqual({
        ok: true,
      });
      expect(fake.groupInbox('cidGROUP1').map((d) => d.text)).toEqual(['群通知']);
      const r = await c.sendToConversation('cidNOPE', text('x'), { idempotencyKey: key() });
      expect(r).toMatchObject({ ok: false, code: 'invalid_recipient', retryable: false });
    });

    it('returns 5xx, rate limits and hangs as retryable values', async () => {
      const c = clientFor({ timeoutMs: 300 });
      await c.sendToUsers(['zhangsan01'], text('先取令牌'), { idempotencyKey: key() });
      fake.inject(BATCH_SEND_PATH, { kind: 'status', status: 502 });
      expect(await c.sendToUsers(['zhangsan01'], text('x'), { idempotencyKey: key() })).toMatchObject({
        ok: false,
        code: 'server_error',
        retryable: true,
      });
      fake.inject(BATCH_SEND_PATH, {
        kind: 'error',
        status: 403,
        code: 'Forbidden.AccessDenied.QpsLimitForApi',
      });
      const limited = await c.sendToUsers(['zhangsan01'], text('x'), { idempotencyKey: key() });
      expect(limited).toMatchObject({ ok: false, code: 'rate_limited', retryable: true });
      expect(!limited.ok && limited.retryAfterMs).toBeGreaterThan(0);
      fake.inject(GROUP_SEND_PATH, { kind: 'hang' });
      expect(await c.sendToConversation('cidGROUP1', text('x'), { idempotencyKey: key() })).toMatchObject({
        ok: false,
        code: 'timeout',
        retryable: true,
      });
      expect(fake.inbox('zhangsan01').map((d) => d.text)).toEqual(['先取令牌']);
    });

    it('tells the outbox apart an unknown person (not retried) from a held-back one (retried)', async () => {
      const sender: OutboundSender = dingtalkApiSender(clientFor());
      const unknown = await sender.send({
        targetKind: 'user',
        targetAddress: 'nobody99',
        payload: { text: 'x' },
        idempotencyKey: key(),
      });
      expect(unknown).toMatchObject({ ok: false, code: 'invalid_recipient', retryable: false });
      fake.flowControlled.add('zhangsan01');
      const held = await sender.send({
        targetKind: 'user',
        targetAddress: 'zhangsan01',
        payload: { text: 'x' },
        idempotencyKey: key(),
      });
      expect(held).toMatchObject({ ok: false, code: 'rate_limited', retryable: true });
    });

    it('sends choices as markdown whose lines send the command back', async () => {
      const sender = dingtalkApiSender(clientFor());
      const r = await sender.send({
        targetKind: 'user',
        targetAddress: 'lisi02',
        payload: { text: '请审批 QJ-2026-0001', buttons: [{ label: '批准', command: '批准 QJ-2026-0001' }] },
        idempotencyKey: key(),
      });
      expect(r).toEqual({ ok: true });
      const [d] = fake.inbox('lisi02');
      expect(d).toMatchObject({ msgKey: 'sampleMarkdown', commands: ['批准 QJ-2026-0001'] });
      expect(d!.text).toContain('请审批 QJ-2026-0001');
    });

    it('routes custom-robot targets to the robot sender and says when the enterprise robot is not set up', async () => {
      const seen: string[] = [];
      const robots: OutboundSender = {
        send: async (m) => {
          seen.push(m.targetKind);
          return { ok: true };
        },
      };
      const combined = dingtalkSenderByTarget(robots, dingtalkApiSender(clientFor()));
      const envelope = { payload: { text: '群里见' }, idempotencyKey: key() };
      expect(
        await combined.send({ ...envelope, targetKind: 'dingtalk_robot', targetAddress: 'tok' }),
      ).toEqual({
        ok: true,
      });
      expect(await combined.send({ ...envelope, targetKind: 'user', targetAddress: 'zhangsan01' })).toEqual({
        ok: true,
      });
      expect(seen).toEqual(['dingtalk_robot']);
      expect(fake.inbox('zhangsan01').map((d) => d.text)).toEqual(['群里见']);
      const robotsOnly = dingtalkSenderByTarget(robots, undefined);
      expect(
        await robotsOnly.send({ ...envelope, targetKind: 'user', targetAddress: 'zhangsan01' }),
      ).toMatchObject({ ok: false, code: 'configuration', retryable: false });
    });

    it('meters every API call of the month in the store and shows the count in /metrics', async () => {
      const metrics = createMetrics();
      const c = createDingtalkApiClient({ ...deps, store, metrics })!;
      const other = clientFor({ s: sameStore() });
      await c.sendToUsers(['zhangsan01'], text('一'), { idempotencyKey: key() });
      await other.sendToUsers(['zhangsan01'], text('二'), { idempotencyKey: key() });
      await Promise.all(
        ['三', '四', '五'].map((t) => other.sendToUsers(['lisi02'], text(t), { idempotencyKey: key() })),
      );
      // One token fetch and five sends, counted across both instances.
      expect(await c.meter.count()).toBe(6);
      expect(fake.count(TOKEN_PATH) + fake.count(BATCH_SEND_PATH)).toBe(6);
      expect(await metrics.registry.metrics()).toMatch(/^dingtalk_api_calls_month 6$/m);
    });
  });
}
