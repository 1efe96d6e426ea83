import {
  type Arrived,
  type ArrivingInbound,
  findInbound,
  type InboundOutcome,
  keepContactMessage,
  markFailed,
  recordArrivingMany,
  resetForRetry,
} from '../../../db/repositories/inbound-messages.ts';
import type { MessageChannel } from '../../../db/schema.ts';
import {
  type ChatMessage,
  type HandleOptions,
  type HandleOutcome,
  type InboundHandler,
  NotRecordedError,
} from '../../channels/types.ts';
import type { Deps } from '../../deps.ts';
import { GroupCommit } from '../../group-commit.ts';
import { enqueue, fitsIn, type Reply, splitText, type TargetKind } from '../../messaging/index.ts';
import { todayIn } from '../../statute/calendar-date.ts';
import type { KvStore, SettleWrite } from '../../store/types.ts';
import { ConversationTurn, conversationKey } from '../dialog/state.ts';
import type { MessageRouter } from '../types.ts';
import { cleanChatMessage, MAX_CHAT_CHARS } from './chat-text.ts';
import {
  ANSWERED_PRIVATELY,
  CUT_MARK_ROOM,
  cutMark,
  cutReply,
  NOT_ON_ROSTER,
  SYSTEM_ERROR,
  tooLongReply,
} from './fixed-replies.ts';
import { LOCK_TTL_MS, PersonQueue, type Place, personLockKey } from './person-queue.ts';
import { SenderCache } from './sender-cache.ts';
import { standingOf } from './sender-roles.ts';

// The dispatcher: record (the sender found in the same statement) → dedupe → route (serialised per
// person) → answer in time or later. The message is recorded first because the dedupe round trip also
// takes its person's lock; of two copies of one message, the one whose statement recorded it handles it.
//
// Dedupe is two-phase (DESIGN.md pitfalls): a key marks a message "in flight" while it is handled and
// "done" once its answer is recorded; a failure releases the key so the platform's retry is handled anew.
// The inbound_messages unique key backs this up across instances and restarts.
//
// Round trips: the store is asked once at the start (dedupe mark, the person's lock, their conversation:
// `claim`) and once at the end (conversation, lock released, dedupe "done": `settle`); a message waiting
// behind an earlier one of the same person takes the lock and conversation in one more. The database
// records the message and its answer through group commits: messages arriving together share a statement.
// An answer given in the callback's response is stored, and the turn ended, after the response (`answer`).

const INFLIGHT_TTL_MS = 120_000;
const DONE_TTL_MS = 24 * 3600_000;

/** What one message holds while it is handled: its place in its person's line, their lock, their conversation. */
class Hold {
  private readonly store: KvStore;
  readonly place: Place | null;
  /** The person's store lock, when taken. */
  lock: { key: string; owner: string } | undefined;
  turn: ConversationTurn | undefined;
  private ended = false;

  constructor(store: KvStore, place: Place | null) {
    this.store = store;
    this.place = place;
  }

  /** Writes the conversation and `writes`, releases the lock, and lets the person's next message go on. */
  async end(writes: SettleWrite[]): Promise<void> {
    if (this.ended) return;
    const all = this.turn?.write ? [this.turn.write, ...writes] : writes;
    try {
      await this.store.settle(all, this.lock);
      this.ended = true;
    } finally {
      this.place?.leave();
    }
  }
}

/** A message to record (with who sent it found), or a handled one's answer to store. */
type InboundWrite =
  | { record: ArrivingInbound; outcome?: undefined }
  | { outcome: InboundOutcome; record?: undefined };

interface StoredAnswer {
  reply: Reply | null;
  /** 'passive': answered in the callback's response; 'api': sent through the outbox. */
  via: 'passive' | 'api';
}

/** Who on the roster writes to the organ desk: staff keep 答复 (they record an organ's answer themselves). */
export interface OnRoster {
  staff: boolean;
}

export interface DispatcherOptions {
  /** Called after an answer was queued, to send it without waiting for the next poll. */
  onQueued?: () => void;
  /**
   * Handle every message as if it came in on this channel: the simulator's messages are recorded as its
   * own and its answers go to its own sender, never to a real user of the platform it imitates.
   */
  channel?: MessageChannel;
  /**
   * An organ's contact is not on the roster: this answers their 签收 / 申请退回 / 答复 (null: not a contact).
   * For one who is (onRoster), it answers only those commands, and the message goes on to the router when
   * it answers null. Handed in by the runtime, so the bot imports no handler.
   */
  organDesk?: (msg: ChatMessage, onRoster?: OnRoster) => Promise<Reply | null>;
}

export class Dispatcher implements InboundHandler {
  private readonly deps: Deps;
  private readonly router: MessageRouter;
  private readonly queue: PersonQueue;
  private readonly onQueued: () => void;
  private readonly channel: MessageChannel | undefined;
  private readonly organDesk: DispatcherOptions['organDesk'];
  /** Messages recorded (their senders found) and answers stored: both kinds share one statement. */
  private readonly writes: GroupCommit<InboundWrite, Arrived | null>;
  /** Who the senders met were, at the roster's version when they were read. */
  private readonly senders = new SenderCache();
  /** Work still running after its callback was answered (awaited on shutdown and in tests). */
  readonly pending = new Set<Promise<unknown>>();
  /** Messages answered in the callback's response whose answer is still being stored, by dedupe key. */
  private readonly answered = new Map<string, { outcome: HandleOutcome; stored: Promise<void> }>();

  constructor(deps: Deps, router: MessageRouter, opts: DispatcherOptions = {}) {
    this.deps = deps;
    this.router = router;
    this.queue = new PersonQueue(deps.store);
    this.onQueued = opts.onQueued ?? (() => {});
    this.channel = opts.channel;
    this.organDesk = opts.organDesk;
    this.writes = new GroupCommit(async (items) => {
      const arrived = await recordArrivingMany(
        deps.db,
        items.flatMap((w) => (w.record ? [w.record] : [])),
        items.flatMap((w) => (w.outcome ? [w.outcome] : [])),
      );
      let next = 0;
      return items.map((w) => (w.record ? (arrived[next++] ?? null) : null));
    });
  }

  async handle(received: ChatMessage, opts: HandleOptions): Promise<HandleOutcome> {
    // Before anything reads it: invalid code points dropped, an over-long text cut (chat-text.ts).
    const { msg, overLength } = cleanChatMessage(
      this.channel ? { ...received, channel: this.channel } : received,
    );
    const started = process.hrtime.bigint();
    const { deps } = this;
    const dedupeKey = `dedupe:${msg.channel}:${msg.messageKey}`;

    // Acknowledge only what is recorded: until the message is committed, a failure is not answered with
    // a reply (which would tell the person it was saved) but thrown, for the channel to refuse the callback.
    // The sender is found in the statement that records the message.
    let arrived: Arrived;
    const identity = msg.channel === 'dingtalk' ? 'dingtalk' : 'wecom';
    const kept = this.senders.get(identity, msg.senderId);
    try {
      arrived = (await this.writes.submit({
        record: {
          channel: msg.channel,
          messageKey: msg.messageKey,
          senderId: msg.senderId,
          identity,
          ...(kept ? { kept } : {}),
          msgType: msg.kind,
          content: {
            ...contentOf(msg),
            ...(overLength !== null ? { textCut: true, textLength: overLength } : {}),
          },
          receivedAt: deps.clock.now(),
        },
      })) as Arrived;
    } catch (err) {
      deps.log.error({ err, channel: msg.channel }, 'message not recorded: not acknowledged');
      throw new NotRecordedError(err);
    }
    const { sender, id: recorded } = arrived;
    if (arrived.lookedUp) this.senders.put(identity, msg.senderId, sender, arrived.rosterVersion);

    // The place in the person's line is taken now, so their messages are handled in the order they came.
    const personKey = sender ? String(sender.personId) : null;
    const hold = new Hold(deps.store, personKey ? this.queue.enter(personKey) : null);
    let claimed: Awaited<ReturnType<KvStore['claim']>>;
    try {
      claimed = await deps.store.claim({
        key: dedupeKey,
        value: 'inflight',
        ttlMs: INFLIGHT_TTL_MS,
        // First in this process: the lock and the conversation come with the dedupe mark.
        ...(sender && hold.place?.first
          ? {
              lock: { key: personLockKey(String(sender.personId)), ttlMs: LOCK_TTL_MS },
              read: conversationKey(sender.personId),
            }
          : {}),
      });
    } catch (err) {
      hold.place?.leave();
      // Recorded but not to be handled now: marked failed, so the platform's retry is handled anew.
      if (recorded !== null) await markFailed(deps.db, recorded).catch(() => {});
      throw err;
    }
    if (!claimed.set && recorded === null) {
      hold.place?.leave();
      // A copy of a message answered in this process a moment ago, its answer still being stored.
      const answered = this.answered.get(dedupeKey);
      if (answered) {
        await answered.stored;
        return answered.outcome;
      }
      return this.answerRepeat(msg, claimed.current === 'done');
    }
    // Not set but recorded here: another copy took the mark first, found the message recorded and left it
    // to this one, which takes the person's lock and conversation as a message behind another would.
    if (claimed.set && sender && claimed.owner) {
      hold.lock = { key: personLockKey(String(sender.personId)), owner: claimed.owner };
      hold.turn = new ConversationTurn(sender.personId, claimed.read);
    }

    try {
      let inboundId = recorded;
      if (inboundId === null) {
        // Recorded before (the store forgot, or another instance without a shared store).
        const prior = await findInbound(deps.db, msg.channel, msg.messageKey);
        if (prior?.status === 'failed') {
          await resetForRetry(deps.db, prior.id);
          inboundId = prior.id;
        } else {
          await hold.end([
            {
              key: dedupeKey,
              value: prior?.status === 'handled' ? 'done' : 'inflight',
              ttlMs: INFLIGHT_TTL_MS,
            },
          ]);
          return this.answerRepeat(msg, prior?.status === 'handled' || prior?.status === 'refused');
        }
      }

      if (!sender) {
        // An organ contact's text over the limit is read as far as it was kept, marked as cut wherever its
        // words land (an answer, a reason), so staff never take the part for the whole.
        const kept = overLength === null ? 0 : MAX_CHAT_CHARS - CUT_MARK_ROOM;
        const read =
          overLength === null
            ? msg
            : {
                ...msg,
                text: `${Array.from(msg.text ?? '')
                  .slice(0, kept)
                  .join('')}${cutMark(kept)}`,
              };
        const desk = this.organDesk ? await this.organDesk(read) : null;
        if (desk) {
          // An organ's contact, known now: their words are kept (a return reason, an answer told in words).
          await keepContactMessage(deps.db, inboundId, {
            senderId: msg.senderId,
            msgType: msg.kind,
            content: {
              ...contentOf(read),
              ...(overLength !== null ? { textCut: true, textLength: overLength } : {}),
            },
          });
          const reply =
            overLength === null
              ? desk
              : { ...desk, text: `${cutReply(overLength, MAX_CHAT_CHARS, kept)}\n${desk.text}` };
          return this.answer(hold, dedupeKey, inboundId, { reply, via: 'passive' });
        }
        deps.log.info({ channel: msg.channel, inboundId }, 'message from a sender not on the roster');
        // Of their message only its channel and id are kept: not even the (fixed) answer.
        return this.answer(hold, dedupeKey, inboundId, null, 'refused');
      }

      if (overLength !== null) {
        // Not read at all (the record keeps its beginning and its length): the person is told the limit.
        const reply: Reply = { text: tooLongReply(overLength, MAX_CHAT_CHARS) };
        return this.answer(hold, dedupeKey, inboundId, { reply, via: 'passive' });
      }

      const today = todayIn(deps.clock, deps.config.timezone);
      const id = inboundId;
      const known = sender;
      const work = (async () => {
        if (!hold.turn) {
          // Behind an earlier message of the person (or another instance holds their lock): wait, then
          // take the lock and the conversation as that message left it.
          await hold.place?.ready;
          const locked = await this.queue.lock(String(known.personId), conversationKey(known.personId));
          if (locked.owner) hold.lock = { key: personLockKey(String(known.personId)), owner: locked.owner };
          hold.turn = new ConversationTurn(known.personId, locked.read);
        }
        // A deputy or staff member who is also an organ's contact: the organ's own commands go to the desk.
        const standing = standingOf(known);
        if (this.organDesk) {
          const desk = await this.organDesk(msg, { staff: standing.roles.some((r) => r !== 'deputy') });
          if (desk) return desk;
        }
        return this.router.route({
          deps,
          msg,
          sender: known,
          inboundId: id,
          today,
          turn: hold.turn,
          standing,
        });
      })();
      const timedOut = Symbol('timeout');
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<typeof timedOut>((resolve) => {
        timer = setTimeout(() => resolve(timedOut), Math.max(0, opts.budgetMs));
      });
      let first: Reply | null | typeof timedOut;
      try {
        first = await Promise.race([work, budget]);
      } finally {
        clearTimeout(timer);
      }

      if (first === timedOut) {
        // The answer goes out through the API when it is ready.
        const later = work
          .then(async (reply) => {
            await this.sendLater(hold, msg, id, reply, dedupeKey, undefined, privateTarget(msg, reply));
          })
          .catch(async (err: unknown) => {
            await this.fail(hold, msg, id, dedupeKey, err, true);
          })
          .finally(() => {
            this.pending.delete(later);
            this.observe(msg, started);
          });
        this.pending.add(later);
        return { kind: 'deferred' };
      }

      this.observe(msg, started);
      // Asked in a group, an answer about the person alone goes to them; the group hears where it went.
      const privately = privateTarget(msg, first);
      if (privately) {
        await this.sendLater(hold, msg, id, first, dedupeKey, undefined, privately);
        return { kind: 'reply', reply: { text: ANSWERED_PRIVATELY } };
      }
      if (first === null || fitsIn(first.text, opts.maxReplyBytes)) {
        return this.answer(hold, dedupeKey, id, { reply: first, via: 'passive' });
      }
      await this.sendLater(hold, msg, id, first, dedupeKey, opts.maxReplyBytes);
      return { kind: 'deferred' };
    } catch (err) {
      return this.fail(hold, msg, null, dedupeKey, err, false);
    }
  }

  /** Waits for answers still being prepared (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async answerRepeat(msg: ChatMessage, done: boolean): Promise<HandleOutcome> {
    if (!done) return { kind: 'deferred' };
    const prior = await findInbound(this.deps.db, msg.channel, msg.messageKey);
    const stored = prior?.reply as StoredAnswer | null | undefined;
    if (!stored && prior?.status === 'refused' && prior.person_id === null) {
      return { kind: 'reply', reply: { text: NOT_ON_ROSTER } };
    }
    if (stored?.via === 'passive' && stored.reply) return { kind: 'reply', reply: stored.reply };
    return stored?.via === 'passive' ? { kind: 'none' } : { kind: 'deferred' };
  }

  /**
   * Answers in the callback's response at once; the answer is stored and the person's turn ended (their
   * conversation written, their lock released, the dedupe mark set to done) after it. The message itself
   * was committed before this, so nothing the person was told is unrecorded; their next message waits for
   * the turn to end (their place in line here, their lock on the store for another instance).
   */
  private answer(
    hold: Hold,
    dedupeKey: string,
    inboundId: number,
    answer: StoredAnswer | null,
    status?: 'refused',
  ): HandleOutcome {
    const outcome: HandleOutcome =
      answer === null
        ? { kind: 'reply', reply: { text: NOT_ON_ROSTER } }
        : answer.reply
          ? { kind: 'reply', reply: answer.reply }
          : { kind: 'none' };
    const stored = this.finish(hold, dedupeKey, inboundId, answer, status)
      .catch(async (err: unknown) => {
        // The person has their answer: the message is not handled again, only its answer is not kept.
        this.deps.log.error({ err, inboundId }, 'answer given but not stored');
        await hold.end([{ key: dedupeKey, value: 'done', ttlMs: DONE_TTL_MS }]).catch(() => {});
      })
      .finally(() => {
        this.pending.delete(stored);
        this.answered.delete(dedupeKey);
      });
    this.pending.add(stored);
    this.answered.set(dedupeKey, { outcome, stored });
    return outcome;
  }

  private async finish(
    hold: Hold,
    dedupeKey: string,
    inboundId: number,
    answer: StoredAnswer | null,
    status?: 'refused',
  ): Promise<void> {
    // A refused message keeps its status; any other is handled.
    await this.writes.submit({
      outcome: {
        id: inboundId,
        status: status === 'refused' || answer === null ? null : 'handled',
        reply: answer,
        at: this.deps.clock.now(),
      },
    });
    await hold.end([{ key: dedupeKey, value: 'done', ttlMs: DONE_TTL_MS }]);
  }

  private async sendLater(
    hold: Hold,
    msg: ChatMessage,
    inboundId: number,
    reply: Reply | null,
    dedupeKey: string,
    maxBytes = 2048,
    target?: { kind: TargetKind; address: string },
  ): Promise<void> {
    if (reply) {
      const parts = splitText(reply.text, maxBytes);
      await this.deps.db.transaction().execute(async (trx) => {
        for (const [i, text] of parts.entries()) {
          await enqueue(trx, {
            channel: msg.channel as MessageChannel,
            targetKind: target?.kind ?? msg.replyTarget?.kind ?? 'user',
            targetAddress: target?.address ?? msg.replyTarget?.address ?? msg.senderId,
            payload: {
              text,
              ...(i === parts.length - 1 && reply.buttons ? { buttons: reply.buttons } : {}),
              ...(parts.length > 1 ? { part: { index: i + 1, of: parts.length } } : {}),
            },
            idempotencyKey: `reply:${msg.channel}:${msg.messageKey}:${i + 1}`,
            cause: `reply:${inboundId}`,
          });
        }
      });
    }
    await this.finish(hold, dedupeKey, inboundId, { reply, via: 'api' });
    this.onQueued();
  }

  private async fail(
    hold: Hold,
    msg: ChatMessage,
    inboundId: number | null,
    dedupeKey: string,
    err: unknown,
    late: boolean,
  ): Promise<HandleOutcome> {
    this.deps.log.error({ err, channel: msg.channel, inboundId }, 'handling a message failed');
    // Release the key: the platform's retry (or the person's resend) is handled anew. The message stays recorded.
    await hold.end([{ key: dedupeKey, value: null }]).catch(() => {});
    if (inboundId !== null) await markFailed(this.deps.db, inboundId).catch(() => {});
    else {
      const prior = await findInbound(this.deps.db, msg.channel, msg.messageKey).catch(() => undefined);
      if (prior && prior.status === 'received') await markFailed(this.deps.db, prior.id).catch(() => {});
    }
    if (late) {
      await enqueue(this.deps.db, {
        channel: msg.channel as MessageChannel,
        targetKind: msg.replyTarget?.kind ?? 'user',
        targetAddress: msg.replyTarget?.address ?? msg.senderId,
        payload: { text: SYSTEM_ERROR },
        idempotencyKey: `reply-error:${msg.channel}:${msg.messageKey}`,
        cause: 'reply-error',
      }).catch(() => {});
      this.onQueued();
      return { kind: 'deferred' };
    }
    return { kind: 'reply', reply: { text: SYSTEM_ERROR } };
  }

  private observe(msg: ChatMessage, started: bigint): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.deps.metrics.handlerDuration.observe({ channel: msg.channel, command: msg.kind }, seconds);
  }
}

/** What is kept of a message from someone on the roster. */
function contentOf(msg: ChatMessage): Record<string, unknown> {
  return {
    kind: msg.kind,
    ...(msg.text !== undefined ? { text: msg.text } : {}),
    ...(msg.event ? { event: msg.event } : {}),
    ...(msg.media ? { media: msg.media } : {}),
    ...(msg.location ? { location: msg.location } : {}),
    ...(msg.conversation ? { conversation: { kind: msg.conversation.kind, id: msg.conversation.id } } : {}),
    platformType: msg.platformType,
  };
}

/**
 * Where an answer about the person alone goes when they asked in a DingTalk group: to them, privately
 * (oToMessages). Undefined for anything else, which is answered where it was asked.
 */
function privateTarget(
  msg: ChatMessage,
  reply: Reply | null,
): { kind: TargetKind; address: string } | undefined {
  if (!reply?.personal || msg.channel !== 'dingtalk' || msg.conversation?.kind !== 'group') return undefined;
  return { kind: 'user', address: msg.senderId };
}
