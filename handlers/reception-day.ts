import { receptionDayAnswer } from '../src/services/reception/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `接待日 [YYYY-MM]`, or a question about that day (大同 第七条(九), S2).
export const receptionDayHandler: CommandHandler<'reception.day'> = {
  id: 'reception.day',
  async run(ctx) {
    return replyOf(
      ctx,
      await receptionDayAnswer(ctx.deps, {
        personId: ctx.sender.personId,
        month: ctx.args.month,
        today: ctx.today,
        congressId: ctx.congressId,
        asks: ctx.args.asks,
      }),
    );
  },
};
