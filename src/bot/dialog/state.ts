import type { Clock } from '../../clock.ts';
import type { KvStore } from '../../store/types.ts';

// What the bot remembers of a conversation with one person, kept in the store so it survives a restart
// and is shared by every instance: a dialog collecting a command's missing parts, a pending numbered
// choice, and the item last talked about (a command that needs an item defaults to it).

export const DIALOG_TIMEOUT_MS = 30 * 60_000;
const STATE_TTL_MS = 7 * 24 * 3600_000;

export interface PendingArg {
  name: string;
  question: string;
}

export interface Attachment {
  kind: 'image' | 'location';
  mediaId?: string;
  url?: string;
  /** The `media` row the photo is kept in (services/media). */
  stored?: number;
  label?: string;
  latitude?: number;
  longitude?: number;
}

export interface DialogState {
  commandId: string;
  /** The command word as the person knows it (for messages like 「请假」已取消). */
  word: string;
  args: Record<string, unknown>;
  missing: PendingArg[];
  attachments: Attachment[];
  expiresAt: string;
}

export interface ChoiceState {
  options: { commandId: string; word: string }[];
  expiresAt: string;
}

export interface ConversationState {
  dialog?: DialogState;
  choice?: ChoiceState;
  /** The code of the item last talked about (e.g. JY-2026-0012). */
  lastItem?: string;
}

/** Makes an item the one last talked about with each of these people (e.g. the deputies asked to rate it). */
export async function rememberLastItem(
  store: KvStore,
  clock: Clock,
  personIds: readonly number[],
  code: string,
): Promise<void> {
  const conversations = new ConversationStore(store, clock);
  for (const personId of personIds) {
    const conv = await conversations.load(personId);
    conv.lastItem = code;
    await conversations.save(personId, conv);
  }
}

export class ConversationStore {
  private readonly store: KvStore;
  private readonly clock: Clock;

  constructor(store: KvStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  private key(personId: number): string {
    return `conv:${personId}`;
  }

  async load(personId: number): Promise<ConversationState> {
    const raw = await this.store.get(this.key(personId));
    if (!raw) return {};
    try {
      return JSON.parse(raw) as ConversationState;
    } catch {
      return {};
    }
  }

  async save(personId: number, state: ConversationState): Promise<void> {
    if (!state.dialog && !state.choice && !state.lastItem) {
      await this.store.del(this.key(personId));
      return;
    }
    await this.store.set(this.key(personId), JSON.stringify(state), STATE_TTL_MS);
  }

  /** A deadline for a dialog or choice started now. */
  expiry(): string {
    return new Date(this.clock.now().getTime() + DIALOG_TIMEOUT_MS).toISOString();
  }

  isExpired(s: { expiresAt: string }): boolean {
    return new Date(s.expiresAt).getTime() <= this.clock.now().getTime();
  }
}
