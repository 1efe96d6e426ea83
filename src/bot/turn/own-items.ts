import { isAppError } from '../../errors.ts';
import type { Reply } from '../../messaging/index.ts';
import { cancelBookingButton } from '../../services/reception/index.ts';
import {
  addSuggestionPhotos,
  amendSuggestionContent,
  type Supplemented,
  supplementSuggestion,
  withdrawSuggestion,
} from '../../services/suggestions/index.ts';
import { quote } from '../dialog/free-text.ts';
import type { ItemActionRequest } from '../dialog/item-actions.ts';
import { candidatesFor, fitByWords, type ItemCandidate } from '../dialog/item-words.ts';
import type { Attachment } from '../dialog/state.ts';
import { leaveTakeBack, YES_NO } from '../dialog/wording.ts';
import { mayUse } from '../language/command-catalog.ts';
import { askLeaveTakeBack } from './leave-take-back.ts';
import type { TurnScope } from './scope.ts';

// 撤回, 修改 and 补充照片 of a deputy's own items (photos sent while 补充照片 asks which item included), and
// the way a deputy's own change is run and answered.

export function own(t: TurnScope, code: string) {
  const { personId, name } = t.ctx.sender;
  return { personId, code, actor: { id: `person:${personId}`, name, personId } };
}

/** Runs one of the deputy's own changes; a refusal is the answer. */
export async function act<T extends { code: string }>(
  t: TurnScope,
  run: () => Promise<T>,
  said: (item: T) => string,
): Promise<Reply> {
  try {
    const item = await run();
    t.conv.lastItem = item.code;
    // Withdrawn or changed: the same words may be filed again.
    delete t.conv.filed;
    return { text: said(item) };
  } catch (e) {
    if (isAppError(e)) return { text: `${e.message}。` };
    throw e;
  }
}

/** 撤回 QJ-…, 修改 JD-…: what the code is, and what to do instead; no other item is offered in its place. */
function notAnItem(t: TurnScope, code: string, verb: string): Promise<Reply | null> | Reply {
  if (verb === '撤回' && code.startsWith('JD')) return t.onText(`取消预约 ${code}`);
  if (code.startsWith('QJ'))
    return verb === '撤回' ? askLeaveTakeBack(t, code) : { text: leaveTakeBack(code, verb) };
  const what = code.startsWith('HD')
    ? `${code} 是活动邀请。不能参加请发“请假 ${code} 事由”。`
    : `${code} 是接待日预约。要取消请发“取消预约 ${code}”。`;
  return { text: `只有建议、批评和意见可以${verb}。${what}` };
}

const JUST_NOW = /刚才|刚刚|刚提|刚发|刚交|刚写/;
const NAMES_SUGGESTION = /建议|意见|批评/;

/** The item filed last (codes count up within a year). */
const latestOf = (all: ItemCandidate[]): ItemCandidate =>
  all.reduce((a, b) => (b.on > a.on || (b.on === a.on && b.code > a.code) ? b : a));

/** 撤回, 修改, 补充照片 of the deputy's own item, found by its code or its words. */
export async function onItemAction(t: TurnScope, req: ItemActionRequest): Promise<Reply | null> {
  if (!mayUse('deputy', t.standing.roles)) {
    return { text: '只有代表本人可以撤回、修改自己的建议或补充照片。发“帮助”可查看能办理的事项。' };
  }
  const verb = req.action === 'withdraw' ? '撤回' : req.action === 'amend' ? '修改' : '补充照片';
  if (req.otherCode) return notAnItem(t, req.otherCode, verb);
  // A bare "撤回" just after a leave request or a booking: that one is meant, not a suggestion.
  const last = t.conv.lastItem;
  if (
    !req.code &&
    req.action !== 'photo' &&
    last &&
    !last.startsWith('JY') &&
    !NAMES_SUGGESTION.test(t.text)
  ) {
    // A booking is cancelled only when asked for by name or by a tap, never by a bare word read loosely.
    if (last.startsWith('JD')) {
      const cancel = cancelBookingButton(last);
      return {
        text: `您是要取消接待日预约 ${last} 吗？要取消请点“取消预约”或回复“${cancel.command}”。`,
        buttons: [cancel],
      };
    }
    return notAnItem(t, last, verb);
  }
  let code = req.code;
  // 补充 reaches an item handed over too: kept beside it (addWords).
  const kind = req.action === 'amend' ? 'supplement' : req.action;
  const all = await candidatesFor(t.ctx.deps, kind, t.ctx.sender.personId, t.ctx.today);
  if (code && !all.some((c) => c.code === code) && req.action === 'withdraw') {
    // Not one that can be withdrawn: the suggestions domain says why (handed over, not theirs…).
    const given = code;
    return act(
      t,
      () => withdrawSuggestion(t.ctx.deps, own(t, given)),
      (item) => `已撤回 ${item.code}。`,
    );
  }
  if (!code) {
    if (all.length === 0) {
      return {
        text:
          req.action === 'withdraw'
            ? `您目前没有尚未交办的建议可以${verb}；已交办的不能再${verb}，如有需要请联系代表工作机构。`
            : `您目前没有还在办理的建议可以${req.action === 'photo' ? '补充照片' : '补充'}。发“查询”可查看您的事项。`,
      };
    }
    // The words added are not words about the item.
    const about = req.addition ? t.text.replace(req.addition, '') : t.text;
    // "刚才那个撤回": the item just talked about, else the one filed last. Otherwise, several fitting are
    // asked about, whichever was talked about last (a change of one's item is never guessed).
    let fit = JUST_NOW.test(t.text)
      ? [all.find((c) => c.code === t.conv.lastItem) ?? latestOf(all)]
      : fitByWords(about, all, t.ctx.today);
    // A bare 修改 means what can still be changed: an item not yet handed over; one handed over takes
    // words only beside it (补充), and only when the words name it.
    const changeable = fit.filter((c) => c.status === 'submitted');
    if (req.action === 'amend' && fit.length > 1 && changeable.length > 0) fit = changeable;
    code = fit.length === 1 ? fit[0]!.code : undefined;
    if (!code) {
      const offered = (fit.length > 0 ? fit : all).slice(0, 6);
      const send = (c: string) =>
        req.action === 'amend' && req.addition ? `修改 ${c}：${req.addition}` : `${verb} ${c}`;
      t.conv.choice = {
        options: offered.map((c) => ({ commandId: '', word: verb, send: send(c.code) })),
        expiresAt: t.conversations.expiry(),
      };
      return {
        text: `请问要${verb}哪一项？\n${offered.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n回复数字或点选即可。`,
        buttons: offered.map((c) => ({ label: c.label, command: send(c.code) })),
      };
    }
  }
  switch (req.action) {
    case 'withdraw':
      t.conv.confirm = {
        commandId: 'item.withdraw',
        word: '撤回',
        args: { code },
        question: `确定撤回 ${code} 吗？`,
        expiresAt: t.conversations.expiry(),
      };
      return { text: `确定撤回 ${code} 吗？撤回后不再交办。回复“是”撤回，回复“否”保留。`, buttons: YES_NO };
    case 'amend': {
      const target = code;
      if (req.addition) return addWords(t, target, req.addition, all);
      t.conv.itemAction = t.conversations.keep({ action: 'amend', code: target });
      const status = all.find((c) => c.code === target)?.status;
      // Once answered, the words are kept but no organ handles it: 不满意 is how it is handled again.
      const said =
        status === 'answered'
          ? `${target} 已经答复，原来的内容不能修改了。请发要补充的话，会记在 ${target} 上，工作人员能看到；如果对答复不满意，请回复“不满意 ${target}”并说明原因。`
          : status && status !== 'submitted'
            ? `${target} 已经交办，原来的内容不能修改了。请发要补充的话，会记在 ${target} 上并转给承办单位。`
            : `请发要补充或修改的内容，会加到 ${target} 里。`;
      return { text: `${said}\n（发“取消”可结束）` };
    }
    case 'photo': {
      const kept = t.conv.kept?.value.filter((a) => a.kind === 'image') ?? [];
      if (kept.length > 0) {
        delete t.conv.kept;
        return addPhotos(t, code, kept);
      }
      t.conv.itemAction = t.conversations.keep({ action: 'photo', code });
      return { text: `请发送照片，会加到 ${code} 里。` };
    }
  }
}

/**
 * Words a deputy adds to their item: into it before 交办; after, kept with it as a supplement the organs
 * handling it and staff are sent, and the deputy told where they went. `open` is what candidatesFor read
 * for 'supplement', when the caller has it.
 */
export async function addWords(
  t: TurnScope,
  code: string,
  words: string,
  open?: ItemCandidate[],
): Promise<Reply> {
  const items = open ?? (await candidatesFor(t.ctx.deps, 'supplement', t.ctx.sender.personId, t.ctx.today));
  const item = items.find((c) => c.code === code);
  if (!item || item.status === 'submitted')
    return act(
      t,
      () => amendSuggestionContent(t.ctx.deps, { ...own(t, code), addition: words }),
      (changed) => `已把您补充的内容加到 ${changed.code}：“${quote(words)}”。交办时一并转交。`,
    );
  return act(
    t,
    () => supplementSuggestion(t.ctx.deps, { ...own(t, code), words }),
    (out) => supplementSaid(out, words),
  );
}

/** Where the words added after 交办 went, plainly. */
function supplementSaid(out: Supplemented, words: string): string {
  const kept = `已把您补充的话记在 ${out.code}「${out.title}」上：“${quote(words)}”。原来的内容不变，补充的话标明了是交办后补充的`;
  if (out.organs.length > 0) return `${kept}，已转给正在办理的${out.organs.join('、')}，工作人员也能看到。`;
  return `${kept}，工作人员能看到。承办单位已经答复过了；如果对答复不满意，请回复“不满意 ${out.code}”并说明原因，会重新办理。`;
}

/**
 * A photo sent while 补充照片 waits for its item: kept, and the item filed last proposed (a yes adds it
 * there); a number picks another, as before.
 */
export async function askPhotoItem(t: TurnScope, options: { send?: string }[]): Promise<Reply> {
  const open = await candidatesFor(t.ctx.deps, 'photo', t.ctx.sender.personId, t.ctx.today);
  // In the order of the choice, whose numbers they keep.
  const items = options.flatMap((o, i) =>
    open.filter((c) => o.send === `补充照片 ${c.code}`).map((c) => ({ ...c, n: i + 1 })),
  );
  const latest = [...items].sort((a, b) => b.on.localeCompare(a.on))[0];
  if (!latest || !t.conv.choice)
    return { text: '已收到照片，先为您保存30分钟。请回复数字选择要补充到哪一项。' };
  t.conv.choice.expiresAt = t.conversations.expiry();
  t.conv.confirm = {
    commandId: 'item.photo',
    word: '补充照片',
    args: { code: latest.code },
    question: `补充到 ${latest.label} 吗？`,
    expiresAt: t.conversations.expiry(),
  };
  const list = items.map((c) => `${c.n}. ${c.label}`).join('\n');
  return {
    text: `已收到照片。是补充到您最近提的 ${latest.label} 吗？回复“是”加到这一项；要加到别的项，回复数字：\n${list}`,
    buttons: YES_NO,
  };
}

export function addPhotos(t: TurnScope, code: string, attachments: Attachment[]): Promise<Reply> {
  const photos = attachments
    .filter((a) => a.kind === 'image')
    .map((a) => ({
      ...(a.mediaId ? { mediaId: a.mediaId } : {}),
      ...(a.url ? { url: a.url } : {}),
      ...(a.stored !== undefined ? { stored: a.stored } : {}),
    }));
  return act(
    t,
    () => addSuggestionPhotos(t.ctx.deps, { ...own(t, code), photos }),
    (item) =>
      `已把照片（${photos.length} 张）加到 ${item.code}，现共有照片 ${Array.isArray(item.photos) ? item.photos.length : photos.length} 张。`,
  );
}
