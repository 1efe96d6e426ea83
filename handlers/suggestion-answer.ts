import { assignmentsOf, findSuggestionByCode } from '../db/repositories/suggestions.ts';
import { rememberLastItem } from '../src/bot/dialog/state.ts';
import { isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import { answerSuggestion, answerVerb, currentRound, roleLabel } from '../src/services/suggestions/index.ts';
import { parseAnswerText } from './answer-text.ts';
import { actorOfChat, answering, chatAudit, staffScope } from './suggestion-common.ts';
import type { CommandContext, CommandHandler } from './types.ts';

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
      // The yes to "用您写的答复代替吗？" (below) carries this.
      const replacePending = (ctx.args as { replacePending?: unknown }).replacePending === true;
      let out: Awaited<ReturnType<typeof answerSuggestion>>;
      try {
        out = await answerSuggestion(ctx.deps, {
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
          replacePending,
          audit: chatAudit(ctx),
        });
      } catch (err) {
        const asked = pendingQuestion(ctx, err);
        if (asked) return asked;
        throw err;
      }
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

/**
 * The organ's own answer waits for review: both are shown and staff say which to keep (是: theirs, the
 * organ's set aside and the organ told; 否: the organ's stays for review). Null for any other refusal.
 */
function pendingQuestion(ctx: CommandContext<'suggestion.answer'>, err: unknown): Reply | null {
  const pending = isAppError(err)
    ? (err.details as { pendingAnswer?: { organ: string } } | undefined)?.pendingAnswer
    : undefined;
  if (!pending) return null;
  const { code, content } = ctx.args;
  const question = `要用您刚写的答复代替${pending.organ}的答复吗？`;
  ctx.conversation.confirm = {
    commandId: 'suggestion.answer',
    // "否" answers "好的，没有<word>。": what stays is said with it.
    word: `录入您写的答复，${pending.organ}的答复仍在等待审核（「工作平台 → 答复审核」）`,
    args: { code, content, replacePending: true },
    question,
    expiresAt: ctx.keep(true).expiresAt,
  };
  return {
    text: `${(err as Error).message}\n您写的：“${content.length > 60 ? `${content.slice(0, 60)}…` : content}”\n${question}回复“是”用您写的（${pending.organ}的答复不再审核，会告知该单位），回复“否”保留${pending.organ}的答复。`,
    buttons: [
      { label: '用我写的答复', command: '是' },
      { label: `保留${pending.organ}的答复`, command: '否' },
    ],
  };
}
