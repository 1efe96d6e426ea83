import { bookReception } from '../src/services/reception/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `预约接待日 [YYYY-MM] [话题]` (大同 第七条(九), S2).
export const receptionBookHandler: CommandHandler<'reception.book'> = {
  id: 'reception.book',
  async run(ctx) {
    return replyOf(
      ctx,
      await bookReception(ctx.deps, {
        personId: ctx.sender.personId,
        month: ctx.args.month,
        topic: ctx.args.topic,
        today: ctx.today,
        congressId: ctx.congressId,
      }),
    );
  },
};
