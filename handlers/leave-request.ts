import { declineActivity } from '../src/services/activities/index.ts';
import { submitSessionLeave } from '../src/services/leave/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `请假 <会议或活动> <事由>` (山西 第八条 S5; an HD code: 大同 第十一条 S4).
export const leaveRequestHandler: CommandHandler<'leave.request'> = {
  id: 'leave.request',
  async run(ctx) {
    const { meeting, reason } = ctx.args;
    const personId = ctx.sender.personId;
    if ('code' in meeting) {
      return replyOf(
        ctx,
        await declineActivity(ctx.deps, {
          personId,
          code: meeting.code,
          reason,
          today: ctx.today,
          enteredBy: null,
        }),
      );
    }
    return replyOf(
      ctx,
      await submitSessionLeave(ctx.deps, {
        personId,
        meetingName: meeting.name,
        reason,
        today: ctx.today,
        enteredBy: null,
      }),
    );
  },
};
