import type { Reply } from '../../messaging/index.ts';
import { codeOfPrefix } from '../../services/items/index.ts';
import { takeBackLeave, takeBackOffer } from '../../services/leave/index.ts';
import { leaveTakeBack, YES_NO } from '../dialog/wording.ts';
import { mayUse } from '../language/command-catalog.ts';
import { normalize } from '../language/normalize.ts';
import type { TurnScope } from './scope.ts';

// "我出差回来了 能去了", "请假那个不要了", "撤回 QJ-…": a deputy who can come after all. The leave meant is
// asked about once (是 / 否); on 是 the leave domain withdraws it and tells the congress's staff (山西 第八条,
// S5). The question changes nothing.

/** The confirm question's id for a leave withdrawn on 是 (turn.ts). */
export const LEAVE_TAKE_BACK = 'leave.take_back';

/** The question about the leave meant, or what applies instead; `text` may name its code. */
export async function askLeaveTakeBack(t: TurnScope, text = ''): Promise<Reply> {
  const code = codeOfPrefix('QJ').exec(normalize(text).text)?.[0];
  // Staff are told whose step it is; withdrawing is the deputy's own.
  if (!mayUse('deputy', t.standing.roles)) return { text: leaveTakeBack(code) };
  const last = t.conv.lastItem?.startsWith('QJ-') ? t.conv.lastItem : undefined;
  const offer = await takeBackOffer(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    today: t.ctx.today,
    code,
    last,
  });
  if (!('ask' in offer)) return offer;
  t.conv.lastItem = offer.ask.code;
  t.conv.confirm = {
    commandId: LEAVE_TAKE_BACK,
    word: '撤回请假',
    args: { code: offer.ask.code },
    question: offer.ask.question,
    expiresAt: t.conversations.expiry(),
  };
  return {
    text: `${offer.ask.question}\n回复“是”撤回请假，回复“否”请假照旧。`,
    buttons: YES_NO,
  };
}

/** 是 to askLeaveTakeBack's question. */
export async function confirmLeaveTakeBack(t: TurnScope, args: Record<string, unknown>): Promise<Reply> {
  const done = await takeBackLeave(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    code: String(args.code),
    today: t.ctx.today,
  });
  return { text: done.text, personal: true };
}
