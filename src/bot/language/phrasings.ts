// How people actually say things, typed on a phone or spoken into one: the filler words to look past,
// small talk, and the phrases that stand for a command. Patterns run on the "loose" form of a message
// (normalized, then spaces, punctuation and interjections removed), so "嗯，我想，请个假吧" reads 我想请个假.
// The staff commands that change or send something have no phrases here on purpose: only their word
// starts them (see command-catalog.ts).

import type { CodePrefix } from '../../services/items/index.ts';
import { WITHHOLD_NAME_WORDS } from '../../services/suggestions/index.ts';
import type { CommandId } from './command-catalog.ts';
import { normalize } from './normalize.ts';

/** A line of a numbered list picked: "2", "第二个", "选3", "第2项". */
export const LIST_PICK = /^(?:第|选|选择)?([1-9一二三四五六七八九])(?:个|号|项|条|件)?$/;

/** Dropped everywhere in the loose form: spaces, punctuation (not the code dash or 、) and interjections. */
export const LOOSE_NOISE = /[ ,.:;!?~"'()[\]<>《》…·*#]|[嗯呃额啊哦噢哎唉呀吧呢嘛啦]|那个|这个(?!月)/g;

/** "这件", "这个事情", "该项建议": the item just talked about, pointed at (read by command-start.ts). */
export const ITEM_POINTER = '(?:这个|这件|这条|这项|该件|该项)(?:事情?|建议)?';

/** "请问", "我想问一下", "问个事": asking opens what is asked, and says nothing of it. */
export const ASKING_OPENER = '请问|(?:我)?(?:想|要)?(?:问|咨询)(?:一下|下|个事|件事)?(?![题])';

/** "个", "几点", "一条小": how many suggestions are announced ("提几点意见", "有个小建议"). */
export const HOW_MANY_SUGGESTIONS = '(?:个|一个|一条|条|点|几条|一点|些|一些|几个|几点)?(?:小)?';

/** Words that open a message without carrying its meaning; dropped from its start (repeatedly). */
export const LEADING_FILLER = new RegExp(
  [
    '[ ,.:;!?~、]',
    '[嗯呃额啊哦噢哎唉喂]',
    '那个',
    '这个(?!月)',
    // "这件延期到4月底", "这条交给市住建局": the item just talked about, pointed at (command-start.ts).
    // "第一个交给住建局" after 待办: the one waiting (交办 asks which when several wait).
    // "把这个延期一个月", "把它交给住建局": the same with 把.
    `(?:把(?:它|${ITEM_POINTER})|${ITEM_POINTER}|第[一1](?:个|件|条|项))(?=[ ,]?(?:延期|延长|交办|交给))`,
    '就是说?',
    '然后',
    '你好',
    '您好',
    '在吗',
    // The bot addressed by what it is ("小助手，我想问一下…").
    '小?助手',
    '机器人',
    // "请问", "我想问一下", "问下": a question follows; the question is the message.
    ASKING_OPENER,
    '麻烦(?:你|您)?',
    '帮我',
    '帮忙',
    '给我',
    '我想要?',
    '我要',
    '我需要',
    '我得',
    '想要?',
    '要(?!求)',
    '申请',
    // An acknowledgement in front of a command ("好的，确认").
    '(?:好的|好|是的|对的?|可以|行|ok|OK|Ok)(?=[ ,.!]|确认|确定)',
  ].join('|'),
  'y',
);

/** Particles and courtesies that close a message without carrying its meaning. */
export const TRAILING_FILLER = /(?:[ ,.!~]|[吧啊呀呢哈嘛啦哦]|谢谢(?:你|您)?|多谢|麻烦了|辛苦了)+$/;

/** Fillers between a command word and its first argument ("批准一下 QJ-…"). */
export const ARG_LEAD = /^(?:[ ,.:;!~、]|一下|下(?![个一月周午])|[嗯呃额啊]|那个|就是)+/;

export type SmalltalkAct = 'greeting' | 'thanks' | 'ack' | 'who' | 'human' | 'voice' | 'ask';

// Small talk, on the loose form: the whole message must be made of these pieces. Thanks win over a
// greeting, a greeting over an acknowledgement ("好的，谢谢你们，辛苦了" is thanks).
const THANKS =
  '🙏|抱拳|谢谢|多谢|感谢|非常感谢|太感谢了?|谢了|辛苦了?|麻烦了|thanks|thankyou|thx|(?:感谢|谢谢)(?:\\p{Script=Han}{1,10}?)的(?:关心|支持|帮助|付出|服务)';
const GREETING =
  '你好|您好|大家好|hi|hello|哈喽|嗨|在吗|在不在|在不|有人在吗|有人吗|早|早上好|上午好|中午好|下午好|晚上好|早安|晚安|喂|助手|小助手|机器人|新年快乐|节日快乐|过年好';
/** "就这些", "没有了", "先这样吧": nothing more to say (after a request done, an acknowledgement). */
export const CLOSING =
  '就这些|就这样|先这样|那就这样|没有?(?:别的|其他的?|其它的?)?了|暂时没有?了?|再见|拜拜|回见|回头见|bye|byebye';
// Thumbs up and the like, as typed or as WeCom writes its own faces ("[强]", "[握手]"; the loose form has
// lost the brackets).
const ACK_FACES = '👍|👌|✌️?|👏|💪|😊|🙂|😄|强|握手|胜利|赞|鼓掌|微笑|愉快|呲牙';
const ACK = `好的?|好嘞|收到|我?知道了|知道|我?明白了?|了解|ok|okay|行|可以|没问题|嗯|对|是的?|行了|好了|在的?|在呢|${ACK_FACES}|${CLOSING}`;
// "我是张秀英代表": a deputy introducing themselves, with or without a greeting (2 to 4 characters of a
// name, then perhaps how they are addressed). Nothing to act on, and never content for a command. Not
// "我是说请假", "我是想问…", "我是来反映…": what follows those is the message.
const INTRO = '我(?:是|叫)(?![说想要来去在问])\\p{Script=Han}{2,4}(?:代表|委员|同志)?';
/** A message part that only introduces its writer ("我是张秀英代表"): never a reason or content. */
export const SELF_INTRO = new RegExp(`^(?:${INTRO})$`, 'u');
/** A greeting and self-introduction opening a longer message ("你好 我是张秀英代表 我想反映…"). */
export const OPENING_INTRO = new RegExp(`^(?:(?:${GREETING})[ ,.!]*)*(?:${INTRO})[ ,.!]+`, 'iu');
/** What is left of "麻烦帮我请个假" once the request is taken out: courtesy, not a reason. */
// "王二代表让我帮他（请个假）": who asked staff to write it, no part of the reason.
export const COURTESY_LEFT =
  /^(?:\p{Script=Han}{2,4}?代表)?(?:让我|叫我|托我|请我)?(?:麻烦|劳驾|拜托|请)?(?:您|你)?(?:帮我|给我|帮忙|替我|帮他|替他|帮她|替她|给他|给她)(?:一下|下)?$/u;
// Who is thanked, and the particles around it.
const COURTESY = '你们|你|您|大家|各位|同志们|领导|工作人员|的工作|啦|了|哈|呀|哦|啊';

const pieces = (alts: string) => new RegExp(`^(?:${alts})+$`, 'iu');

/** "你是谁", "你是机器人吗": who answers. */
const WHO_ASKED =
  /^(?:请问)?(?:你|您)(?:是谁|是哪位|是什么|是干(?:什么|啥|嘛)的|是不是机器人|是(?:机器人|真人|人工|人)(?:吗|么|不)?)$|^(?:是)?(?:机器人|真人)(?:吗|么)$/;
/** "人工客服", "转人工", "我要找工作人员": a person asked for. */
const HUMAN_ASKED =
  /^(?:转|找|要)?(?:人工|真人)(?:客服|服务)?(?:在吗|呢)?$|^(?:我)?(?:要|想)?(?:转|找|联系)(?:一下)?(?:人工|真人|工作人员|客服)/;

/** "你能听语音不", "俺不会打字": whether the bot takes voice messages. */
const VOICE_ASKED =
  /^(?:小同志|同志|你好|您好)?(?:俺|我)?(?:不会|不大会|不太会|打不了)?(?:打字)?(?:你|您)?(?:能|可以|会|能不能|可不可以)?(?:听|发|用|说|认)(?:懂)?(?:语音|声音)(?:吗|么|不|不能|行不|行吗|可以吗|啊)?$|^(?:小同志|同志)?(?:俺|我)(?:不会|不大会|不太会)打字(?:咋办|怎么办)?$/;
/** "我有个事想问问", "想咨询一下", "问个事": a question announced, not asked yet. */
const ASK_ANNOUNCED =
  /^(?:你好|您好|小同志|同志)?(?:我|俺)?(?:有个|有件|有点)?(?:事|事情|事儿|问题)?(?:想)?(?:问问|问一下|问下|请教一下?|咨询一下?|打听一下|问个事|问个问题)(?:你|您)?(?:啊|呀|哈)?$/;

/** Small talk, on the loose form: the whole message must be made of these. */
export const SMALLTALK: readonly { act: SmalltalkAct; re: RegExp }[] = [
  { act: 'who', re: WHO_ASKED },
  { act: 'human', re: HUMAN_ASKED },
  { act: 'voice', re: VOICE_ASKED },
  { act: 'ask', re: ASK_ANNOUNCED },
  { act: 'greeting', re: pieces(GREETING) },
  { act: 'thanks', re: new RegExp(`^(?=.*(?:${THANKS}))(?:${THANKS}|${COURTESY})+$`, 'iu') },
  { act: 'ack', re: pieces(ACK) },
  // Mixed: thanks with an acknowledgement or greeting around it.
  {
    act: 'thanks',
    re: new RegExp(`^(?=.*(?:${THANKS}))(?:${THANKS}|${COURTESY}|${ACK}|${GREETING})+$`, 'iu'),
  },
  {
    act: 'greeting',
    re: new RegExp(`^(?=.*(?:${GREETING}))(?:${GREETING}|${ACK}|${COURTESY}|${INTRO})+$`, 'iu'),
  },
  { act: 'greeting', re: new RegExp(`^(?:${INTRO})$`, 'iu') },
];

export interface Phrase {
  id: CommandId;
  re: RegExp;
  /** Argument values the phrase itself carries. */
  sets?: Readonly<Record<string, string>>;
  /** Clear enough to win over a command word read as free text ("建议办得怎么样了" is a question). */
  strong?: boolean;
  /**
   * Which phrase wins when several match: the higher priority, then the earliest, then the longest.
   * Generic phrases (查一下…, 视察 inside a meeting's name) sit below 0; specific actions above.
   */
  priority?: number;
  /** Only when the message also holds a code of this prefix. */
  needsCode?: CodePrefix;
  /** Not when the loose form also matches this ("对你们的服务态度不满意" is no rating of an answer). */
  unless?: RegExp;
  /** Read only from staff: a deputy asking "有什么要处理的" is not asking for the office's queue. */
  staffOnly?: boolean;
  /** Words that only lean one way ("还行吧"): what they would do is asked about before it is done. */
  loose?: boolean;
}

// Not "能不能去" ("我看看能不能去"): asking whether one can go holds 不能去 without saying it.
const UNABLE =
  '(?:去不了|来不了|参加不了|出席不了|到不了|赶不上|赶不回来|回不来|参加不成|去不成|就?不去了|不参加了|(?:(?<!能)不能|无法|没法|没办法|不能够)(?:参加|出席|去|来|到会|到场)|不去(?:参加)?(?:视察|调研|考察|活动|培训|学习|开会)|(?:能不能|可不可以|可以|能)不(?:去|参加|出席|来)(?!了解))';

export const UNABLE_RE = new RegExp(UNABLE);

/** Asking for leave in so many words: 请假, 请个假, 请两天假, 请半天病假, 告假. */
export const LEAVE_WORD =
  /请(?:个|一下|下|[一两三四五六七半几]?(?:天|个?(?:上午|下午|晚上)))?(?:事|病)?假(?![条单])|告假/;

/** Displeasure with the bot or its staff, not with an organ's answer. */
const RATING_NOT_OF_ANSWER = /(?:你们|你|您)的?(?:服务|态度|工作人员)|服务态度/;

export const PHRASES: readonly Phrase[] = [
  // 帮助
  {
    id: 'help',
    re: /怎么(?:用|使用|操作)|如何(?:使用|操作)|(?:有|能)(?:哪些|什么)(?:功能|命令|指令|服务)|(?:能|会|可以)(?:帮我|给我|帮)?(?:做|干|办)(?:些|点)?(?:什么|啥)|不太会用|不会用这个|使用(?:说明|方法|指南)|操作(?:说明|指南)|^.{0,4}不会用.{0,6}$|功能(?:列表|介绍)|命令(?:列表|大全)/i,
  },
  // 请假 (and, with an HD code, declining an invitation)
  {
    id: 'leave.request',
    re: /请(?:个|一下|下|[一两三四五六七半几]?(?:天|个?(?:上午|下午|晚上)))?(?:事|病)?假|告假/,
  },
  { id: 'leave.request', re: new RegExp(UNABLE) },
  // "下周人代会 住院", "常委会那天俺出差", "俺常委会那天要去外地出差": a meeting ahead and why, nothing else, no 请假 said: leave, asked
  // about before it is filed (the meeting it finds named in the question).
  {
    id: 'leave.request',
    re: /^.{0,8}?(?:人代会|常委会|大会|会议|例会|座谈会|视察|调研|培训|学习|活动)(?:那一?天|当天|那[几两]天|(?:开会)?的?时候|期间)?(?:我|俺)?(?:要|在|得|正在|因为|刚|已经|还在|去|到|正|得去){0,2}(?:外地|外省|省里|北京|太原|医院)?(?:(?:外地|外省|省里|北京|太原)(?:开会|培训|学习)|住院|生病|病了|看病|(?:做|动)个?手术|手术|开刀|出差|出国|复查|身体不好|不舒服|家里有事|有事)(?:了|呢)?(?:治疗|观察|检查)?了?$/,
    // "请个假 常委会开会时候我住院": 请假 said, nothing to ask (the phrase above reads it).
    unless: LEAVE_WORD,
    loose: true,
  },
  // 参加
  // Not "参加了啥活动", "参加过哪些": a question about one's record (我的履职), never an answer to an invitation.
  {
    id: 'activity.attend',
    re: /(?<!不能|不会|无法|没法|没办法|不|没)(?:参加|出席)(?!不|了?(?:几|多少)次|[了过]?(?:些|哪些|啥|什么|多少|几))/,
    // "我想参加下个月的接待日": a booking, never an invitation answered.
    unless: /接待(?:代表)?日/,
  },
  {
    id: 'activity.attend',
    re: /(?:准时|按时|一定|肯定|我会|会|能|可以)(?:去|到|来|到场)(?!不)/,
    needsCode: 'HD',
  },
  // "好的 俺准时到", "收到，我一定去": the whole message accepts an invitation without naming it; asked
  // about before it is recorded (one waiting), or chosen from those waiting.
  {
    id: 'activity.attend',
    re: /^(?:好的?|行|收到了?|知道了|明白了?|没问题)*(?:我|俺)?(?:一定|肯定|准时|按时|能|可以|会)(?:去|到|参加|到场|出席)(?:的|了)?$|^(?:好的?|行|收到了?|知道了|没问题)+(?:我|俺)(?:去|参加)(?:的|了)?$/,
    unless: /接待/,
    loose: true,
  },
  // "9号那个会我能去": a meeting named, then that the deputy will come.
  {
    id: 'activity.attend',
    re: /(?:会|学习|活动|视察|调研|培训|常委会)(?:我|俺)?(?:能|可以|会|肯定|一定|准时)(?:去|参加|到)(?![不了]?不)(?!.*(?:不了|不能|没法|吗|么|[?]))/,
    unless: /接待|请假/,
  },
  // "收到视察的通知了，我能去": the answer to an invitation, not a request for an inspection of one's own.
  {
    id: 'activity.attend',
    re: /(?:通知|邀请)[^?]{0,12}(?:我|准时|按时|一定|肯定|能|可以|会)(?:去|到|来|到场)(?!不)/,
    unless: /接待/,
  },
  // 建议 · 批评 · 意见
  {
    id: 'suggestion.submit',
    re: new RegExp(`(?:提|有|说|写|交|报|递|反映)${HOW_MANY_SUGGESTIONS}建议`),
    sets: { kind: '建议' },
  },
  { id: 'suggestion.submit', re: /我(?:要|想)?建议/, sets: { kind: '建议' } },
  // "…，建议保留人工窗口": the word inside a told matter (the whole message is its content).
  { id: 'suggestion.submit', re: /建议(?=\p{Script=Han}{2})/u, sets: { kind: '建议' }, priority: -2 },
  {
    id: 'suggestion.submit',
    re: new RegExp(`(?:提|有|说|交|报|递|反映)${HOW_MANY_SUGGESTIONS}意见`),
    sets: { kind: '意见' },
  },
  {
    id: 'suggestion.submit',
    re: /(?:(?:麻烦|请)?(?:你们|您|你)(?:给|帮)(?:我们|俺们|我|俺)?|(?:给|跟|向)(?:你们|您|你|领导))?反映(?:反映|个|一个|一下|几个|些|一些)?(?:情况|问题|事情|事儿|事)?|有(?:个|一个)?(?:情况|问题|事情|事儿|事)(?:想|要)?(?:反映|说一下)|(?:我|俺)?(?:要|想|得)投诉(?:一下|个事)?|投诉一下|^投诉(?!电话|热线|箱|渠道|部门|平台|的)(?:一下|个事)?/,
    sets: { kind: '意见' },
  },
  { id: 'suggestion.submit', re: /(?:我要|我想|想|要)批评|提(?:个|点)?批评/, sets: { kind: '批评' } },
  // "今天有什么新建议吗", "有几个请假的", "谁请假了": staff asking what came in.
  {
    id: 'staff.queue',
    re: /(?:有|有没有)(?:什么|啥|哪些)?新(?:的)?(?:建议|意见|批评|请假|事项?|申请)|^(?:有|有没有)?(?:几个|多少|哪些)?(?:人)?请假(?:的)?(?:吗|了|呢|没有)?$|^谁请(?:了)?假了?$|^请假的(?:有|都有)(?:哪些|谁|几个|多少)/,
    staffOnly: true,
    strong: true,
    priority: 2,
  },
  // "今天有啥事", "谁还没交办", "还有哪些没交办的", "几个还没批", "看看还有哪些建议没交办": staff asking what waits, as they would
  // ask a colleague. A deputy asking "今天有啥事" is not asking for the office's queue.
  {
    id: 'staff.queue',
    re: /^(?:今天|今日|现在|这会儿?|最近|眼下)?(?:有|还有)(?:啥|什么|哪些)(?:事|事情|事儿|活儿?|任务)(?:吗|没有?|不)?$|^(?:今天|今日|现在|这会儿?|眼下)?还(?:有|剩)(?:啥|什么|哪些|别的|事|事儿|几件|几个)?(?:吗|没有?|不|呢)?$|^(?:看看|看一下|查查|查一下|帮我看看|帮我查查)?(?:还有)?(?:谁|哪些|哪个|哪条|哪几个|哪几件|哪几条|几个|几件|几条|多少)(?:人|件|个|事|条)?(?:的)?(?:建议|意见|请假|申请|答复)?还?(?:没|没有|未)(?:交办|批|批准|审批|审核|处理|办)(?:的)?(?:吗|呢|啊)?$/,
    staffOnly: true,
    strong: true,
    priority: 2,
  },
  // 待办 (staff), also asked as a yes-no question ("有没有要处理的"); "审核通过" too: answers are reviewed on the console, which the list says.
  {
    id: 'staff.queue',
    re: /(?:有|还有)(?:什么|哪些|啥)(?:事|事情|工作)?(?:要|需要|待|得|等)(?:我)?(?:处理|办|审|批|做)|(?:还)?有没有(?:什么|啥)?(?:事|事情|工作)?(?:要|需要|待|得|等)(?:我)?(?:处理|办|审|批|做)|待(?:处理|办理?|审核|审批|批)的(?:事|事项|工作|有哪些|有什么)|(?:今天|今日)的?(?:工作|任务|待办)|(?:积压|压着)(?:了)?(?:什么|哪些|多少)|^(?:审核|审核答复|答复审核|审一下答复?|审答复)$|^(?:答复)?(?:审核)?通过(?:审核)?(?:了|吧)?$|^(?:答复)?审核同意$/,
    staffOnly: true,
  },
  // 代录
  {
    id: 'suggestion.proxy',
    re: /(?:帮|替|给)(?!我)(\p{Script=Han}{2,4}?)(?:代表)?(?:代录|录入|录|登记|代提|提交)(?:一下)?(?:一条|一个|个|条)?(建议|意见|批评)?/u,
  },
  // "替钱七提个建议：…", "代张三提建议 菜价太高": staff entering a deputy's words.
  {
    id: 'suggestion.proxy',
    re: /^(?:替|代|帮)(?!我)(\p{Script=Han}{2,4}?)(?:代表)?(?:提|提个|提一条|提一个|提出)(建议|意见|批评)/u,
    staffOnly: true,
    priority: 1,
  },
  // 查询
  { id: 'item.query', re: /我(?:提|交|报|递|请)?的(?:建议|意见|批评|请假|预约|事项|申请|假)/, strong: true },
  { id: 'item.query', re: /我(?:已经)?(?:预约|约)的/, strong: true, priority: 2 },
  // "我预约了吗" (or 麻, typed by sound), "接待日约上了没有", "有没有约上": asking whether there is a booking books nothing.
  {
    id: 'item.query',
    re: /(?:预约|约)(?:上|好|成|过)?了?(?:吗|么|嘛|麻|没有?)(?![\p{Script=Han}])|有没有(?:预约|约)/u,
    strong: true,
    priority: 2,
  },
  {
    id: 'item.query',
    re: /查(?:询|一下|一查|查|下|看|看一下)?(?:一下)?(?:我的|我提的|我交的|我(?:所有|全部)的?|进度|办理|状态|编号|建议|请假|预约|意见|情况|结果|QJ-|JY-|JD-|HD-)/,
    priority: -1,
  },
  // "查下", "查查", "帮我查一下", "俩都查下": the bare verb, terse as busy deputies write it, is 查询.
  {
    id: 'item.query',
    re: /^(?:帮我|给我|你)?(?:俩|两个|全部|全|都)*查(?:一下|一查|查|下|看一下)?(?:吧|呗|啊)?$/,
    strong: true,
  },
  // Not "请加快修路进度": the progress of public works is a matter, not an item of the deputy's.
  { id: 'item.query', re: /(?<!(?:加快|推进|抓紧|赶|工程|施工|修路|建设).{0,8})(?:进度|进展)/, strong: true },
  // "我上个月提的建议有人管没有", "加装电梯的那个建议", "上个月提的".
  {
    id: 'item.query',
    re: /(?:提|交|报|反映|说)的(?:那个|那条|那件)?(?:建议|意见|批评|事情?)?.{0,6}(?:有人管|有没有人管|怎么样|什么情况|咋样|落实|答复|回复)/,
    strong: true,
  },
  {
    id: 'item.query',
    re: /^.{1,12}的(?:那个|那条|那件)?(?:建议|意见|批评)$|^(?:我)?(?:上个?月|前几天|上次|之前|去年)提的$/,
  },
  // "我上回反映那个桥的事有信儿没有", "之前说的路灯有消息了吗": news asked of what the deputy raised before,
  // never a new matter. "有信儿没有", "有下文没" ask for news however the matter is named.
  {
    id: 'item.query',
    re: /(?:上回|上次|之前|以前|前些天|前几天|上个?月|去年|我|俺)(?:的|们)?.{0,4}(?:反映|提|说|交|报)(?:过)?的?.{0,12}(?:有信儿?|有消息|有音信|有回音|有下文|有结果|有回复|有答复)了?(?:没有?|吗|么|不|了没)|有(?:信儿|音信|回音|下文)了?(?:没有?|吗|么|不|了没)/,
    strong: true,
  },
  {
    id: 'item.query',
    re: /(?:办|办理|处理|落实)(?:得|的)?(?:怎么样|咋样|如何|到哪)|怎么样了|到哪(?:一步|儿)?了/,
    strong: true,
  },
  {
    id: 'item.query',
    re: /(?:批|批准|同意|审批)(?:了|下来)(?:吗|没|没有|了没)|批了没|批没批|有没有批/,
    strong: true,
    // "我请假批了没有": asked about the leave already asked for, never a new request named "批了没有".
    priority: 1,
  },
  { id: 'item.query', re: /(?:有|收到)?(?:回复|答复|回音|结果|消息)了?(?:吗|没有|没)/, strong: true },
  // "修好了吗", "那个事办了没", "解决了吗": whether the item talked about is done, asked in a few words.
  {
    id: 'item.query',
    re: /^.{0,8}?(?:修|弄|办|解决|处理|落实|整改|改)(?:好|完|成)?了(?:吗|没有?|没|么)$/,
    strong: true,
  },
  // "我忘了刚才那个编号是多少了", "编号是啥来着": the codes asked for again (the list shows them).
  {
    id: 'item.query',
    re: /编号(?:是)?(?:多少|啥|什么|几号|来着)|(?:忘了|忘记了?|不记得了?|记不得了?|记不住了?|没记住|没记下).{0,8}编号|编号.{0,4}(?:忘了|忘记了?|不记得|记不得|记不住|没记住)/,
    strong: true,
    // "请假的编号是多少": the code of the leave asked, never a new request.
    priority: 2,
  },
  // "这条建议交办了吗", "那个事交给谁了", "哪个单位在办": where the deputy's item stands, asked.
  {
    id: 'item.query',
    re: /交办了(?:吗|没有?|没)|交(?:办)?(?:给|到)(?:谁|哪个单位|哪家|哪里|哪儿)(?:了|啊)?|(?:谁|哪个单位|哪家单位?)(?:在|负责)?(?:办|管|承办|处理)(?:的|呢|啊)?[?]*$/,
    strong: true,
  },
  // "王二请假了吗", "我请过假没有": whether leave was asked, never a new request ("我可以请假吗" is one).
  {
    id: 'item.query',
    re: /请(?:过|了)假(?:吗|没有?)|请假了(?:吗|没有?)|请假了没|有没有请(?:过)?假/,
    strong: true,
    priority: 1,
  },
  // "我那个建议到底谁在管" (那个 is dropped as a filler before phrases are read): the deputy's own item
  // asked about, never a new matter.
  {
    id: 'item.query',
    re: /^我(?:的|提的|说的|反映的)?(?:建议|意见|批评|事|事情)(?:到底|究竟|现在)?(?:是)?(?:谁在管|谁管|归谁管|有人管|有没有人管)/,
    strong: true,
    priority: 1,
  },
  // "我那个自来水的事有人管了吗" (那个 dropped): the deputy's own matter asked after, never a new one. Not
  // "我们小区停水的事有人管吗", which may well be a matter raised.
  {
    id: 'item.query',
    re: /^我(?!们).{1,10}的(?:事|事情|事儿|问题|建议)(?:现在|到底|究竟)?(?:有人管|有没有人管|谁在管|有人处理|处理|解决|办|落实)了?(?:吗|没有?|没|了没)/,
    strong: true,
    priority: 1,
  },
  // "我说的事情什么时候能有结果": when the deputy's own matter will be answered.
  {
    id: 'item.query',
    re: /(?:我|我们)(?:说|提|反映|交)的.{0,8}(?:什么时候|啥时候|多久|多长时间)(?:能|会|才能|才)?(?:有|给)?个?(?:结果|答复|回复|回音|消息|说法)/,
    strong: true,
  },
  { id: 'item.query', re: /(?:看看|看一下|看下)(?:我的|我提的|进度)/ },
  // 不公开姓名: "公开时不要写我的名字", "别公开我的姓名", "名字别公开", "不要把我名字公开"; 匿名 as the whole
  // message ("匿名", "我要匿名吧"). Not "公开栏里没有我的名字", a complaint.
  {
    id: 'suggestion.withhold_name',
    re: new RegExp(
      `${WITHHOLD_NAME_WORDS.source}|^(?:我|俺)?(?:要|想|希望|请|就)?匿名(?:提交|提出|处理|公开)?(?:吧|啊|哈|呀)*$`,
      'u',
    ),
    strong: true,
    priority: 2,
  },
  // 催办
  {
    id: 'suggestion.urge',
    // "催" alone, as a busy deputy types it.
    re: /催(?:办|一下|一催|催|促|下)|^(?:再)?催(?:吧|啊|呀|了)?[!.]*$|督促|督办|(?:快点|抓紧|尽快)(?:办|处理|答复)|(?:怎么|为什么|咋)还(?:没|不)(?:答复|回复|办)/,
    // "我觉得不用催办", "别催了": no urging asked.
    unless: /不(?:用|要|需要|必)(?:再)?催|没(?:想|要)催|别(?:再)?催|不是要催/,
    priority: 1,
  },
  // "能不能快点", "抓紧点吧" as the whole message, after the deputy's item was talked about: urging it.
  {
    id: 'suggestion.urge',
    re: /^(?:那|那就)?(?:能不能|能否|可不可以|可以|请|麻烦|让他们|叫他们)?(?:再)?(?:快点|快一点|快些|抓紧点?|抓紧时间|尽快|赶紧)(?:吗|吧|啊|呀|呗|了)?[?!.]*$/,
    strong: true,
    priority: 2,
  },
  // 接待日
  {
    id: 'reception.day',
    re: /接待(?:代表)?日|接待(?:时间|安排)|(?:主任|领导)(?:哪天|几号|什么时候)接待|接待.{0,3}(?:哪天|几号|什么时候)|(?:哪天|几号|哪一天|什么时候)接待/,
  },
  {
    id: 'reception.book',
    re: /预约.{0,8}接待|接待日?.{0,8}预约|约(?:见|一下|个时间见)?(?:主任|副主任|领导)|(?:见|找)(?:一下)?(?:主任|副主任)|(?:报名|登记).{0,4}接待/,
  },
  { id: 'reception.book', re: /预约(?!取消)/ },
  // "约一下下个月的接待日", "下个月接待日我想去", "我想参加下个月的接待日", "跟主任当面反映…"; never
  // "去不了接待日".
  {
    id: 'reception.book',
    re: /(?<!我|已经|已)约(?:一下|个|一个)?.{0,8}接待(?:代表)?日|(?:^|(?<!不|没)(?:想|要|打算|准备))(?:去|参加)(?![不没成])(?:一下|一趟|一次)?.{0,6}接待(?:代表)?日|接待(?:代表)?日[ ,，]*(?:我|俺)?(?:想|要)?去?(?:跟|和|向)?(?:主任|领导|代表们?)?(?:说说|谈谈|聊聊|反映一下)|^约(?:一下|个|一个)|^约(?=$|[ ,]|\d|[一二三四五六七八九十]{1,2}月|下下?个?月|这个?月)|接待(?:代表)?日.{0,8}(?:我想去|想去|要去|我去(?!不)|约一个|约一下|约个|报名)|(?:跟|和|找|见)(?:主任|副主任|领导).{0,2}(?:当面|面谈|谈谈|聊聊)/,
    priority: 1,
  },
  {
    id: 'reception.cancel',
    re: /取消.{0,10}预约|(?:接待日?.{0,6})?预约.{0,4}(?:取消|不去了|作废)|JD-\d{4}-\d+.{0,4}(?:取消|不去了)|(?:撤销|退掉|撤回)(?:我的)?.{0,6}预约|接待日?.{0,6}(?:去不了|来不了|去不成|来不成|不去了|参加不了)|不去(?:参加)?接待日|(?:去不了|来不了|去不成|参加不了|不能去|没法去)(?:参加)?接待日|取消.{0,3}JD-/,
  },
  // 视察
  { id: 'inspection.request', re: /实地(?:查看|看看|考察)|持证视察|就地视察/ },
  { id: 'inspection.request', re: /视察|考察|调研/, priority: -1 },
  // 我的履职
  {
    id: 'duty.record',
    re: /履职|参加了?(?:几|多少)次|参加[了过](?:些|哪些|啥|什么|多少|几个)|(?:活动|出勤)(?:情况|记录|次数|档案)|还差(?:哪些|什么|几次|几项)|我的(?:活动|记录|档案)/,
  },
  // 满意 · 基本满意 · 不满意
  {
    id: 'suggestion.rate',
    re: /(?:很|非常|十分|特别)?不(?:太|怎么|是很|大|是太)?满意|不认可/,
    sets: { rating: '不满意' },
    unless: RATING_NOT_OF_ANSWER,
  },
  // Plain words about an answer: "答复不怎么样，…", "不行，没解决".
  {
    id: 'suggestion.rate',
    re: /(?:答复|回复|结果).{0,6}(?:不怎么样|不行|不好|不靠谱|是敷衍|敷衍)|^不行(?:没有?|还是没有?)(?:解决|落实|效果|用)|^(?:问题)?(?:没有?|根本没有?|还是没有?)(?:解决|落实)$|说了等于没说|等于白说|敷衍了事|走过场/,
    sets: { rating: '不满意' },
    unless: RATING_NOT_OF_ANSWER,
  },
  // "还行吧 但是没解决": mild words, then that nothing was solved — leans to 不满意, asked first.
  {
    id: 'suggestion.rate',
    re: /(?:一般|凑合|还行|马马虎虎|过得去|还可以|说得过去)(?:吧|了)?[，,。\s]*(?:但是?|可是|不过|就是)(?:问题)?(?:还是|根本)?(?:没有?|未)(?:解决|落实|修好|修|办|管)/,
    sets: { rating: '不满意' },
    unless: RATING_NOT_OF_ANSWER,
    loose: true,
  },
  {
    id: 'suggestion.rate',
    // "学校那个答复还行吧": the item may be named before the answer; "收到答复了，还行吧" says it came first;
    // "还行吧 就是慢了点": a small "but" after it still leans the same way (not "但是没解决").
    re: /^(?:[^，,。！？!?]{0,12}(?:答复|回复)(?:了|收到了|看到了|看了)?[，,。\s]*)?(?:一般|凑合|还行|马马虎虎|过得去|还可以|说得过去)(?:吧|了)?(?:[，,。\s]*(?:就是|只是|不过|但是?)(?![^，,。！？!?]*(?:没|未|不)(?:解决|落实|修|办|管))[^，,。！？!?]{1,12})?[。.!！]?$/,
    sets: { rating: '基本满意' },
    loose: true,
  },
  { id: 'suggestion.rate', re: /基本满意|(?:还算|比较|算是|还)满意/, sets: { rating: '基本满意' } },
  // "路灯的答复挺好的": an answer praised in plain words.
  {
    id: 'suggestion.rate',
    re: /(?:答复|回复)(?:得|的)?(?:挺好|很好|不错|非常好|很到位|挺到位)/,
    sets: { rating: '满意' },
    unless: RATING_NOT_OF_ANSWER,
    loose: true,
  },
  {
    id: 'suggestion.rate',
    re: /(?<!不|太|怎么|是很|大|基本|比较|还算|算是|还)满意(?!度)/,
    sets: { rating: '满意' },
    unless: RATING_NOT_OF_ANSWER,
  },
  // 确认 and 取消, inside a dialog
  { id: 'dialog.confirm', re: /^(?:确认|确定)(?:发送|提交|无误|执行|发出|发布|了|好了)$/ },
  {
    id: 'dialog.cancel',
    re: /不用了|算了|不要了|不办了|不弄了|不请(?:假)?了|不提了|不说了|不写了|不催了|不约了|不查了|别弄了|^退出|^结束(?:对话)?$|^取消(?:了|操作|对话|这个|本次)$/,
  },
];

/** Typical ways of saying each command, for the nearest-command suggestions. */
export const EXAMPLES: Readonly<Partial<Record<CommandId, readonly string[]>>> = {
  help: ['帮助', '怎么用', '有什么功能', '使用说明'],
  'leave.request': ['请假', '我要请假', '请个假', '去不了', '参加不了会议', '家里有事', '有事去不了'],
  'activity.attend': ['参加', '参加活动', '我参加'],
  'suggestion.submit': ['建议', '提个建议', '我有个建议', '反映问题', '意见', '批评'],
  'suggestion.proxy': ['代录', '代录建议'],
  'item.query': ['查询', '查进度', '办理进度', '我的建议', '办得怎么样了', '查一下'],
  'suggestion.urge': ['催办', '催一下', '督促'],
  'suggestion.withhold_name': ['不公开姓名', '公开时不要写我的名字'],
  'reception.day': ['接待日', '接待日是哪天', '主任接待'],
  'reception.book': ['预约接待日', '预约', '约见主任'],
  'reception.cancel': ['取消预约'],
  'inspection.request': ['视察', '申请视察', '调研'],
  'duty.record': ['我的履职', '履职情况', '履职档案'],
  'suggestion.rate': ['满意', '基本满意', '不满意', '评价答复'],
  'leave.approve': ['批准', '批准请假'],
  'leave.reject': ['不批准'],
  'suggestion.assign': ['交办', '交办建议'],
  'suggestion.extend': ['延期', '延长期限'],
  'suggestion.answer': ['答复', '答复建议'],
  'broadcast.notify': ['通知', '发通知', '群发'],
  'staff.queue': ['待办', '有什么要处理的', '今天的工作'],
};

// ---- leave: which words name the meeting and which the reason ------------------------------------

/** Words that end a meeting's name ("明天的会我去不了"). */
export const MEETING_CUE =
  /人代会|常委会|主任会议?|座谈会|例会|会议|大会|会|活动|学习|培训|视察|调研|座谈|接待|议/;
/** Words that mark a reason. */
export const REASON_CUE =
  /病|不舒服|出差|住院|手术|有事|家里|家中|外地|(?:外省|省里|北京|太原)(?:开会|培训|学习|办事)|冲突|出国|公务|事假|孩子|老人|照顾|陪|工作忙|走不开|抽不开|身体|原因|时间/;
/** Openers of a reason that are dropped ("因为出差" → 出差). */
export const REASON_OPENER = /^(?:因为|由于|原因是|理由是|事由是|(?:事由|理由|原因)[:：])/;
/** Words that trail a meeting's name before "去不了" ("明天的会我可能去不了"). */
export const MEETING_TAIL = /(?:我们?|我就|可能|恐怕|实在|真的|都|也|的话|估计|应该)+$/;
/** The topic of 帮助 that answers ANSWER_TIME_ASKED. */
export const ANSWER_TIME_TOPIC = 'suggestion.answer_time';
/**
 * "代表建议一般多久能有答复", "提意见多长时间答复": how long the answer takes, asked in general (never about
 * one's own item: "我的建议多久能答复" is 查询, nor a matter told with 建议 first).
 */
export const ANSWER_TIME_ASKED =
  /^(?!(?:建议|意见|批评)[ :])(?!.*(?:我的|我提的|那个|这个|JY-)).*(?:建议|意见|批评).{0,4}(?:一般|通常|大概|大约)?(?:要|需要|得)?(?:多久|多长时间|多少天|几个月|什么时候|啥时候)(?:能|才能|会|可以|才)?(?:有)?(?:答复|回复|回音|结果)/;
/** The topic of 帮助 that answers LEAVE_FORM_ASKED. */
export const LEAVE_FORM_TOPIC = 'leave.form';
/**
 * "那我还需要写请假条吗", "请假条怎么写", "要不要交书面请假单": asked about the written request, never a
 * request itself (the service writes it: 山西 第八条).
 */
export const LEAVE_FORM_ASKED =
  /(?:请假(?:条|单)|书面请假).*(?:吗|么|怎么|咋|如何|要不要|需不需要|用不用|还要|还需要|还得|[?])|(?:要不要|需不需要|用不用|还要|还需要|需要|还得|得)(?:写|交|填|打|递|补)?(?:个|份|一份|一个)?(?:书面)?请假(?:条|单)/;

/** The topic of 帮助 that answers LEAVE_RULES_ASKED. */
export const LEAVE_RULES_TOPIC = 'leave.rules';
/**
 * "人代会请假能批吗", "请假需要谁批", "请假要提前几天", "我请假了 还要去吗": asked how leave works, never a
 * request (before: "人代会请假能批吗" filed leave with the reason 能批).
 */
export const LEAVE_RULES_ASKED =
  /请假.{0,6}(?:能批吗|能不能批|批不批|会批吗|好批吗|能批不|能批么|谁批|谁来批|由谁批|找谁|需要谁|谁决定|谁同意|要提前|提前几天|提前多久|最晚|怎么请|咋请|如何请|怎么办理|要什么手续|什么手续|有什么规定|有啥规定)|(?:请了假|请过假|请假了|请完假).{0,6}(?:还要|还用|还得|要不要|用不用|需不需要)(?:去|来|参加|到会|开会)|(?:谁|哪里|哪个部门)(?:批|审批|批准)(?:请假|假)/;

/**
 * "我对农村养老（有个建议）", "“我对农村养老”（有个建议）": who speaks and 对 only lead into the announcement; the
 * topic held for the matter is 农村养老 (a quote the deputy opened stays). Not 对于, which heads a topic.
 */
export const TOPIC_SUBJECT_LEAD = /^([“"‘']?)(?:我们?|俺们?|咱们?)?对(?!于)/;
/** Quotes around a topic, read past when asking whether words only announce one. */
export const QUOTE_MARKS = /[“”"‘’']/g;

/** Openers of a booking's topic ("想和主任谈谈学校的事"). */
export const TOPIC_OPENER = /(?:谈谈|聊聊|说说|谈一下|反映一下|汇报一下|汇报|反映|话题是?|主题是?|关于)/;

// A decision on leave said in passing by an approver ("第二个也批了", "这两个都同意", "不准"): never read as
// the decision itself (批准 and 不批准 are recognised by their word only), but answered with what waits.
const WHICH_ONES =
  '(?:第[一二三四五六七八九1-9]个|这个|那个|这件|那件|剩下的?|另一个|另外一个|其余的?|其他的?|这几个|这两个|这些|都|全部|全都|统统|一起)*(?:也|都|全)?';
// What may follow the decision: the request's code, or whose request ("钱七请假", "张三的请假"), then for a
// refusal its reason ("驳回 QJ-2026-0002 理由不充分").
const WHOSE = '(?:QJ-\\d{4}-\\d{4,})?(?:\\p{Script=Han}{2,4}?(?:代表)?的?(?:请假|假)(?:申请)?)?';
const APPROVE_WORDS = '(?:批准|批了|准了|同意|可以|批)';
const REFUSE_WORDS = '(?:不予批准|不能批准|不能批|批不了|不批准|不批|不准|不同意|驳回)';
// The code may come first, as staff in a hurry write it ("QJ-2026-0005批了").
const CODE_FIRST = '(?:QJ-\\d{4}-\\d{4,})?';
const APPROVAL_SAID = new RegExp(`^${CODE_FIRST}${WHICH_ONES}${APPROVE_WORDS}了?${WHOSE}$`, 'u');
const REFUSAL_SAID = new RegExp(`^${CODE_FIRST}${WHICH_ONES}${REFUSE_WORDS}了?${WHOSE}(.*)$`, 'u');
const WHOSE_LEAVE = new RegExp(
  `(?:${REFUSE_WORDS}|${APPROVE_WORDS})\\s*(\\p{Script=Han}{2,4}?)(?:代表)?的?(?:请假|假)`,
  'u',
);

// "请假的那个批了吧", "那个请假的批了", "老张的请假批了吧": the leave named first (那个 is dropped from the loose
// form), whose it is perhaps said, then the approval. Never a request for leave of one's own.
const LEAVE_THEN_APPROVAL = new RegExp(
  `^(?:(\\p{Script=Han}{1,4}?)(?:代表)?的)?(?:请假|假)(?:申请)?的?(?:也|都)?${APPROVE_WORDS}了?$`,
  'u',
);

// "李秀英那个批了", "老张的同意" (那个 is dropped from the loose form): whose, then the approval. Not words
// that only say how ("已经批了", "直接批了", "马上批").
const NAME_THEN_APPROVAL = new RegExp(
  `^(?![这那第都全剩另其已就也还先假])(?!直接|可以|马上|一起|统一|应该|同意|批准|请假)(\\p{Script=Han}{2,4}?)(?:代表)?的?(?:那件|那份)?(?:请假|假)?(?:申请)?的?(?:也|都)?${APPROVE_WORDS}了?$`,
  'u',
);
// "王忙的请假不批，人代会必须参加", "张大爷那个假不能批…", "请假那个不同意": the leave named first, then the
// refusal and its reason.
const LEAVE_THEN_REFUSAL = new RegExp(
  `^(?:(?![这那第])(\\p{Script=Han}{1,4}?)(?:代表)?的?)?(?:请假|假)(?:申请)?(?:的|那个)?${REFUSE_WORDS}了?(.*)$`,
  'u',
);

/** Whose leave a decision names: "同意钱七请假", "批准张三的请假" → 钱七, 张三. */
export const leaveOfWhom = (text: string): string | undefined => WHOSE_LEAVE.exec(text)?.[1];

/** "老张", "小王": a person called by their surname, as colleagues call each other. */
const FAMILIAR_NAME = /^[老小](\p{Script=Han})$/u;

/** Whether a deputy's name is the one said: in full ("张三"), or by surname as colleagues say it ("老张"). */
export function namesDeputy(said: string, name: string, whose?: string): boolean {
  if (said.includes(name)) return true;
  const surname = whose === undefined ? undefined : FAMILIAR_NAME.exec(whose)?.[1];
  return surname !== undefined && name.startsWith(surname);
}

export type LeaveDecisionSaid =
  /** `pointed`: the leave was named before the decision ("请假的那个批了吧"); `whose`: the name said. */
  | { id: 'leave.approve'; pointed?: true; whose?: string }
  | { id: 'leave.reject'; reason?: string; pointed?: true; whose?: string };

/** A decision on leave said in passing, with the reason of a refusal when one follows. */
export function leaveDecisionSaid(text: string): LeaveDecisionSaid | null {
  // Codes as typed (qj-2026-5) in their canonical form.
  const loose = normalize(text)
    .text.replace(/[，。、；：！？]/g, '')
    .replace(LOOSE_NOISE, '');
  const refused = REFUSAL_SAID.exec(loose);
  const reasonOf = (said: string | undefined) =>
    said?.replace(/^(?:理由|原因)(?:是|:)/, '').trim() || undefined;
  if (refused) {
    const reason = reasonOf(refused[1]);
    return reason ? { id: 'leave.reject', reason } : { id: 'leave.reject' };
  }
  const refusedNamed = LEAVE_THEN_REFUSAL.exec(loose);
  if (refusedNamed) {
    const reason = reasonOf(refusedNamed[2]);
    return {
      id: 'leave.reject',
      pointed: true,
      ...(refusedNamed[1] ? { whose: refusedNamed[1] } : {}),
      ...(reason ? { reason } : {}),
    };
  }
  const named = LEAVE_THEN_APPROVAL.exec(loose);
  if (named)
    return named[1]
      ? { id: 'leave.approve', pointed: true, whose: named[1] }
      : { id: 'leave.approve', pointed: true };
  const whoseThat = NAME_THEN_APPROVAL.exec(loose);
  if (whoseThat) return { id: 'leave.approve', pointed: true, whose: whoseThat[1]! };
  return APPROVAL_SAID.test(loose) ? { id: 'leave.approve' } : null;
}

/**
 * "…交给住建局办", "…交给市公安局处理": what the organ is to do, after its name. A lone 办 only after a name
 * that ends as an organ's does and is never followed by 办 (市政府办, 市委办 are names).
 */
export const ORGAN_TO_DO = /(?:来?(?:办理|处理|承办)|(?<=[局院所厅队站处])来?办)?/;

// "把路灯那个交给住建局", "路灯那条建议交给市住建局", "自来水的交给住建局办": staff naming a suggestion by its
// words instead of its code, then the organs it goes to. Not "第一个交给住建局" nor "这个交给…" (pointers, read as such by the parser).
const handedByWordsWith = (verbs: string) =>
  new RegExp(
    String.raw`^(?:把\s*(.+?)|(.+?)(?:那个|那条|那件|那项|的)(?:建议|意见|批评|事情?|事儿)?)\s*(?:${verbs})\s*(\p{Script=Han}.*?)${ORGAN_TO_DO.source}$`,
    'u',
  );
const HANDED_BY_WORDS = handedByWordsWith('交给|交办给|交办到|交由|转给');
/** Words that point without naming anything ("把这个交给…", "把第二个交给…"). */
const POINTS_ONLY = new RegExp(
  `^(?:${ITEM_POINTER}|那个|那条|那件|那项|它|第[一二三四五六七八九1-9](?:个|件|条|项)|最后(?:一|那)?(?:个|件|条|项))$`,
);
/** A code among the words: the parser reads "把JY-2026-0012交给…" as 交办 of that code. */
const HAS_CODE = /[A-Za-z]{2}-?\d{4}/;

// "延到4月底", "往后推一个月", "再给一个月", "期限延长两周": staff's ways of saying 延期. Group 1: the word 延期
// itself; groups 2 and 3: words that say 延期 only with a date or a shift after them, and only loosely ("再给一个
// 月", "期限改到5月10日": asked before it is done; 改到 only of a 期限). The rest say it plainly.
const EXTENSION_SAID =
  /^(?:(?:的?(?:答复)?期限\s*)?(?:(延期|延长期限)|(再给|多给)|(?:延长|推迟|顺延|延|推|放宽)(?=到|至)|延长|推迟|推后|往后推|往后延|顺延|再宽限|宽限)|的?(?:答复)?期限\s*(改)(?=到|至))/;
const EXTENSION_AHEAD = new RegExp(`(?=${EXTENSION_SAID.source.slice(1).replace(/\((?!\?)/g, '(?:')})`);

/**
 * What follows one of staff's ways of saying 延期 that the text opens with ("往后推一个月 资金" → "一个月 资金"),
 * and how it was said: 'word' (延期 itself), 'plain' ("推迟", "延到") or 'loose' ("再给"); null when it opens
 * otherwise. "延到", "推迟到" keep their 到.
 */
export function saidAsExtension(text: string): { rest: string; said: 'word' | 'plain' | 'loose' } | null {
  const m = EXTENSION_SAID.exec(text);
  if (!m) return null;
  return { rest: text.slice(m[0].length).trim(), said: m[1] ? 'word' : m[2] || m[3] ? 'loose' : 'plain' };
}

// "把自来水那个延期一个月", "路灯那条的期限延长到4月底": the same, for 延期; what follows is the new date and why.
const EXTENDED_BY_WORDS = new RegExp(
  `^(?:把\\s*(.+?)|(.+?)(?:那个|那条|那件|那项)(?:建议|意见|批评|事情?|事儿)?)\\s*${EXTENSION_AHEAD.source}(.*)$`,
  'u',
);

/** The words that name a suggestion (first group, else second), without the pointing; null when none do. */
function itemWords(m: RegExpExecArray | null): string | null {
  const said = (m?.[1] ?? m?.[2])?.trim();
  if (!said || POINTS_ONLY.test(said) || HAS_CODE.test(said)) return null;
  // "路灯那个", "路灯的建议": the words that name it, without the pointing.
  const words = said.replace(/的?(?:那个|那条|那件|那项)?(?:建议|意见|批评|事情?|事儿)?$/, '').trim();
  return words === '' ? null : words;
}

// "自来水那个给住建局", "把路灯那条给市交通局办": a bare 给, only to what reads as an organ's name ("王二的建议给
// 我看看" hands nothing over).
const GIVEN_BY_WORDS = handedByWordsWith('给');
const ORGAN_NAME_END = /(?:局|委|委员会|院|办|厅|所|队|站|处|中心|公司|政府|街道|办事处|部|科)$/;

/** The words naming a suggestion and the organs it is handed to, or null when it is named otherwise. */
export function handedByWords(text: string): { words: string; organs: string } | null {
  const said = text.trim();
  const m = HANDED_BY_WORDS.exec(said);
  const words = itemWords(m);
  if (words !== null) return { words, organs: m![3]!.trim() };
  const g = GIVEN_BY_WORDS.exec(said);
  const given = itemWords(g);
  const organs = g?.[3]?.trim() ?? '';
  return given !== null && ORGAN_NAME_END.test(organs) ? { words: given, organs } : null;
}

/** The words naming a suggestion to extend and the 延期 that follows them, or null when named otherwise. */
export function extendedByWords(text: string): { words: string; rest: string } | null {
  const m = EXTENDED_BY_WORDS.exec(text.trim());
  const words = itemWords(m);
  return words === null ? null : { words, rest: m![3]!.trim() };
}

// "王二最近提了啥建议", "张大爷请了几次假", "李秀英有几条建议", "王二这个月请假几次了": staff asking after one
// deputy's items in words, the name first. Not a pronoun, a time or a group ("我们", "今天", "大家"): those
// name no deputy.
const DEPUTY_NAME = '(?![我你您他她谁这那哪有都全大今昨明最本上下去每各])(\\p{Script=Han}{2,4}?)(?:代表)?';
const ASKED_WHEN =
  '(?:最近|近来|这段时间|这阵子|这一阵|这个月|本月|上个月|今年|去年|这一届|这届|到现在|到目前|以来)?';
const ASKED_IN_ALL = '(?:都|一共|总共|共|又|还|总共都)?';
const HOW_MANY_ITEMS = '(?:几|多少)(?:条|个|件|项|次)?|什么|哪些|些';
const ASKED_TAIL = '(?:了|呢|啊|吗|没有?|\\?)*';
/** The deputy's suggestions asked after: "提了啥建议", "有几条建议", "提过多少意见". */
const SUGGESTIONS_ASKED = `(?:(?:提|交|报|递|反映)(?:了|过|的)(?:${HOW_MANY_ITEMS})?|(?:提|交|报|递|反映|有)(?:${HOW_MANY_ITEMS}))(?:建议|意见|批评)(?:都是什么|都有哪些|有哪些)?`;
/** The deputy's leave asked after: "请了几次假", "请假几次了", "请过几回假". */
const LEAVE_ASKED =
  '(?:请(?:了|过)(?:几|多少)(?:次|回|天)?假|请假(?:了|过)?(?:几|多少)(?:次|回)|请假(?:记录|情况))';
const DEPUTY_ITEMS_ASKED = new RegExp(
  `^${DEPUTY_NAME}${ASKED_WHEN}${ASKED_IN_ALL}(?:${SUGGESTIONS_ASKED}|${LEAVE_ASKED})${ASKED_TAIL}$`,
  'u',
);

/** The deputy whose items staff ask after in words ("王二最近提了啥建议" → 王二), or null. */
export function deputyItemsAsked(text: string): string | null {
  return DEPUTY_ITEMS_ASKED.exec(text)?.[1] ?? null;
}

/** Every one of what is listed ("都批准", "全部批准"). */
export const ALL_OF = /都|全部|全都|统统|所有|一起/;
