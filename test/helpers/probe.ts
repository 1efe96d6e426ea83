import { Redis } from 'ioredis';
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ServiceProbe {
  postgres: { url: string; ok: boolean; error?: string };
  redis: { url: string; ok: boolean; error?: string };
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    redis.disconnect();
  }
}

export async function probeServices(env: NodeJS.ProcessEnv = process.env): Promise<ServiceProbe> {
  const pgUrl = env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const redisUrl = env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;
  const [pgErr, redisErr] = await Promise.all([probePostgres(pgUrl), probeRedis(redisUrl)]);
  return {
    postgres: { url: pgUrl, ok: pgErr === undefined, ...(pgErr ? { error: pgErr } : {}) },
    redis: { url: redisUrl, ok: redisErr === undefined, ...(redisErr ? { error: redisErr } : {}) },
  };
}

/** The probe result as passed to test workers through the environment. */
export const PROBE_ENV = 'TEST_SERVICE_PROBE';
