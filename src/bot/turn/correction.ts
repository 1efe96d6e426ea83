import type { Reply } from '../../messaging/index.ts';
import { correctLeaveMeeting, decisionKept } from '../../services/leave/index.ts';
import { dropPendingBroadcast, pendingBroadcast } from '../../services/notices/index.ts';
import {
  amendSuggestionContent,
  RATING_LABEL,
  ratingOpenToChange,
} from '../../services/suggestions/index.ts';
import { correctsEarlierWords, positionSaid, quote, usableWords } from '../dialog/free-text.ts';
import { candidatesFor } from '../dialog/item-words.ts';
import { mayUse } from '../language/command-catalog.ts';
import { act, own } from './own-items.ts';
import type { TurnScope } from './scope.ts';

// "刚才说错了，是东关街不是西关街" right after a suggestion was filed (or talked about): the correction goes
// into that item, while it can still be changed, and never becomes a suggestion of its own. What was said
// first stays in the item's history.

/** A rating said in a correction ("我是说不满意", "应该是基本满意"), from where it starts. */
const RATING_SAID = /(?:很|非常|比较|不太|不是很|有点)?(?:不满意|基本满意|满意)/;

const NOTHING_TO_CORRECT =
  '好的，没关系。请问您要办什么？可以直接说，例如“建议 小区路灯坏了”“请假 人代会 出差”；发“帮助”可查看全部事项。';

/** Null when the message corrects nothing, or the item last talked about is not one it can go to. */
export async function correctLastItem(t: TurnScope, text: string): Promise<Reply | null> {
  const said = correctsEarlierWords(text);
  if (!said) return null;
  // "不对 改成下午三点" to a 通知's preview: never sent as previewed; the whole text is asked for again.
  if (mayUse('staff', t.standing.roles)) {
    const pending = await pendingBroadcast(t.ctx.deps.store, t.ctx.sender.personId);
    if (pending) {
      await dropPendingBroadcast(t.ctx.deps.store, t.ctx.sender.personId);
      return {
        text: `好的，这条通知没有发出（原来的内容：“${quote(pending.text)}”）。请把改好的完整内容重新发一遍，例如“通知 全体 明天下午三点开会”，确认后才会发送。`,
      };
    }
  }
  const last = t.conv.lastItem;
  // "批准 QJ-…", then "不对，不批准": what was recorded stands, and the approver is told so.
  if (last?.startsWith('QJ-') && mayUse('approver', t.standing.roles)) {
    const kept = await decisionKept(t.ctx.deps, last, t.ctx.sender.personId);
    if (kept) return { text: kept };
  }
  if (!mayUse('deputy', t.standing.roles)) return null;
  // "说错了" with nothing said before to correct: no harm done, and nothing to choose from a list.
  if (!last) return usableWords(said.rest) ? null : { text: NOTHING_TO_CORRECT };
  if (last.startsWith('QJ-')) return correctLeave(t, last, said.rest);
  if (!last.startsWith('JY-')) return null;
  // "不对，我是说不满意" to "是评价“基本满意”吗？", or after it: the rating said is the one meant.
  const rating = RATING_SAID.exec(said.rest);
  if (rating) return t.onText(said.rest.slice(rating.index));
  // "满意", then "按错了": which one, then.
  const rated = await ratingOpenToChange(t.ctx.deps, t.ctx.sender.personId, last);
  if (rated) {
    const options = ['满意', '基本满意', '不满意'].filter((w) => w !== RATING_LABEL[rated]);
    return {
      text: `您对 ${last} 的评价是“${RATING_LABEL[rated]}”。要改成哪一个？可以回复“${options[0]}”或“${options[1]}”；不满意的话会重新办理。`,
      buttons: options.map((w) => ({ label: w, command: `${w} ${last}` })),
    };
  }
  const correction = said.rest;
  if (!usableWords(correction)) {
    const open = await candidatesFor(t.ctx.deps, 'amend', t.ctx.sender.personId, t.ctx.today);
    if (!open.some((c) => c.code === last))
      return {
        text: `${last} 已经不能再修改了。要更正的地方请告诉代表工作机构，由他们转给承办单位；发“查询 ${last}”可查看它现在的情况。`,
      };
    t.conv.itemAction = t.conversations.keep({ action: 'amend', code: last, correction: true });
    return { text: `好的，请发更正后的内容，会加到 ${last} 里，原来写的也会保留。\n（发“取消”可结束）` };
  }
  // Handed over: the content stays as the organs got it; one tap keeps the correction as a supplement.
  const open = await candidatesFor(t.ctx.deps, 'supplement', t.ctx.sender.personId, t.ctx.today);
  if (open.some((c) => c.code === last && c.status !== 'submitted'))
    return {
      text: `${last} 已经交办，不能再撤回或修改。要把“${quote(correction)}”作为补充记在 ${last} 上、转给承办单位吗？点下面的按钮即可。`,
      buttons: [{ label: '作为补充转给承办单位', command: `补充 ${last} ${correction}` }],
    };
  return amendWithCorrection(t, last, correction);
}

/** The meeting of a leave just asked corrected ("不对，是人代会"); a bare "说错了" asks which meeting. */
async function correctLeave(t: TurnScope, code: string, said: string): Promise<Reply> {
  const named = said.replace(/^(?:是|应该是|改成|改为|换成)\s*/, '').replace(/[。.！!]+$/, '');
  // "不对 是2" after a meeting was picked by its number: the meeting on that line (meetingsAhead's order).
  const at = positionSaid(named);
  const ahead =
    at === null
      ? []
      : [...(await candidatesFor(t.ctx.deps, 'leave.request', t.ctx.sender.personId, t.ctx.today))]
          .sort((a, b) => a.on.localeCompare(b.on))
          .slice(0, 6);
  const meeting = (at === -1 ? ahead.at(-1) : ahead[at ?? 0])?.label ?? named;
  if (!usableWords(meeting))
    return {
      text: `请假 ${code} 的会议写错了的话，请直接说是哪个会，例如“不对，是人代会”，我来改；事由写错了，请告诉代表工作机构更正。`,
    };
  const out = await correctLeaveMeeting(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    code,
    meetingName: meeting,
    today: t.ctx.today,
  });
  return { text: out.text, ...(out.buttons ? { buttons: out.buttons } : {}) };
}

/** The correction added to the item, marked as one. */
export const amendWithCorrection = (t: TurnScope, code: string, correction: string): Promise<Reply> =>
  act(
    t,
    () => amendSuggestionContent(t.ctx.deps, { ...own(t, code), addition: `更正：${correction}` }),
    (item) =>
      `已把您的更正加到 ${item.code}：“${quote(correction)}”。原来写的也保留着，交办时一并转交，工作人员会看到更正。`,
  );
