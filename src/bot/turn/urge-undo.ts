import type { Reply } from '../../messaging/index.ts';
import { undoUrge } from '../../services/suggestions/index.ts';
import { mayUse } from '../language/command-catalog.ts';
import { act } from './own-items.ts';
import type { TurnScope } from './scope.ts';

// "催办 JY-…", then "不对，我不是要催办" (撤销催办; 催错了; 不催了): a deputy taking back the 催办 just
// pressed. Done at once: what had not gone out is not sent, and an organ already reminded is told to
// disregard it. Never words added to the item, which the organs would read.

const OPENING = /^(?:(?:不对|不是|错了|算了|[哎唉哦嗯啊呀哟]+|(?:说|按|点|发|弄)错了)[，,。！!\s]*)*/;
const TAKES_BACK =
  /(?:我?(?:不是|并不是|没|没有|并没有|不)(?:要|想|打算|是要|是想)?(?:说)?催(?:办|促|一下|一催)?|(?:撤销|撤回|取消|收回)(?:刚才|刚刚)?的?(?:这个|那个|这次|那次)?催办|催办(?:撤销|撤回|取消|不算)|(?:先|还是)?不(?:用|要|需要|必)?催(?:办)?了|(?:先|还是)?不(?:用|要|需要|必)(?:再)?催(?:办|促)?|催(?:办)?(?:搞|弄|按|点|发)?错了)/;
const CODE = /JY-\d{4}-\d{4,}/;
const UNDO = new RegExp(
  `${OPENING.source}${TAKES_BACK.source}(?:吧|了|啊|呀)?[，,。！!\\s]*(${CODE.source})?[。.！!]*$`,
);

/** Whether the message takes back a 催办, and of which item when it names one. */
export function takesBackUrge(text: string): { code: string | null } | null {
  const m = UNDO.exec(text.trim().toUpperCase());
  return m ? { code: m[1] ?? null } : null;
}

/** The 催办 just made, taken back; null when the words say nothing of one. */
export async function undoLastUrge(t: TurnScope, text: string): Promise<Reply | null> {
  if (!mayUse('deputy', t.standing.roles)) return null;
  const said = takesBackUrge(text);
  if (!said) return null;
  return (await takeBackUrge(t, said.code)).reply;
}

const NOTHING_URGED = '好的，刚才没有催办任何事项，什么都没有变。';

/** Takes back the deputy's 催办 of `code` (else of the item last talked about); whether one was. */
export async function takeBackUrge(
  t: TurnScope,
  named: string | null,
): Promise<{ reply: Reply; undone: boolean }> {
  const code = named ?? (t.conv.lastItem?.startsWith('JY-') ? t.conv.lastItem : null);
  const nothing = `${NOTHING_URGED}请问您要办什么？可以直接说，发“帮助”可查看全部事项。`;
  if (!code) return { reply: { text: nothing }, undone: false };
  const { sender } = t.ctx;
  let undone = false;
  const reply = await act(
    t,
    () =>
      undoUrge(t.ctx.deps, {
        code,
        personId: sender.personId,
        actor: { id: `person:${sender.personId}`, name: sender.name, personId: sender.personId },
      }),
    (u) => {
      if (u.kind === 'none') return nothing;
      if (u.kind === 'too_late')
        return `${u.code} 的催办已经发出一段时间，或之后已有新的办理进展，不能再撤回了。有要说明的，请联系代表工作机构。`;
      undone = true;
      const told =
        u.organsTold.length > 0
          ? `${u.organsTold.join('、')}已经收到提醒，已另外告诉他们这是误发、按原期限办理即可。`
          : '提醒还没有发出，不会再发了。';
      return `好的，已撤回对 ${u.code} 的催办。${told}以后需要时，可以再发“催办 ${u.code}”。`;
    },
  );
  return { reply, undone };
}
