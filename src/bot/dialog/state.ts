import type { Clock } from '../../clock.ts';
import type { KvStore, SettleWrite } from '../../store/types.ts';

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
  kind: 'image' | 'video' | 'file' | 'location';
  mediaId?: string;
  url?: string;
  /** The `media` row the photo is kept in (services/media). */
  stored?: number;
  /** A file's name as the sender's platform gave it. */
  fileName?: string;
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
  /** Answers that could not be read; the second ends the dialog (a dialog never traps). */
  misses?: number;
  /** The first words of a suggestion, too few to stand alone ("我们村"): the next answer continues them. */
  partial?: string;
  /**
   * Words the answer goes after, as one argument: "代录 张三 请假 人代会" told without its reason asks for it,
   * and the reason completes "请假 人代会 <reason>".
   */
  prefix?: string;
  /**
   * "我想提个建议 不要公开我的名字": the 不公开姓名 said before the matter, filed with the content once it is
   * told (joined to it; the handler reads the request off).
   */
  nameWithheld?: string;
  /** 延期 to a month said without its day ("延到明年10月"): the month ('YYYY-MM') the day answered is of. */
  month?: string;
}

export interface ChoiceOption {
  commandId: string;
  word: string;
  /** A whole message to handle as if the person had sent it (a button's command). */
  send?: string;
  /** A meeting or activity of a list of those ahead (`session:<id>` or its HD code): picked, it is shown. */
  meeting?: string;
}

export interface ChoiceState {
  options: ChoiceOption[];
  expiresAt: string;
  /** The words an unclear message's menu was shown for: what the person writes next goes on from them. */
  held?: string;
}

/** A yes/no question waiting: on 是 the command runs with these arguments. */
export interface ConfirmState {
  commandId: string;
  word: string;
  args: Record<string, unknown>;
  question: string;
  expiresAt: string;
  /** On 是, a whole message handled as if the person had sent it (代录 … 请假 … of a meeting offered). */
  send?: string;
}

/** A command waiting for the deputy to say in which congress (several mandates). */
export interface CongressQuestion {
  commandId: string;
  word: string;
  args: Record<string, unknown>;
  options: { id: number; name: string }[];
  expiresAt: string;
}

/** Something kept for a while within the conversation. */
export interface Kept<T> {
  value: T;
  expiresAt: string;
}

export interface ConversationState {
  dialog?: DialogState;
  choice?: ChoiceState;
  /** The code of the item last talked about (e.g. JY-2026-0012). */
  lastItem?: string;
  /** The item whose details 查询 showed last: "催一下" right after means it. */
  viewed?: string;
  /** The suggestion filed last and a digest of its words: the same words sent again are not filed twice. */
  filed?: { code: string; digest: string };
  /** Words no command took yet: they fill the next command's content, reason or topic. */
  said?: Kept<string>;
  confirm?: ConfirmState;
  congressQuestion?: CongressQuestion;
  /** Photos and places sent before any command: they go with the suggestion that follows. */
  kept?: Kept<Attachment[]>;
  /** A month named for the reception day ("下个月"): the next 预约接待日 books it. */
  month?: Kept<string>;
  /** The reception day was just asked about: a message that is only a month ("下个月") asks for that month's. */
  receptionAsked?: Kept<true>;
  /** 不满意 was just said without why (the item's code): the next words, if not a command, are the reason. */
  ratingReason?: Kept<string>;
  /** The congress a deputy with several mandates chose: asked once a conversation. */
  congress?: Kept<{ id: number; name: string }>;
  /** 修改 waiting for its words, or 补充照片 waiting for the photos, of one item. */
  itemAction?: Kept<{ action: 'amend' | 'photo'; code: string; correction?: boolean }>;
  /**
   * The line of a numbered list of items just acted on ("第一个催一下", "1"): the codes of the list's lines,
   * the line taken and the command run on it, so "不对 是2" runs it on the line meant.
   */
  picked?: Kept<{ codes: string[]; at: number; send: string }>;
  /** The 视察 request just made (its number): "下周吧" next goes into it. */
  inspection?: Kept<number>;
  /** A meeting just shown from the list of those ahead (`session:<id>` or its HD code): "请假" means it. */
  meetingShown?: Kept<string>;
}

const KEPT_FIELDS = [
  'said',
  'confirm',
  'congressQuestion',
  'kept',
  'month',
  'receptionAsked',
  'ratingReason',
  'congress',
  'itemAction',
  'picked',
  'meetingShown',
  'inspection',
] as const;

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

export const conversationKey = (personId: number): string => `conv:${personId}`;

function parseConversation(raw: string | null): ConversationState {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as ConversationState;
  } catch {
    return {};
  }
}

/** How a conversation is stored: deleted once nothing is left in it. */
function conversationWrite(personId: number, state: ConversationState): SettleWrite {
  const empty = !state.dialog && !state.choice && !state.lastItem && !KEPT_FIELDS.some((f) => state[f]);
  return empty
    ? { key: conversationKey(personId), value: null }
    : { key: conversationKey(personId), value: JSON.stringify(state), ttlMs: STATE_TTL_MS };
}

/**
 * One person's conversation during the handling of one message: read by the dispatcher together with the
 * person's lock, and written back with the lock's release (one store round trip each way).
 */
export class ConversationTurn {
  readonly personId: number;
  private readonly raw: string | null;
  /** What is to be written when the turn ends; undefined when nothing was saved. */
  write: SettleWrite | undefined;

  constructor(personId: number, raw: string | null) {
    this.personId = personId;
    this.raw = raw;
  }

  load(): ConversationState {
    return parseConversation(this.raw);
  }

  save(state: ConversationState): void {
    this.write = conversationWrite(this.personId, state);
  }
}

export class ConversationStore {
  private readonly store: KvStore;
  private readonly clock: Clock;
  private readonly turn: ConversationTurn | undefined;

  /** With a turn, its person's conversation is read from and saved into it instead of the store. */
  constructor(store: KvStore, clock: Clock, turn?: ConversationTurn) {
    this.store = store;
    this.clock = clock;
    this.turn = turn;
  }

  async load(personId: number): Promise<ConversationState> {
    if (this.turn?.personId === personId) return this.turn.load();
    return parseConversation(await this.store.get(conversationKey(personId)));
  }

  async save(personId: number, state: ConversationState): Promise<void> {
    if (this.turn?.personId === personId) {
      this.turn.save(state);
      return;
    }
    const w = conversationWrite(personId, state);
    if (w.value === null) await this.store.del(w.key);
    else await this.store.set(w.key, w.value, w.ttlMs);
  }

  /** A deadline for a dialog or choice started now. */
  expiry(): string {
    return new Date(this.clock.now().getTime() + DIALOG_TIMEOUT_MS).toISOString();
  }

  isExpired(s: { expiresAt: string }): boolean {
    return new Date(s.expiresAt).getTime() <= this.clock.now().getTime();
  }

  /** Forgets whatever was kept and has run out (a kept photo after 30 minutes). */
  dropExpired(state: ConversationState): void {
    for (const f of KEPT_FIELDS) {
      const v = state[f];
      if (v && this.isExpired(v)) delete state[f];
    }
    if (state.choice && this.isExpired(state.choice)) delete state.choice;
  }

  /** A value kept until the dialog timeout from now. */
  keep<T>(value: T): Kept<T> {
    return { value, expiresAt: this.expiry() };
  }
}
