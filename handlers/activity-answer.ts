import { attendActivity } from '../src/services/activities/index.ts';
import { leaveForActivity } from './leave-request.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// The answers to an activity invitation: `参加 <HD>` · `请假 <HD> <事由>` (大同 第十一条, S4). 参加 after 请假
// withdraws the leave still awaiting a decision; 请假's reason is settled as 请假 <会议> settles it.

export const activityAttendHandler: CommandHandler<'activity.attend'> = {
  id: 'activity.attend',
  async run(ctx) {
    return replyOf(
      ctx,
      await attendActivity(ctx.deps, {
        personId: ctx.sender.personId,
        code: ctx.args.code,
        today: ctx.today,
      }),
    );
  },
};

export const activityDeclineHandler: CommandHandler<'activity.decline'> = {
  id: 'activity.decline',
  async run(ctx) {
    const who = { personId: ctx.sender.personId, enteredBy: null, prefix: '' };
    return replyOf(ctx, await leaveForActivity(ctx, who, ctx.args.code, ctx.args.reason));
  },
};
