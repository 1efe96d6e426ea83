import { answerVerb, extendSuggestion, roleLabel } from '../src/services/suggestions/index.ts';
import { formatDate, formatStatutoryDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering, chatAudit, staffScope } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 延期 <JY编号> <日期> [单位] <理由>: the new due date, refused past six months from 交办 (S8).

export const suggestionExtendHandler: CommandHandler<'suggestion.extend'> = {
  id: 'suggestion.extend',
  async run(ctx) {
    return answering(async () => {
      const out = await extendSuggestion(ctx.deps, {
        code: ctx.args.code,
        date: ctx.args.date,
        reason: ctx.args.reason,
        actor: actorOfChat(ctx),
        scope: staffScope(ctx),
        audit: chatAudit(ctx),
      });
      ctx.conversation.lastItem = out.item.code;
      const lines = out.assignments
        .filter((a) => a.status === 'open')
        .map(
          (a) =>
            `${a.organ_name}（${roleLabel(a.role)}）：${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(out.item.kind)}`,
        );
      // "延到5月1日", "延期一个月" that lands on a rest day: why the date shown is a later one.
      const landed = [...new Set(out.moved.filter((m) => m.to > m.requested).map((m) => m.requested))];
      const shifted = landed
        .map((d) => `（${formatDate(d)}不是工作日，期限顺延到其后的第一个工作日。）\n`)
        .join('');
      return {
        text: `${out.item.code} 已延期，现在的期限：\n${lines.join('\n')}\n${shifted}已告知代表和承办单位联系人。`,
      };
    });
  },
};
