import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { bucketTtlMs } from './token-bucket.ts';
import type {
  BucketSpec,
  ClaimRequest,
  ClaimResult,
  KvStore,
  SettleWrite,
  TakeResult,
  WindowSpec,
} from './types.ts';

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

// claim: KEYS = key, lock key, read key; ARGV = value, ttl, owner, lock ttl, lock? ('1'), read? ('1').
const CLAIM = `
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {0, redis.call('get', KEYS[1]), false, false}
end
local owner = false
if ARGV[5] == '1' then
  if not redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[4], 'NX') then return {1, false, false, false} end
  owner = ARGV[3]
end
local read = false
if ARGV[6] == '1' then read = redis.call('get', KEYS[3]) end
return {1, false, owner, read}
`;

const LOCK_READ = `
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {false, false} end
return {ARGV[1], redis.call('get', KEYS[2])}
`;

// settle: KEYS = the written keys, then the lock key when ARGV[2] == '1'; ARGV = count, release?, owner,
// then per write its mode ('d' delete, 's' set, 'p' set with a time to live), value and time to live.
const SETTLE = `
local n = tonumber(ARGV[1])
for i = 1, n do
  local mode = ARGV[3 + 3 * i - 2]
  if mode == 'd' then redis.call('del', KEYS[i])
  elseif mode == 's' then redis.call('set', KEYS[i], ARGV[3 + 3 * i - 1])
  else redis.call('set', KEYS[i], ARGV[3 + 3 * i - 1], 'PX', ARGV[3 + 3 * i]) end
end
if ARGV[2] == '1' and redis.call('get', KEYS[n + 1]) == ARGV[3] then redis.call('del', KEYS[n + 1]) end
return 1
`;

type Scripted = Redis & {
  claim(...args: string[]): Promise<[number, string | null, string | null, string | null]>;
  lockRead(...args: string[]): Promise<[string | null, string | null]>;
  settle(...args: (string | number)[]): Promise<number>;
};

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
      // Commands issued in the same tick share one write: one syscall for many messages' calls. Order on
      // the one connection is kept, and nothing here relies on order across connections.
      enableAutoPipelining: true,
    });
    // Sent once, then called by their SHA (EVALSHA), not re-sent as text with every message.
    this.redis.defineCommand('claim', { numberOfKeys: 3, lua: CLAIM });
    this.redis.defineCommand('lockRead', { numberOfKeys: 2, lua: LOCK_READ });
    this.redis.defineCommand('settle', { lua: SETTLE });
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

  private get scripted(): Scripted {
    return this.redis as Scripted;
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    const owner = req.lock ? randomUUID() : '';
    const [set, current, taken, read] = await this.scripted.claim(
      req.key,
      req.lock?.key ?? req.key,
      req.read ?? req.key,
      req.value,
      String(req.ttlMs),
      owner,
      String(req.lock?.ttlMs ?? 0),
      req.lock ? '1' : '0',
      req.read ? '1' : '0',
    );
    return { set: set === 1, current: current ?? null, owner: taken ?? null, read: read ?? null };
  }

  async lockAndRead(
    lockKey: string,
    ttlMs: number,
    readKey: string,
  ): Promise<{ owner: string | null; read: string | null }> {
    const [owner, read] = await this.scripted.lockRead(lockKey, readKey, randomUUID(), String(ttlMs));
    return { owner: owner ?? null, read: read ?? null };
  }

  async settle(writes: readonly SettleWrite[], release?: { key: string; owner: string }): Promise<void> {
    const keys = writes.map((w) => w.key);
    if (release) keys.push(release.key);
    const args: string[] = [String(writes.length), release ? '1' : '0', release?.owner ?? ''];
    for (const w of writes) {
      if (w.value === null) args.push('d', '', '');
      else if (w.ttlMs === undefined) args.push('s', w.value, '');
      else args.push('p', w.value, String(w.ttlMs));
    }
    await this.scripted.settle(keys.length, ...keys, ...args);
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
