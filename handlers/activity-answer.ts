import { attendActivity, declineActivity } from '../src/services/activities/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// The answers to an activity invitation: `参加 <HD>` · `请假 <HD> <事由>` (大同 第十一条, S4).

export const activityAttendHandler: CommandHandler<'activity.attend'> = {
  id: 'activity.attend',
  async run(ctx) {
    return replyOf(
      ctx,
      await attendActivity(ctx.deps, { personId: ctx.sender.personId, code: ctx.args.code }),
    );
  },
};

export const activityDeclineHandler: CommandHandler<'activity.decline'> = {
  id: 'activity.decline',
  async run(ctx) {
    return replyOf(
      ctx,
      await declineActivity(ctx.deps, {
        personId: ctx.sender.personId,
        code: ctx.args.code,
        reason: ctx.args.reason,
        today: ctx.today,
        enteredBy: null,
      }),
    );
  },
};
