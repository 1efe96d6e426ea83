import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type Clock, systemClock } from '../src/clock.ts';
import type { Config } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { createLogger } from '../src/logger.ts';
import { createMetrics } from '../src/metrics.ts';
import { domainWiring } from '../src/runtime.ts';
import { MemoryStore } from '../src/store/memory-store.ts';
import { RedisStore } from '../src/store/redis-store.ts';

// Each bench part gets a database and store of its own, dropped afterwards, so a part's numbers never
// include another part's rows and nothing is left behind: with DATABASE_URL a fresh schema in that
// database, else a PGlite in a temporary directory (on disk, as in production); with REDIS_URL a fresh
// key prefix, else the in-process store.

export interface BenchBackend {
  deps: Deps;
  database: 'postgres' | 'pglite';
  store: 'redis' | 'memory';
  close(): Promise<void>;
}

const MAX_SCAN_ROUNDS = 100_000;
/** The advisory lock test/helpers/backends.ts takes around creating, migrating and dropping a schema. */
const SCHEMA_LOCK = 7_340_001;

export async function openBenchBackend(config: Config, clock: Clock = systemClock): Promise<BenchBackend> {
  const id = randomBytes(5).toString('hex');
  const log = createLogger('error');
  const cleanups: (() => Promise<void>)[] = [];

  let handle: Awaited<ReturnType<typeof openDatabase>>;
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const schema = `bench_${id}`;
    // Migrating reads the catalog of every schema; one dropped meanwhile (by the tests sharing the database)
    // fails that read. The tests take this advisory lock to create, migrate and drop; so does the bench.
    handle = await withClient(url, async (c) => {
      await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await c.query(`create schema ${schema}`);
      const h = await openDatabase({ databaseUrl: url, schema, poolSize: 10 });
      await migrateToLatest(h.db);
      return h;
    });
    cleanups.push(() =>
      withClient(url, async (c) => {
        await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
        await c.query(`drop schema if exists ${schema} cascade`);
      }),
    );
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-bench-'));
    handle = await openDatabase({ dataDir: dir });
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await migrateToLatest(handle.db);
  }

  let store: Deps['store'];
  if (config.redisUrl) {
    const prefix = `bench:${id}:`;
    store = new RedisStore({ url: config.redisUrl, prefix, clock });
    cleanups.push(() => dropKeys(config.redisUrl!, prefix));
  } else {
    store = new MemoryStore(clock);
  }

  const deps: Deps = {
    config,
    db: handle.db,
    dbHandle: handle,
    store,
    log,
    clock,
    metrics: createMetrics(),
    wiring: domainWiring(),
  };
  return {
    deps,
    database: handle.engine,
    store: store.kind,
    close: async () => {
      await store.close();
      await handle.close();
      for (const c of cleanups) await c();
    },
  };
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Deletes every key under the bench's prefix (a bounded SCAN). */
async function dropKeys(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await r.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    r.disconnect();
  }
}
