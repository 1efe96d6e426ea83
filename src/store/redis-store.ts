import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { bucketTtlMs } from './token-bucket.ts';
import { TurnBatch } from './turn-batch.ts';
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

// claim, for several messages at once (one script call per turn of the event loop, turn-batch.ts), each
// as it would run alone and in the order asked: per claim 3 KEYS (key, lock key, read key) and 6 ARGV
// (value, ttl, owner, lock ttl, lock? '1', read? '1'); returns per claim {set, current, owner, read}.
const CLAIM = `
local out = {}
for c = 0, #KEYS / 3 - 1 do
  local k, a = 3 * c, 6 * c
  if not redis.call('set', KEYS[k + 1], ARGV[a + 1], 'PX', ARGV[a + 2], 'NX') then
    table.insert(out, 0) table.insert(out, redis.call('get', KEYS[k + 1]))
    table.insert(out, false) table.insert(out, false)
  else
    local owner = false
    local locked = true
    if ARGV[a + 5] == '1' then
      locked = redis.call('set', KEYS[k + 2], ARGV[a + 3], 'PX', ARGV[a + 4], 'NX')
      if locked then owner = ARGV[a + 3] end
    end
    local read = false
    if locked and ARGV[a + 6] == '1' then read = redis.call('get', KEYS[k + 3]) end
    table.insert(out, 1) table.insert(out, false) table.insert(out, owner) table.insert(out, read)
  end
end
return out
`;

const LOCK_READ = `
if not redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {false, false} end
return {ARGV[1], redis.call('get', KEYS[2])}
`;

// settle, for several messages at once, in the order asked. ARGV[1] = number of settles; then per settle
// its write count, release? ('1'), owner, and per write its mode ('d' delete, 's' set, 'p' set with a time
// to live), value and time to live. KEYS = per settle its written keys, then its lock key when released.
const SETTLE = `
local a, k = 2, 1
for s = 1, tonumber(ARGV[1]) do
  local n, release, owner = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2]
  a = a + 3
  for i = 1, n do
    local mode = ARGV[a]
    if mode == 'd' then redis.call('del', KEYS[k])
    elseif mode == 's' then redis.call('set', KEYS[k], ARGV[a + 1])
    else redis.call('set', KEYS[k], ARGV[a + 1], 'PX', ARGV[a + 2]) end
    a, k = a + 3, k + 1
  end
  if release == '1' then
    if redis.call('get', KEYS[k]) == owner then redis.call('del', KEYS[k]) end
    k = k + 1
  end
end
return 1
`;

interface SettleCall {
  writes: readonly SettleWrite[];
  release: { key: string; owner: string } | undefined;
}

type Scripted = Redis & {
  claim(...args: (string | number)[]): Promise<(number | string | null)[]>;
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
  private readonly claims = new TurnBatch((reqs: ClaimRequest[]) => this.claimMany(reqs));
  private readonly settles = new TurnBatch((calls: SettleCall[]) => this.settleMany(calls));

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
    this.redis.defineCommand('claim', { lua: CLAIM });
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

  claim(req: ClaimRequest): Promise<ClaimResult> {
    return this.claims.add(req);
  }

  private async claimMany(reqs: readonly ClaimRequest[]): Promise<ClaimResult[]> {
    const keys: string[] = [];
    const args: string[] = [];
    for (const req of reqs) {
      keys.push(req.key, req.lock?.key ?? req.key, req.read ?? req.key);
      args.push(
        req.value,
        String(req.ttlMs),
        req.lock ? randomUUID() : '',
        String(req.lock?.ttlMs ?? 0),
        req.lock ? '1' : '0',
        req.read ? '1' : '0',
      );
    }
    const out = await this.scripted.claim(keys.length, ...keys, ...args);
    return reqs.map((_, i) => ({
      set: out[4 * i] === 1,
      current: (out[4 * i + 1] as string | null) ?? null,
      owner: (out[4 * i + 2] as string | null) ?? null,
      read: (out[4 * i + 3] as string | null) ?? null,
    }));
  }

  async lockAndRead(
    lockKey: string,
    ttlMs: number,
    readKey: string,
  ): Promise<{ owner: string | null; read: string | null }> {
    const [owner, read] = await this.scripted.lockRead(lockKey, readKey, randomUUID(), String(ttlMs));
    return { owner: owner ?? null, read: read ?? null };
  }

  settle(writes: readonly SettleWrite[], release?: { key: string; owner: string }): Promise<void> {
    return this.settles.add({ writes, release });
  }

  private async settleMany(calls: readonly SettleCall[]): Promise<undefined[]> {
    const keys: string[] = [];
    const args: string[] = [String(calls.length)];
    for (const { writes, release } of calls) {
      args.push(String(writes.length), release ? '1' : '0', release?.owner ?? '');
      for (const w of writes) {
        keys.push(w.key);
        if (w.value === null) args.push('d', '', '');
        else if (w.ttlMs === undefined) args.push('s', w.value, '');
        else args.push('p', w.value, String(w.ttlMs));
      }
      if (release) keys.push(release.key);
    }
    await this.scripted.settle(keys.length, ...keys, ...args);
    return calls.map(() => undefined);
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
