import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/messaging/index.ts';
import {
  createTestDeps,
  realBackend,
  type TestDeps,
  testDatabaseUrl,
  testRedisUrl,
} from '../helpers/backends.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';
import { TEST_WECOM, wecomEnv } from '../helpers/wecom-envelope.ts';

// SIGTERM during a slow send: the real server runs as a child process (node src/main.ts) on the test
// PostgreSQL and Redis, sending through a fake WeCom that takes 2 s a call. Stopped while a message is in
// flight, it stops claiming, records that send, and exits 0 within the grace period; restarted, it sends
// what was left and never repeats the message that was in flight (the fake counts every call).

const root = join(import.meta.dirname, '../..');
const SEND = '/cgi-bin/message/send';
const SLOW_MS = 2000;
/** main.ts force-exits (code 1) after 10 s. */
const GRACE_MS = 10_000;

interface Child {
  pid: number;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: (signal: NodeJS.Signals) => void;
}

function startServerProcess(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { pid: child.pid as number, out: () => out, exited, kill: (s) => child.kill(s) };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const b = realBackend();

describe.skipIf(!b.available)('SIGTERM during a slow send (the server as a child process)', () => {
  let deps: TestDeps;
  let wecom: FakeWecom;
  let env: Record<string, string>;
  const children: Child[] = [];

  beforeAll(async () => {
    wecom = await startFakeWecom({
      corpId: TEST_WECOM.corpId,
      secret: TEST_WECOM.secret,
      agentId: TEST_WECOM.agentId,
    });
    wecom.slowMs.set(SEND, SLOW_MS);
    // The child uses the test Redis without a key prefix, as a deployment does: an access token an earlier
    // run's fake issued would be refused here and the send made twice, so none is left over.
    const redis = new Redis(testRedisUrl());
    const stale = await redis.keys('wecom:token:*');
    if (stale.length > 0) await redis.del(...stale);
    await redis.quit();
    deps = await createTestDeps(b.name);
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(deps.db)).rows[0]!.s;
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    env = {
      ...wecomEnv(wecom.url),
      DATABASE_URL: url.toString(),
      REDIS_URL: testRedisUrl(),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: 'sigterm-test-admin-token-0123456789',
    };
  });
  afterAll(async () => {
    for (const c of children) {
      c.kill('SIGKILL');
      await c.exited;
    }
    await wecom?.close();
    await deps?.cleanup();
  });

  const serve = async (): Promise<Child> => {
    const child = startServerProcess({ ...env, PORT: String(await freePort()) });
    children.push(child);
    await until('the server to listen', () => child.out().includes('"msg":"listening"'));
    return child;
  };
  const statuses = async () =>
    (await deps.db.selectFrom('outbox').select(['status']).orderBy('id').execute()).map((r) => r.status);

  it('exits 0 within the grace period, records the send in flight, and never repeats it after a restart', async () => {
    const run = randomBytes(6).toString('hex');
    for (const [i, user] of ['ZhangSan', 'LiSi'].entries()) {
      await enqueue(deps.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: user,
        payload: { text: `第${i + 1}条通知` },
        // Unique per run: the child's store is the shared test Redis, where a sent key is remembered.
        idempotencyKey: `sigterm:${run}:${i + 1}`,
      });
    }
    const first = await serve();
    // The dispatcher polls every second: the first row goes out and WeCom takes 2 s to answer.
    await until('the first send', () => wecom.count(SEND) === 1);
    const stoppedAt = Date.now();
    first.kill('SIGTERM');
    const { code } = await first.exited;
    const took = Date.now() - stoppedAt;
    expect(code).toBe(0);
    expect(took).toBeLessThan(GRACE_MS);
    // It waited for the answer in flight (and claimed nothing more).
    expect(took).toBeGreaterThan(SLOW_MS / 2);
    expect(first.out()).toContain('"msg":"stopped"');
    expect(wecom.count(SEND)).toBe(1);
    expect(await statuses()).toEqual(['sent', 'pending']);

    // Restarted: the row left is sent, the one in flight before is not sent again.
    const second = await serve();
    await until('the second row', async () => (await statuses()).every((s) => s === 'sent'), 15_000);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(wecom.count(SEND)).toBe(2);
    expect(wecom.inbox('ZhangSan').map((d) => d.text)).toEqual(['第1条通知']);
    expect(wecom.inbox('LiSi').map((d) => d.text)).toEqual(['第2条通知']);
  }, 60_000);
});
