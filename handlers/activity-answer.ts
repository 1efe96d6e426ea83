import { attendActivity, declineActivity } from '../src/services/activities/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// The answers to an activity invitation: `参加 <HD>` · `请假 <HD> <事由>` (大同 第十一条, S4).

export const activityAttendHandler: CommandHandler = {
  id: 'activity.attend',
  async run(ctx) {
    return replyOf(
      ctx,
      await attendActivity(ctx.deps, { personId: ctx.sender.personId, code: String(ctx.args.code) }),
    );
  },
};

export const activityDeclineHandler: CommandHandler = {
  id: 'activity.decline',
  async run(ctx) {
    return replyOf(
      ctx,
      await declineActivity(ctx.deps, {
        personId: ctx.sender.personId,
        code: String(ctx.args.code),
        reason: String(ctx.args.reason ?? ''),
        today: ctx.today,
        enteredBy: null,
      }),
    );
  },
};
