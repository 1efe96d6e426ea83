import { helpText } from '../src/bot/language/help-text.ts';
import type { CommandHandler } from './types.ts';

export const helpHandler: CommandHandler<'help'> = {
  id: 'help',
  async run(ctx) {
    return { text: helpText(ctx.roles) };
  },
};
