import type { KvStore } from '../../store/types.ts';

// Handling is serialised per person: two messages from one deputy never interleave their dialogs,
// whichever instance receives them. In-process first (cheap), then a store lock across instances.

export const LOCK_TTL_MS = 30_000;
const POLL_MS = 25;

export const personLockKey = (key: string): string => `lock:person:${key}`;

/** A message's place in its person's in-process line. */
export interface Place {
  /** True when no earlier message of this person is still being handled in this process. */
  readonly first: boolean;
  /** Settles when the earlier messages of this person in this process are done. */
  readonly ready: Promise<void>;
  /** Lets the next message of this person go on; call exactly once. */
  leave(): void;
}

export class PersonQueue {
  private readonly store: KvStore;
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(store: KvStore) {
    this.store = store;
  }

  /** Takes a place in the person's line at once (synchronously): arrival order is the order of the calls. */
  enter(key: string): Place {
    const previous = this.tails.get(key);
    let leave!: () => void;
    const left = new Promise<void>((r) => {
      leave = r;
    });
    // Done when this message left and every earlier one is done: leaving early (a message answered
    // without being routed) never lets the next one overtake those before it.
    const done = previous ? Promise.all([previous, left]).then(() => {}) : left;
    this.tails.set(key, done);
    void done.then(() => {
      if (this.tails.get(key) === done) this.tails.delete(key);
    });
    return { first: previous === undefined, ready: (previous ?? Promise.resolve()).then(() => {}), leave };
  }

  /**
   * Waits for the store lock (another instance may hold it). Past the lock's own lifetime the holder is
   * presumed dead: null, and the caller goes on rather than drop the message.
   */
  async lock(key: string, read: string): Promise<{ owner: string | null; read: string | null }> {
    const lockKey = personLockKey(key);
    let got = await this.store.lockAndRead(lockKey, LOCK_TTL_MS, read);
    const giveUpAt = Date.now() + LOCK_TTL_MS;
    while (!got.owner && Date.now() < giveUpAt) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      got = await this.store.lockAndRead(lockKey, LOCK_TTL_MS, read);
    }
    if (!got.owner) return { owner: null, read: await this.store.get(read) };
    return got;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const place = this.enter(key);
    const next = place.ready.then(() => this.withStoreLock(key, work));
    void next.then(place.leave, place.leave);
    return next;
  }

  private async withStoreLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const { owner } = await this.lock(key, personLockKey(key));
    try {
      return await work();
    } finally {
      if (owner) await this.store.releaseLock(personLockKey(key), owner);
    }
  }
}
