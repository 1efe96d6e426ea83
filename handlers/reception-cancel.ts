import { cancelReception } from '../src/services/reception/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `取消预约 <JD>`.
export const receptionCancelHandler: CommandHandler<'reception.cancel'> = {
  id: 'reception.cancel',
  async run(ctx) {
    return replyOf(
      ctx,
      await cancelReception(ctx.deps, {
        personId: ctx.sender.personId,
        code: ctx.args.code,
        today: ctx.today,
      }),
    );
  },
};
