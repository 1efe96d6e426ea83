import { deputiesNamedIn } from '../db/repositories/people.ts';
import { staffCongressesOf } from '../src/bot/dispatch/sender-roles.ts';
import { normalize } from '../src/bot/language/normalize.ts';
import { readBySound } from '../src/bot/language/sound.ts';
import type { ItemSummary } from '../src/deps.ts';
import type { Reply } from '../src/messaging/index.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// 查询 [编号]: the deputy's own items of every kind, or one of them. Another person's code, or one that
// does not exist, is "not found" either way. Staff look up any item of the congresses they work for, by
// its code or by its deputy's name (“查一下张三的建议”), only within those congresses.

const MAX_LISTED = 20;

/** "我的预约", "我请的假", "我提的建议都咋样了": only that kind of item (by its code's prefix). */
const KINDS: readonly [RegExp, string, string][] = [
  [/预约|接待日|我约的|约了|约上|约好/, 'JD-', '接待日预约'],
  // "张大爷请了几次假", "请过几回假": the words of 请假 parted by how many.
  [/请假|请的假|请[了过](?:几|多少|[一两三四五六七八九十\d]+)?[次回天]?假/, 'QJ-', '请假记录'],
  [/建议|批评|意见/, 'JY-', '建议、批评或意见'],
];
const kindNamed = (said: string) => {
  // "王二最近提了啥建意": the word typed with a slip of the same sound is the word.
  const text = readBySound(normalize(said)).text;
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
      const congresses = staffCongressesOf(ctx.sender);
      if (detail === null && congresses.length > 0 && source?.detailForStaff) {
        detail = await source.detailForStaff(ctx.deps, congresses, code, ctx.today);
      }
      if (detail === null) {
        return { text: `没有找到您名下编号为 ${code} 的事项。请核对编号，或发“查询”列出您的全部事项。` };
      }
      ctx.conversation.lastItem = code;
      ctx.conversation.viewed = code;
      return { text: detail };
    }
    const text = ctx.msg.text ?? '';
    const congresses = staffCongressesOf(ctx.sender);
    if (congresses.length > 0) {
      const named = await deputiesNamedIn(ctx.deps.db, text, congresses);
      const sameName = named.filter((d) => d.name === named[0]?.name);
      if (sameName.length > 1) {
        return {
          text: `有 ${sameName.length} 位代表叫“${sameName[0]!.name}”，请发要查的编号，或到「工作平台 → 代表名册」查看。`,
        };
      }
      const deputy = sameName[0];
      if (deputy) {
        const theirs = (await itemsOf(ctx, deputy.personId)).filter((i) => congresses.includes(i.congressId));
        return listed(ctx, theirs, kindNamed(text), deputy.name);
      }
    }
    const all = await itemsOf(ctx, personId);
    if (all.length === 0 && congresses.length > 0 && !ctx.roles.includes('deputy')) {
      return {
        text: '请发要查的编号或代表姓名，例如“查询 JY-2026-0012”或“查询 张三”；全部事项可在「工作平台」查看。',
      };
    }
    const kind = kindNamed(text);
    // "我约的是哪天来着" with no booking: that there is none, and how to make one.
    if (all.length === 0 && kind?.[1] === 'JD-')
      return {
        text: '您目前还没有预约接待日。想去的话，直接说“我想参加下个月的接待日”，或发“预约接待日”即可。',
      };
    // "我上次说的那个路灯的事有人管没有" with nothing on record here: how to raise it now.
    if (all.length === 0)
      return {
        text: '我这里没有查到您提交过的事项（通过其他途径反映的不在这里）。要反映事情，直接说说情况就行，例如“建议 小区路灯坏了，希望尽快修”；发“帮助”可查看能办理的事项。',
      };
    return listed(ctx, all, kind, null);
  },
};

const itemsOf = async (ctx: CommandContext<'item.query'>, personId: number): Promise<ItemSummary[]> =>
  (
    await Promise.all(ctx.deps.wiring.itemSources.map((s) => s.listForPerson(ctx.deps, personId, ctx.today)))
  ).flat();

/** A person's items, open ones first, the kind named only: the sender's own, or (for staff) a deputy's. */
function listed(
  ctx: CommandContext<'item.query'>,
  all: ItemSummary[],
  kind: ReturnType<typeof kindNamed>,
  deputy: string | null,
): Reply {
  const whose = deputy === null ? '您' : `${deputy}代表`;
  const items = kind ? all.filter((i) => i.code.startsWith(kind[1])) : all;
  if (all.length === 0) return { text: `${whose}目前没有${kind?.[2] ?? '提交过的事项'}。` };
  if (kind && items.length === 0) {
    const askAll = deputy === null ? '查询' : `查询 ${deputy}`;
    return { text: `${whose}目前没有${kind[2]}。发“${askAll}”可查看全部事项（共 ${all.length} 项）。` };
  }
  items.sort((a, b) => Number(b.open) - Number(a.open) || b.updatedAt.getTime() - a.updatedAt.getTime());
  const shown = items.slice(0, MAX_LISTED);
  // Numbered when there are several: “第一个催一下” and a bare “2” then point at a line.
  const lines = shown.map(
    (i, n) =>
      `${shown.length > 1 ? `${n + 1}. ` : ''}${i.code} ${i.kindLabel}「${i.title}」：${i.statusLabel}`,
  );
  const more =
    items.length > shown.length ? `\n（另有 ${items.length - shown.length} 项较早的事项未列出）` : '';
  if (shown.length === 1) ctx.conversation.lastItem = shown[0]!.code;
  return {
    text: `${whose}的${kind?.[2] ?? '事项'}（共 ${items.length} 项）：\n${lines.join('\n')}${more}\n发“查询 编号”可查看详情。`,
    buttons: shown.slice(0, 6).map((i) => ({ label: i.code, command: `查询 ${i.code}` })),
  };
}
