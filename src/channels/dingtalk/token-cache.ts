import { setTimeout as sleep } from 'node:timers/promises';
import type { KvStore } from '../../store/types.ts';
import type { SendResult } from '../sender.ts';

// The new-version access token (POST /v1.0/oauth2/accessToken, 7200 s) is shared by every instance through
// the store. One instance fetches under a store lock while the others wait and re-read it, so a fleet
// does not stampede the token endpoint (each call also counts against the monthly API quota).

export type ApiFailure = Extract<SendResult, { ok: false }>;

export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

export type TokenResult = { ok: true; token: string } | ApiFailure;

const LOCK_TTL_MS = 10_000;
const POLL_MS = 50;
/** Used no later than this long before DingTalk's own expiry. */
const EARLY_SEC = 300;

export class DingtalkTokenCache {
  private readonly store: KvStore;
  private readonly key: string;
  private readonly fetchToken: () => Promise<({ ok: true } & FetchedToken) | ApiFailure>;
  private inflight: Promise<TokenResult> | null = null;

  constructor(
    store: KvStore,
    key: string,
    fetchToken: () => Promise<({ ok: true } & FetchedToken) | ApiFailure>,
  ) {
    this.store = store;
    this.key = key;
    this.fetchToken = fetchToken;
  }

  /** The cached token, or a fresh one. */
  async get(): Promise<TokenResult> {
    const cached = await this.store.get(this.key);
    if (cached) return { ok: true, token: cached };
    // One refresh per process at a time; the store lock makes it one per fleet.
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets `token` if it is still the cached one (DingTalk refused it). */
  async invalidate(token: string): Promise<void> {
    if ((await this.store.get(this.key)) === token) await this.store.del(this.key);
  }

  private async refresh(): Promise<TokenResult> {
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
          message: '等待钉钉访问令牌超时，稍后重试',
          retryable: true,
          retryAfterMs: 5_000,
        };
      }
    }
  }
}
