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
