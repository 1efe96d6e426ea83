import type { KvStore } from '../../store/types.ts';

// Handling is serialised per person: two messages from one deputy never interleave their dialogs,
// whichever instance receives them. In-process first (cheap), then a store lock across instances.

const LOCK_TTL_MS = 30_000;
const POLL_MS = 25;

export class PersonQueue {
  private readonly store: KvStore;
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(store: KvStore) {
    this.store = store;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.withStoreLock(key, work));
    const tail = next.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  private async withStoreLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `lock:person:${key}`;
    let owner = await this.store.acquireLock(lockKey, LOCK_TTL_MS);
    const giveUpAt = Date.now() + LOCK_TTL_MS;
    while (!owner && Date.now() < giveUpAt) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      owner = await this.store.acquireLock(lockKey, LOCK_TTL_MS);
    }
    // Past the lock's own lifetime the holder is presumed dead: go on rather than drop the message.
    try {
      return await work();
    } finally {
      if (owner) await this.store.releaseLock(lockKey, owner);
    }
  }
}
