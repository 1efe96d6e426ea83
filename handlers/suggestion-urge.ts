import { urgeSuggestion } from '../src/services/suggestions/index.ts';
import { dateAt } from '../src/statute/calendar-date.ts';
import { formatDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 催办 <JY编号>: the organs handling the deputy's item are reminded (at most once a week per item).

export const suggestionUrgeHandler: CommandHandler<'suggestion.urge'> = {
  id: 'suggestion.urge',
  async run(ctx) {
    const { code } = ctx.args;
    return answering(async () => {
      const out = await urgeSuggestion(ctx.deps, {
        code,
        personId: ctx.sender.personId,
        actor: actorOfChat(ctx),
      });
      ctx.conversation.lastItem = out.code;
      const lines = out.reached.map((r) =>
        r.via === 'chat'
          ? `已提醒${r.organ}${r.contact ? `（联系人${r.contact}）` : ''}抓紧办理。`
          : `${r.organ}未登记线上联系方式，已请工作人员电话提醒。`,
      );
      const next = formatDate(dateAt(out.nextAllowedAt, ctx.deps.config.timezone));
      return {
        text: `${out.code} 已催办：\n${lines.join('\n')}\n工作时间内送达；本条下次可催办的日期：${next}。`,
      };
    });
  },
};
