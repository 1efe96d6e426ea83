import type { KnownSender } from '../../db/repositories/senders.ts';
import type { ChatMessage } from '../channels/types.ts';
import type { Deps } from '../deps.ts';
import type { Reply } from '../messaging/index.ts';
import type { ConversationState, ConversationTurn, Kept } from './dialog/state.ts';
import type { SenderStanding } from './dispatch/sender-roles.ts';
import type { CommandId, CompleteArgsOf, Role } from './language/command-catalog.ts';

export interface RouteContext {
  deps: Deps;
  msg: ChatMessage;
  sender: KnownSender;
  /** The recorded inbound message's id. */
  inboundId: number;
  /** Today's date in APP_TIMEZONE. */
  today: string;
  /** The sender's conversation, read with their lock by the dispatcher (else the router reads the store). */
  turn?: ConversationTurn;
  /** The sender's roles, when the dispatcher already worked them out (else the router does). */
  standing?: SenderStanding;
}

/** Turns one message from a known sender into the bot's answer (null: nothing to say). */
export interface MessageRouter {
  route(ctx: RouteContext): Promise<Reply | null>;
}

// What a command handler is. The bot defines it and runtime.ts hands the handlers (handlers/) to the
// router, so the bot never imports the handlers that depend on it.

export interface CommandContext<Id extends CommandId = CommandId> extends RouteContext {
  roles: Role[];
  /** The command's own arguments, as the parser or the dialog read them; every required one is there. */
  args: CompleteArgsOf<Id>;
  /** The conversation; a handler may set `lastItem` to the code it talked about. */
  conversation: ConversationState;
  /** A value to keep in the conversation for the dialog timeout (e.g. an item waiting for a reason). */
  keep<T>(value: T): Kept<T>;
  /** Photos or places sent during the dialog that led to this command (or kept from just before it). */
  attachments: NonNullable<ConversationState['dialog']>['attachments'];
  /** The congress a deputy with several mandates named or chose for this command. */
  congressId?: number | undefined;
}

/** One chat command: typed arguments → a service → a Reply. */
export interface CommandHandler<Id extends CommandId> {
  id: Id;
  run(ctx: CommandContext<Id>): Promise<Reply>;
}

/** The handlers by command; a command without one answers that it is not available yet. */
export type CommandHandlers = { readonly [Id in CommandId]?: CommandHandler<Id> };
