import { decideLeave } from '../src/services/leave/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `批准 <QJ>` · `不批准 <QJ> <理由>`: an approver records what the deciding body decided (山西 第八条, S5).

const decide = (ctx: CommandContext, decision: 'approved' | 'rejected') =>
  decideLeave(ctx.deps, {
    code: String(ctx.args.code),
    decision,
    reason: ctx.args.reason === undefined ? null : String(ctx.args.reason),
    today: ctx.today,
    by: { personId: ctx.sender.personId },
    actor: `person:${ctx.sender.personId}`,
  });

export const leaveApproveHandler: CommandHandler = {
  id: 'leave.approve',
  async run(ctx) {
    return replyOf(ctx, await decide(ctx, 'approved'));
  },
};

export const leaveRejectHandler: CommandHandler = {
  id: 'leave.reject',
  async run(ctx) {
    return replyOf(ctx, await decide(ctx, 'rejected'));
  },
};
