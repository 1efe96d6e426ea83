import { normalize } from '../src/bot/language/normalize.ts';
import { decideLeave } from '../src/services/leave/index.ts';
import { replyOf } from './reply-of.ts';
import { chatAudit } from './suggestion-common.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `批准 <QJ>` · `不批准 <QJ> <理由>`: an approver records what the deciding body decided (山西 第八条, S5).

const decide = (
  ctx: CommandContext<'leave.approve' | 'leave.reject'>,
  decision: 'approved' | 'rejected',
  reason: string | null,
  code = ctx.args.code,
) =>
  decideLeave(ctx.deps, {
    code,
    decision,
    reason,
    today: ctx.today,
    by: { personId: ctx.sender.personId },
    actor: `person:${ctx.sender.personId}`,
    audit: chatAudit(ctx),
  });

/** Every leave code the message wrote, when the one the command read is among them. */
function codesWritten(ctx: CommandContext<'leave.approve'>): string[] {
  const codes = [...new Set(normalize(ctx.msg.text ?? '').text.match(/QJ-\d{4}-\d{4,}/g) ?? [])];
  return codes.includes(ctx.args.code) ? codes : [ctx.args.code];
}

export const leaveApproveHandler: CommandHandler<'leave.approve'> = {
  id: 'leave.approve',
  async run(ctx) {
    // "批准 QJ-…0001、QJ-…0002": each request written is decided, never only the first.
    const codes = codesWritten(ctx);
    if (codes.length === 1) return replyOf(ctx, await decide(ctx, 'approved', null));
    const lines: string[] = [];
    for (const code of codes) lines.push((await decide(ctx, 'approved', null, code)).text);
    ctx.conversation.lastItem = codes.at(-1)!;
    return { text: lines.join('\n') };
  },
};

export const leaveRejectHandler: CommandHandler<'leave.reject'> = {
  id: 'leave.reject',
  async run(ctx) {
    return replyOf(ctx, await decide(ctx, 'rejected', ctx.args.reason));
  },
};
