import type { Reply } from '../../messaging/index.ts';
import { RATING_LABEL, ratingOpenToChange } from '../../services/suggestions/index.ts';
import { positionCorrected } from '../dialog/free-text.ts';
import type { ChoiceState, ConversationState } from '../dialog/state.ts';
import type { TurnScope } from './scope.ts';

// "第一个催一下" (or "1") on the wrong line of a numbered list of one's items, then "不对 是2" or "不对，是第二
// 个": the same is done on the item meant, and what became of the first is said plainly — nothing, when
// the bot only showed it or still asked about it (that question lapses); what stands, when it was recorded
// (a 催办 has gone to the organs, a rating closed the item), and how it is changed where it can be.

type Picked = NonNullable<ConversationState['picked']>['value'];

const CODE = /\b[A-Z]{2}-\d{4}-\d{4,}\b/;

/** The items on the lines of a list, when every line is one. */
function codesOf(list: ChoiceState | undefined): string[] | null {
  const codes = (list?.options ?? []).map((o) => CODE.exec(o.send ?? '')?.[0]);
  return codes.length >= 2 && codes.every((c) => c !== undefined) ? (codes as string[]) : null;
}

/** A deputy's own commands on their items; staff decisions (批准, 交办 …) are never redone on another line. */
const OWN_ITEM_VERB = /^(?:查询|催办|满意|基本满意|不满意|撤回|修改|补充照片|取消预约|参加|不公开姓名)\s/;

/** Remembers the line of `list` acted on by `send` (a command holding that line's code). */
export function rememberPick(t: TurnScope, list: ChoiceState | undefined, send: string): void {
  if (!OWN_ITEM_VERB.test(send)) return;
  const codes = codesOf(list);
  const code = CODE.exec(send)?.[0];
  const at = codes && code ? codes.indexOf(code) : -1;
  if (codes && at >= 0) t.conv.picked = t.conversations.keep({ codes, at, send });
}

/** "不对 是2" just after a line was acted on: that line's item instead; null when the words say no line. */
export async function correctPick(t: TurnScope, text: string, pick: Picked): Promise<Reply | null> {
  const at = positionCorrected(text);
  if (at === null) return null;
  const n = pick.codes.length;
  const right = at === -1 ? pick.codes.at(-1) : pick.codes[at];
  const wrong = pick.codes[pick.at]!;
  const line = (right ? pick.codes.indexOf(right) : at) + 1;
  if (!right || right === wrong) {
    t.conv.picked = t.conversations.keep(pick);
    return {
      text: right
        ? `您刚才选的就是第 ${line} 项 ${wrong}，不用改。`
        : `刚才的列表只有 ${n} 项，请说是第几项，例如“不对 是${n}”。`,
    };
  }
  // A question still waiting about the wrong item (是否撤回, the words or photos to add) lapses: nothing
  // was done to it.
  const waited =
    (t.conv.confirm !== undefined && JSON.stringify(t.conv.confirm.args).includes(wrong)) ||
    t.conv.itemAction?.value.code === wrong;
  if (waited) {
    delete t.conv.confirm;
    delete t.conv.itemAction;
  }
  const first = waited
    ? `好的，不是 ${wrong}，${wrong} 没有任何改动。`
    : await whatStands(t, pick.send, wrong);
  const send = pick.send.replace(wrong, right);
  const redo = await t.onText(send);
  t.conv.picked = t.conversations.keep({ codes: pick.codes, at: line - 1, send });
  const then = `改为第 ${line} 项 ${right}：`;
  return { ...redo, text: `${first}\n${then}\n${redo?.text ?? ''}`.trim() };
}

/** What was done to the wrong item and stays, in plain words, with how to change it where one can. */
async function whatStands(t: TurnScope, send: string, wrong: string): Promise<string> {
  const verb = send.trim().split(/\s+/)[0] ?? '';
  if (verb === '查询') return `好的，刚才显示的是 ${wrong}，没有改动它。`;
  if (verb === '催办')
    return `刚才对 ${wrong} 的催办已经记下，不能撤回，承办单位会收到那次提醒；${wrong} 一周内不能再催办。`;
  if (verb === '满意' || verb === '基本满意' || verb === '不满意') {
    const rated = await ratingOpenToChange(t.ctx.deps, t.ctx.sender.personId, wrong);
    if (rated) {
      const others = ['满意', '基本满意', '不满意'].filter((w) => w !== RATING_LABEL[rated]);
      return `刚才对 ${wrong} 的评价“${RATING_LABEL[rated]}”已经记下，该项已办结，评价不能撤销；要改的话，一周内发“${others[0]} ${wrong}”或“${others[1]} ${wrong}”即可。`;
    }
    if (verb === '不满意')
      return `刚才对 ${wrong} 的“不满意”已经记下，该项已转入重新办理，不能撤销；如确属误点，请告诉代表工作机构。`;
  }
  if (verb === '参加') return `${wrong} 已记为参加；如果去不了，请发“请假 ${wrong} 事由”。`;
  if (verb === '取消预约') return `刚才的预约 ${wrong} 已经取消了；如还想去，请重新发“预约接待日”。`;
  return `刚才对 ${wrong} 办的“${verb}”已经记下，不能撤回；如需更正，请告诉代表工作机构。`;
}
