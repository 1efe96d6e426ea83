import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.ts';
import { createTestDeps, realBackend, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A Redis of its own, so stopping it does not disturb the other suites.
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe.skipIf(!realBackend().available)('/readyz with a Redis that stops', () => {
  let redis: ChildProcess;
  let port: number;
  let deps: TestDeps;
  let server: RunningServer;

  beforeAll(async () => {
    port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    deps = await createTestDeps('postgres+redis');
    await deps.store.close();
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}` });
    await waitFor(async () => {
      try {
        await store.ping();
        return true;
      } catch {
        return false;
      }
    });
    deps.store = store;
    server = await startServer(deps);
  });

  afterAll(async () => {
    await server.close();
    redis.kill('SIGKILL');
    await deps.cleanup();
  });

  it('is ready while PostgreSQL and Redis answer', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('turns 503 naming Redis when Redis stops, while /healthz stays 200', async () => {
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not_ready', failing: ['redis'] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('/readyz with a database that is gone', () => {
  let deps: TestDeps;
  let server: RunningServer;
  beforeAll(async () => {
    deps = await createTestDeps('pglite+memory');
    server = await startServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await deps.store.close();
  });

  it('turns 503 naming the database', async () => {
    await deps.dbHandle.close();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not_ready', failing: ['database'] });
  });
});
