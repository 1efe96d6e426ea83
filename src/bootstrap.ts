import { openDatabase } from '../db/client.ts';
import type { LockRole } from '../db/data-dir-lock.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { domainWiring } from './runtime.ts';
import { openStore } from './store/index.ts';

export interface BuildOptions {
  clock?: Clock;
  log?: Logger;
  migrate?: boolean;
  /** Who holds the embedded database's directory (the serving process, or a CLI run without one). */
  owner?: LockRole;
}

/** Opens the database and the store, migrates, and returns the dependencies of the process. */
export async function buildDeps(config: Config, opts: BuildOptions = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  if (config.databaseUrl && opts.migrate !== false) {
    // Migrations may run long (an index over a big table): on a connection of their own, with no query
    // time limit, before the serving pool with its limits opens.
    const migrating = await openDatabase({
      databaseUrl: config.databaseUrl,
      poolSize: 1,
      connectTimeoutMs: config.databaseTimeouts.connectMs,
    });
    try {
      const { applied } = await migrateToLatest(migrating.db);
      if (applied.length > 0) log.info({ applied }, 'database migrated');
    } finally {
      await migrating.close();
    }
  }
  const dbHandle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    owner: opts.owner ?? 'cli',
    connectTimeoutMs: config.databaseTimeouts.connectMs,
    queryTimeoutMs: config.databaseTimeouts.queryMs,
  });
  if (dbHandle.engine === 'pglite') {
    log.info({ dataDir: config.dataDir }, 'using the embedded PostgreSQL (PGlite)');
    if (opts.migrate !== false) {
      const { applied } = await migrateToLatest(dbHandle.db);
      if (applied.length > 0) log.info({ applied }, 'database migrated');
    }
  }
  const store = openStore(config.redisUrl, clock);
  if (store.kind === 'memory') log.warn('no REDIS_URL: using the in-process store (single instance only)');
  return {
    config,
    db: dbHandle.db,
    dbHandle,
    store,
    log,
    clock,
    metrics: createMetrics(),
    wiring: domainWiring(),
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.store.close();
  await deps.dbHandle.close();
}
