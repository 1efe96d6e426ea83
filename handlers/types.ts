import type { ConversationState } from '../src/bot/dialog/state.ts';
import type { ArgValue, CommandId, Role } from '../src/bot/language/command-catalog.ts';
import type { RouteContext } from '../src/bot/types.ts';
import type { Reply } from '../src/channels/types.ts';

export interface CommandContext extends RouteContext {
  roles: Role[];
  args: Record<string, ArgValue>;
  /** The conversation; a handler may set `lastItem` to the code it talked about. */
  conversation: ConversationState;
  /** Photos or places sent during the dialog that led to this command. */
  attachments: NonNullable<ConversationState['dialog']>['attachments'];
}

/** One chat command: typed arguments → a service → a Reply. */
export interface CommandHandler {
  id: CommandId;
  run(ctx: CommandContext): Promise<Reply>;
}
