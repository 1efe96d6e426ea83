// The key-value store: dedupe keys, dialog state, locks, rate buckets, the token cache.
// Redis when REDIS_URL is set (shared by every instance); in-process otherwise (one instance only).

export interface BucketSpec {
  /** Most tokens the bucket holds. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** When not allowed: how long until enough tokens are back. */
  retryAfterMs: number;
  remaining: number;
}

/** At most `limit` events in any `windowMs`: the rule the platforms enforce (20 a minute per robot …). */
export interface WindowSpec {
  limit: number;
  windowMs: number;
}

/** A key set only when absent (a dedupe mark), and, when it was set, a lock taken and a key read. */
export interface ClaimRequest {
  key: string;
  value: string;
  ttlMs: number;
  /** Taken only when `key` was set by this call. */
  lock?: { key: string; ttlMs: number };
  /** Read only when `key` was set and, if a lock was asked, the lock was taken. */
  read?: string;
}

export interface ClaimResult {
  /** True when this call set `key`. */
  set: boolean;
  /** When not set: the value `key` holds. */
  current: string | null;
  /** The lock's owner token when the lock was taken. */
  owner: string | null;
  /** The value of `read` when it was read. */
  read: string | null;
}

/** A write of `settle`: `value` null deletes the key. */
export interface SettleWrite {
  key: string;
  value: string | null;
  ttlMs?: number;
}

export interface KvStore {
  readonly kind: 'redis' | 'memory';
  /** Sets the key only when it does not exist. True when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Takes a lock; returns the owner token, or null when someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock only if `owner` still holds it. */
  releaseLock(key: string, owner: string): Promise<boolean>;
  /** Extends the lock only if `owner` still holds it. */
  extendLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * One round trip: sets `key` when absent; when set, takes the lock; when taken, reads `read`. Atomic on
   * Redis (one script), so a message's dedupe mark, its person's lock and its conversation come together.
   */
  claim(req: ClaimRequest): Promise<ClaimResult>;
  /** One round trip: takes a lock and, when taken, reads a key. */
  lockAndRead(
    lockKey: string,
    ttlMs: number,
    readKey: string,
  ): Promise<{ owner: string | null; read: string | null }>;
  /** One round trip: the writes in order, then the lock released if `owner` still holds it. */
  settle(writes: readonly SettleWrite[], release?: { key: string; owner: string }): Promise<void>;
  /** Takes `n` tokens from a token bucket, or none. */
  take(key: string, spec: BucketSpec, n?: number): Promise<TakeResult>;
  /**
   * Records one event in a sliding window when fewer than `limit` happened in the last `windowMs`;
   * otherwise records nothing and says when the oldest event leaves the window.
   */
  takeWindow(key: string, spec: WindowSpec): Promise<TakeResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
