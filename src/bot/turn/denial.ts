import type { Reply } from '../../messaging/index.ts';
import { correctsEarlierWords } from '../dialog/free-text.ts';
import { candidatesFor } from '../dialog/item-words.ts';
import { mayUse } from '../language/command-catalog.ts';
import type { TurnScope } from './scope.ts';
import { takeBackUrge } from './urge-undo.ts';

// "不对 我不是要提建议", "我不是要催办，是想查一下进度": a deputy saying what they did not mean to do, and
// perhaps what they meant. The command word they deny is never acted on, and the words never go into an
// item (the organs would read them): a 催办 just pressed is taken back, a suggestion just filed may be
// withdrawn, and what they meant instead is done.

/**
 * What was not meant (the denied word), then what was, if said. Only "不是(要)…" and "没想…": "不满意" is a
 * rating and "我不想请假了" takes a leave back.
 */
const NOT_MEANT =
  /^我?(?:(?:不是|并不是)(?:要|想|打算|是要|是想)?|(?:没|没有|并没有)(?:要|想|打算))(?:说|提|办|交|写|发)?(?:个|一个|这个|那个)?(建议|意见|批评|请假|查询|预约|评价|撤回|修改|补充|催办)(?:啊|呀|的|了)?(?:[，,。.！!\s]+(?:我?(?:是|而是|只是)(?:想|要)?)(.+?))?[。.！!]*$/;

/** Null when the message denies no command word, or when a leave's own correction should read it. */
export async function onDenial(t: TurnScope, text: string): Promise<Reply | null> {
  if (!mayUse('deputy', t.standing.roles)) return null;
  const denied = NOT_MEANT.exec(correctsEarlierWords(text)?.rest ?? text.trim());
  if (!denied) return null;
  const word = denied[1]!;
  const instead = denied[2];
  const last = t.conv.lastItem?.startsWith('JY-') ? t.conv.lastItem : null;
  // "不对 我不是要请假" just after a leave: the leave's correction answers (correction.ts).
  if (!instead && !last && word !== '催办') return null;
  const first =
    word === '催办'
      ? await takeBackUrge(t, null).then((b) => (b.undone || !instead ? b.reply : null))
      : last
        ? await unmeantItem(t, last, word, !instead)
        : null;
  if (!instead) return first;
  const next = (await t.onText(instead)) ?? { text: '' };
  if (!first) return next;
  const buttons = [...(first.buttons ?? []), ...(next.buttons ?? [])];
  return { ...next, text: `${first.text}\n\n${next.text}`, ...(buttons.length > 0 ? { buttons } : {}) };
}

/**
 * The item last talked about, left as it is: one filed by mistake can be taken back while it waits for
 * 交办. Null when there is nothing to say of it before what was meant instead.
 */
async function unmeantItem(t: TurnScope, code: string, word: string, alone: boolean): Promise<Reply | null> {
  if (['建议', '意见', '批评'].includes(word)) {
    const open = await candidatesFor(t.ctx.deps, 'withdraw', t.ctx.sender.personId, t.ctx.today);
    if (open.some((c) => c.code === code))
      return {
        text: `${code} 是刚才收到的。如果不是要提，可以撤回：点下面的按钮，或回复“撤回 ${code}”。要留着就不用管它。`,
        buttons: [{ label: `撤回 ${code}`, command: `撤回 ${code}` }],
      };
  }
  return alone
    ? {
        text: `好的，${code} 没有变，刚才的话也没有记到它上面。请问您要办什么？可以直接说，发“帮助”可查看全部事项。`,
      }
    : null;
}
