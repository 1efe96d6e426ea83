import type { Reply } from '../../messaging/index.ts';
import type { ChoiceState, ConversationState, ConversationStore } from '../dialog/state.ts';
import type { SenderStanding } from '../dispatch/sender-roles.ts';
import type { CommandHandlers, RouteContext } from '../types.ts';

/** What every part of answering one message shares: the message, the conversation and the sender's roles. */
export interface TurnScope {
  readonly ctx: RouteContext;
  readonly handlers: CommandHandlers;
  readonly conversations: ConversationStore;
  readonly conv: ConversationState;
  readonly standing: SenderStanding;
  /** The text of the message being answered (a button's command included). */
  readonly text: string;
  /** The numbered list offered just before this message, for “第一个催一下”. */
  readonly shown: ChoiceState | undefined;
  /** Reads a text afresh as if it had been sent: a choice's command, "接待日 2027-01" after a bare month. */
  onText(text: string): Promise<Reply | null>;
}
