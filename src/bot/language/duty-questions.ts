import { REASON_CUE } from './phrasings.ts';

// What deputies ask about their own duties and rights as the law states them: "代表的职责是什么", "人大代表有
// 哪些义务", "当代表要干啥", "代表有什么权利", "我作为代表能做什么", "代表一年要参加几次活动", "不去开会会怎么样".
// Asked, never told: "建议明确代表的职责" is a suggestion, "代表活动室的灯坏了" a matter. A resignation
// ("代表可以辞职吗") is the office's (office-matters.ts). The answers are turn/duty-questions.ts's.

/** The topics of 帮助 these questions are answered as. */
export const DUTY_TOPICS = [
  'duty.obligations',
  'duty.rights',
  'duty.both',
  'duty.activities',
  'duty.absence',
] as const;
export type DutyTopic = (typeof DUTY_TOPICS)[number];

export const isDutyTopic = (topic: string): topic is DutyTopic =>
  (DUTY_TOPICS as readonly string[]).includes(topic);

/** The cheap look first: only a message with one of these words is read any further. */
const PRECHECK = /代表|职责|义务|权利|权力|职权|开会|会议|人代会|大会|常委会|活动/;

/** 代表 as the deputy, not the first half of 代表证, 代表小组, 代表联络站, 代表建议, 代表大会 … */
const DEPUTY = '(?:人大)?代表(?!证|团|小组|大组|组|联络|之家|活动室|建议|工作|大会|资格|名额|选举|意见)';
/** Who asks as a deputy: "当代表", "作为一名人大代表", "我们代表". */
const AS_DEPUTY = `(?:当|做|作为|身为|我是|我们|我们这些)(?:个|一个|一名|名)?${DEPUTY}`;

const OBLIGATION = /职责|义务|责任/;
const RIGHT = /权利|权力|职权|权限/;
/** The words of a question about what something is or holds. */
const WHAT =
  /是什么|是哪些|有哪些|有什么|有多少|都有|包括|指什么|主要|哪几|几项|几条|[?？]|吗|么|呢|怎么理解|都是/;

/** "代表的职责是什么", "人大代表有哪些义务", "代表享有哪些权利": the deputy's duties or rights named. */
const NAMED = new RegExp(
  `${DEPUTY}(?:的|都|要|应该|应当|应|该|有|享有|能|要履行|应当履行|应该履行|要尽|应尽|依法)?(?:哪些|什么|些|几项|几条)?(?:职责|义务|责任|权利|权力|职权|权限)`,
);
const NAMED_FIRST = new RegExp(`^${NAMED.source}`);
/** "当代表要干啥", "作为代表我该做些什么", "代表平时都要做什么". */
const MUST_DO = new RegExp(
  `(?:${AS_DEPUTY}|^${DEPUTY})(?:的话)?[,，]?(?:我|我们)?(?:平时|平常|一般|主要)?(?:都)?(?:要|得|应该|应当|该|需要)(?:干|做|负责|履行)(?:些|点)?(?:什么|啥|哪些)(?!准备|材料)`,
);
/** "我作为代表能做什么", "代表可以干啥", "作为人大代表我能为群众做点什么". */
const MAY_DO = new RegExp(
  `(?:${AS_DEPUTY}|^${DEPUTY})(?:的话)?[,，]?(?:我|我们)?(?:平时|都)?(?:能|可以|能够)(?:为[^,，]{1,6}?)?(?:干|做|办)(?:些|点)?(?:什么|啥|哪些)`,
);

/** How many activities a year: "代表一年要参加几次活动", "每年至少参加多少次活动" (not "我今年参加了几次"). */
const HOW_MANY =
  /(?:一年|每年|全年|一届|每届)(?:里|中|内)?(?:要|得|需要|应该|应当|至少|最少|起码|一共|总共|都)*(?:参加|参与|去|搞|开展|开)?(?:几|多少)(?:次|回)/;
const COUNTED_ON = /活动|学习|代表|履职/;
const COUNT_RULE =
  /(?:活动|履职)(?:的)?(?:次数)(?:有)?(?:什么|多少)?(?:要求|规定)|(?:活动|履职)(?:有)?(?:次数)?(?:要求|规定)吗/;

/** Not going, asked what follows: "不去开会会怎么样", "缺席人代会有什么后果", "不参加活动有影响吗". */
const NOT_GOING = /不去|没去|不参加|没参加|不出席|没出席|缺席|不到会|没到会|旷会|缺会/;
const MEETING = /开会|会议|人代会|大会|常委会|活动|会/;
const WHAT_FOLLOWS =
  /(?:会|能|要)?(?:怎么样|怎样)|后果|(?:有|会有)(?:什么|啥)?影响|影响大|有影响|处分|处罚|追责|要紧吗|有事吗|有问题吗|会被|(?:取消|终止|丢)(?:代表)?资格/;

/**
 * Words that tell, not ask ("建议明确代表的职责", "希望代表多履职"), and a command written with its word ("通知
 * 全体 代表的职责是什么", "请假 …"): read as they were before.
 */
const TELLS =
  /^(?:我|我们)?(?:建议|提议|希望|要求|呼吁|反映|意见|批评)|^(?:请假|视察|答复|通知|代录|交办|催办|延期|查询)/;

/** Longer than this, the words tell more than they ask; read as they were before. */
const MOST_HAN = 30;
/** Named alone, with no question word: "代表的职责", "人大代表权利义务". */
const FEWEST_ASKED = 8;

/** What a deputy asks about their duties and rights, as a topic of 帮助; null when the words ask none. */
export function dutyAsked(said: string): DutyTopic | null {
  if (!PRECHECK.test(said)) return null;
  const text = said.replace(/\s+/g, '');
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (TELLS.test(text) || han > MOST_HAN) return null;
  if (NOT_GOING.test(text) && MEETING.test(text) && WHAT_FOLLOWS.test(text) && !REASON_CUE.test(text))
    return 'duty.absence';
  if (!/了/.test(text) && ((HOW_MANY.test(text) && COUNTED_ON.test(text)) || COUNT_RULE.test(text)))
    return 'duty.activities';
  const named = NAMED.test(text) && (WHAT.test(text) || (han <= FEWEST_ASKED && NAMED_FIRST.test(text)));
  if (named && OBLIGATION.test(text) && RIGHT.test(text)) return 'duty.both';
  if ((named && OBLIGATION.test(text)) || MUST_DO.test(text)) return 'duty.obligations';
  if ((named && RIGHT.test(text)) || MAY_DO.test(text)) return 'duty.rights';
  return null;
}
