import { isAppError } from '../src/errors.ts';
import {
  dropPendingBroadcast,
  pendingBroadcast,
  planBroadcast,
  startBroadcast,
} from '../src/services/notices/index.ts';
import type { CommandHandler } from './types.ts';

// 确认 and 取消 outside a dialog: they act on what waits for confirmation (a previewed 通知).

export const confirmHandler: CommandHandler<'dialog.confirm'> = {
  id: 'dialog.confirm',
  async run(ctx) {
    const pending = await pendingBroadcast(ctx.deps.store, ctx.sender.personId);
    if (!pending) return { text: '当前没有需要确认的操作。' };
    await dropPendingBroadcast(ctx.deps.store, ctx.sender.personId);
    try {
      const plan = await planBroadcast(
        ctx.deps.db,
        pending.congressIds,
        pending.all ? { all: true } : { all: false, groups: pending.targets },
      );
      const r = await startBroadcast(ctx.deps, {
        plan,
        targets: pending.targets,
        text: pending.text,
        actor: `person:${ctx.sender.personId}`,
        senderPersonId: ctx.sender.personId,
      });
      return {
        text: `通知（编号 ${r.id}）已开始发送到 ${r.groups} 个群，工作日 9:00–18:00 发出；发送完毕后会告诉您结果。`,
      };
    } catch (err) {
      if (isAppError(err)) return { text: `${err.message}。没有发送任何通知。` };
      throw err;
    }
  },
};

export const cancelHandler: CommandHandler<'dialog.cancel'> = {
  id: 'dialog.cancel',
  async run(ctx) {
    const pending = await pendingBroadcast(ctx.deps.store, ctx.sender.personId);
    if (!pending) return { text: '当前没有进行中的操作。' };
    await dropPendingBroadcast(ctx.deps.store, ctx.sender.personId);
    return { text: '好的，这条通知已取消，没有发出。' };
  },
};
