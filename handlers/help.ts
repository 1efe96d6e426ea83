import { plainHelp } from '../src/bot/dialog/help.ts';
import type { CommandHandler } from './types.ts';

export const helpHandler: CommandHandler<'help'> = {
  id: 'help',
  async run(ctx) {
    return { text: plainHelp(ctx.roles) };
  },
};
