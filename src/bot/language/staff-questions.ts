import { CODE_PATTERN } from '../../services/items/index.ts';
import { RATES, type RateDefinition } from '../../services/statistics/index.ts';
import { normalize } from './normalize.ts';
import { readBySound, readSpoken } from './sound.ts';

// What staff ask the bot as they would ask a colleague, about the office's work rather than their own:
// an organ's open items ("住建局有几件没答复的", "交给住建局的都答复了吗") and who replied to the meetings
// ahead ("下周的会有几个人请假"). Pure: these only read the words; turn/staff-questions.ts answers them.

/** The matching form: normalised, spoken forms and same-sound slips read (答付 → 答复), no spaces or stops. */
const said = (text: string): string =>
  readBySound(readSpoken(normalize(text)))
    .text.replace(/[ ,.!;:~、"'“”]/g, '')
    .replace(/[?]+$/, '?');

/**
 * A handling organ as staff write it: a registered name or its short form (住建局, 市住建局, 自来水公司), ending
 * as organs' names end. Not a pronoun, a time or a count ("全部", "今天", "哪个单位").
 */
const ORGAN =
  '(?![全都所还有哪几多这那我你您他她谁咱大今昨明最本上下每各])((?:(?!的|建议|意见|那|这)\\p{Script=Han}){1,12}?' +
  // 办, 处, 所 end a name (市政府办, 外事办), not the verb after one ("…办得怎么样", "处理").
  '(?:局|委|办(?![得的理完结好了成公])|办公室|院|厅|中心|公司|集团|所(?![以有在])|站|队|处(?!理)|署))';

/** What may open the question: "交给住建局的…", "看看住建局…", "问一下住建局…". */
const LEAD = '(?:帮我|麻烦)?(?:看看|看一下|查查|查一下|问一下|问问)?(?:交给|交办给|交到|转给|分给)?';

/** Where the organ is said to be: "住建局那边", "住建局手上的". */
const SIDE = '(?:那边|那儿|那里|这边)?';

/** What it is asked about: its items not yet answered, held, overdue, or how they are going. */
const ASKED_OF_ORGAN: readonly RegExp[] = [
  // "有几件没答复的", "还有哪些没办完", "几件没回", "还剩多少没处理"
  /(?:还)?(?:有|剩|压着|欠着?)?(?:几|多少|哪些|哪几)(?:件|个|条|项)?(?:建议|意见|事|事项)?(?:还)?(?:没有?|未)(?:答复|回复|办完|办结|办好|办|处理完?|回)(?:的)?(?:吗|呢|啊|\?)*$/,
  // "没答复的有几件", "没办完的都有哪些"
  /^的?(?:还)?(?:没有?|未)(?:答复|回复|办完|办结|办好|处理完?|回)的?(?:建议|事项)?(?:有|都有|还有)?(?:几|多少|哪些|哪几)?(?:件|个|条|项)?(?:吗|呢|啊|\?)*$/,
  // "手上的建议", "手里还有几件", "在办的有哪些", "正在办的"
  /^的?(?:手上|手里|手头|在办|正在办|办理中)的?(?:建议|事项|件|事)?(?:有|还有|都有)?(?:几|多少|哪些|哪几)?(?:件|个|条|项)?(?:建议|事)?(?:吗|呢|啊|\?)*$/,
  // "都答复了吗", "的建议都回复了没有", "答复完了没"
  /^的?(?:建议|事项|件)?(?:都|全|全部)?(?:答复|回复|办完|办结|办好|处理完)(?:完)?了?(?:吗|没有?|么|了没|没|\?)+$/,
  // "的建议办得怎么样了", "办理情况"
  /^的?(?:建议|事项)?(?:都)?(?:办|办理|处理)?(?:得|的)?(?:怎么样|如何|情况|进度|进展)了?(?:吗|呢|\?)*$/,
  // "有没有超期的", "超期的有几个", "有几件快到期"
  /^的?(?:有没有|有|还有)?(?:几|多少|哪些)?(?:件|个|条|项)?(?:超期|逾期|过期|快到期|要到期)(?:了)?的?(?:建议|事项)?(?:有)?(?:几|多少|哪些)?(?:件|个|条|项)?(?:吗|没有?|呢|\?)*$/,
  // "还有几件", "欠着几件", "的建议有多少"
  /^的?(?:建议|事项)?(?:还)?(?:有|剩|欠着?|压着)(?:几|多少|哪些)(?:件|条|项)?(?:建议)?(?:吗|呢|\?)*$/,
  // "的建议", "的事项呢"
  /^的(?:建议|事项)(?:呢|\?)*$/,
];

/**
 * The organ whose open items staff ask about ("住建局有几件没答复的", "市住建局手上的建议", "交给住建局的都答复了
 * 吗"), as written; null when the words ask no such thing. Never words about one item (a code) nor what an
 * organ answered ("住建局回复说…", recorded by 答复).
 */
export function organItemsAsked(text: string): string | null {
  const t = said(text);
  if (t.length > 30 || CODE_PATTERN.test(t) || /(?:答复|回复|反馈)(?:说|称|讲)/.test(t)) return null;
  const m = new RegExp(`^${LEAD}${ORGAN}${SIDE}(.*)$`, 'u').exec(t);
  if (!m) return null;
  const rest = m[2]!;
  return ASKED_OF_ORGAN.some((re) => re.test(rest)) ? m[1]! : null;
}

/** A meeting's kind or the word for one ("下周的会", "人代会", "明天的活动"). */
const MEETING_WORD = '(?:人代会|常委会|大会|会议|会|活动|学习|培训|视察|调研|座谈会|小组活动)';
/** How many or who: what a count of replies is asked with. */
const HOW_MANY = '(?:几个人?|几位|多少人?|谁|哪些人|哪几个人?|哪几位)';
/** The reply asked about: leave, or coming. */
const REPLY = '(?:请假|请了假|请过假|参加|报名|来|到|不来|来不了|去不了)';

/**
 * "下周的会有几个人请假", "这周的会都谁请假了", "人代会请假的有几个", "明天的活动多少人参加": who replied to the
 * meetings ahead, asked by staff. A meeting named, then how many or who with a reply, either way round.
 */
const REPLIES_ASKED = new RegExp(
  `^(?:.{0,8}?)${MEETING_WORD}(?:上|里)?(?:都|一共|总共)?(?:有)?(?:${HOW_MANY}${REPLY}(?:了)?(?:的)?|${REPLY}(?:了)?的?(?:人)?(?:有|都有)?${HOW_MANY}|${REPLY}的(?:人)?(?:多不多|多吗))(?:了|呢|啊|吗|\\?)*$`,
  'u',
);

/** A span of days said before who replied, with no meeting named ("今天谁请假了", "下周有几个人请假"). */
const WHEN_WORD = '(?:今天|明天|后天|这周|本周|这个?礼拜|下周|下个?礼拜|这个月|本月|下个月|最近|近期|这几天)';
const REPLIES_IN_SPAN_ASKED = new RegExp(
  `^${WHEN_WORD}(?:的)?(?:都|一共|总共)?(?:有)?${HOW_MANY}${REPLY}(?:了)?(?:的)?(?:了|呢|啊|吗|\\?)*$`,
  'u',
);

/** Whether staff ask how the invitees of the meetings ahead replied ("下周的会有几个人请假"). */
export function meetingRepliesAsked(text: string): boolean {
  const t = said(text);
  return t.length <= 30 && !CODE_PATTERN.test(t) && (REPLIES_ASKED.test(t) || REPLIES_IN_SPAN_ASKED.test(t));
}

// ---- the office's figures ---------------------------------------------------------------------------

/** The period a figure is asked for: the week (Monday to Sunday), the month or the year, this one or the last. */
export type FiguresPeriod = 'week' | 'lastWeek' | 'month' | 'lastMonth' | 'year' | 'lastYear';

/** What of the office's figures is asked: all of them, those received, those overdue, or one rate. */
export type FiguresAsked = 'figures' | 'received' | 'overdue' | RateDefinition['key'];

export interface FiguresQuestion {
  /** The period said; null when none was (this year so far). */
  period: FiguresPeriod | null;
  asked: FiguresAsked;
}

/** How each period is said ("这周", "这个礼拜", "上个月", "今年以来"); `said` keeps 礼拜 as written. */
const PERIOD_WORDS: readonly (readonly [FiguresPeriod, string])[] = [
  ['week', '这周|本周|这个?礼拜|这个?星期'],
  ['lastWeek', '上周|上个?礼拜|上个?星期'],
  ['month', '本月|这个?月'],
  ['lastMonth', '上个?月'],
  ['year', '今年|本年|本年度|年初'],
  ['lastYear', '去年|上一?年'],
];
const PERIOD = `(?:(${PERIOD_WORDS.map(([, w]) => w).join('|')})(?:以来|到现在|至今)?(?:的)?)?`;

/** The rates as the statistics page names them, the longest first (按期答复率 before 答复率). */
const RATE_LABELS = [...RATES].sort((a, b) => b.label.length - a.label.length);
const COUNT = '(?:多少|几)(?:件|条|个|项)?';
const ITEMS = '(?:建议|意见|建议意见|事项)';
const END = '(?:了|呢|啊|吗|\\?)*$';

const FIGURES_ASKED: readonly (readonly [FiguresAsked | 'rate', RegExp])[] = [
  // "这周的统计", "本月统计", "今年建议的统计数据"
  ['figures', new RegExp(`^${PERIOD}(?:${ITEMS}(?:办理)?的?)?统计(?:数据|数字|情况)?${END}`, 'u')],
  // "今年收到多少建议", "今年提了多少建议", "今年代表一共提了几条建议"
  [
    'received',
    new RegExp(
      `^${PERIOD}(?:代表们?)?(?:一共|总共|共)?(?:收到|提了|提交了|提出了|提)了?${COUNT}(?:${ITEMS})?${END}`,
      'u',
    ),
  ],
  // "建议办结了多少", "今年答复了几件", "交办了多少件建议"
  [
    'figures',
    new RegExp(
      `^${PERIOD}(?:${ITEMS})?(?:一共|总共|共)?(?:办结|办完|答复|回复|交办)了?${COUNT}(?:${ITEMS})?${END}`,
      'u',
    ),
  ],
  // "办结率多少", "今年的按期答复率是多少", "满意率怎么样"
  [
    'rate',
    new RegExp(
      `^${PERIOD}(?:${ITEMS}的?)?(?:${RATE_LABELS.map((r) => r.label).join('|')})(?:是|有)?(?:多少|几|怎么样|如何)?${END}`,
      'u',
    ),
  ],
  // "超期的有几件", "有几件超期", "超期未答复的有多少"
  [
    'overdue',
    new RegExp(
      `^${PERIOD}(?:${ITEMS})?(?:有|一共有|共有)?(?:${COUNT}(?:${ITEMS})?(?:超期|逾期)(?:未答复|没答复|了)?|(?:超期|逾期)(?:未答复|没答复|了)?的?(?:${ITEMS})?(?:有|一共有|共有)?${COUNT})${END}`,
      'u',
    ),
  ],
  // "哪个单位超期最多", "超期最多的是哪个单位", "哪些单位有超期的"
  [
    'overdue',
    new RegExp(
      `^${PERIOD}(?:(?:哪个|哪些|哪家|哪几个)单位(?:有)?(?:超期|逾期)(?:的|了)?(?:最多|多)?|(?:超期|逾期)(?:最多|多)的(?:是)?(?:哪个|哪些|哪家|哪几个)单位)${END}`,
      'u',
    ),
  ],
];

/** A cheap look before any pattern: every figures question says one of these. */
const FIGURES_WORD = /统计|多少|几|率|超期|逾期/;

/**
 * The office's figures staff ask for as colleagues ask ("这周的统计", "今年收到多少建议", "办结率多少", "哪个单位
 * 超期最多"), with the period said; null when the words ask no such thing (nor about one organ or one item).
 */
export function figuresAsked(text: string): FiguresQuestion | null {
  if (text.length > 40 || !FIGURES_WORD.test(text)) return null;
  const t = said(text);
  if (t.length > 30 || CODE_PATTERN.test(t)) return null;
  for (const [asked, re] of FIGURES_ASKED) {
    const m = re.exec(t);
    if (!m) continue;
    const period = m[1] ? PERIOD_WORDS.find(([, w]) => new RegExp(`^(?:${w})$`, 'u').test(m[1]!))![0] : null;
    if (asked !== 'rate') return { period, asked };
    const rate = RATE_LABELS.find((r) => t.includes(r.label))!;
    return { period, asked: rate.key };
  }
  return null;
}
