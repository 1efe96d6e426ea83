import type { KvStore } from '../store/index.ts';

// One instance holds each outbound-only connection (WeCom's robot, DingTalk Stream): the platforms allow
// few connections per robot and WeCom displaces the older one, so several instances each connecting
// would knock each other off. The lease is a lock in the shared store, renewed while held; when the
// holder dies its lease runs out and another instance takes it over (ttl + one retry interval, under
// 30 s with the defaults).

export interface LeaseTiming {
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /** How often the holder renews it (well inside ttlMs). */
  renewEveryMs: number;
  /** How often an instance without it tries to take it. */
  retryEveryMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 20_000, renewEveryMs: 5_000, retryEveryMs: 5_000 };

export interface LeaseHooks {
  /** This instance now holds the lease: open the connection. */
  acquired(): void;
  /** This instance no longer holds it (renewal refused, store unreachable, or stop): close the connection. */
  lost(): void;
}

interface LeaseLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class ConnectionLease {
  private owner: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> = Promise.resolve();

  private readonly store: KvStore;
  private readonly key: string;
  private readonly hooks: LeaseHooks;
  private readonly log: LeaseLog;
  private readonly timing: LeaseTiming;

  constructor(
    store: KvStore,
    key: string,
    hooks: LeaseHooks,
    log: LeaseLog,
    timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {
    this.store = store;
    this.key = key;
    this.hooks = hooks;
    this.log = log;
    this.timing = timing;
  }

  get held(): boolean {
    return this.owner !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops renewing and releases the lease, so another instance takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
    const owner = this.owner;
    if (owner === null) return;
    this.owner = null;
    this.hooks.lost();
    await this.store.releaseLock(this.key, owner).catch(() => false);
  }

  /** Stops renewing without releasing, as when the process dies: the lease runs out by itself. */
  abandon(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.drop();
  }

  private tick(): void {
    this.busy = this.step()
      .catch((err: unknown) => {
        // The store did not answer: a holder cannot know it still holds, so it lets go.
        this.log.warn({ err: String(err), lease: this.key }, 'connection lease check failed');
        this.drop();
      })
      .finally(() => {
        if (!this.running) return;
        this.timer = setTimeout(
          () => this.tick(),
          this.owner ? this.timing.renewEveryMs : this.timing.retryEveryMs,
        );
        this.timer.unref();
      });
  }

  private async step(): Promise<void> {
    if (!this.running) return;
    if (this.owner) {
      if (await this.store.extendLock(this.key, this.owner, this.timing.ttlMs)) return;
      this.log.warn({ lease: this.key }, 'connection lease lost: another instance holds the connection');
      this.drop();
      return;
    }
    const owner = await this.store.acquireLock(this.key, this.timing.ttlMs);
    if (!owner || !this.running) {
      if (owner) await this.store.releaseLock(this.key, owner);
      return;
    }
    this.owner = owner;
    this.log.info({ lease: this.key }, 'connection lease taken: this instance holds the connection');
    this.hooks.acquired();
  }

  private drop(): void {
    if (this.owner === null) return;
    this.owner = null;
    this.hooks.lost();
  }
}
