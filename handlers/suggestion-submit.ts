import { createHash } from 'node:crypto';
import {
  attachmentsCount,
  locationText,
  readSecretMark,
  readWithholdMark,
  SECRET_NOTICE,
  submitSuggestion,
  withholdNameOnRequest,
  withoutWordAgain,
} from '../src/services/suggestions/index.ts';
import { actorOfChat, answering, deputySeat, locationOf, photosOf } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 建议 / 批评 / 意见 <内容>, with the photos sent during the dialog; "涉密" before the content flags it.

export const suggestionSubmitHandler: CommandHandler<'suggestion.submit'> = {
  id: 'suggestion.submit',
  async run(ctx) {
    const seat = deputySeat(ctx);
    if (!seat) return { text: '只有在任代表可以提出建议。如有疑问，请联系代表工作机构。' };
    const kind = ctx.args.kind ?? '建议';
    const secret = readSecretMark(withoutWordAgain(ctx.args.content));
    // "…公开的时候不要写俺的名字": the 不公开姓名 of this item, not its words.
    const { withhold, content } = readWithholdMark(secret.content);
    const photos = photosOf(ctx);
    const location = locationOf(ctx);
    // The same words again just after (sent twice while waiting, or pasted again): one item.
    const digest = createHash('sha256').update(`${kind}\n${content}`).digest('base64url').slice(0, 16);
    const filed = ctx.conversation.filed;
    if (
      filed?.digest === digest &&
      filed.code === ctx.conversation.lastItem &&
      photos.length === 0 &&
      !location
    )
      return {
        text: `您刚才已经提交过相同的内容（${filed.code}），这次没有重复提交。要补充什么，直接说补充的内容即可。`,
      };
    return answering(async () => {
      const { item } = await submitSuggestion(ctx.deps, {
        deputy: seat,
        kind,
        content,
        photos,
        location,
        secret: secret.secret,
        inboundId: ctx.inboundId,
        actor: actorOfChat(ctx),
      });
      ctx.conversation.lastItem = item.code;
      ctx.conversation.filed = { code: item.code, digest };
      if (withhold)
        await withholdNameOnRequest(ctx.deps, {
          code: item.code,
          personId: ctx.sender.personId,
          actor: actorOfChat(ctx),
        });
      const lines = [
        `已收到您的${item.kind}，编号 ${item.code}${photos.length > 0 ? `（附${attachmentsCount(photos)}）` : ''}。`,
        ...(location ? [`位置已随${item.kind}保存：${locationText(location)}。`] : []),
      ];
      if (seat.several) lines.push(`已作为${seat.congressName}代表的${item.kind}登记。`);
      if (item.secret) lines.push(`已标为涉密。${SECRET_NOTICE}`);
      if (withhold) lines.push('按您的要求，这一项在网上公开时不写您的姓名。');
      lines.push(`工作人员交办后会告诉您承办单位和答复期限；可随时发“查询 ${item.code}”查看进度。`);
      return { text: lines.join('\n') };
    });
  },
};
