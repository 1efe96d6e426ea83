import type { Reply } from '../messaging/index.ts';
import { keepMedia } from '../services/media/index.ts';
import { ConversationStore } from './dialog/state.ts';
import { standingOf } from './dispatch/sender-roles.ts';
import { Turn } from './turn/turn.ts';
import type { CommandHandlers, MessageRouter, RouteContext } from './types.ts';

// From one message of a known sender to the answer: the conversation loaded, what was sent kept for
// fetching, the turn answered (src/bot/turn/) and the conversation saved. The handlers are given at start
// (runtime.ts), so this layer never imports them.

export interface RouterOptions {
  /** Called after something a person sent was recorded for fetching (runtime.ts: fetch it now). */
  onMediaKept?: () => void;
}

export class CommandRouter implements MessageRouter {
  private readonly handlers: CommandHandlers;
  private readonly onMediaKept: () => void;

  constructor(handlers: CommandHandlers, opts: RouterOptions = {}) {
    this.handlers = handlers;
    this.onMediaKept = opts.onMediaKept ?? (() => {});
  }

  async route(ctx: RouteContext): Promise<Reply | null> {
    const conversations = new ConversationStore(ctx.deps.store, ctx.deps.clock, ctx.turn);
    const conv = await conversations.load(ctx.sender.personId);
    const notices: string[] = [];
    if (conv.dialog && conversations.isExpired(conv.dialog)) {
      notices.push(`您之前的“${conv.dialog.word}”超过30分钟没有回复，已自动取消。`);
      delete conv.dialog;
    }
    conversations.dropExpired(conv);

    const stored = await this.keep(ctx);
    const turn = new Turn(ctx, this.handlers, conversations, conv, ctx.standing ?? standingOf(ctx.sender));
    const reply = await turn.answer(stored);
    // An answer that waits for the person's next words (a question, a choice, a yes or no) is theirs: in a
    // group it goes to them alone, where the conversation goes on (dispatcher's privateTarget).
    if (reply && (conv.dialog || conv.confirm || conv.choice || conv.congressQuestion)) reply.personal = true;
    await conversations.save(ctx.sender.personId, conv);
    if (!reply) return notices.length > 0 ? { text: notices.join('\n') } : null;
    return notices.length > 0 ? { ...reply, text: `${notices.join('\n')}\n${reply.text}` } : reply;
  }

  /**
   * A photo, voice message or file is recorded for fetching before anything else, so it is kept even
   * when the message is not part of a dialog; the fetch runs after (services/media). Its id, or undefined.
   */
  private async keep(ctx: RouteContext): Promise<number | undefined> {
    const { msg } = ctx;
    if (!msg.media?.mediaId) return undefined;
    const kind =
      msg.kind === 'voice'
        ? 'voice'
        : msg.kind === 'video'
          ? 'video'
          : msg.kind === 'image' || msg.kind === 'text'
            ? 'image'
            : 'file';
    const id = await keepMedia(ctx.deps, {
      channel: msg.channel,
      platformId: msg.media.mediaId,
      kind,
      inboundId: ctx.inboundId,
    });
    this.onMediaKept();
    return id;
  }
}
