import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { type DbHandle, openDatabase } from '../../db/client.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { domainWiring } from '../../src/runtime.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { RedisStore } from '../../src/store/redis-store.ts';
import type { KvStore } from '../../src/store/types.ts';
import { PROBE_ENV, type ServiceProbe } from './probe.ts';

export type BackendName = 'postgres+redis' | 'pglite+memory';

export interface Backend {
  name: BackendName;
  /** False when the services it needs are missing (the suite is skipped, and test/run.ts said so). */
  available: boolean;
}

function probe(): ServiceProbe | undefined {
  const raw = process.env[PROBE_ENV];
  return raw ? (JSON.parse(raw) as ServiceProbe) : undefined;
}

const real = (): boolean => {
  const p = probe();
  return Boolean(p?.postgres.ok && p.redis.ok);
};

/** The backends every integration suite runs on: real services when present, and the embedded pair. */
export function backends(): Backend[] {
  return [
    { name: 'postgres+redis', available: real() },
    { name: 'pglite+memory', available: true },
  ];
}

/** Only the real-services backend (for suites that are about PostgreSQL/Redis themselves). */
export const realBackend = (): Backend => ({ name: 'postgres+redis', available: real() });

export const testDatabaseUrl = (): string => probe()!.postgres.url;
export const testRedisUrl = (): string => probe()!.redis.url;

export interface TestDb {
  handle: DbHandle;
  /** For a second "instance" sharing the same database. */
  open(): Promise<DbHandle>;
  drop(): Promise<void>;
}

const SCHEMA_LOCK = 7_340_001;

export async function withSchemaLock<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await work(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}

/** A freshly migrated database: a new schema on the test PostgreSQL, or an in-memory PGlite. */
export async function createTestDb(backend: BackendName): Promise<TestDb> {
  if (backend === 'pglite+memory') {
    const handle = await openDatabase({ memory: true });
    await migrateToLatest(handle.db);
    return { handle, open: async () => handle, drop: () => handle.close() };
  }
  const url = testDatabaseUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const handles: DbHandle[] = [];
  const open = async () => {
    const h = await openDatabase({ databaseUrl: url, schema, poolSize: 5 });
    handles.push(h);
    return h;
  };
  // Migrating reads the catalog of every schema; a schema another worker drops meanwhile makes that read
  // fail. Creating-and-migrating and dropping take one advisory lock, so they never overlap.
  const handle = await withSchemaLock(url, async (admin) => {
    await admin.query(`create schema ${schema}`);
    const h = await open();
    await migrateToLatest(h.db);
    return h;
  });
  return {
    handle,
    open,
    drop: async () => {
      for (const h of handles) await h.close().catch(() => {});
      await withSchemaLock(url, (admin) => admin.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

export function createTestStore(backend: BackendName, clock: Clock = systemClock, prefix?: string): KvStore {
  if (backend === 'pglite+memory') return new MemoryStore(clock);
  return new RedisStore({
    url: testRedisUrl(),
    prefix: prefix ?? `t:${randomBytes(6).toString('hex')}:`,
    clock,
  });
}

/**
 * Counts the commands a store sends on its Redis connection from now on (several pipelined commands are
 * still counted one by one); on the in-process store, null: it sends none.
 */
export function countRedisCommands(store: KvStore): { readonly n: number; reset(): void } | null {
  if (store.kind !== 'redis') return null;
  const redis = (store as RedisStore).redis;
  const send = redis.sendCommand.bind(redis);
  const counter = {
    n: 0,
    reset() {
      counter.n = 0;
    },
  };
  redis.sendCommand = ((...a: Parameters<typeof send>) => {
    counter.n++;
    return send(...a);
  }) as typeof send;
  return counter;
}

/** Captures every log line a test's app writes. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestDeps extends Deps {
  logs: LogCapture;
  /** Redis key prefix shared by every instance of one test. */
  storePrefix: string;
  testDb: TestDb;
  cleanup(): Promise<void>;
}

export interface TestDepsOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Share a database/store with another TestDeps (a second instance). */
  shareWith?: TestDeps;
  storePrefix?: string;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export async function createTestDeps(backend: BackendName, opts: TestDepsOptions = {}): Promise<TestDeps> {
  const clock = opts.clock ?? systemClock;
  const config: Config = loadConfig({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'debug', ...opts.env });
  const logs = new LogCapture();
  const log = createLogger('debug', logs);
  let testDb: TestDb;
  let dbHandle: DbHandle;
  let store: KvStore;
  const storePrefix =
    opts.shareWith?.storePrefix ?? opts.storePrefix ?? `t:${randomBytes(6).toString('hex')}:`;
  if (opts.shareWith) {
    testDb = opts.shareWith.testDb;
    dbHandle = backend === 'pglite+memory' ? testDb.handle : await testDb.open();
    store = backend === 'pglite+memory' ? opts.shareWith.store : createTestStore(backend, clock, storePrefix);
  } else {
    testDb = await createTestDb(backend);
    dbHandle = testDb.handle;
    store = createTestStore(backend, clock, storePrefix);
  }
  const deps: TestDeps = {
    config,
    db: dbHandle.db,
    dbHandle,
    store,
    log,
    clock,
    metrics: createMetrics(),
    wiring: domainWiring(),
    logs,
    storePrefix,
    testDb,
    cleanup: async () => {
      await store.close();
      if (!opts.shareWith) await testDb.drop();
    },
  };
  return deps;
}
