import type { Reply } from '../src/messaging/index.ts';
import type { Outcome } from '../src/services/leave/index.ts';
import type { CommandContext } from './types.ts';

/** A service outcome as the chat answer; the item it talked about becomes the conversation's last item. */
export function replyOf(ctx: CommandContext, o: Outcome): Reply {
  if (o.code) ctx.conversation.lastItem = o.code;
  return { text: o.text, ...(o.buttons && o.buttons.length > 0 ? { buttons: o.buttons } : {}) };
}
