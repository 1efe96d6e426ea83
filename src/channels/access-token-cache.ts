import { setTimeout as sleep } from 'node:timers/promises';
import type { KvStore } from '../store/types.ts';

// A platform access token (WeCom gettoken, DingTalk oauth2/accessToken) shared by every instance through
// the store. One instance refreshes it under a store lock while the others wait and re-read, so a fleet
// does not stampede the token endpoint (itself rate-limited, and on DingTalk counted against the monthly
// quota) whenever the token expires.

export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

/** A platform failure as a value; each channel has its own codes. */
export interface TokenFailure {
  ok: false;
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}

const LOCK_TTL_MS = 10_000;
const POLL_MS = 50;
/** Refresh this long before the platform's own expiry, so a token is never used in its last minutes. */
const EARLY_SEC = 300;

export class AccessTokenCache<F extends TokenFailure> {
  private readonly store: KvStore;
  private readonly key: string;
  private readonly fetchToken: () => Promise<({ ok: true } & FetchedToken) | F>;
  private readonly waitedTooLong: () => F;
  private inflight: Promise<{ ok: true; token: string } | F> | null = null;

  /** `waitedTooLong` is the failure when another instance's refresh never produced a token. */
  constructor(
    store: KvStore,
    key: string,
    fetchToken: () => Promise<({ ok: true } & FetchedToken) | F>,
    waitedTooLong: () => F,
  ) {
    this.store = store;
    this.key = key;
    this.fetchToken = fetchToken;
    this.waitedTooLong = waitedTooLong;
  }

  /** The cached token, or a fresh one. */
  async get(): Promise<{ ok: true; token: string } | F> {
    const cached = await this.store.get(this.key);
    if (cached) return { ok: true, token: cached };
    // One refresh per process at a time; the store lock makes it one per fleet.
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets `token` if it is still the cached one (the platform refused it). */
  async invalidate(token: string): Promise<void> {
    if ((await this.store.get(this.key)) === token) await this.store.del(this.key);
  }

  private async refresh(): Promise<{ ok: true; token: string } | F> {
    const lockKey = `${this.key}:lock`;
    const deadline = Date.now() + 2 * LOCK_TTL_MS;
    for (;;) {
      const owner = await this.store.acquireLock(lockKey, LOCK_TTL_MS);
      if (owner) {
        try {
          // Another instance may have refreshed between our read and our lock.
          const again = await this.store.get(this.key);
          if (again) return { ok: true, token: again };
          const fetched = await this.fetchToken();
          if (!fetched.ok) return fetched;
          const ttlSec = Math.max(fetched.expiresInSec - EARLY_SEC, Math.floor(fetched.expiresInSec / 2), 1);
          await this.store.set(this.key, fetched.token, ttlSec * 1000);
          return { ok: true, token: fetched.token };
        } finally {
          await this.store.releaseLock(lockKey, owner);
        }
      }
      // Another instance is refreshing: wait for its token, or for its lock to go.
      while ((await this.store.get(lockKey)) !== null && Date.now() < deadline) {
        const token = await this.store.get(this.key);
        if (token) return { ok: true, token };
        await sleep(POLL_MS);
      }
      const token = await this.store.get(this.key);
      if (token) return { ok: true, token };
      if (Date.now() >= deadline) return this.waitedTooLong();
    }
  }
}
