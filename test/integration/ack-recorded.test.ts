import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../db/client.ts';
import { NOT_SAVED } from '../../src/channels/dingtalk/not-saved.ts';
import type { Deps } from '../../src/deps.ts';
import { createTestDeps, realBackend, type TestDeps, testDatabaseUrl } from '../helpers/backends.ts';
import { callbackBody, dingtalkEnv, postCallback, replyText } from '../helpers/dingtalk-callback.ts';
import { type FakeDingtalk, startFakeDingtalk } from '../helpers/fake-dingtalk.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import { proxyPostgres, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { openReply, signedCallback, textXml, wecomEnv } from '../helpers/wecom-envelope.ts';

// Acknowledge only what is recorded: with PostgreSQL refusing connections and then black-holed while
// messages arrive on both channels, every callback answered 200 has its message in the database
// afterwards, every other got a non-200, and no answer claims a save that did not happen. DingTalk,
// which does not retry a robot callback, tells the person through the conversation that nothing was saved.

const b = realBackend();

describe.skipIf(!b.available)('acknowledging only what is recorded (PostgreSQL behind a proxy)', () => {
  let deps: TestDeps;
  let proxied: Deps;
  let handle: DbHandle;
  let proxy: TcpProxy;
  let ding: FakeDingtalk;
  let server: RunningServer;

  beforeAll(async () => {
    ding = await startFakeDingtalk([]);
    // Short timeouts (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS), so a black-holed database
    // fails within the test's time, as a callback must within the platform's.
    deps = await createTestDeps(b.name, {
      env: {
        ...wecomEnv(),
        ...dingtalkEnv(ding.url),
        DATABASE_CONNECT_TIMEOUT_MS: '300',
        DATABASE_QUERY_TIMEOUT_MS: '600',
      },
    });
    const congressId = await seedCongress(deps.db);
    await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', dingtalk: 'zhangsan01', congressId });
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(deps.db)).rows[0]!.s;
    const p = await proxyPostgres(testDatabaseUrl());
    proxy = p.proxy;
    // The serving pool as bootstrap opens it, with the configured timeouts, through the proxy.
    handle = await openDatabase({
      databaseUrl: p.url,
      schema,
      poolSize: 3,
      connectTimeoutMs: deps.config.databaseTimeouts.connectMs,
      queryTimeoutMs: deps.config.databaseTimeouts.queryMs,
    });
    proxied = { ...deps, db: handle.db, dbHandle: handle };
    server = await startServer(proxied);
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close().catch(() => {});
    await proxy?.close();
    await ding?.close();
    await deps?.cleanup();
  });

  interface Answer {
    key: string;
    status: number;
    said: string;
  }
  const answers: Answer[] = [];
  let n = 0;

  const wecom = async (): Promise<Answer> => {
    const key = String(7_300_000_000_000_100_000n + BigInt(++n));
    const cb = signedCallback(textXml('帮助', { msgId: key }), new Date());
    const res = await fetch(`${server.url}/wecom/callback?${cb.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: cb.body,
    });
    const text = await res.text();
    const said = res.status === 200 && text.startsWith('<xml>') ? openReply(text).content : text;
    const a = { key, status: res.status, said };
    answers.push(a);
    return a;
  };
  const dingtalk = async (): Promise<Answer & { session: string }> => {
    const session = `s${++n}`;
    const body = callbackBody({ text: '帮助', msgId: `msg-ack-${n}` });
    body.sessionWebhook = `${ding.url}/robot/sendBySession?session=${session}`;
    const res = await postCallback(server.url, body);
    const a = {
      key: String(body.msgId),
      status: res.status,
      said: res.json ? replyText(res.json) : res.text,
    };
    answers.push(a);
    return { ...a, session };
  };

  it('answers 200 only for recorded messages, and never claims a save that did not happen', async () => {
    expect((await wecom()).status).toBe(200);
    expect((await dingtalk()).status).toBe(200);

    proxy.set('refuse');
    const refused = [await wecom(), await wecom()];
    const refusedDing = await dingtalk();
    for (const a of [...refused, refusedDing]) {
      expect(a.status).toBe(503);
      expect(a.said).not.toContain('已保存');
    }
    // DingTalk does not retry: the person is told through the conversation that nothing was saved.
    expect(ding.sessionDelivered).toEqual([{ session: refusedDing.session, text: NOT_SAVED }]);

    proxy.set('blackhole');
    const started = Date.now();
    const holed = [await wecom(), await dingtalk()];
    expect(Date.now() - started).toBeLessThan(4000);
    for (const a of holed) {
      expect(a.status).not.toBe(200);
      expect(a.said).not.toContain('已保存');
    }

    proxy.set('pass');
    // WeCom retries what was not acknowledged: now it is recorded and answered.
    const cb = signedCallback(textXml('帮助', { msgId: refused[0]!.key }), new Date());
    const retried = await fetch(`${server.url}/wecom/callback?${cb.query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: cb.body,
    });
    expect(retried.status).toBe(200);
    answers.push({ key: refused[0]!.key, status: 200, said: '' });
    expect((await wecom()).status).toBe(200);

    const recorded = new Set(
      (await deps.db.selectFrom('inbound_messages').select('message_key').execute()).map(
        (r) => r.message_key,
      ),
    );
    for (const a of answers.filter((x) => x.status === 200)) expect(recorded.has(a.key)).toBe(true);
    // Nothing unacknowledged was kept behind the person's back, except what a retry then recorded.
    expect(recorded.has(refused[1]!.key)).toBe(false);
    expect(recorded.has(refusedDing.key)).toBe(false);
    for (const a of answers.filter((x) => x.said.includes('已保存'))) expect(recorded.has(a.key)).toBe(true);
  });
  it('a database that stops answering on open connections: non-200 in time, then recorded again once it answers', async () => {
    // The pool's connections are open and in use; then nothing comes back on them.
    expect((await wecom()).status).toBe(200);
    expect((await dingtalk()).status).toBe(200);
    proxy.set('blackhole');
    const holed: Answer[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const a = i === 1 ? await dingtalk() : await wecom();
      // Well inside WeCom's 5 s: the query limit (600 ms here) ends the wait, not the platform.
      expect(Date.now() - started).toBeLessThan(3000);
      expect(a.status).not.toBe(200);
      expect(a.said).not.toContain('已保存');
      holed.push(a);
    }
    const sessionsBefore = ding.sessionDelivered.length;
    expect(sessionsBefore).toBeGreaterThanOrEqual(2);
    expect(ding.sessionDelivered.at(-1)?.text).toBe(NOT_SAVED);

    // The stuck connections were dropped, not handed out again: once the database answers, so does the bot.
    proxy.set('pass');
    const after = await wecom();
    expect(after.status).toBe(200);
    const recorded = new Set(
      (await deps.db.selectFrom('inbound_messages').select('message_key').execute()).map(
        (r) => r.message_key,
      ),
    );
    expect(recorded.has(after.key)).toBe(true);
    for (const a of holed) expect(recorded.has(a.key)).toBe(false);
    for (const a of answers.filter((x) => x.status === 200)) expect(recorded.has(a.key)).toBe(true);
  });

  it('lives through a connection cut between two statements of a transaction, and serves again after', async () => {
    proxy.set('pass');
    const cut = handle.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      // The connection is reset while this transaction holds it but runs no statement.
      proxy.set('refuse');
      await new Promise((r) => setTimeout(r, 100));
      await sql`select 1`.execute(trx);
    });
    await expect(cut).rejects.toThrow();
    proxy.set('pass');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
