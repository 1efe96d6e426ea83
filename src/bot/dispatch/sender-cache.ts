import type { KnownSender } from '../../../db/repositories/senders.ts';
import type { Channel } from '../../../db/schema.ts';

// The senders this instance has met, each as the roster showed them at a version. The statement that
// records a message reads the roster's version in its own snapshot and looks the sender up again when it
// has moved (db/migrations/024_roster_version.ts), so a kept sender is never older than the roster the
// message is recorded against, on any instance. Someone not on the roster is kept too: a stranger who
// writes again is refused without a lookup, and their first message after being added is looked up anew,
// because adding them moves the version.

/** Enough for every deputy who writes in a busy hour; the oldest met is forgotten first. */
const DEFAULT_LIMIT = 20_000;

export interface KeptSender {
  sender: KnownSender | null;
  version: number;
}

export class SenderCache {
  private readonly kept = new Map<string, KeptSender>();
  private readonly limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.limit = limit;
  }

  get(identity: Channel, senderId: string): KeptSender | undefined {
    return this.kept.get(keyOf(identity, senderId));
  }

  /** Keeps who the sender was at `version`, unless a newer reading is kept already. */
  put(identity: Channel, senderId: string, sender: KnownSender | null, version: number): void {
    const key = keyOf(identity, senderId);
    const had = this.kept.get(key);
    if (had && had.version > version) return;
    // Re-inserted, so the Map's order stays the order in which senders were last read.
    this.kept.delete(key);
    // Shared by every message of the sender until the roster moves: nothing may change it on the way.
    if (sender) {
      for (const m of sender.mandates) Object.freeze(m);
      Object.freeze(sender.mandates);
      Object.freeze(sender);
    }
    this.kept.set(key, { sender, version });
    if (this.kept.size > this.limit) {
      const oldest = this.kept.keys().next().value as string;
      this.kept.delete(oldest);
    }
  }

  get size(): number {
    return this.kept.size;
  }
}

const keyOf = (identity: Channel, senderId: string): string => `${identity}\u0000${senderId}`;
