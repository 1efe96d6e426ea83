import type { AssignmentView, SuggestionRow } from '../../../db/repositories/suggestions.ts';
import type { ItemLocation, Photo, Rating, SuggestionKind, SuggestionStatus } from '../../../db/schema.ts';
import { dayNumber } from '../../statute/calendar-date.ts';
import { formatDate, formatStatutoryDate } from '../../statute/date-text.ts';

// How an item reads in chat, in messages and in the API's text fields. "Due soon" and "overdue" are
// computed here from the stored due date and today, never stored.

/** Within this many days of its due date an open assignment is "due soon" (临近期限). */
export const DUE_SOON_DAYS = 15;

export const STATUS_LABEL: Record<SuggestionStatus, string> = {
  submitted: '已提交，待交办',
  assigned: '已交办，办理中',
  answered: '已答复，待评价',
  rehandling: '重新办理中（重办）',
  closed: '已办结',
};

export const RATING_LABEL: Record<Rating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  no_response: '未表态',
};

export const RATING_OF_WORD: Record<string, Rating> = {
  满意: 'satisfied',
  基本满意: 'basically_satisfied',
  不满意: 'dissatisfied',
};

export const isReport = (kind: SuggestionKind): boolean => kind === '视察报告' || kind === '调研报告';

/** What a deputy reads instead of a 涉密 item's content (it never goes over WeCom or DingTalk). */
export const SECRET_NOTICE =
  '本事项涉密，内容不通过企业微信、钉钉发送，请登录代表工作平台或到人大常委会代表工作机构查看。';

/** What marks words a deputy added to an item before 交办 (修改 / 补充), on a line of their own. */
export const ADDED_WORDS_MARK = '\n（补充）';

/**
 * The first words of an item, or its title; never the content of a 涉密 item. Words added later are no
 * part of it: "路灯坏了" stays 路灯坏了, not "路灯坏了 （补充）在东街口".
 */
export function titleOf(item: Pick<SuggestionRow, 'secret' | 'title' | 'content'>, max = 20): string {
  if (item.secret) return '（涉密事项）';
  const t = (item.title ?? matterWords(item.content.split(ADDED_WORDS_MARK)[0]!)).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

const SEP = '[\\s,，。.、:：;；!！~～]*';
const TO_YOU = '(?:(?:向|跟|和|给)(?:您|你|你们|领导))?';
const SAY = '(?:反映|反应|提|说|讲|问|汇报)';
const WHAT = '(?:问题|情况|事情|事儿|事|建议|意见)';
/** The words a message opens with before its matter: greetings, "我想反映个问题", "麻烦问一下". */
const OPENING_COURTESY = new RegExp(
  `^(?:${SEP}(?:` +
    [
      // "你好小同志", "小同志 我是…", "同志们好": the greeting, then whom it greets, or whom it greets alone.
      '(?:尊敬的|各位)?(?:领导|小?同志|老师|主任|工作人员|小姑娘|小伙子)?们?(?:您|你|大家|你们)好(?:啊|呀)?(?:[\\s,，]*(?:领导|小?同志|老师|主任|工作人员|小姑娘|小伙子)们?)?',
      '(?:尊敬的|各位)?(?:领导|小?同志|老师|主任|工作人员|小姑娘|小伙子)们?好?(?=[\\s,，。.、:：;；!！])',
      '喂+',
      // "我是城关镇的张大爷": who is writing, up to how they are called (never "我是想…", "我是觉得…").
      '(?:我|俺)(?:是|叫)(?![说想要来去在问觉])[^\\s,，。.、:：;；!！]{0,10}?(?:代表|委员|同志|大爷|大妈|大娘|大姐|大哥|老师|书记|主任|村长|支书)(?=[\\s,，。.、:：;；!！])',
      '在吗|打扰(?:您|你)?(?:一下|了)|不好意思',
      '(?:麻烦|劳驾)(?:您|你)?(?:一下|下)?(?:问一下|问下|问问)?|请问(?:一下|下)?|(?:想|我想|俺想)?问(?:您|你)?(?:一下|下)',
      // "我想反映个问题", "俺想跟您说个事", "反映个情况": who wants to say, or a measure word, then what.
      `(?:(?:我|俺)(?:想|要)?|想|要)${TO_YOU}${SAY}(?:一下|下)?(?:一个|个|件|点)?${WHAT}`,
      `${TO_YOU}${SAY}(?:一下|下)?(?:一个|个|件|点)${WHAT}`,
      // "我想说说我们小区停车难的问题": the matter follows "说说" straight away.
      `(?:我|俺)?(?:想|要)${TO_YOU}(?:说说|讲讲|谈谈|聊聊|反映反映)`,
      // "有个情况想反映一下", "俺有个事": then the matter, after a pause or a verb of saying.
      `(?:我|俺)?有(?:一个|个|件|点)${WHAT}(?=[\\s,，。.、:：;；!！]|想|要|跟|向|${SAY})(?:想|要)?${TO_YOU}${SAY}?(?:一下|下)?`,
      '是这样的?',
      // "还有 垃圾桶也不够", "另外…": more of what was said just before, then the matter.
      '(?:还有就是|还有|另外|再就是|对了)(?=[\\s,，。.、:：;；!！])',
    ].join('|') +
    `))+${SEP}`,
);
/** Thanks closing the message ("，谢谢！", "谢谢了"). */
const CLOSING_THANKS = new RegExp(`${SEP}(?:谢谢|多谢|感谢)(?:您|你|你们|领导|大家)?(?:了|啦|啊)?${SEP}$`);

/**
 * Where the matter begins, for an item's short title: "您好，我想反映个问题：村口路灯坏了半个月了，谢谢！" is titled
 * 村口路灯坏了半个月了. Only the title: the content stays as the deputy wrote it. Words that are all courtesy
 * are left as they are.
 */
export function matterWords(content: string): string {
  const t = content.replace(OPENING_COURTESY, '').replace(CLOSING_THANKS, '').trim();
  return t === '' ? content : t;
}

export type Urgency = 'overdue' | 'due_soon' | 'on_time';

export interface Due {
  dueOn: string;
  provisional: boolean;
  /** Days from today to the due date (negative: overdue). */
  daysLeft: number;
  urgency: Urgency;
}

export function dueOf(a: Pick<AssignmentView, 'due_on' | 'due_provisional'>, today: string): Due | null {
  if (!a.due_on) return null;
  const daysLeft = dayNumber(a.due_on) - dayNumber(today);
  const urgency: Urgency = daysLeft < 0 ? 'overdue' : daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'on_time';
  return { dueOn: a.due_on, provisional: a.due_provisional, daysLeft, urgency };
}

/** `2026-10-08（星期四）前答复，还有 12 天` / `…，已超期 3 天` / `…，今天到期`. */
export function dueText(due: Due, verb = '答复'): string {
  const date = formatStatutoryDate(due.dueOn, due.provisional);
  const left =
    due.daysLeft < 0
      ? `已超期 ${-due.daysLeft} 天`
      : due.daysLeft === 0
        ? '今天到期'
        : `还有 ${due.daysLeft} 天`;
  return `${date}前${verb}，${left}`;
}

export const roleLabel = (role: 'lead' | 'assist'): string => (role === 'lead' ? '承办' : '协办');

/** The verb of an item's clock: a suggestion is answered (答复), a report gets feedback (反馈). */
export const answerVerb = (kind: SuggestionKind): string => (isReport(kind) ? '反馈' : '答复');

/** One assignment as a line: `市交通局（承办）：2026-10-08（星期四）前答复，还有 12 天`. */
export function assignmentLine(a: AssignmentView, kind: SuggestionKind, today: string): string {
  const head = `${a.organ_name}（${roleLabel(a.role)}）`;
  switch (a.status) {
    case 'open': {
      const due = dueOf(a, today);
      return due ? `${head}：${dueText(due, answerVerb(kind))}` : `${head}：办理中`;
    }
    case 'answered':
      return `${head}：已于 ${a.answered_on} ${answerVerb(kind)}`;
    case 'returned':
      return `${head}：已退回（${a.ended_reason ?? ''}）`;
    case 'transferred':
      // A 交办 corrected right after (assignment-correction.ts) was no 改办: it is said as withdrawn.
      return a.ended_reason?.startsWith(CORRECTED_REASON)
        ? `${head}：交办有误，已撤回`
        : `${head}：已改办（${a.ended_reason ?? ''}）`;
    case 'superseded':
      return `${head}：本轮已结束`;
  }
}

/** How a corrected 交办's assignment ends (its ended_reason begins so). */
export const CORRECTED_REASON = '交办更正';

/** The answer of one organ, as the deputy reads it (never for a 涉密 item). */
export function answerText(a: AssignmentView): string {
  const lines: string[] = [];
  if (a.answer_done) lines.push(`已办理：${a.answer_done}`);
  if (a.answer_planned) {
    lines.push(
      `计划办理：${a.answer_planned}${a.answer_planned_by ? `（落实时限 ${formatStatutoryDate(a.answer_planned_by, false)}）` : ''}`,
    );
  }
  if (a.answer_cannot) {
    lines.push(
      `暂不能办理：${a.answer_cannot}${a.answer_cannot_reason ? `（原因：${a.answer_cannot_reason}）` : ''}`,
    );
  }
  if (a.answer_signed_by) lines.push(`签发人：${a.answer_signed_by}`);
  return lines.join('\n');
}

/** The assignments of the item's current round (the ones a deputy is following now). */
export const currentRound = (item: Pick<SuggestionRow, 'round'>, all: AssignmentView[]): AssignmentView[] =>
  all.filter((a) => a.round === item.round);

/** A one-line status for lists: `已交办，办理中（市交通局，2026-10-08（星期四）前答复，还有 12 天）`. */
/** 立案审查: an item not accepted or merged reads as such, not as 已办结. */
export function reviewLabel(item: Pick<SuggestionRow, 'status' | 'review_state'>): string | null {
  if (item.status !== 'closed') return null;
  if (item.review_state === 'not_accepted') return '不予立案';
  if (item.review_state === 'merged') return '已合并办理';
  return null;
}

export function statusLine(item: SuggestionRow, assignments: AssignmentView[], today: string): string {
  if (item.withdrawn_at) return '已撤回';
  let label = STATUS_LABEL[item.status];
  if (isReport(item.kind) && item.status === 'answered') label = '已反馈，待评价';
  if (item.status === 'closed' && item.rating) label = `已办结（${RATING_LABEL[item.rating]}）`;
  const reviewed = reviewLabel(item);
  if (reviewed) return reviewed;
  if (item.status !== 'assigned' && item.status !== 'rehandling') return label;
  const open = currentRound(item, assignments).filter((a) => a.status === 'open');
  const lead = open.find((a) => a.role === 'lead') ?? open[0];
  if (!lead) return label;
  const due = dueOf(lead, today);
  return due ? `${label}（${lead.organ_name}，${dueText(due, answerVerb(item.kind))}）` : label;
}

// ---- what organs and staff are told --------------------------------------------------------------

/** One organ's line of a due-date list: "市交通局（承办）：2026年10月9日前答复". */
export const dueLine = (kind: SuggestionKind, a: AssignmentView): string =>
  `${a.organ_name}（${roleLabel(a.role)}）：${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(kind)}`;

/** A location as people read it: "新建北路与府西街路口（纬度 37.870600，经度 112.548900）". */
export function locationText(loc: ItemLocation): string {
  const coords = `纬度 ${loc.latitude.toFixed(6)}，经度 ${loc.longitude.toFixed(6)}`;
  return loc.label ? `${loc.label}（${coords}）` : coords;
}

/**
 * What was sent with an item, counted as people say it: "照片 2 张、视频 1 段、文件 1 个" (empty when
 * nothing). Photos, videos and files are kept alike (services/media); each kind is named apart.
 */
export function attachmentsCount(photos: readonly Photo[] | unknown): string {
  const list = Array.isArray(photos) ? (photos as Photo[]) : [];
  const n = (kind: Photo['kind']) => list.filter((p) => p.kind === kind).length;
  return [
    [n(undefined), '照片', '张'],
    [n('video'), '视频', '段'],
    [n('file'), '文件', '个'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, word, unit]) => `${word} ${count} ${unit}`)
    .join('、');
}

/** What came with an item (photos, videos and files kept, a location): the lines an organ and staff read. */
export function attachedText(item: Pick<SuggestionRow, 'photos' | 'location'>): string {
  const sent = attachmentsCount(item.photos);
  const parts: string[] = [];
  if (sent !== '') parts.push(`代表附${sent}，已由人大常委会代表工作机构保存，可向其索取。`);
  if (item.location) parts.push(`代表所在位置：${locationText(item.location)}。`);
  return parts.join('');
}

/** To an organ given an item (交办): with the number of photos and the location sent with it. */
export function assignedToOrganText(item: SuggestionRow, a: AssignmentView): string {
  const due = a.due_on ? formatStatutoryDate(a.due_on, a.due_provisional) : '';
  return (
    `【${item.kind}交办】${item.code}「${titleOf(item)}」交由贵单位${roleLabel(a.role)}，请于 ${due} 前${answerVerb(item.kind)}代表。` +
    (item.secret ? '本事项涉密，请到人大常委会代表工作机构领取材料。' : attachedText(item))
  );
}

/** To the organs of a new round after 不满意 (重办); lines: dueLine of each. */
export const rehandleText = (item: SuggestionRow, comment: string | null, lines: string[]): string =>
  `【重办】代表对${item.kind} ${item.code}「${titleOf(item)}」的${answerVerb(item.kind)}不满意${comment && !item.secret ? `（${comment}）` : ''}，请重新办理：\n${lines.join('\n')}`;

/** To the organs handling an item again when the deputy says afterwards why they were not satisfied. */
export const ratingReasonText = (item: SuggestionRow, reason: string): string =>
  `【重办】代表补充了对${item.kind} ${item.code}「${titleOf(item)}」的${answerVerb(item.kind)}不满意的原因${item.secret ? '，请到人大常委会代表工作机构查看' : `：${reason}`}。`;

/** To an organ when the 落实时限 it promised comes. */
export const followUpText = (organName: string, code: string, promise: string, dueOn: string): string =>
  `【落实提醒】${organName}在答复代表建议 ${code} 时承诺：“${promise}”，` +
  `落实时限为 ${formatDate(dueOn)}。请将落实情况告知代表和人大常委会代表工作机构。`;

/** To staff: a new item waits for 交办. */
export const awaitingAssignmentText = (
  item: Pick<SuggestionRow, 'kind' | 'code' | 'title' | 'content' | 'secret'>,
  proxy: boolean,
): string =>
  `【待交办】${item.kind} ${item.code}「${titleOf(item)}」已${proxy ? '代录' : '提交'}，请确定承办单位后交办（交办 ${item.code} 承办单位、协办单位）。`;

/** To an organ a deputy urges (催办). */
/** 延期 as the organ is told it: its own new date and why (S8). */
export const extendedText = (
  item: SuggestionRow,
  a: AssignmentView,
  from: string,
  to: string,
  why: string,
): string =>
  `【期限延长】${item.kind} ${item.code}「${titleOf(item)}」，贵单位为${roleLabel(a.role)}单位，` +
  `${answerVerb(item.kind)}期限由 ${formatStatutoryDate(from, false)} 延至 ${to}。原因：${why}`;

export const urgedText = (deputyName: string, item: SuggestionRow, a: AssignmentView): string =>
  `【代表催办】${deputyName}代表催办${item.kind} ${item.code}「${titleOf(item)}」，贵单位为${roleLabel(a.role)}单位，` +
  `${answerVerb(item.kind)}期限 ${formatStatutoryDate(a.due_on!, a.due_provisional)}，请抓紧办理。`;

/** A code staff wrote that names no item they may see: said plainly, with how to find the right code. */
export const unknownCodeText = (code: string, word: string): string =>
  `没有编号为 ${code} 的建议（编号有误，或不是您所在人大的事项），没有${word}。请核对编号：` +
  `${word === '交办' ? '发“交办”（不带编号）可列出等待交办的建议；' : ''}发“查询 代表姓名”可查到该代表的事项和编号。`;
