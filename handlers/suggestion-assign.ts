import { YES_NO } from '../src/bot/dialog/wording.ts';
import { organCorrectionOffer } from '../src/bot/turn/organ-correction.ts';
import { isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import { organsMeant } from '../src/services/organs/index.ts';
import {
  answerVerb,
  assignSuggestion,
  roleLabel,
  unknownItemForStaff,
} from '../src/services/suggestions/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { actorOfChat, answering, chatAudit, staffScope } from './suggestion-common.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// 交办 <JY编号> <承办单位>[、协办单位…]: answers with each organ's due date (S8).

export const suggestionAssignHandler: CommandHandler<'suggestion.assign'> = {
  id: 'suggestion.assign',
  async run(ctx) {
    const { code, organs } = ctx.args;
    return answering(async () => {
      // No such item: said plainly first, whatever the organs written (never "which organ?" before it).
      const unknown = await unknownItemForStaff(ctx.deps, code, staffScope(ctx), '交办');
      if (unknown) return { text: unknown };
      let out: Awaited<ReturnType<typeof assignSuggestion>>;
      try {
        out = await assignSuggestion(ctx.deps, {
          code,
          organs,
          actor: actorOfChat(ctx),
          scope: staffScope(ctx),
          audit: chatAudit(ctx),
        });
      } catch (err) {
        // "交办 JY-… 市水务局" just after it went to 市住建局: the 交办 corrected, while that organ has not signed.
        const corrected = await correctionOffered(ctx, err);
        if (corrected) return corrected;
        // "交办 JY-… 住建局": a short name that fits one registered organ is offered for a yes, not refused.
        const meant = organsMeant(err, organs);
        if (!meant) throw err;
        const { lead, assisting } = meant.organs;
        const names = [`${lead}（承办）`, ...assisting.map((o) => `${o}（协办）`)].join('、');
        const question = `没有登记的单位：${meant.replaced.map((u) => u.written).join('、')}。是要交办给${names}吗？`;
        ctx.conversation.confirm = {
          commandId: 'suggestion.assign',
          word: '交办',
          args: { code, organs: meant.organs },
          question,
          expiresAt: ctx.keep(true).expiresAt,
        };
        return { text: `${question}回复“是”交办，回复“否”不交办。`, buttons: YES_NO };
      }
      ctx.conversation.lastItem = out.item.code;
      const lines = out.assignments.map(
        (a) =>
          `${a.organ_name}（${roleLabel(a.role)}）：${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(out.item.kind)}`,
      );
      return { text: `${out.item.code} 已交办：\n${lines.join('\n')}\n已告知代表和承办单位联系人。` };
    });
  },
};

/** An item already handed to another organ: the correction to the one organ named, if it may be made. */
async function correctionOffered(
  ctx: CommandContext<'suggestion.assign'>,
  err: unknown,
): Promise<Reply | null> {
  const { code, organs } = ctx.args;
  if (!isAppError(err) || err.code !== 'conflict' || organs.assisting.length > 0) return null;
  const asking = {
    deps: ctx.deps,
    sender: ctx.sender,
    conv: ctx.conversation,
    expiresAt: ctx.keep(true).expiresAt,
  };
  // Refused (signed for, closed …): the 交办's own refusal says what to do, unless it is that organ's already.
  return organCorrectionOffer(asking, code, organs.lead).catch((e: unknown) =>
    isAppError(e) && (e.details as { sameOrgan?: boolean } | undefined)?.sameOrgan
      ? { text: `${e.message}。` }
      : null,
  );
}
