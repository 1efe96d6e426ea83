import type { Reply } from '../../messaging/index.ts';
import { quote } from '../dialog/free-text.ts';
import { candidatesFor, type ItemCandidate, itemsTheWordsName } from '../dialog/item-words.ts';
import type { ChoiceOption, ChoiceState } from '../dialog/state.ts';
import type { TurnScope } from './scope.ts';

// A matter told in words that is plainly about one of the deputy's own open items ("自来水又停了，还是没人管"
// with 「村里的自来水老是停」 being handled), or more words right after a suggestion was filed ("还有 垃圾桶也
// 不够"): asked whether it belongs to that item, with what can be done with it there, or filed as a new
// suggestion. The words are kept either way.

interface Way {
  commandId: string;
  /** On the button (kept short for the platforms' buttons). */
  label: string;
  /** In the numbered list. */
  line: string;
  send: (code: string, text: string) => string;
}

const ABOUT_ITEM: readonly Way[] = [
  // Before 交办 the words can still be added to it.
  {
    commandId: 'amend',
    label: '补充到这条',
    line: '把这段话补充到这条建议里',
    send: (code, text) => `修改 ${code} ${text}`,
  },
  { commandId: 'suggestion.urge', label: '催办这条', line: '催办这条建议', send: (code) => `催办 ${code}` },
  // Answered and waiting for the deputy's word: the words are the reason for 不满意.
  {
    commandId: 'suggestion.rate',
    label: '答复不满意',
    line: '对答复不满意，这段话作为原因',
    send: (code, text) => `不满意 ${code} ${text}`,
  },
];

/** The new-suggestion way of the offer (its button's word). */
const AS_NEW = '作为新建议';

/** "新的", "另提一条", "单独提": the offer's new-suggestion way; "加上", "放一起": its way into the item. */
const SAYS_NEW = /^(?:新的|新建议|另提|另外提|单独|分开|重新提|新提|作为新)/;
const SAYS_ADD = /^(?:补上|加上|加进去|加到|放一起|放在一起|合并|一起|补到|补进去)/;

/** The option of this offer the words name, or null (not this offer, or words of neither way). */
export function offerWayNamed(choice: ChoiceState, text: string): ChoiceOption | null {
  const fresh = choice.options.find((o) => o.word === AS_NEW);
  if (!fresh || choice.options.length !== 2) return null;
  const t = text.trim();
  if (SAYS_NEW.test(t)) return fresh;
  return SAYS_ADD.test(t) ? (choice.options.find((o) => o !== fresh) ?? null) : null;
}

/** Words that say the matter was raised before and goes on ("又停了", "还是没人管", "至今没修"). */
const GOES_ON =
  /又|还是|仍然|依然|仍旧|还没(?:有)?(?:修|好|解决|人管|弄|处理|落实)|再次|至今|到现在还|上次(?:说|提|反映)/;

/** "还有 垃圾桶也不够", "另外…": more words right after a suggestion was filed, maybe more of the same. */
const ADDS_MORE =
  /^(?:还有|还有就是|另外|再有|再就是|对了|补充一下|再补充|而且|并且|特别是|尤其是)(?:[，,。:：\s]|(?=\p{Script=Han}))/u;
/** "好几天了", "都一个多月了": how long the matter just filed has lasted, told after it. */
const HOW_LONG =
  /^(?:都|已经|已|快|有|整整)*(?:好|十|一|两|二|三|四|五|六|七|八|九|几|半|\d+)*多?个?多?(?:天|周|星期|礼拜|月|年)多?了[。.!！]*$/u;

/** Whether the words only tell how long something has lasted ("好几天了"): more of a matter, never one. */
export const tellsHowLong = (text: string): boolean => HOW_LONG.test(text.trim());

/** The suggestion last talked about, while words can still be added to it (before 交办). */
async function justFiled(t: TurnScope): Promise<ItemCandidate | null> {
  const last = t.conv.lastItem;
  if (!last?.startsWith('JY-')) return null;
  const open = await candidatesFor(t.ctx.deps, 'amend', t.ctx.sender.personId, t.ctx.today);
  return open.find((c) => c.code === last) ?? null;
}

/**
 * The offer, or null when the words do not say the matter goes on, or are about none (or several) of the
 * deputy's open items: a matter told afresh is offered as a new suggestion.
 */
export async function matterOfOwnItem(t: TurnScope, text: string): Promise<Reply | null> {
  const more = ADDS_MORE.test(text) || tellsHowLong(text) ? await justFiled(t) : null;
  if (!more && !GOES_ON.test(text)) return null;
  // Right after filing, the only way is into that suggestion (before 交办 the words can still be added).
  for (const way of more ? ABOUT_ITEM.filter((w) => w.commandId === 'amend') : ABOUT_ITEM) {
    const items = more
      ? [more]
      : await candidatesFor(t.ctx.deps, way.commandId, t.ctx.sender.personId, t.ctx.today);
    const named = more ? items : itemsTheWordsName(text, items);
    if (named.length !== 1) continue;
    const item = named[0]!;
    const options = [
      { label: way.label, line: way.line, send: way.send(item.code, text) },
      { label: AS_NEW, line: '作为一条新建议提交', send: `建议 ${text}` },
    ];
    t.conv.said = t.conversations.keep(text);
    t.conv.choice = {
      options: options.map((o) => ({ commandId: way.commandId, word: o.label, send: o.send })),
      expiresAt: t.conversations.expiry(),
    };
    return {
      text: `${more ? `“${quote(text, 30)}”要补充到刚提交的 ${item.label}里，还是另提一条？` : `您说的“${quote(text, 30)}”是 ${item.label}这件事吗？`}\n${options.map((o, i) => `${i + 1}. ${o.line}`).join('\n')}\n回复数字或点选即可。`,
      buttons: options.map((o) => ({ label: o.label, command: o.send })),
    };
  }
  return null;
}
