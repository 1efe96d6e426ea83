import { answerVerb, assignSuggestion, roleLabel } from '../src/services/suggestions/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering, staffScope } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 交办 <JY编号> <承办单位>[、协办单位…]: answers with each organ's due date (S8).

export const suggestionAssignHandler: CommandHandler<'suggestion.assign'> = {
  id: 'suggestion.assign',
  async run(ctx) {
    const { organs } = ctx.args;
    return answering(async () => {
      const out = await assignSuggestion(ctx.deps, {
        code: ctx.args.code,
        organs,
        actor: actorOfChat(ctx),
        scope: staffScope(ctx),
      });
      ctx.conversation.lastItem = out.item.code;
      const lines = out.assignments.map(
        (a) =>
          `${a.organ_name}（${roleLabel(a.role)}）：${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(out.item.kind)}`,
      );
      return { text: `${out.item.code} 已交办：\n${lines.join('\n')}\n已告知代表和承办单位联系人。` };
    });
  },
};
