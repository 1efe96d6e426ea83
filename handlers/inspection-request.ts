import { requestInspection } from '../src/services/activities/index.ts';
import { replyOf } from './reply-of.ts';
import type { CommandHandler } from './types.ts';

// `视察 <内容>` (山西 第二十二条; 大同 第十二条, S17).
export const inspectionRequestHandler: CommandHandler<'inspection.request'> = {
  id: 'inspection.request',
  async run(ctx) {
    const out = await requestInspection(ctx.deps, {
      personId: ctx.sender.personId,
      content: ctx.args.content,
      today: ctx.today,
      enteredByStaff: false,
    });
    // "下周吧" next: into this request (bot/turn/inspection-words.ts).
    if (out.requestId !== undefined) ctx.conversation.inspection = ctx.keep(out.requestId);
    return replyOf(ctx, out);
  },
};
