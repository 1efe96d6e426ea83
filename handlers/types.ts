// The handler contract is the bot's (src/bot/types.ts): handlers depend on the bot, never the reverse.
export type { CommandContext, CommandHandler, CommandHandlers } from '../src/bot/types.ts';
