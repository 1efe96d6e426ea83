import type { KnownSender } from '../../../db/repositories/senders.ts';
import type { Deps } from '../../deps.ts';
import { isAppError } from '../../errors.ts';
import type { Reply } from '../../messaging/index.ts';
import { correctAssignedOrgan, previewOrganCorrection } from '../../services/suggestions/index.ts';
import type { ConversationState } from '../dialog/state.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { mayUse } from '../language/command-catalog.ts';
import { act } from './own-items.ts';
import type { TurnScope } from './scope.ts';

// "交办 JY-… 市住建局", then "不对，是水务局" (交错了，应该给水务局; 改成市水务局): staff correcting the organ
// just written. Asked once with a yes; the item moves only while the organ has not signed for it.

/** The confirm that waits for the yes (no catalog command: it is only ever offered). */
export const ORGAN_CORRECTION = 'suggestion.correct_organ';

const WRONG =
  /^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?(?:不对(?:不对)?|不是|错了|(?:交|搞|弄|写|打|说|发|派)错了)[，,。！!\s]*/;
const TO = /^(?:应该|应当)?(?:是|为)?(?:改成|改为|换成|改交给?|交给|交|给|改由|由)?[\s，,：:]*/;
/** What the words name must read as an organ ("不对，是王二" corrects something else). */
const ORGAN_LIKE = /(?:局|委|办|厅|院|中心|公司|部|所|站|处|队|会|街道|镇|乡|政府|集团)$/;

/** The organ written in a correction, or null when the message is none. */
export function organCorrectionWords(text: string): string | null {
  const t = text.trim();
  const wrong = WRONG.exec(t);
  const after = wrong ? t.slice(wrong[0].length) : t;
  const to = TO.exec(after)![0];
  // Without "不对/交错了" only a word that changes ("改成", "应该给") makes it a correction.
  if (!wrong && !/[改换]|应该|应当/.test(to)) return null;
  const name = after
    .slice(to.length)
    .replace(/(?:承办|主办|办理|来办|负责|去办)?(?:吧|的|呀|啊)?[。.！!]*$/, '')
    .trim();
  return /^[\p{Script=Han}A-Za-z0-9（）()]{2,20}$/u.test(name) && ORGAN_LIKE.test(name) ? name : null;
}

/** The correction offered for the item just handed over, with one button to confirm; null when none. */
export async function offerOrganCorrection(t: TurnScope, text: string): Promise<Reply | null> {
  const code = t.conv.lastItem;
  if (!code?.startsWith('JY-') || !mayUse('staff', t.standing.roles)) return null;
  const to = organCorrectionWords(text);
  if (!to) return null;
  const asking = {
    deps: t.ctx.deps,
    sender: t.ctx.sender,
    conv: t.conv,
    expiresAt: t.conversations.expiry(),
  };
  try {
    return await organCorrectionOffer(asking, code, to);
  } catch (e) {
    if (isAppError(e)) return { text: `${e.message}。` };
    throw e;
  }
}

/**
 * "是要把 JY-… 改交市水务局吗？", the yes awaited in `conv`; refused (AppError) when the 交办 cannot be
 * corrected. Also what "交办 JY-… 市水务局" says of an item just handed to another organ.
 */
export async function organCorrectionOffer(
  asking: { deps: Deps; sender: KnownSender; conv: ConversationState; expiresAt: string },
  code: string,
  to: string,
): Promise<Reply> {
  const c = await previewOrganCorrection(asking.deps, { code, to, scope: staffCongressesOf(asking.sender) });
  const question = `是要把 ${c.code} 改交${c.to}吗？`;
  asking.conv.confirm = {
    commandId: ORGAN_CORRECTION,
    word: '改交',
    args: { code, to: c.to },
    question,
    expiresAt: asking.expiresAt,
  };
  return {
    text: `${question}${c.from}还没有签收，改交后撤回对${c.from}的交办，由${c.to}${c.role}，期限不变：${c.due}。回复“是”改交，回复“否”不改。`,
    buttons: [{ label: `是，改交${c.to}`, command: '是' }],
  };
}

/** The yes to the offer: the 交办 corrected, and who was told. */
export function confirmOrganCorrection(t: TurnScope, args: Record<string, unknown>): Promise<Reply> {
  const { sender, msg } = t.ctx;
  return act(
    t,
    () =>
      correctAssignedOrgan(t.ctx.deps, {
        code: String(args.code),
        to: String(args.to),
        actor: { id: `person:${sender.personId}`, name: sender.name, personId: sender.personId },
        scope: staffCongressesOf(sender),
        audit: { via: 'chat', requestId: `${msg.channel}:${msg.messageKey}` },
      }),
    (c) =>
      `已把 ${c.code} 改交${c.to}（${c.role}），期限不变：${c.due}。${c.from}的交办已撤回${c.fromTold ? '，已告知该单位' : '（交办函还没发出，不再发送）'}；已告知代表和${c.to}联系人。`,
  );
}
