import type { ReceptionAsk } from '../../services/reception/index.ts';
import { findMonth } from './argument-parsers.ts';

// Questions about the reception day itself (大同 第七条(九), S2), not its date: whether someone may come
// along, whether the day can be moved, what the day is. Read before any booking phrase, so "接待日我家属能陪我去吗" is never
// booked with "我家属能陪" as its topic. The answer is the reception domain's; these only read the asking.

const ABOUT_RECEPTION = /接待/;

/** The words of a question (or "行不", "去不" as people say it), not a statement. */
const ASKING =
  /[?？]|吗|么|能不能|能否|可不可以|可以不|行不行|行不|中不中|中不|成不|好不好|允许不|让不让|让带|有没有|是不是|咋样|怎么样|否|不$|[去来]不(?![了去来成])/;

/** Bringing someone: "带别人", "领着俺们村的老王", "叫上几个村民". */
const BRING =
  /(?:带|领|叫上|喊上|捎上|拉上)(?:上|着)?(?:个|一个|几个|两个|俩|两|一些|些)?(?:俺|我|我家|俺家)?(?:的)?(?:别人|其他人|他人|旁人|外人|家属|家人|亲属|亲戚|群众|选民|村民|居民|老百姓|朋友|同事|老伴|爱人|孩子|儿子|女儿|闺女|孙子|孙女|外孙|老婆|媳妇|丈夫|老公|家里人|秘书|司机|助理|工作人员|人|俺们|我们|咱们|村里|老[\p{Script=Han}]|小[\p{Script=Han}])/u;

/** Someone taken along by name or office: "叫上村支书一块去", "带着老王一起". */
const TAKEN_ALONG =
  /(?:带|领|叫上|喊上|捎上|拉上|约上)(?:上|着)?[\p{Script=Han}]{1,6}?(?:一块|一起|一同|一道|同去|陪)/u;

/** Someone coming along: "家属能陪我去吗", "老伴跟着一块去". */
const ALONG =
  /(?:家属|家人|亲属|亲戚|老伴|爱人|孩子|儿子|女儿|闺女|朋友|同事|秘书|司机|助理|别人|其他人|群众|选民|村民|居民|支书|村主任|村干部)(?:也)?(?:能|可以|能不能|可不可以)?(?:陪|跟|一起|一块|一同|同去|同行|陪同)/;

/** Another day asked for: "换个时间", "改个日子", "往后推几天", "改到10号", "改期". */
const MOVE =
  /(?:换|改|调|挪|错开)(?:个|一个|一下|下)?(?:时间|日子|日期|别的日子|别的时间|其他时间|其他日子|一天)|改期|换期|推迟|延后|(?:往后|往前|向后)(?:推|挪|延|调)|提前(?:几天|一天|两天|点)?(?!.{0,3}(?:预约|约|报名|说|告诉|准备|通知|联系|登记))|(?:改|换|挪|调|推)(?:到|成|在)|(?:别的|其他|另外的?)(?:日子|时间|哪天)/;

/** The topic changed ("话题能不能换成…"): the booking's, never the day's. */
const TOPIC = /话题|议题|主题|想(?:谈|说|聊|反映)的/;

/** What the day is: "接待日是干啥的", "什么是接待日", "接待日有什么用" (not "接待日是什么时候"). */
const PURPOSE =
  /接待(?:代表)?日(?:是|是个)?(?:干啥|干什么|做什么|做啥|啥意思|什么意思|有什么用|有啥用)|什么是(?:主任)?接待(?:代表)?日|接待(?:代表)?日是(?:个)?(?:啥|什么)(?:东西|活动|意思)?(?:[吗呢啊呀?？]|$)/;

/** How early to book: "要提前几天预约", "最晚哪天能约", "预约截止到什么时候". */
const WHEN_TO_BOOK =
  /(?:提前|早)(?:几天|多少天|多久|多长时间|几个工作日|多少个工作日)(?:去|来)?(?:预约|约|报名|登记)|(?:预约|报名)(?:截止|最晚|最迟)|(?:最晚|最迟)(?:什么时候|啥时候|哪天|几号)(?:前|之前)?(?:能|可以)?(?:预约|约|报名)|(?:怎么|咋|如何|怎样)(?:才能)?(?:预约|约上?|报名)/;
/** Whether it must be booked: "需要预约吗", "要不要先预约", "不预约能去吗". */
const MUST_BOOK =
  /(?:要不要|用不用|需不需要|得不得|是不是得|是不是要|是否要|是否需要|需要|必须|一定要|非得|得)(?:先|提前)?(?:预约|约|报名|登记)|不(?:预约|约|报名)(?:能|可以|行)/;

/**
 * What to bring, wear or get ready: "接待日要带什么", "去接待日要带啥", "接待日需要准备材料吗", a meeting's "要穿啥"
 * (not "带啥人", nor "准备什么时候修" in a topic).
 */
export const WHAT_TO_BRING =
  /(?:带|准备|拿|穿)(?:点|些|上|好)?(?:什么|啥|哪些)(?!人|时候)|(?:要|需要|得|用)(?:带|准备)(?:材料|资料|证件|东西)/;

/** The place asked ("接待日在哪里", a meeting's "在哪开"). */
export const PLACE_ASKED = /在哪|哪里|什么地方|啥地方|地点|地址/;

/** A booking moved to a month ("接待日改到下个月"): moving the booking itself, never this question. */
const MOVE_TO = /(?:改|换|挪|调|推)(?:成|到|为|在)?(?:了)?\s*/g;

function movesToMonth(text: string, now: string): boolean {
  for (const m of text.matchAll(MOVE_TO)) {
    const after = text.slice(m.index + m[0].length);
    if (findMonth(after, now)?.index === 0) return true;
  }
  return false;
}

/** What the message asks about the reception day, or null when it asks no such thing. */
export function receptionAsked(said: string, now: string): ReceptionAsk | null {
  // "接待日  能带  家属吗": spaces typed between the words say nothing.
  const text = said.replace(/\s+/g, '');
  if (!ABOUT_RECEPTION.test(text)) return null;
  // Only asked: "预约接待日 带村民代表反映修路" tells the booking's topic.
  if (ASKING.test(text) && (BRING.test(text) || TAKEN_ALONG.test(text) || ALONG.test(text))) return '带人';
  if (WHAT_TO_BRING.test(text)) return '准备';
  // "接待日是几点", "接待日在哪": the hour and the place are the office's notice's, as what to bring is.
  if (text.length <= 12 && (/几点/.test(text) || PLACE_ASKED.test(text)) && !/约|话题|反映/.test(text))
    return '准备';
  if (PURPOSE.test(text)) return '用途';
  if (
    WHEN_TO_BOOK.test(text) ||
    (MUST_BOOK.test(text) && (ASKING.test(text) || /要不要|用不用|需不需要/.test(text)))
  )
    return '预约';
  // Asked or said ("接待日改期"), another day is still no booking of one.
  if (MOVE.test(text) && !TOPIC.test(text) && !movesToMonth(text, now)) return '改期';
  return null;
}
