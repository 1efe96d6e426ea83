import type { CommandId } from '../src/bot/command-catalog.ts';
import { helpHandler } from './help.ts';
import type { CommandHandler } from './types.ts';

// Every chat command that is built. A command in the catalog without a handler here answers that it is
// not yet available and whom to ask instead.
const HANDLERS: CommandHandler[] = [helpHandler];

export const handlers: ReadonlyMap<CommandId, CommandHandler> = new Map(HANDLERS.map((h) => [h.id, h]));
