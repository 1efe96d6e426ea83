import { listLeave } from '../../../db/repositories/leave.ts';
import type { Deps } from '../../deps.ts';

// The reason (事由) of a leave request as it goes into the request and its written form (山西 第八条 S5:
// 书面提出; 大同 第十一条 S4: 向组织单位履行请假手续). What the deputy said is kept in their words, without
// the words that only frame the asking ("俺想跟你说个事", "你看能不能给俺"); a reason that says nothing
// ("有事", "去不了") is asked about, and "一样的原因" takes the deputy's own earlier reason.

const SEGMENTS = /([，,。；;！!？?、\s]+)/;

/** A whole segment that only frames the asking. */
const FRAMING_SEGMENT = [
  // "俺想跟你说个事", "和您反映一下"
  /^(?:我|俺|咱)?(?:想|要|得)?(?:跟|和|给|同|向)(?:你|您)们?(?:说|讲|反映|汇报|报告|商量)(?:一下|一声|个|件|点)?(?:事|事情|事儿)?$/,
  // "你看能不能给俺", "您看行不行", "能不能帮我请个假"
  /^(?:你|您)?看?(?:能不能|能否|可不可以|可以|行不行|中不中)?(?:给|帮|替)?(?:我|俺)?(?:请个?假|批个?假)?(?:吧|吗|呢|行吗|好吗|中不中|行不行)?$/,
  // "能批吗", "批不批", "行不行": whether it will be granted, asked; no part of why.
  /^(?:能|可以|会|好)?(?:批|批准|同意)(?:吗|么|不|吧)?$|^(?:能不能|可不可以)(?:批|批准)(?:一下)?$|^批不批$|^行(?:吗|不行|不)$/,
  /^(?:麻烦|劳驾|辛苦)(?:你|您)(?:们|了)*$/,
  /^(?:谢谢|多谢|感谢)(?:你|您)?们?了?$/,
  /^(?:是这样的?|这样的?|是这么回事|情况是这样的?|那个|就是|嗯|啊)$/,
];
/** Framing that opens or closes a segment with the reason in it ("跟你说个事要住院"). */
const FRAMING_START =
  /^(?:我|俺|咱)?(?:想|要)?(?:跟|和|给|向)(?:你|您)们?(?:说|讲|反映)(?:一下|个|件)?(?:事情?|事儿)?/;
const FRAMING_END =
  /(?:(?:你|您)看)?(?:能不能|能否|可不可以)(?:给|帮|替)?(?:我|俺)?(?:请个?假)?(?:吧|吗|呢)?$|(?:你|您)看(?:行不行|中不中)?$|(?<!才)(?:能|可以)(?:批|批准)(?:吗|么|不)?$/;
// "这是我的住院证明" said of a photo: the paper says why (住院); the paper itself is no reason.
const PAPER = /^这(?:个|张)?是(?:我|俺)的?(.*?)(?:的)?(?:证明|病历|诊断书|诊断证明|假条|单子|照片)$/;

/**
 * The words before a reason that only say when ("那天俺", "当天我", "那几天", "开会时候我", "到时候"): the day is
 * the meeting's, and the one who cannot come is the deputy. "那天孙子结婚" keeps 孙子结婚.
 */
export const WHEN_BEFORE_REASON =
  /^(?:(?:那|这|当)(?:一|几|两)?天|那(?:几|两|一)天|这(?:几|两)天|当天|到时候?|届时|那(?:个)?时候?|那会儿?|那段时间|(?:开会|会议|开会的|会议的|会|活动|视察)?(?:的)?(?:时候|期间))(?:[,，、\s]*)(?:我们|我|俺们|俺|咱们|咱|本人)?(?:正好|刚好|恰好|估计|可能)?/;

/** The reason as it is filed: the deputy's words without the words that frame the asking. */
export function plainReason(said: string): string {
  const text = said.trim().replace(WHEN_BEFORE_REASON, '').trim() || said.trim();
  // Segments and the separators after them: [segment, separator, segment, …].
  const parts = text.split(SEGMENTS);
  const kept: string[] = [];
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    const seg = parts[i]!;
    const bare = (PAPER.exec(seg)?.[1] ?? seg).replace(FRAMING_START, '').replace(FRAMING_END, '');
    if (bare !== seg) changed = true;
    if (bare === '' || FRAMING_SEGMENT.some((re) => re.test(bare))) {
      changed ||= seg !== '';
      continue;
    }
    kept.push(bare, parts[i + 1] ?? '');
  }
  if (!changed) return text;
  return kept.join('').replace(/[，,。；;、\s]+$/, '');
}

/** "有事", "有点事", "去不了": words that say the deputy cannot come, not why. */
const SAYS_NOTHING =
  /^(?:我|俺|本人)?(?:那天|当天|到时候|可能|临时|真的|实在)*(?:有(?:点|些|个|点儿)?(?:事|事情|事儿)|去不了|来不了|参加不了|去不成|不能(?:去|来|参加)|不去了?|没空|没时间)(?:了|啊|呀|吧|哈)*$/;

export function reasonSaysNothing(reason: string): boolean {
  const t = reason.replace(/[\s，,。.！!？?~～、]+/g, '');
  return t === '' || SAYS_NOTHING.test(t);
}

/** "一样的原因", "同上", "跟上次一样": the reason of an earlier request meant. */
const POINTS_BACK =
  /^(?:还是|也是)?(?:同上|同前|(?:跟|和|与|同)?(?:上次|上回|之前|前面|刚才)?(?:一样|相同|同样)的?(?:原因|理由|事由|事)?|(?:原因|理由|事由)(?:同上|一样|相同)|还是(?:那个|老)(?:原因|事))(?:吧|啊)?$/;

export function pointsToEarlierReason(reason: string): boolean {
  return POINTS_BACK.test(reason.replace(/[\s，,。.！!？?~～、]+/g, ''));
}

/** What to do with a reason as said: file `reason`, or ask for one with `question`. */
export type SettledReason =
  | { reason: string; earlierCode?: string | undefined }
  | { ask: string; said: string };

const EXAMPLES = '例如“出差在外”“身体不适”“家里老人住院”';

/**
 * The reason to file for what the person said: framing dropped; "一样的原因" replaced by the reason of
 * their latest request that says something; one that says nothing asked about.
 */
export async function settleLeaveReason(
  deps: Pick<Deps, 'db'>,
  personId: number,
  said: string,
): Promise<SettledReason> {
  const reason = plainReason(said);
  if (pointsToEarlierReason(reason)) {
    const earlier = (await listLeave(deps.db, { personId })).find(
      (r) => !reasonSaysNothing(r.reason) && !pointsToEarlierReason(r.reason),
    );
    if (earlier) return { reason: earlier.reason, earlierCode: earlier.code };
    return {
      said: reason,
      ask: `“${reason}”——我这里没有查到您之前请假写的原因。请直接说一下这次的原因，${EXAMPLES}。`,
    };
  }
  if (reasonSaysNothing(reason)) {
    return {
      said: reason,
      ask: `请假要写明原因，“${reason || said.trim()}”还没说是什么事。请简单说一下，${EXAMPLES}。`,
    };
  }
  return { reason };
}
