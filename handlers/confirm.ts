import { mayUse } from '../src/bot/language/command-catalog.ts';
import { isAppError } from '../src/errors.ts';
import {
  dropPendingBroadcast,
  pendingBroadcast,
  planBroadcast,
  startBroadcast,
} from '../src/services/notices/index.ts';
import { cancelBookingButton } from '../src/services/reception/index.ts';
import { chatAudit } from './suggestion-common.ts';
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
        ctx.deps.config,
      );
      const r = await startBroadcast(ctx.deps, {
        plan,
        targets: pending.targets,
        text: pending.text,
        actor: `person:${ctx.sender.personId}`,
        senderPersonId: ctx.sender.personId,
        ...chatAudit(ctx),
      });
      return {
        text:
          `通知（编号 ${r.id}）已开始发送到 ${r.groups} 个群，工作日 9:00–18:00 发出；发送完毕后会告诉您结果。` +
          (r.unreachable.length > 0
            ? `\n${r.unreachable.join('、')} 收不到（没有群机器人，也没有登记成员）。`
            : ''),
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
    // The hints are a deputy's ways to take back their own item; staff did not file it.
    const last = mayUse('deputy', ctx.roles) ? ctx.conversation.lastItem : undefined;
    // A booking is cancelled by a tap (取消预约 asks 是 / 否 first).
    const booking = last?.startsWith('JD-') ? [cancelBookingButton(last)] : [];
    // A list offered just before ("近期您可以请假的有：…"): nothing picked, nothing done.
    const offered = ctx.conversation.choice;
    delete ctx.conversation.choice;
    if (!pending && offered) return { text: '好的，不办了，什么也没有提交。还有需要随时告诉我。' };
    if (!pending)
      return {
        text: `当前没有进行中的操作。${undoHint(last)}`,
        ...(booking.length > 0 ? { buttons: booking } : {}),
      };
    await dropPendingBroadcast(ctx.deps.store, ctx.sender.personId);
    return { text: '好的，这条通知已取消，没有发出。' };
  },
};

/** "取消" just after something was filed: it stands, and how it is taken back is said. */
function undoHint(last: string | undefined): string {
  if (last?.startsWith('JY-'))
    return `刚才的 ${last} 已经提交了；如果不想提了，请回复“撤回 ${last}”（交办前可以撤回）。`;
  if (last?.startsWith('JD-')) return `刚才的预约 ${last} 还在；要取消预约，请回复“取消预约 ${last}”。`;
  if (last?.startsWith('QJ-')) return `刚才的请假 ${last} 已经提交了；如果又能参加了，请告诉代表工作机构。`;
  return '';
}
