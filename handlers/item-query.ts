import { isLiveMandate } from '../db/repositories/mandates.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// 查询 [编号]: the deputy's own items of every kind, or one of them. Another person's code, or one that
// does not exist, is "not found" either way. Staff look up any item of the congresses they work for.

const staffCongresses = (ctx: CommandContext): number[] => [
  ...new Set(
    ctx.sender.mandates.filter((m) => m.role !== 'deputy' && isLiveMandate(m)).map((m) => m.congressId),
  ),
];

const MAX_LISTED = 20;

/** "我的预约", "我请的假", "我提的建议都咋样了": only that kind of item (by its code's prefix). */
const KINDS: readonly [RegExp, string, string][] = [
  [/预约|接待日|我约的|约了哪天/, 'JD-', '接待日预约'],
  [/请假|请的假/, 'QJ-', '请假记录'],
  [/建议|批评|意见/, 'JY-', '建议、批评或意见'],
];
const kindNamed = (text: string) => {
  const named = KINDS.filter(([re]) => re.test(text));
  return named.length === 1 ? named[0]! : null;
};

export const itemQueryHandler: CommandHandler<'item.query'> = {
  id: 'item.query',
  async run(ctx) {
    const personId = ctx.sender.personId;
    const code = ctx.args.code;
    if (code) {
      const prefix = code.slice(0, 2);
      const source = ctx.deps.wiring.itemSources.find((s) =>
        (s.prefixes as readonly string[]).includes(prefix),
      );
      let detail = source ? await source.detailForPerson(ctx.deps, personId, code, ctx.today) : null;
      const congresses = staffCongresses(ctx);
      if (detail === null && congresses.length > 0 && source?.detailForStaff) {
        detail = await source.detailForStaff(ctx.deps, congresses, code, ctx.today);
      }
      if (detail === null) {
        return { text: `没有找到您名下编号为 ${code} 的事项。请核对编号，或发“查询”列出您的全部事项。` };
      }
      ctx.conversation.lastItem = code;
      return { text: detail };
    }
    const all = (
      await Promise.all(
        ctx.deps.wiring.itemSources.map((s) => s.listForPerson(ctx.deps, personId, ctx.today)),
      )
    ).flat();
    if (all.length === 0 && staffCongresses(ctx).length > 0 && !ctx.roles.includes('deputy')) {
      return { text: '请发要查的编号，例如“查询 JY-2026-0012”；全部事项可在「工作平台」查看。' };
    }
    if (all.length === 0) return { text: '您目前没有提交过的事项。发“帮助”可查看能办理的事项。' };
    const kind = kindNamed(ctx.msg.text ?? '');
    const items = kind ? all.filter((i) => i.code.startsWith(kind[1])) : all;
    if (kind && items.length === 0)
      return { text: `您目前没有${kind[2]}。发“查询”可查看您的全部事项（共 ${all.length} 项）。` };
    items.sort((a, b) => Number(b.open) - Number(a.open) || b.updatedAt.getTime() - a.updatedAt.getTime());
    const shown = items.slice(0, MAX_LISTED);
    const lines = shown.map((i) => `${i.code} ${i.kindLabel}「${i.title}」：${i.statusLabel}`);
    const more =
      items.length > shown.length ? `\n（另有 ${items.length - shown.length} 项较早的事项未列出）` : '';
    if (shown.length === 1) ctx.conversation.lastItem = shown[0]!.code;
    return {
      text: `您的${kind?.[2] ?? '事项'}（共 ${items.length} 项）：\n${lines.join('\n')}${more}\n发“查询 编号”可查看详情。`,
      buttons: shown.slice(0, 6).map((i) => ({ label: i.code, command: `查询 ${i.code}` })),
    };
  },
};
