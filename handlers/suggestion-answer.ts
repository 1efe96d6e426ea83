import { assignmentsOf, findSuggestionByCode } from '../db/repositories/suggestions.ts';
import { rememberLastItem } from '../src/bot/dialog/state.ts';
import { answerSuggestion, answerVerb, currentRound, roleLabel } from '../src/services/suggestions/index.ts';
import { parseAnswerText } from './answer-text.ts';
import { actorOfChat, answering, staffScope } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 答复 <JY编号> [单位：]<内容>: the answer, in the fields offices use when they are labelled
// (已办理：… 计划：… 落实时限：… 不能办理：… 原因：… 签发人：…); the deputy is sent it and asked to rate it.

export const suggestionAnswerHandler: CommandHandler<'suggestion.answer'> = {
  id: 'suggestion.answer',
  async run(ctx) {
    const { code, content } = ctx.args;
    return answering(async () => {
      // The organ names of the item let "市交通局：……" say which organ answers.
      const item = await findSuggestionByCode(ctx.deps.db, code);
      const round = item ? currentRound(item, await assignmentsOf(ctx.deps.db, [item.id])) : [];
      const names = round.map((a) => a.organ_name);
      const parsed = parseAnswerText(content, names, ctx.today);
      if ('error' in parsed) return { text: parsed.error };
      const open = round.filter((a) => a.status === 'open');
      if (parsed.organ === undefined && open.length > 1) {
        // Several organs handle it: which one answered, with what was written kept in each choice.
        const choices = open.map((a) => ({ organ: a.organ_name, role: roleLabel(a.role) }));
        return {
          text: `${code} 由 ${open.length} 个单位办理，这是哪个单位的${answerVerb(item!.kind)}？\n${choices.map((c, i) => `${i + 1}. ${c.organ}（${c.role}）`).join('\n')}\n回复数字或点选即可，写好的内容不用再发。`,
          buttons: choices.map((c) => ({ label: c.organ, command: `答复 ${code} ${c.organ}：${content}` })),
        };
      }
      const out = await answerSuggestion(ctx.deps, {
        code,
        organ: parsed.organ,
        fields: parsed.fields,
        // 联系人 and 文号 have no field of the answer's own: the deputy still reads them as written.
        extra: [
          ...(parsed.contact ? [`联系人：${parsed.contact}`] : []),
          ...(parsed.docNo ? [`文号：${parsed.docNo}`] : []),
        ],
        actor: actorOfChat(ctx),
        scope: staffScope(ctx),
      });
      // 满意 / 不满意 without a code means the item just answered (CONTRACT §3).
      await rememberLastItem(ctx.deps.store, ctx.deps.clock, out.askedToRate, out.item.code);
      ctx.conversation.lastItem = out.item.code;
      const verb = answerVerb(out.item.kind);
      return {
        text: out.ratingRequested
          ? `已记录${out.assignment.organ_name}对 ${out.item.code} 的${verb}，已发给代表并请其评价。`
          : `已记录协办单位${out.assignment.organ_name}对 ${out.item.code} 的${verb}，已转给代表；承办单位${verb}后代表再评价。`,
      };
    });
  },
};
