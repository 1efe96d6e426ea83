import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { type BucketState, bucketTtlMs, takeFromBucket } from './token-bucket.ts';
import type {
  BucketSpec,
  ClaimRequest,
  ClaimResult,
  KvStore,
  SettleWrite,
  TakeResult,
  WindowSpec,
} from './types.ts';

interface Entry {
  value: string;
  expiresAt: number | null;
}

/** In-process store: for a single instance (and for tests without Redis). */
export class MemoryStore implements KvStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  /** Sliding windows' events, kept as numbers: a corp's 10,000 a minute would be re-read as text each take. */
  private readonly windows = new Map<string, { events: number[]; expiresAt: number }>();
  private readonly clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? null : this.now() + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const owner = randomUUID();
    return (await this.setIfAbsent(key, owner, ttlMs)) ? owner : null;
  }

  async releaseLock(key: string, owner: string): Promise<boolean> {
    if (this.live(key)?.value !== owner) return false;
    this.entries.delete(key);
    return true;
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const e = this.live(key);
    if (e?.value !== owner) return false;
    e.expiresAt = this.now() + ttlMs;
    return true;
  }

  async claim(req: ClaimRequest): Promise<ClaimResult> {
    if (!(await this.setIfAbsent(req.key, req.value, req.ttlMs))) {
      return { set: false, current: this.live(req.key)?.value ?? null, owner: null, read: null };
    }
    let owner: string | null = null;
    if (req.lock) {
      owner = await this.acquireLock(req.lock.key, req.lock.ttlMs);
      if (!owner) return { set: true, current: null, owner: null, read: null };
    }
    return { set: true, current: null, owner, read: req.read ? (this.live(req.read)?.value ?? null) : null };
  }

  async lockAndRead(
    lockKey: string,
    ttlMs: number,
    readKey: string,
  ): Promise<{ owner: string | null; read: string | null }> {
    const owner = await this.acquireLock(lockKey, ttlMs);
    return { owner, read: owner ? (this.live(readKey)?.value ?? null) : null };
  }

  async settle(writes: readonly SettleWrite[], release?: { key: string; owner: string }): Promise<void> {
    for (const w of writes) {
      if (w.value === null) this.entries.delete(w.key);
      else await this.set(w.key, w.value, w.ttlMs);
    }
    if (release) await this.releaseLock(release.key, release.owner);
  }

  async take(key: string, spec: BucketSpec, n = 1): Promise<TakeResult> {
    const raw = this.live(key)?.value;
    const prev = raw ? (JSON.parse(raw) as BucketState) : undefined;
    const { state, result } = takeFromBucket(prev, spec, n, this.now());
    this.entries.set(key, { value: JSON.stringify(state), expiresAt: this.now() + bucketTtlMs(spec) });
    return result;
  }

  async takeWindow(key: string, spec: WindowSpec): Promise<TakeResult> {
    const now = this.now();
    const held = this.windows.get(key);
    // Events exactly windowMs old have left the window.
    const events = held && held.expiresAt > now ? held.events.filter((t) => t > now - spec.windowMs) : [];
    if (events.length >= spec.limit) {
      this.windows.set(key, { events, expiresAt: now + spec.windowMs });
      return { allowed: false, retryAfterMs: events[0]! + spec.windowMs - now, remaining: 0 };
    }
    events.push(now);
    this.windows.set(key, { events, expiresAt: now + spec.windowMs });
    return { allowed: true, retryAfterMs: 0, remaining: spec.limit - events.length };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
    this.windows.clear();
  }
}
