import { setTimeout as sleep } from 'node:timers/promises';
import type { KvStore } from '../../store/types.ts';
import type { WecomResult } from './errors.ts';

// The access token (gettoken) is shared by every instance through the store. One instance refreshes
// it under a store lock while the others wait and re-read, so a fleet does not stampede gettoken
// (which is itself rate-limited) whenever the token expires.

export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

export type TokenFetcher = () => Promise<WecomResult<FetchedToken>>;

const LOCK_TTL_MS = 10_000;
const POLL_MS = 50;
/** Refresh this long before WeCom's own expiry, so a token is never used in its last minutes. */
const EARLY_SEC = 300;

export class AccessTokenCache {
  private readonly store: KvStore;
  private readonly key: string;
  private readonly fetchToken: TokenFetcher;
  private inflight: Promise<WecomResult<{ token: string }>> | null = null;

  constructor(store: KvStore, key: string, fetchToken: TokenFetcher) {
    this.store = store;
    this.key = key;
    this.fetchToken = fetchToken;
  }

  /** The current token, fetching one when none is cached. */
  async get(): Promise<WecomResult<{ token: string }>> {
    const cached = await this.store.get(this.key);
    if (cached) return { ok: true, token: cached };
    // One refresh per process at a time; concurrent callers share it.
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Drops `token` from the cache if it is still the cached one (WeCom refused it). */
  async invalidate(token: string): Promise<void> {
    if ((await this.store.get(this.key)) === token) await this.store.del(this.key);
  }

  private async refresh(): Promise<WecomResult<{ token: string }>> {
    const lockKey = `${this.key}:lock`;
    const deadline = Date.now() + 2 * LOCK_TTL_MS;
    for (;;) {
      const owner = await this.store.acquireLock(lockKey, LOCK_TTL_MS);
      if (owner) {
        try {
          // Someone may have refreshed between our read and our lock.
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
      if (Date.now() >= deadline) {
        return {
          ok: false,
          code: 'timeout',
          message: '等待企业微信访问令牌超时',
          retryable: true,
          retryAfterMs: 5_000,
        };
      }
    }
  }
}
