// Every chat command of CONTRACT §3 as data: its id, its Chinese word, who may use it, its arguments in
// order with the question a dialog asks for each missing one, and the lines 帮助 shows.
//
// What the parser returns (see command-parser.ts), decided here once:
// - `command`: a command word (or a known way of saying it) was recognised; missing and malformed
//   arguments are listed, never guessed.
// - `choice`: a lone number 1–9 ("2", "第二个"): the dialog layer knows what was offered.
// - `smalltalk`: a greeting (你好), thanks (谢谢) or acknowledgement (好的, 收到) and nothing else. It is
//   not an error: the bot answers in kind and points to 帮助.
// - `unclear`: anything else, with the three nearest commands this person may use, to pick by number.
// - `empty`: nothing left once the @mention, spaces, punctuation and filler words are gone.
// The staff commands that change or send something (批准, 不批准, 交办, 延期, 答复, 通知) are only ever
// recognised by their own word, never from a paraphrase or a near match.

import type { MandateRole } from '../../../db/schema.ts';
import type { CodePrefix } from '../../services/items/index.ts';
import type { Organs } from '../../services/organs/index.ts';

export type Who = 'deputy' | 'staff' | 'approver' | 'anyone';

export type ArgKind =
  | { readonly type: 'code'; readonly prefixes: readonly CodePrefix[] }
  | { readonly type: 'month' }
  /** `shift`: a shift of the deadline there is ("一个月", as P1M) is taken too (延期). */
  | { readonly type: 'date'; readonly shift?: boolean }
  | { readonly type: 'year' }
  /** Free text: the rest of the message, as written. */
  | { readonly type: 'text' }
  /** One short name (a deputy's name or id). */
  | { readonly type: 'name' }
  | { readonly type: 'organs' }
  | { readonly type: 'meeting' }
  | { readonly type: 'targets' }
  | { readonly type: 'choice'; readonly options: readonly string[] };

export interface ArgSpec {
  readonly name: string;
  /** What the argument is, in Chinese (for error messages). */
  readonly label: string;
  readonly kind: ArgKind;
  readonly optional?: boolean;
  /** The question a dialog asks when it is missing (or for an optional one, when the handler wants it). */
  readonly question: string;
  /** Missing, it may be taken from the item just talked about (CONTRACT §3). */
  readonly fromContext?: boolean;
}

export interface CommandWord {
  readonly word: string;
  /** Argument values the word itself carries (批评 → kind 批评; 不满意 → rating 不满意). */
  readonly sets?: Readonly<Record<string, string>>;
}

export interface CommandSpec {
  readonly id: string;
  /** The canonical Chinese word. */
  readonly word: string;
  /** Every word that starts this command, the canonical one included. */
  readonly words: readonly CommandWord[];
  readonly who: Who;
  readonly args: readonly ArgSpec[];
  /** One line for 帮助. */
  readonly summary: string;
  readonly usage: string;
  /** Changes or sends something on staff authority: recognised by its word only. */
  readonly wordOnly?: boolean;
  /** Only meaningful inside a dialog: never offered as a suggestion. */
  readonly dialogControl?: boolean;
  /** Reached through another command's word (请假 + an HD code): not offered on its own. */
  readonly notSuggested?: boolean;
  /** Order among equally near suggestions, and in 帮助 (lower first). */
  readonly rank: number;
}

// The handling organs named in a command: the organs domain owns the shape.
export type { Organs } from '../../services/organs/index.ts';

/** A session or activity: by its code, or as the person named it ("明天的常委会"). */
export type Meeting = { code: string } | { name: string };

export type Targets = { all: true } | { all: false; groups: string[] };

const codeArg = <const P extends readonly CodePrefix[]>(prefixes: P) => ({ type: 'code', prefixes }) as const;

export const CATALOG = [
  {
    id: 'help',
    word: '帮助',
    words: [
      { word: '帮助' },
      { word: '菜单' },
      { word: '功能' },
      { word: '指令' },
      { word: '命令' },
      { word: 'help' },
    ],
    who: 'anyone',
    // “怎么预约接待日”, “帮助 请假”: the command asked about (its id), explained rather than done.
    args: [{ name: 'topic', label: '想了解的事', kind: { type: 'name' }, optional: true, question: '' }],
    summary: '列出您可以使用的命令',
    usage: '帮助',
    rank: 90,
  },
  {
    id: 'leave.request',
    word: '请假',
    words: [{ word: '请假' }],
    who: 'deputy',
    args: [
      {
        name: 'meeting',
        label: '会议或活动',
        kind: { type: 'meeting' },
        question: '请问您要请假的是哪个会议或活动？',
      },
      { name: 'reason', label: '事由', kind: { type: 'text' }, question: '请问请假的事由是什么？' },
    ],
    summary: '会议或活动请假',
    usage: '请假 <会议或活动> <事由>',
    rank: 2,
  },
  {
    id: 'activity.decline',
    word: '请假',
    words: [{ word: '请假' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '活动编号',
        kind: codeArg(['HD']),
        question: '请问是哪个活动？请发活动编号（如 HD-2026-0001）。',
        fromContext: true,
      },
      { name: 'reason', label: '事由', kind: { type: 'text' }, question: '请问请假的事由是什么？' },
    ],
    notSuggested: true,
    summary: '不能参加受邀的活动',
    usage: '请假 <HD编号> <事由>',
    rank: 8,
  },
  {
    id: 'activity.attend',
    word: '参加',
    words: [{ word: '参加' }, { word: '出席' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '活动编号',
        kind: codeArg(['HD']),
        question: '请问您要参加哪个活动？请发活动编号（如 HD-2026-0001）。',
        fromContext: true,
      },
      {
        // The activity as the deputy named it ("十号的常委会"), when no code was given: matched like 请假's.
        name: 'meeting',
        label: '活动',
        kind: { type: 'meeting' },
        optional: true,
        question: '请问您要参加哪个活动？',
      },
    ],
    summary: '确认参加受邀的活动',
    usage: '参加 <HD编号>',
    rank: 7,
  },
  {
    id: 'suggestion.submit',
    word: '建议',
    words: [
      { word: '建议', sets: { kind: '建议' } },
      { word: '批评', sets: { kind: '批评' } },
      { word: '意见', sets: { kind: '意见' } },
    ],
    who: 'deputy',
    args: [
      {
        name: 'kind',
        label: '类别',
        kind: { type: 'choice', options: ['建议', '批评', '意见'] },
        optional: true,
        question: '请问是建议、批评还是意见？',
      },
      { name: 'content', label: '内容', kind: { type: 'text' }, question: '请讲讲您的建议内容。' },
    ],
    summary: '提建议、批评、意见（也可发“批评”“意见”）',
    usage: '建议 <内容>',
    rank: 1,
  },
  {
    id: 'suggestion.proxy',
    word: '代录',
    words: [{ word: '代录' }],
    who: 'staff',
    args: [
      { name: 'deputy', label: '代表', kind: { type: 'name' }, question: '请问替哪位代表录入？请发姓名。' },
      {
        name: 'kind',
        label: '类别',
        kind: { type: 'choice', options: ['建议', '批评', '意见'] },
        optional: true,
        question: '请问是建议、批评还是意见？',
      },
      { name: 'content', label: '内容', kind: { type: 'text' }, question: '请发建议的内容。' },
    ],
    summary: '替代表录入建议',
    usage: '代录 <代表> 建议 <内容>',
    rank: 20,
  },
  {
    id: 'item.query',
    word: '查询',
    words: [{ word: '查询' }, { word: '查进度' }, { word: '查看' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '编号',
        kind: codeArg(['QJ', 'JY', 'JD', 'HD']),
        optional: true,
        question: '请问要查哪一项？请发编号（如 JY-2026-0012），不发则列出您的全部事项。',
      },
    ],
    summary: '查自己的请假、建议、预约及办理进度',
    usage: '查询 [编号]',
    rank: 3,
  },
  {
    id: 'suggestion.urge',
    word: '催办',
    words: [{ word: '催办' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        question: '请问要催办哪条建议？请发建议编号（如 JY-2026-0012）。',
        fromContext: true,
      },
    ],
    summary: '提醒承办单位抓紧办理（每条每周一次）',
    usage: '催办 <JY编号>',
    rank: 6,
  },
  {
    id: 'suggestion.withhold_name',
    word: '不公开姓名',
    words: [{ word: '不公开姓名' }, { word: '不公开我的姓名' }, { word: '不公开名字' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        question: '请问是哪条建议公开时不写您的姓名？请发建议编号（如 JY-2026-0012）。',
        fromContext: true,
      },
    ],
    summary: '建议在网上公开时不写您的姓名',
    usage: '不公开姓名 <JY编号>',
    rank: 27,
  },
  {
    id: 'reception.day',
    word: '接待日',
    words: [{ word: '接待日' }, { word: '接待代表日' }],
    who: 'deputy',
    args: [
      {
        name: 'month',
        label: '月份',
        kind: { type: 'month' },
        optional: true,
        question: '请问查哪个月？（如 2026-12、下个月）',
      },
      // "接待日能带别人去吗", "接待日能不能换个时间", "接待日是干啥的", "接待日要提前几天预约吗", "接待日要带什么":
      // asked about the day, answered with its date.
      {
        name: 'asks',
        label: '想问的事',
        kind: { type: 'choice', options: ['带人', '改期', '用途', '预约', '准备'] },
        optional: true,
        question: '',
      },
    ],
    summary: '查某月的主任接待代表日',
    usage: '接待日 [YYYY-MM]',
    rank: 4,
  },
  {
    id: 'reception.book',
    word: '预约接待日',
    words: [{ word: '预约接待日' }, { word: '预约接待' }],
    who: 'deputy',
    args: [
      {
        name: 'month',
        label: '月份',
        kind: { type: 'month' },
        optional: true,
        question: '请问预约哪个月的接待日？（如 2026-12、下个月）',
      },
      {
        name: 'topic',
        label: '话题',
        kind: { type: 'text' },
        optional: true,
        question: '请问想谈什么话题？',
      },
    ],
    summary: '预约接待日，可附话题',
    usage: '预约接待日 [YYYY-MM] [话题]',
    rank: 5,
  },
  {
    id: 'reception.cancel',
    word: '取消预约',
    words: [{ word: '取消预约' }],
    who: 'deputy',
    args: [
      {
        name: 'code',
        label: '预约编号',
        kind: codeArg(['JD']),
        question: '请问取消哪个预约？请发预约编号（如 JD-2026-0001）。',
        fromContext: true,
      },
    ],
    summary: '取消接待日预约',
    usage: '取消预约 <JD编号>',
    rank: 9,
  },
  {
    id: 'inspection.request',
    word: '视察',
    words: [{ word: '视察' }],
    who: 'deputy',
    args: [
      { name: 'content', label: '视察内容', kind: { type: 'text' }, question: '请问想视察哪里、什么内容？' },
    ],
    summary: '申请视察，由工作人员联系安排',
    usage: '视察 <内容>',
    rank: 10,
  },
  {
    id: 'duty.record',
    word: '我的履职',
    words: [{ word: '我的履职' }, { word: '履职' }],
    who: 'deputy',
    args: [
      {
        name: 'year',
        label: '年份',
        kind: { type: 'year' },
        optional: true,
        question: '请问查哪一年？（如 2026）',
      },
    ],
    summary: '本人年度履职情况和尚未完成的要求',
    usage: '我的履职 [YYYY]',
    rank: 11,
  },
  {
    id: 'suggestion.rate',
    word: '满意',
    words: [
      { word: '基本满意', sets: { rating: '基本满意' } },
      { word: '不满意', sets: { rating: '不满意' } },
      { word: '满意', sets: { rating: '满意' } },
    ],
    who: 'deputy',
    args: [
      {
        name: 'rating',
        label: '评价',
        kind: { type: 'choice', options: ['满意', '基本满意', '不满意'] },
        question: '请问您对答复满意、基本满意还是不满意？',
      },
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        optional: true,
        question: '请问评价的是哪条建议？请发建议编号（如 JY-2026-0012）。',
        fromContext: true,
      },
      {
        name: 'comment',
        label: '说明',
        kind: { type: 'text' },
        optional: true,
        question: '还有什么想说明的吗？',
      },
    ],
    summary: '评价答复；不满意将重新办理',
    usage: '满意 / 基本满意 / 不满意 [编号]',
    rank: 12,
  },
  {
    id: 'leave.approve',
    word: '批准',
    words: [{ word: '批准' }],
    // Staff who organise an activity decide leave from it (大同 第十一条, S4); the leave domain refuses the rest.
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'code',
        label: '请假编号',
        kind: codeArg(['QJ']),
        question: '请问批准哪一条请假？请发请假编号（如 QJ-2026-0001）。',
      },
    ],
    summary: '记录批准请假',
    usage: '批准 <QJ编号>',
    rank: 21,
  },
  {
    id: 'leave.reject',
    word: '不批准',
    words: [{ word: '不批准' }],
    // Staff who organise an activity decide leave from it (大同 第十一条, S4); the leave domain refuses the rest.
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'code',
        label: '请假编号',
        kind: codeArg(['QJ']),
        question: '请问不批准哪一条请假？请发请假编号（如 QJ-2026-0001）。',
      },
      { name: 'reason', label: '理由', kind: { type: 'text' }, question: '请问不批准的理由是什么？' },
    ],
    summary: '记录不批准及理由',
    usage: '不批准 <QJ编号> <理由>',
    rank: 22,
  },
  {
    id: 'suggestion.assign',
    word: '交办',
    // "这件交给市住建局": 交给 an organ is the same step.
    words: [{ word: '交办' }, { word: '交给' }],
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        question: '请问交办哪条建议？请发建议编号（如 JY-2026-0012）。',
        // 查询 JY-2026-0012, then 交办 市住建局: the item just looked at (CONTRACT §3); the answer names it.
        fromContext: true,
      },
      {
        name: 'organs',
        label: '承办单位',
        kind: { type: 'organs' },
        question: '请问承办单位是？有协办单位请用顿号隔开（如 市交通局、市公安局）。',
      },
    ],
    summary: '交办建议，回复答复期限',
    usage: '交办 <JY编号> <承办单位>[、协办单位]',
    rank: 23,
  },
  {
    id: 'suggestion.extend',
    word: '延期',
    words: [{ word: '延期' }, { word: '延长期限' }, { word: '延长' }],
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        question: '请问哪条建议延期？请发建议编号（如 JY-2026-0012）。',
      },
      {
        name: 'date',
        label: '新期限',
        kind: { type: 'date', shift: true },
        question: '请问延期到哪一天？（如 2027-03-01，或说延长多久，如“一个月”）',
      },
      { name: 'reason', label: '理由', kind: { type: 'text' }, question: '请问延期的理由是什么？' },
    ],
    summary: '延长答复期限（交办起不超过六个月）',
    usage: '延期 <JY编号> <日期> <理由>',
    rank: 24,
  },
  {
    id: 'suggestion.answer',
    word: '答复',
    // 回复 is what most offices call it.
    words: [{ word: '答复' }, { word: '录入答复' }, { word: '回复' }, { word: '答覆' }],
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'code',
        label: '建议编号',
        kind: codeArg(['JY']),
        question: '请问答复哪条建议？请发建议编号（如 JY-2026-0012）。',
      },
      { name: 'content', label: '答复内容', kind: { type: 'text' }, question: '请发答复内容。' },
    ],
    summary: '录入答复并请代表评价',
    usage: '答复 <JY编号> <内容>',
    rank: 25,
  },
  {
    id: 'broadcast.notify',
    word: '通知',
    // 群发 and 广播 are what many offices call sending a notice to the groups.
    words: [{ word: '通知' }, { word: '发通知' }, { word: '群发' }, { word: '广播' }],
    who: 'staff',
    wordOnly: true,
    args: [
      {
        name: 'targets',
        label: '群名或全体',
        kind: { type: 'targets' },
        question: '请问发给哪些群？请发群名（多个用顿号隔开），或“全体”。',
      },
      { name: 'content', label: '通知内容', kind: { type: 'text' }, question: '请发通知内容。' },
    ],
    summary: '向代表群发通知（先预览，确认后发出）',
    usage: '通知 <群名或全体> <内容>',
    rank: 26,
  },
  {
    id: 'staff.queue',
    word: '待办',
    // 代办 is 待办 typed with the other dai.
    words: [
      { word: '待办' },
      { word: '待办事项' },
      { word: '我的待办' },
      { word: '待处理' },
      { word: '代办' },
    ],
    who: 'staff',
    args: [],
    summary: '列出等您处理的请假、交办、答复审核和视察申请',
    usage: '待办',
    rank: 28,
  },
  {
    id: 'dialog.confirm',
    word: '确认',
    words: [{ word: '确认' }, { word: '确定' }],
    who: 'anyone',
    dialogControl: true,
    args: [],
    summary: '确认当前操作',
    usage: '确认',
    rank: 98,
  },
  {
    id: 'dialog.cancel',
    word: '取消',
    words: [{ word: '取消' }],
    who: 'anyone',
    dialogControl: true,
    args: [],
    summary: '结束当前对话',
    usage: '取消',
    rank: 99,
  },
] as const satisfies readonly CommandSpec[];

export type CatalogEntry = (typeof CATALOG)[number];
export type CommandId = CatalogEntry['id'];

type ValueOfKind<K> = K extends { type: 'code' | 'month' | 'date' | 'text' | 'name' }
  ? string
  : K extends { type: 'year' }
    ? number
    : K extends { type: 'organs' }
      ? Organs
      : K extends { type: 'meeting' }
        ? Meeting
        : K extends { type: 'targets' }
          ? Targets
          : K extends { type: 'choice'; options: readonly (infer O)[] }
            ? O
            : never;

type ArgSpecsOf<Id extends CommandId> = Extract<CatalogEntry, { id: Id }>['args'][number];

/** The typed arguments of one command; any may be absent (see `missing`). */
export type ArgsOf<Id extends CommandId> = {
  [A in ArgSpecsOf<Id> as A['name']]?: ValueOfKind<A['kind']>;
};

/**
 * The arguments a handler receives: the dialog has asked for every required one before it runs. Over a
 * union of ids it is the union of each command's arguments.
 */
export type CompleteArgsOf<Id extends CommandId> = Id extends CommandId
  ? {
      [A in ArgSpecsOf<Id> as A extends { optional: true } ? never : A['name']]: ValueOfKind<A['kind']>;
    } & {
      [A in ArgSpecsOf<Id> as A extends { optional: true } ? A['name'] : never]?: ValueOfKind<A['kind']>;
    }
  : never;

export type ArgValue = string | number | Organs | Meeting | Targets;

/** A catalog entry read as a plain spec, its id still the command's own. */
export type SpecOf<Id extends CommandId = CommandId> = CommandSpec & { readonly id: Id };

const BY_ID: ReadonlyMap<string, SpecOf> = new Map(CATALOG.map((c) => [c.id, c]));

export function commandById<Id extends CommandId>(id: Id): SpecOf<Id>;
export function commandById(id: string): SpecOf | undefined;
export function commandById(id: string): SpecOf | undefined {
  return BY_ID.get(id);
}

export const ALL_COMMANDS: readonly CommandSpec[] = CATALOG;

export type Role = MandateRole;

/** An approver and an admin are staff too (CONTRACT §5); an admin holds an approver's rights, as in the API. */
export function mayUse(who: Who, roles: readonly Role[]): boolean {
  switch (who) {
    case 'anyone':
      return true;
    case 'deputy':
      return roles.includes('deputy');
    case 'staff':
      return roles.some((r) => r === 'staff' || r === 'approver' || r === 'admin');
    case 'approver':
      return roles.some((r) => r === 'approver' || r === 'admin');
  }
}

export function commandsFor(roles: readonly Role[]): CommandSpec[] {
  return ALL_COMMANDS.filter((c) => mayUse(c.who, roles));
}
