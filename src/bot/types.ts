import type { KnownSender } from '../../db/repositories/senders.ts';
import type { ChatMessage, Reply } from '../channels/types.ts';
import type { Deps } from '../deps.ts';

export interface RouteContext {
  deps: Deps;
  msg: ChatMessage;
  sender: KnownSender;
  /** The recorded inbound message's id. */
  inboundId: number;
  /** Today's date in APP_TIMEZONE. */
  today: string;
}

/** Turns one message from a known sender into the bot's answer (null: nothing to say). */
export interface MessageRouter {
  route(ctx: RouteContext): Promise<Reply | null>;
}
