import { receptionDayAnswer } from '../src/services/reception/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `接待日 [YYYY-MM]` (大同 第七条(九), S2).
export const receptionDayHandler: CommandHandler = {
  id: 'reception.day',
  async run(ctx) {
    const month = ctx.args.month === undefined ? undefined : String(ctx.args.month);
    return replyOf(
      ctx,
      await receptionDayAnswer(ctx.deps, { personId: ctx.sender.personId, month, today: ctx.today }),
    );
  },
};
