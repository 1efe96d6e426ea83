import { answerVerb, extendSuggestion, roleLabel } from '../src/services/suggestions/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering, staffScope } from './suggestion-common.ts';
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
      });
      ctx.conversation.lastItem = out.item.code;
      const lines = out.assignments
        .filter((a) => a.status === 'open')
        .map(
          (a) =>
            `${a.organ_name}（${roleLabel(a.role)}）：${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(out.item.kind)}`,
        );
      return { text: `${out.item.code} 已延期，现在的期限：\n${lines.join('\n')}\n已告知代表。` };
    });
  },
};
