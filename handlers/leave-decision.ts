import { decideLeave } from '../src/services/leave/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `批准 <QJ>` · `不批准 <QJ> <理由>`: an approver records what the deciding body decided (山西 第八条, S5).

const decide = (
  ctx: CommandContext<'leave.approve' | 'leave.reject'>,
  decision: 'approved' | 'rejected',
  reason: string | null,
) =>
  decideLeave(ctx.deps, {
    code: ctx.args.code,
    decision,
    reason,
    today: ctx.today,
    by: { personId: ctx.sender.personId },
    actor: `person:${ctx.sender.personId}`,
  });

export const leaveApproveHandler: CommandHandler<'leave.approve'> = {
  id: 'leave.approve',
  async run(ctx) {
    return replyOf(ctx, await decide(ctx, 'approved', null));
  },
};

export const leaveRejectHandler: CommandHandler<'leave.reject'> = {
  id: 'leave.reject',
  async run(ctx) {
    return replyOf(ctx, await decide(ctx, 'rejected', ctx.args.reason));
  },
};
