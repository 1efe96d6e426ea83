import {
  answerVerb,
  RATING_LABEL,
  RATING_OF_WORD,
  rateSuggestion,
  titleOf,
} from '../src/services/suggestions/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 满意 / 基本满意 / 不满意 [编号] [说明]: the deputy's rating of an answer; without a code, the item just
// answered (or the only one waiting for a rating).

// "交警疏导就早上有，下午放学没人管，不太满意": the rating in plain words, and the rest is its reason, kept in
// the item's history and passed to the organs when it is handled again.
const RATING_WORDS =
  /(?:还是|总体|总的来说|我)?(?:很|非常|特别|比较|不太|不是很|不大|有点)?(?:不满意|基本满意|满意)|评价|JY-?\d{4}-?\d+/gi;

function reasonIn(text: string): string | undefined {
  const rest = text
    .replace(RATING_WORDS, ' ')
    .replace(/^[\s，,。.！!？?、；;]+|[\s，,。.！!？?、；;]+$/g, '')
    .trim();
  // "这个答复我不满意" gives no reason: the words that only point at the answer do not count.
  const telling = rest.replace(NOT_A_REASON, '');
  return (telling.match(/\p{Script=Han}/gu)?.length ?? 0) >= 4 ? rest : undefined;
}

const NOT_A_REASON =
  /这个|那个|这条|那条|这次|答复|回复|办理结果|结果|对于?|的|我|觉得|感觉|表示|有点|实在|真的|说实话/g;

export const suggestionRateHandler: CommandHandler<'suggestion.rate'> = {
  id: 'suggestion.rate',
  async run(ctx) {
    const word = ctx.args.rating;
    const rating = RATING_OF_WORD[word];
    if (!rating || rating === 'no_response') return { text: '请回复“满意”“基本满意”或“不满意”。' };
    const lastItem = ctx.conversation.lastItem?.startsWith('JY-') ? ctx.conversation.lastItem : undefined;
    const comment = ctx.args.comment ?? reasonIn(ctx.msg.text ?? '');
    return answering(async () => {
      const out = await rateSuggestion(ctx.deps, {
        personId: ctx.sender.personId,
        actor: actorOfChat(ctx),
        rating,
        code: ctx.args.code,
        lastItem,
        comment,
      });
      if (out.kind === 'choose') {
        return {
          text: `您有 ${out.codes.length} 条答复等待评价：${out.codes.join('、')}。请在评价后写上编号，如“${word} ${out.codes[0]}”。`,
          buttons: out.codes.slice(0, 6).map((c) => ({ label: c, command: `${word} ${c}` })),
        };
      }
      ctx.conversation.lastItem = out.item.code;
      // The item named with its words: without a code, the rating went to the one the bot took as meant.
      const item = `${out.item.code}「${titleOf(out.item)}」`;
      if (out.rating === 'dissatisfied') {
        const lines = out.rehandling.map(
          (a) =>
            `${a.organ_name}：${formatStatutoryDate(a.due_on!, a.due_provisional)}前重新${answerVerb(out.item.kind)}`,
        );
        // No reason given: the next words are taken as it (router), so ask for them.
        const withoutReason = !comment;
        if (withoutReason) ctx.conversation.ratingReason = ctx.keep(out.item.code);
        const said = out.changedFrom
          ? `已把您对 ${item}的评价改为“不满意”`
          : `已记录您对 ${item}的评价“不满意”`;
        return {
          text:
            `${said}，已转入重新办理（重办）：\n${lines.join('\n')}\n新的答复会第一时间告诉您。` +
            (withoutReason ? '\n如愿意，可以直接回复哪里不满意，我会转给重新办理的单位。' : ''),
        };
      }
      if (out.changedFrom)
        return { text: `已把您对 ${item}的评价改为“${RATING_LABEL[out.rating]}”，该事项已办结。` };
      return { text: `已记录您对 ${item}的评价“${word}”，该事项已办结。感谢您的履职！` };
    });
  },
};
