import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock, type LockRole } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  /**
   * For the few statements that are meant to run long (the day's reminder run over a whole roster): no
   * query time limit, and room for its temporary tables in memory. On PostgreSQL a pool of its own, opened
   * on first use; on PGlite the one connection.
   */
  bulk: Db;
  engine: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

// DATE columns come back as 'YYYY-MM-DD' strings: a statutory date is a calendar date, never an instant.
pg.types.setTypeParser(1082, (v) => v);
// BIGINT ids fit easily in a JS number for our volumes; counts come back as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Postgres schema to use as search_path (tests isolate each run in its own schema). */
  schema?: string | undefined;
  /** In-memory PGlite (tests). */
  memory?: boolean;
  poolSize?: number;
  /** PostgreSQL: how long to wait for a new connection (ms). */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: how long one query may go unanswered (ms; 0: no limit). The client gives up, the server
   * cancels it (statement_timeout), and the connection is dropped: a black-holed database fails fast
   * instead of hanging a callback past the platform's 5 s.
   */
  queryTimeoutMs?: number;
  /**
   * Who opens an on-disk PGlite: its directory is locked for this process (DataDirBusyError when another
   * holds it). Default 'cli'.
   */
  owner?: LockRole;
}

/**
 * What a statement's text starts with to be prepared once per connection (see `preparedStatement`), after
 * the blank space a statement written on its own lines opens with.
 */
const PREPARED_MARK = /^\s*\/\* prepared: ([a-z_]+) \*\//;

/**
 * Marks a statement, written first in its text, to be parsed and planned once per PostgreSQL connection and
 * reused from then on under `name`, where an unmarked statement is parsed and planned on every run. Only for
 * a statement whose text never changes (lists go in as arrays) and that runs on every message: for the one
 * that records messages, parsing and planning were about half of PostgreSQL's work. On PGlite it is a comment.
 */
export function preparedStatement(name: string) {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not a statement name: ${name}`);
  return sql.raw(`/* prepared: ${name} */ `);
}

/** A pg client that sends a statement marked by `preparedStatement` as a named one. */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this wraps them all.
  override query(...args: any[]): any {
    const [text, values] = args;
    const name = typeof text === 'string' ? PREPARED_MARK.exec(text)?.[1] : undefined;
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const query = super.query as (...a: any[]) => any;
    return name ? query.call(this, { name, text, values }, ...args.slice(2)) : query.apply(this, args);
  }
}

/**
 * A pg client that drops its connection when a query goes unanswered past query_timeout. pg itself only
 * fails the query and keeps the connection, which then stays stuck behind it (a black-holed database never
 * answers): ended here, the pool replaces it instead of handing it out again.
 */
class DroppingClient extends PreparingClient {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this wraps them all.
  override query(...args: any[]): any {
    const result = super.query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((err: unknown) => {
      if (err instanceof Error && err.message === 'Query read timeout') void this.end().catch(() => {});
      throw err;
    });
  }
}

/**
 * A client that loses its connection while checked out but between statements (inside a transaction, or
 * as one statement ends) emits the error on itself, where nothing listens: the process would die of it.
 * Heard here, the error reaches the next statement instead (the client is no longer queryable), and the
 * pool drops the client when it is released.
 */
function keepErrorsToQueries(client: pg.Client): void {
  client.on('error', () => {});
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const queryTimeout = opts.queryTimeoutMs ?? 0;
    // Settings in the URL (?options=-c …) would replace these in pg: both are kept, the URL's first.
    const url = new URL(opts.databaseUrl);
    const fromUrl = url.searchParams.get('options');
    url.searchParams.delete('options');
    const connectionString = fromUrl ? url.toString() : opts.databaseUrl;
    const common = [...(fromUrl ? [fromUrl] : []), ...(opts.schema ? [`-c search_path=${opts.schema}`] : [])];
    const settings = [...common, ...(queryTimeout > 0 ? [`-c statement_timeout=${queryTimeout}`] : [])];
    const pool = new pg.Pool({
      connectionString,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      ...(queryTimeout > 0
        ? { query_timeout: queryTimeout, Client: DroppingClient }
        : { Client: PreparingClient }),
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it and /readyz reports the outage.
    });
    pool.on('connect', keepErrorsToQueries);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // temp_buffers can only be set before a session first uses a temporary table: at connection start.
    // Three: a reminder run's lock and its two parts (jobs/reminder-ledger.ts).
    const bulkPool = new pg.Pool({
      connectionString,
      max: 3,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      options: [...common, '-c temp_buffers=128MB'].join(' '),
    });
    bulkPool.on('error', () => {});
    bulkPool.on('connect', keepErrorsToQueries);
    const bulk = new Kysely<Database>({ dialect: new PostgresDialect({ pool: bulkPool }) });
    return {
      db,
      bulk,
      engine: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        await db.destroy();
        await bulk.destroy();
      },
    };
  }
  let pglite: PGlite;
  let lock: DataDirLock | null = null;
  if (opts.memory) {
    pglite = new PGlite({ parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) } });
  } else {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // One writer only: two PGlite instances on one directory diverge at once.
    lock = acquireDataDirLock(dir, opts.owner ?? 'cli');
    pglite = new PGlite(`${dir.replace(/\/$/, '')}/pg`, {
      parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
    });
  }
  try {
    await pglite.waitReady;
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    bulk: db,
    engine: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      lock?.release();
    },
  };
}
