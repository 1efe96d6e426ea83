import { withholdNameOnRequest } from '../src/services/suggestions/index.ts';
import { actorOfChat, answering } from './suggestion-common.ts';
import type { CommandHandler } from './types.ts';

// 不公开姓名 <JY编号>: the deputy asks that the public pages leave their name off the item.

export const suggestionWithholdNameHandler: CommandHandler<'suggestion.withhold_name'> = {
  id: 'suggestion.withhold_name',
  async run(ctx) {
    const { code } = ctx.args;
    return answering(async () => {
      const out = await withholdNameOnRequest(ctx.deps, {
        code,
        personId: ctx.sender.personId,
        actor: actorOfChat(ctx),
      });
      ctx.conversation.lastItem = out.code;
      if (out.already) return { text: `${out.code} 已记下公开时不写您的姓名，无需再说。` };
      return {
        text: `好的，${out.code} 在网上公开时不会写您的姓名${out.published ? '，公开页面已去掉您的姓名' : ''}。`,
      };
    });
  },
};
