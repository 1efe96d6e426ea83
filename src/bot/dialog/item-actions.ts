import { CODE_PATTERN } from '../../services/items/index.ts';
import { normalize } from '../language/normalize.ts';

// 撤回, 修改 and 补充照片 of the deputy's own item, by its code or its words ("加装电梯那个建议我想补充一句：…",
// "这张照片加到加装电梯那个建议里"). Read here; done by the suggestions domain.

export type ItemAction = 'withdraw' | 'amend' | 'photo';

export interface ItemActionRequest {
  action: ItemAction;
  /** A JY code written in the message. */
  code?: string;
  /** A code of another kind written instead (QJ, JD, HD): never read as "no code". */
  otherCode?: string;
  /** What to add (修改 / 补充), when the message holds it. */
  addition?: string;
}

const PHOTO =
  /(?:补充|添加|增加|追加|补|加|附上?|上传|再发).{0,4}(?:照片|图片|相片)|(?:照片|图片|相片).{0,8}(?:加到|加进|补充到|附到|放到|放进|补到|补充)/;
// "把我上次提的建议撤了", "刚才那个撤掉", a bare "撤": 撤 said of an item; "路边的摊子撤了" is no item's.
const WITHDRAW =
  /撤回|撤销|收回|不提了|不要了|(?:建议|意见|批评|那个|那条|这个|这条|刚才的?|提的).{0,6}撤(?:了|掉|下)|^撤(?:了|掉)|^撤(?:吧|啊)?[。.!！]*$/;
// "改一下，不是菜市场，是农贸市场": 改 said first, or of an item ("我想改一下我那个建议", "我那个建议要改一下"). 修改, 改成, 更正 only first or after words
// naming an item ("刚才的建议里东街改成西街"): "能不能把旁边空地改成停车场" is a matter, never a change.
// "补充 JY-… 最好装二十个", "JY-… 补充 …": 补充 opening the message, or just after the code that opens it.
const AMEND =
  /^(?:[a-z]{2}[-\s]?\d{4}[-\s]?\d+\s*)?(?:再)?补充|^(?:修改|更正)|补充(?:一句|一下|几句|一点|说明|内容)?\s*[:：]|(?:想|要|再)补充|补充(?:一句|一下|几句|一点)(?=[\s，,]*\p{Script=Han})|^(?:改成|改为)|(?:建议|意见|批评|那个|那条|这个|这条|刚才|上次|提的|\d{4}[-\s]?\d+).{0,12}?(?:修改|改成|改为|更正)|(?:^|建议|意见|批评|那个|那条|刚才的?)(?:要|想|得|我想|俺想)?改(?:一下|下|一改)|(?:想|要)(?:修改|改)(?:一下|下)?(?:我|俺)?(?:的|那个|那条|这个|刚才的?|上次的?)+(?:建议|意见|批评)/iu;
// 撤回 of a booking is 取消预约 (the command parser's); a request for leave is never an item action.
const NOT_ITEM = /预约|接待日|请假|会议/;

/** The item action a message asks for, or null. */
export function readItemAction(text: string): ItemActionRequest | null {
  if (NOT_ITEM.test(text)) return null;
  const action: ItemAction | null = PHOTO.test(text)
    ? 'photo'
    : WITHDRAW.test(text)
      ? 'withdraw'
      : AMEND.test(text)
        ? 'amend'
        : null;
  if (!action) return null;
  // The code as the parser reads it: "jy-2026-1", "ＪＹ－２０２６－０００１" and "JY 2026 0001" are JY-2026-0001.
  const norm = normalize(text);
  const code = CODE_PATTERN.exec(norm.text);
  const out: ItemActionRequest = { action };
  if (code?.[0].startsWith('JY')) out.code = code[0];
  else if (code) out.otherCode = code[0];
  if (action === 'amend') {
    const afterCode = code ? norm.source(code.index + code[0].length, norm.length) : undefined;
    const addition = additionOf(text, afterCode);
    if (addition) out.addition = addition;
  }
  return out;
}

/** The words to add: after a colon, after the code (`afterCode`, as written), or after the word 修改. */
function additionOf(text: string, afterCode: string | undefined): string | undefined {
  const colon = /[:：]/.exec(text);
  let rest: string | undefined;
  if (colon) rest = text.slice(colon.index + 1);
  else if (afterCode !== undefined) rest = afterCode;
  else {
    const word = /^(?:修改|更正|补充|改)(?:成|为|到)?(?:一下|下)?/.exec(text.trim());
    // "路的那个事再补充一下 主要是村东头那段": what follows the word that announces it.
    // "刚才那个改一下，不是…是…": the same after 改一下.
    const inside = /(?:再|想|要)?(?:补充(?:一句|一下|几句|一点)|改(?:一下|下|一改))/.exec(text);
    if (word) rest = text.trim().slice(word[0].length);
    else if (inside) rest = text.slice(inside.index + inside[0].length);
  }
  // "修改 JY-… 补充一句，楼道也渗水": the words that announce the addition are not part of it; "修改 JY-…
  // 加一句" announces words still to come, and holds none.
  const t = rest
    ?.replace(
      /^(?:[\s，,。:：]|(?:我?(?:想|要)?再?)?(?:(?:补充|修改|更正)(?:一句|一下|几句|一点|说明|内容)?|(?:加|添|补|说|改)(?:一句|几句|两句|一点|一下|个字)话?))+/,
      '',
    )
    .replace(/[\s，,。]+$/, '')
    .trim();
  // "我想改一下我那个建议", "修改建议": words that only name the item hold nothing to add.
  if (t && ONLY_THE_ITEM.test(t)) return undefined;
  return t && /\p{Script=Han}.*\p{Script=Han}/u.test(t) ? t : undefined;
}

const ONLY_THE_ITEM =
  /^(?:我|俺)?(?:的|那个|那条|这个|这条|刚才的?|上次的?|提的)*(?:建议|意见|批评)(?:吧|啊|呀|哈)?$/;

/** Whether a message starts with one of these words (then it leaves any dialog). */
export const startsWithItemAction = (text: string): boolean =>
  /^\s*(?:撤回|撤销|修改|更正|补充照片)/.test(text);
