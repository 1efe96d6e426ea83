import { isLiveMandate } from '../db/repositories/mandates.ts';
import { isAppError } from '../src/errors.ts';
import { checkBroadcastText, holdBroadcast, planBroadcast } from '../src/services/notices/index.ts';
import type { CommandHandler } from './types.ts';

// 通知 <群名或全体> <内容> (大同 第八条, S18): a preview with the number of groups; sent after 确认.

const PREVIEW_CHARS = 60;

export const broadcastHandler: CommandHandler<'broadcast.notify'> = {
  id: 'broadcast.notify',
  async run(ctx) {
    const targets = ctx.args.targets;
    const congressIds = ctx.sender.mandates
      .filter((m) => m.role !== 'deputy' && isLiveMandate(m))
      .map((m) => m.congressId);
    try {
      const text = checkBroadcastText(ctx.args.content);
      const plan = await planBroadcast(ctx.deps.db, congressIds, targets, ctx.deps.config);
      const unreachable = plan.groups.filter((g) => !g.reachable && g.members === 0).map((g) => g.name);
      if (unreachable.length === plan.groups.length)
        return {
          text: `${unreachable.join('、')} 还没有绑定群机器人，也没有登记成员，收不到通知。请先在「工作平台 → 代表群」绑定机器人或登记成员。没有发送任何通知。`,
        };
      await holdBroadcast(ctx.deps.store, ctx.sender.personId, {
        targets: targets.all ? ['all'] : targets.groups,
        all: targets.all,
        text,
        congressIds,
      });
      // The groups it reaches; those it cannot are named on a line of their own.
      const names = plan.groups.filter((g) => !unreachable.includes(g.name)).map((g) => g.name);
      const shown = names.length > 10 ? `${names.slice(0, 10).join('、')} 等` : names.join('、');
      // A group no chat reaches still hears it: each member privately, once even when in two such groups.
      const oneByOne = plan.groups.filter((g) => !g.reachable && g.members > 0);
      const excerpt = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}……` : text;
      return {
        text:
          `将向 ${names.length} 个群发送通知：${shown}\n内容：${excerpt}` +
          (oneByOne.length > 0
            ? `\n其中 ${oneByOne.map((g) => g.name).join('、')} 没有能发到的群聊，将逐个发给群里的 ${plan.privately} 位代表`
            : '') +
          (unreachable.length > 0
            ? `\n其中 ${unreachable.length} 个群还没有绑定机器人，收不到：${unreachable.join('、')}`
            : '') +
          '\n回复“确认”发送（工作日 9:00–18:00 发出），回复“取消”放弃。',
        buttons: [
          { label: '确认', command: '确认' },
          { label: '取消', command: '取消' },
        ],
      };
    } catch (err) {
      if (isAppError(err)) return { text: `${err.message}。没有发送任何通知。` };
      throw err;
    }
  },
};
