import { readSecretMark, resolveDeputy, submitSuggestion } from '../src/services/suggestions/index.ts';
import { actorOfChat, answering, chatAudit, locationOf, photosOf, staffScope } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 代录 <代表> 建议 <内容>: staff enter an item for a deputy who phoned or handed in paper; it is marked so
// and the deputy is told.

export const suggestionProxyHandler: CommandHandler<'suggestion.proxy'> = {
  id: 'suggestion.proxy',
  async run(ctx) {
    const kind = ctx.args.kind ?? '建议';
    const { secret, content } = readSecretMark(ctx.args.content);
    const photos = photosOf(ctx);
    return answering(async () => {
      const deputy = await resolveDeputy(ctx.deps.db, ctx.args.deputy, staffScope(ctx));
      const actor = actorOfChat(ctx);
      const { item } = await submitSuggestion(ctx.deps, {
        deputy,
        kind,
        content,
        photos,
        location: locationOf(ctx),
        secret,
        inboundId: ctx.inboundId,
        enteredBy: actor,
        actor,
        audit: chatAudit(ctx),
      });
      ctx.conversation.lastItem = item.code;
      return {
        text: `已代录${item.kind}，编号 ${item.code}${item.secret ? '（涉密）' : ''}，已告知代表。下一步请交办：交办 ${item.code} 承办单位、协办单位`,
      };
    });
  },
};
