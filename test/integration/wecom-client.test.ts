import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomClient } from '../../src/channels/wecom/client.ts';
import { appMenu, commandForMenuKey } from '../../src/channels/wecom/menu.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { runWecomMenu } from '../../src/cli/wecom-menu-command.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { KvStore } from '../../src/store/types.ts';
import { backends, createTestDeps, createTestStore, type TestDeps } from '../helpers/backends.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { TEST_WECOM, wecomEnv } from '../helpers/wecom-envelope.ts';

const ROBOT_KEY = '693a91f6-7c1e-4bc4-97a0-0ec2b1fa5aaa';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`WeCom API client on ${backend.name}`, () => {
    let fake: FakeWecom;
    let deps: TestDeps;
    // A fresh store for each test (token cache, budgets), shared by the "instances" of that test.
    let store: KvStore;
    let prefix = '';
    const stores: KvStore[] = [];
    const newStore = (sharePrefix?: string): KvStore => {
      prefix = sharePrefix ?? `t:wecom:${Math.random().toString(36).slice(2)}:`;
      const s =
        backend.name === 'pglite+memory' && sharePrefix
          ? store
          : createTestStore(backend.name, undefined, prefix);
      stores.push(s);
      return s;
    };

    const clientFor = (env: Record<string, string> = {}, timeoutMs = 2000, s: KvStore = store) => {
      const base = deps.config.wecom!;
      return new WecomClient({
        config: {
          ...base,
          ...(env.WECOM_SECRET ? { secret: env.WECOM_SECRET } : {}),
          ...(env.WECOM_CORP_ID ? { corpId: env.WECOM_CORP_ID } : {}),
          ...(env.WECOM_API_BASE ? { apiBase: env.WECOM_API_BASE } : {}),
        },
        store: s,
        log: deps.log,
        timeoutMs,
      });
    };
    const send = (c: WecomClient, to: string, text: string, key = `k-${Math.random()}`) =>
      c.sendText(to, text, { idempotencyKey: key });

    beforeAll(async () => {
      fake = await new FakeWecom({ ...TEST_WECOM, robotKeys: [ROBOT_KEY] }).start();
      deps = await createTestDeps(backend.name, { env: wecomEnv(fake.url) });
    });
    afterAll(async () => {
      await fake.close();
      await deps.cleanup();
    });
    beforeEach(() => {
      fake.reset();
      deps.logs.lines.length = 0;
      store = newStore();
    });
    afterEach(async () => {
      for (const s of new Set(stores.splice(0))) await s.close();
    });

    it('sends a text a member sees', async () => {
      const client = clientFor();
      const r = await send(client, 'ZhangSan', '您的建议 JY-2026-0012 已交办。');
      expect(r).toMatchObject({ ok: true });
      expect(fake.inbox('ZhangSan').map((d) => d.text)).toEqual(['您的建议 JY-2026-0012 已交办。']);
    });

    it('asks WeCom to drop a repeat of the same request within 30 minutes', async () => {
      const client = clientFor();
      expect((await send(client, 'ZhangSan', '明天是接待日')).ok).toBe(true);
      // Another message with the same text and recipient: WeCom accepts it and does not show it again.
      expect((await send(client, 'ZhangSan', '明天是接待日')).ok).toBe(true);
      expect(fake.count('/cgi-bin/message/send')).toBe(2);
      expect(fake.inbox('ZhangSan')).toHaveLength(1);
    });

    it('fetches one token for many sends, also across two instances sharing the store', async () => {
      const a = clientFor();
      const b = clientFor({}, 2000, newStore(prefix));
      // Both instances start cold at the same moment: one refresh, the other waits and re-reads.
      const results = await Promise.all([
        send(a, 'u1', '一'),
        send(b, 'u2', '二'),
        send(a, 'u3', '三'),
        send(b, 'u4', '四'),
      ]);
      expect(results.every((r) => r.ok)).toBe(true);
      for (let i = 0; i < 5; i++) expect((await send(i % 2 ? a : b, `u${i}`, `第${i}条`)).ok).toBe(true);
      expect(fake.count('/cgi-bin/gettoken')).toBe(1);
      expect(fake.delivered).toHaveLength(9);
    });

    it('refreshes once and delivers when the token expired (42001)', async () => {
      const client = clientFor();
      expect((await send(client, 'u1', '第一条')).ok).toBe(true);
      fake.expireTokens();
      expect(await send(client, 'u1', '第二条')).toMatchObject({ ok: true });
      expect(fake.count('/cgi-bin/gettoken')).toBe(2);
      expect(fake.inbox('u1').map((d) => d.text)).toEqual(['第一条', '第二条']);
    });

    it('refreshes once and delivers when the token was invalidated (40014)', async () => {
      const client = clientFor();
      expect((await send(client, 'u1', '第一条')).ok).toBe(true);
      fake.invalidateTokens();
      expect(await send(client, 'u1', '第二条')).toMatchObject({ ok: true });
      expect(fake.count('/cgi-bin/gettoken')).toBe(2);
      expect(fake.inbox('u1')).toHaveLength(2);
    });

    it('gives up after one refresh when the new token is refused too', async () => {
      const client = clientFor();
      fake.inject('/cgi-bin/message/send', { kind: 'errcode', errcode: 40014 }, 2);
      const r = await send(client, 'u1', '你好');
      expect(r).toMatchObject({ ok: false, code: 'token_rejected', retryable: true });
      expect(fake.count('/cgi-bin/message/send')).toBe(2);
      expect(fake.delivered).toHaveLength(0);
    });

    it('reports a wrong secret (40001) as a configuration error, without retrying', async () => {
      const r = await send(clientFor({ WECOM_SECRET: 'not-the-secret' }), 'u1', '你好');
      expect(r).toMatchObject({ ok: false, code: 'configuration', retryable: false, errcode: 40001 });
      expect(r.ok ? '' : r.message).toContain('WECOM_SECRET');
      expect(fake.count('/cgi-bin/gettoken')).toBe(1);
      expect(fake.count('/cgi-bin/message/send')).toBe(0);
      expect(deps.logs.text).not.toContain('not-the-secret');
    });

    it('reports a wrong corp id (40013) as a configuration error', async () => {
      expect(await send(clientFor({ WECOM_CORP_ID: 'wwWrong' }), 'u1', '你好')).toMatchObject({
        ok: false,
        code: 'configuration',
        errcode: 40013,
      });
    });

    it('answers a 5xx with a retryable result', async () => {
      fake.inject('/cgi-bin/message/send', { kind: 'status', status: 502 });
      const r = await send(clientFor(), 'u1', '你好');
      expect(r).toMatchObject({ ok: false, code: 'server_error', retryable: true });
      expect(fake.delivered).toHaveLength(0);
    });

    it('answers a hang with a retryable timeout', async () => {
      const client = clientFor({}, 300);
      expect((await send(client, 'u1', '预热')).ok).toBe(true);
      fake.inject('/cgi-bin/message/send', { kind: 'hang' });
      const r = await send(client, 'u1', '你好');
      expect(r).toMatchObject({ ok: false, code: 'timeout', retryable: true });
    });

    it('answers an unreachable server with a retryable network error', async () => {
      expect(await send(clientFor({ WECOM_API_BASE: 'http://127.0.0.1:9' }), 'u1', '你好')).toMatchObject({
        ok: false,
        code: 'network_error',
        retryable: true,
      });
    });

    it("passes WeCom's own rate limit (45009) on as retryable", async () => {
      fake.inject('/cgi-bin/message/send', { kind: 'errcode', errcode: 45009 });
      expect(await send(clientFor(), 'u1', '你好')).toMatchObject({
        ok: false,
        code: 'rate_limited',
        retryable: true,
      });
    });

    it("refuses in advance what would pass a member's minute budget, and sends nothing", async () => {
      const client = clientFor();
      let sent = 0;
      let refused: Awaited<ReturnType<typeof send>> | undefined;
      for (let i = 0; i < 40 && !refused; i++) {
        // The same member, whatever the case of the userid.
        const r = await send(client, i % 2 ? 'LiSi' : 'lisi', `提醒 ${i}`);
        if (r.ok) sent++;
        else refused = r;
      }
      expect(refused).toMatchObject({ ok: false, code: 'rate_limited', retryable: true });
      expect(refused && !refused.ok ? refused.retryAfterMs : 0).toBeGreaterThan(0);
      // Never more than WeCom's 30 a minute, and what was refused never reached WeCom.
      expect(sent).toBe(30);
      expect(fake.count('/cgi-bin/message/send')).toBe(sent);
      expect(fake.inbox('lisi')).toHaveLength(sent);
      // Another member has a budget of their own.
      expect((await send(client, 'WangWu', '你好')).ok).toBe(true);
    });

    it('refuses a text over 2048 bytes without calling WeCom', async () => {
      const r = await send(clientFor(), 'u1', '代'.repeat(683));
      expect(r).toMatchObject({ ok: false, code: 'content_too_long', retryable: false });
      expect(fake.count('/cgi-bin/message/send')).toBe(0);
      expect((await send(clientFor(), 'u1', '代'.repeat(682))).ok).toBe(true);
    });

    it('sends a message with one idempotency key once', async () => {
      const client = clientFor();
      expect(
        await client.sendText('u1', '您的请假已批准', { idempotencyKey: 'leave:QJ-2026-0001' }),
      ).toMatchObject({
        ok: true,
      });
      expect(
        await client.sendText('u1', '您的请假已批准', { idempotencyKey: 'leave:QJ-2026-0001' }),
      ).toMatchObject({
        ok: true,
        duplicate: true,
      });
      // An instance that lost its memory of the send (a crash) resends: WeCom's duplicate check drops it.
      const amnesiac = new WecomClient({
        config: deps.config.wecom!,
        store: new MemoryStore(),
        log: deps.log,
      });
      expect(
        (await amnesiac.sendText('u1', '您的请假已批准', { idempotencyKey: 'leave:QJ-2026-0001' })).ok,
      ).toBe(true);
      expect(fake.inbox('u1').map((d) => d.text)).toEqual(['您的请假已批准']);
    });

    it('sends choices as a card with buttons', async () => {
      const r = await clientFor().sendTemplateCard(
        'u1',
        {
          title: '请假申请 QJ-2026-0003',
          description: '张三 申请请假：第一次会议',
          buttons: [
            { label: '批准', command: '批准 QJ-2026-0003' },
            { label: '不批准', command: '不批准 QJ-2026-0003' },
          ],
        },
        { idempotencyKey: 'card:QJ-2026-0003' },
      );
      expect(r.ok).toBe(true);
      expect(fake.inbox('u1')).toMatchObject([
        {
          msgtype: 'template_card',
          text: '请假申请 QJ-2026-0003',
          buttons: [
            { text: '批准', key: '批准 QJ-2026-0003' },
            { text: '不批准', key: '不批准 QJ-2026-0003' },
          ],
        },
      ]);
    });

    it('publishes the menu, whose clicks read back as commands', async () => {
      expect(await clientFor().createMenu(appMenu())).toEqual({ ok: true });
      expect(fake.menus).toHaveLength(1);
      const published = fake.menus[0]!.button as { key?: string; sub_button?: { key: string }[] }[];
      const keys = published.flatMap((b) => (b.sub_button ? b.sub_button.map((s) => s.key) : [b.key!]));
      expect(keys.map(commandForMenuKey)).toEqual(['请假', '建议', '查询', '接待日', '我的履职']);
    });

    it('sends group robot texts, refusing in advance past 20 a minute', async () => {
      const client = clientFor();
      let sent = 0;
      let refused: Awaited<ReturnType<WecomClient['sendRobotText']>> | undefined;
      for (let i = 0; i < 30 && !refused; i++) {
        const r = await client.sendRobotText(ROBOT_KEY, `第${i}组通知`);
        if (r.ok) sent++;
        else refused = r;
      }
      expect(refused).toMatchObject({ ok: false, code: 'rate_limited', retryable: true });
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThanOrEqual(20);
      expect(fake.robotDelivered).toHaveLength(sent);
      expect(fake.count('/cgi-bin/webhook/send')).toBe(sent);
    });

    it('reports an unknown robot key', async () => {
      expect(await clientFor().sendRobotText('no-such-key', '你好')).toMatchObject({
        ok: false,
        code: 'invalid_webhook',
        retryable: false,
      });
    });

    it('never writes a token, the secret or a robot key into a log line', async () => {
      const client = clientFor({}, 300);
      await send(client, 'u1', '一');
      fake.expireTokens();
      await send(client, 'u1', '二');
      fake.inject('/cgi-bin/message/send', { kind: 'status', status: 500 });
      await send(client, 'u1', '三');
      fake.inject('/cgi-bin/message/send', { kind: 'hang' });
      await send(client, 'u1', '四');
      await client.sendRobotText(ROBOT_KEY, '群通知');
      await client.sendRobotText('secret-robot-key-xyz', '群通知');
      const tokens = fake.issuedTokens();
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(deps.logs.lines.length).toBeGreaterThan(0);
      for (const secret of [...tokens, TEST_WECOM.secret, ROBOT_KEY, 'secret-robot-key-xyz']) {
        expect(deps.logs.text).not.toContain(secret);
      }
    });
  });
}

describe('npm run cli -- wecom menu', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await new FakeWecom({ ...TEST_WECOM }).start();
  });
  afterAll(async () => {
    await fake.close();
  });

  const capture = (): CliIo & { outLines: string[]; errLines: string[] } => {
    const outLines: string[] = [];
    const errLines: string[] = [];
    return {
      outLines,
      errLines,
      out: (l) => outLines.push(l),
      err: (l) => errLines.push(l),
      tty: false,
      progress: () => {},
    };
  };

  it('publishes the five commands', async () => {
    const io = capture();
    expect(await runWecomMenu({ ...wecomEnv(fake.url), LOG_LEVEL: 'silent' }, io)).toBe(0);
    expect(io.outLines.join('\n')).toContain('请假、提建议、查进度、接待日、我的履职');
    expect(fake.menus).toHaveLength(1);
  });

  it('says in Chinese what is missing without the WeCom settings, and exits 1', async () => {
    const io = capture();
    expect(await runWecomMenu({ LOG_LEVEL: 'silent' }, io)).toBe(1);
    expect(io.errLines.join('\n')).toContain('未配置企业微信');
    expect(io.errLines.join('\n')).toContain('WECOM_SECRET');
  });

  it('says why WeCom refused, and exits 1', async () => {
    const io = capture();
    expect(
      await runWecomMenu({ ...wecomEnv(fake.url), WECOM_SECRET: 'wrong', LOG_LEVEL: 'silent' }, io),
    ).toBe(1);
    expect(io.errLines.join('\n')).toContain('发布菜单失败');
    expect(io.errLines.join('\n')).toContain('WECOM_SECRET');
  });
});
