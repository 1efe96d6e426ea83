import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { bucketTtlMs } from './token-bucket.ts';
import type { BucketSpec, KvStore, TakeResult, WindowSpec } from './types.ts';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
// Mirrors takeFromBucket in token-bucket.ts; the caller's clock is passed in so tests can move time.
const TAKE = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local raw = redis.call('get', KEYS[1])
local tokens = cap
local at = now
if raw then
  local sep = string.find(raw, ':')
  tokens = tonumber(string.sub(raw, 1, sep - 1))
  at = tonumber(string.sub(raw, sep + 1))
end
local elapsed = now - at
if elapsed < 0 then elapsed = 0 end
tokens = math.min(cap, tokens + (elapsed / 1000) * rate)
local allowed = 0
if tokens >= n then
  tokens = tokens - n
  allowed = 1
end
redis.call('set', KEYS[1], tostring(tokens) .. ':' .. tostring(now), 'PX', ttl)
return {allowed, tostring(tokens)}
`;

// A sliding window as a sorted set of event times; the caller's clock is passed in, as for buckets.
const WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local count = redis.call('zcard', KEYS[1])
if count < limit then
  redis.call('zadd', KEYS[1], now, ARGV[4])
  redis.call('pexpire', KEYS[1], window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
`;

export interface RedisStoreOptions {
  url: string;
  /** Prefix for every key (tests isolate runs with it). */
  prefix?: string;
  clock?: Clock;
}

export class RedisStore implements KvStore {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  private readonly clock: Clock;

  constructor(opts: RedisStoreOptions) {
    this.clock = opts.clock ?? systemClock;
    this.redis = new Redis(opts.url, {
      keyPrefix: opts.prefix ?? '',
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Connection errors surface through /readyz and failing calls; no unhandled 'error' events.
    this.redis.on('error', () => {});
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', ttlMs);
  }

  async del(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const owner = randomUUID();
    return (await this.setIfAbsent(key, owner, ttlMs)) ? owner : null;
  }

  async releaseLock(key: string, owner: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, key, owner)) === 1;
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, key, owner, String(ttlMs))) === 1;
  }

  async take(key: string, spec: BucketSpec, n = 1): Promise<TakeResult> {
    const now = this.clock.now().getTime();
    const [allowed, tokensRaw] = (await this.redis.eval(
      TAKE,
      1,
      key,
      String(spec.capacity),
      String(spec.refillPerSecond),
      String(n),
      String(now),
      String(bucketTtlMs(spec)),
    )) as [number, string];
    const tokens = Number(tokensRaw);
    if (allowed === 1) return { allowed: true, retryAfterMs: 0, remaining: Math.floor(tokens) };
    const retryAfterMs =
      spec.refillPerSecond > 0
        ? Math.ceil(((n - tokens) / spec.refillPerSecond) * 1000)
        : Number.POSITIVE_INFINITY;
    return { allowed: false, retryAfterMs, remaining: Math.floor(tokens) };
  }

  async takeWindow(key: string, spec: WindowSpec): Promise<TakeResult> {
    const now = this.clock.now().getTime();
    const [allowed, remaining, retryAfterMs] = (await this.redis.eval(
      WINDOW,
      1,
      key,
      String(now),
      String(spec.windowMs),
      String(spec.limit),
      `${now}:${randomUUID()}`,
    )) as [number, number, number];
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
