import { AppError } from '../../errors.ts';
import type { Reply } from '../../messaging/index.ts';
import { type MeetingReplies, meetingReplies } from '../../services/activities/index.ts';
import { dayRange } from '../../services/leave/index.ts';
import {
  MEASURE_LABEL,
  type Measure,
  RATES,
  type StatisticsGroup,
  suggestionStatistics,
} from '../../services/statistics/index.ts';
import {
  listForStaff,
  officeQueue,
  organWritten,
  type SuggestionJson,
  titleOf,
} from '../../services/suggestions/index.ts';
import { addDays, daysInMonth, mondayOf } from '../../statute/calendar-date.ts';
import { formatDate, formatStatutoryDate, monthDayText } from '../../statute/date-text.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { mayUse } from '../language/command-catalog.ts';
import {
  type FiguresPeriod,
  type FiguresQuestion,
  figuresAsked,
  meetingRepliesAsked,
  organItemsAsked,
} from '../language/staff-questions.ts';
import { asksMeetingsAhead } from './meetings-ahead.ts';
import type { TurnScope } from './scope.ts';

// Staff asking as colleagues ask, answered from what stands and never changing it: an organ's items not
// yet answered (《代表法》第五十一条第二款, S8: three months from 交办), the office's figures as the statistics
// page counts them (《代表法》第五十一条第三款), and the meetings ahead with who replied 参加 and who asked leave
// (大同 第十一条, 山西 第八条). Only the congresses they work for.

/** The answer to a staff member's question about the office's work; null when the words ask none. */
export async function staffQuestion(t: TurnScope, text: string): Promise<Reply | null> {
  if (!mayUse('staff', t.standing.roles) || staffCongressesOf(t.ctx.sender).length === 0) return null;
  const organ = organItemsAsked(text);
  if (organ) return organOpenItems(t, organ);
  const figures = figuresAsked(text);
  if (figures) return officeFigures(t, figures);
  // "这周有什么会" from one who is a deputy too is about their own meetings (turn/meetings-ahead.ts); and
  // only words that name a meeting ask about meetings ("张三有没有请假" asks about 张三).
  const ahead =
    !mayUse('deputy', t.standing.roles) && MEETING_NAMED.test(text) && asksMeetingsAhead(text) !== null;
  if (ahead || meetingRepliesAsked(text)) return meetingsForStaff(t, text);
  return null;
}

/** A meeting or an activity named. */
const MEETING_NAMED = /会|活动|学习|培训|视察|调研/;

// ---- an organ's open items ------------------------------------------------------------------------

interface OpenPart {
  item: SuggestionJson;
  assignment: SuggestionJson['assignments'][number];
}

/** `期限 2027-03-02（星期二），还有 90 天` or `…，已超期 2 天`. */
function dueLine(a: OpenPart['assignment']): string {
  if (!a.dueOn) return '期限未定';
  const left = a.daysLeft ?? 0;
  const when = left < 0 ? `已超期 ${-left} 天` : left === 0 ? '今天到期' : `还有 ${left} 天`;
  return `期限 ${formatStatutoryDate(a.dueOn, a.dueProvisional)}，${when}`;
}

async function organOpenItems(t: TurnScope, written: string): Promise<Reply> {
  const { deps, today } = t.ctx;
  let name: string;
  try {
    name = (await organWritten(deps.db, written)).name;
  } catch (err) {
    if (err instanceof AppError) return { text: err.message };
    throw err;
  }
  const scope = staffCongressesOf(t.ctx.sender);
  const items = await listForStaff(deps, { scope, statuses: ['assigned', 'answered', 'rehandling'] }, today);
  const queue = await officeQueue(deps, scope);
  const inReview = new Set(queue.answers.filter((a) => a.organ === name).map((a) => a.code));
  const returning = new Set(queue.returnRequests.filter((r) => r.organ === name).map((r) => r.code));
  const parts = items.flatMap((item) =>
    item.assignments
      .filter((a) => a.organ === name && a.status === 'open')
      .map((assignment) => ({ item, assignment })),
  );
  const open = parts
    .filter((p) => !inReview.has(p.item.code))
    .sort(
      (a, b) =>
        (a.assignment.dueOn ?? '9999').localeCompare(b.assignment.dueOn ?? '9999') ||
        a.item.code.localeCompare(b.item.code),
    );
  const reviewed = [...new Set(parts.filter((p) => inReview.has(p.item.code)).map((p) => p.item.code))];
  const review =
    reviewed.length > 0
      ? `另有 ${reviewed.length} 件${name}已答复、等待审核：${reviewed.join('、')}（在「工作平台 → 答复审核」处理）。`
      : '';
  if (open.length === 0) return { text: `${name}目前没有未答复的建议。${review}` };
  const overdue = open.filter((p) => p.assignment.urgency === 'overdue').length;
  const shown = open.slice(0, 10);
  const lines = shown.map(
    ({ item, assignment: a }, n) =>
      `${n + 1}. ${item.code}「${titleOf({ secret: item.secret, title: item.title, content: item.content ?? '' }, 16)}」` +
      `${a.role === 'lead' ? '承办' : '协办'}，${a.signedAt ? '已签收' : '未签收'}，${dueLine(a)}` +
      `${returning.has(item.code) ? '，已申请退回' : ''}`,
  );
  const more = open.length > shown.length ? `\n（另有 ${open.length - shown.length} 件未列出）` : '';
  // "第一个": that line looked up, as 查询 would.
  t.conv.choice = {
    options: shown.map(({ item }) => ({ commandId: 'item.query', word: '查询', send: `查询 ${item.code}` })),
    expiresAt: t.conversations.expiry(),
  };
  return {
    text:
      `${name}还有 ${open.length} 件建议没有答复${overdue > 0 ? `（其中 ${overdue} 件已超期）` : ''}：\n` +
      `${lines.join('\n')}${more}${review ? `\n${review}` : ''}\n回复序号或发“查询 编号”可查看详情。`,
  };
}

// ---- the meetings ahead, with who replied ---------------------------------------------------------

/** How far ahead "最近有什么会" looks. */
const DAYS_AHEAD = 30;

/** The days asked about: this week (from today), next week, a month, a day; else the days just ahead. */
function daysAsked(said: string, today: string): { from: string; to: string; words: string } {
  const text = said.replace(/礼拜/g, '星期');
  const range = dayRange(text, today);
  // "下礼拜", "这个星期": said back as 下周, 这周.
  if (range)
    return {
      from: range.from < today ? today : range.from,
      to: range.to,
      words: range.words.replace(/个?星期/, '周'),
    };
  return { from: today, to: addDays(today, DAYS_AHEAD), words: `今后${DAYS_AHEAD}天` };
}

const span = (from: string, to: string) =>
  from === to ? monthDayText(from) : `${monthDayText(from)}至${monthDayText(to)}`;

/** One meeting: when, and how its deputies replied. */
function meetingLine(m: MeetingReplies, n: number): string {
  const days =
    m.when ??
    (m.startsOn === m.endsOn ? formatDate(m.startsOn) : `${formatDate(m.startsOn)}至${formatDate(m.endsOn)}`);
  const name = m.kindLabel ? `${m.ref} ${m.kindLabel}「${m.name}」` : m.name;
  const leave =
    m.leaveAsked === 0
      ? '无人请假'
      : `请假 ${m.leaveAsked} 人${m.leaveWaiting > 0 ? `（${m.leaveWaiting} 件待决定）` : '（都已决定）'}`;
  const replies =
    m.accepted === null
      ? `应出席 ${m.invited} 人，${leave}`
      : `邀请 ${m.invited} 人，答复参加 ${m.accepted} 人，${leave}，未答复 ${Math.max(0, m.invited - m.accepted - m.leaveAsked)} 人`;
  return `${n + 1}. ${name}（${days}${m.place ? `，${m.place}` : ''}）：${replies}`;
}

async function meetingsForStaff(t: TurnScope, text: string): Promise<Reply> {
  const { deps, today } = t.ctx;
  const scope = staffCongressesOf(t.ctx.sender);
  const asked = daysAsked(text, today);
  const within = await meetingReplies(deps, scope, asked.from, asked.to);
  const where = '各人的答复在「工作平台 → 活动」查看，会议的请假在「工作平台 → 请假」查看。';
  if (within.length > 0) {
    const shown = within.slice(0, 8);
    const more = within.length > shown.length ? `\n（另有 ${within.length - shown.length} 个未列出）` : '';
    const waiting = within.reduce((n, m) => n + m.leaveWaiting, 0);
    return {
      text:
        `${asked.words}（${span(asked.from, asked.to)}）的会议和活动：\n${shown.map(meetingLine).join('\n')}${more}\n` +
        `${waiting > 0 ? '待决定的请假可发“待办”查看。' : ''}${where}`,
    };
  }
  // None in the days asked: said so, with the next ones after them.
  const later = (await meetingReplies(deps, scope, addDays(asked.to, 1), addDays(asked.to, 180))).slice(0, 3);
  const none = `${asked.words}（${span(asked.from, asked.to)}）没有会议或活动。`;
  if (later.length === 0) return { text: `${none}之后半年内也还没有安排。` };
  return { text: `${none}之后的有：\n${later.map(meetingLine).join('\n')}\n${where}` };
}

// ---- the office's figures -------------------------------------------------------------------------

/** The days of the period asked, in APP_TIMEZONE's calendar, as said back; none said: this year so far. */
function figuresPeriod(
  period: FiguresPeriod | null,
  today: string,
): { from: string; to: string; words: string } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const wholeMonth = (y: number, m: number, words: string) => {
    const first = `${y}-${String(m).padStart(2, '0')}-01`;
    return { from: first, to: addDays(first, daysInMonth(y, m) - 1), words };
  };
  switch (period) {
    case 'week':
      return { from: mondayOf(today), to: addDays(mondayOf(today), 6), words: '这周' };
    case 'lastWeek':
      return { from: addDays(mondayOf(today), -7), to: addDays(mondayOf(today), -1), words: '上周' };
    case 'month':
      return wholeMonth(year, month, '本月');
    case 'lastMonth':
      return month === 1 ? wholeMonth(year - 1, 12, '上个月') : wholeMonth(year, month - 1, '上个月');
    case 'lastYear':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31`, words: '去年' };
    default:
      return { from: `${year}-01-01`, to: today, words: '今年' };
  }
}

/** `已答复 2 件`: a figure with the statistics page's own label. */
const figure = (g: StatisticsGroup, m: Measure): string => `${MEASURE_LABEL[m]} ${g[m]} 件`;

const WHERE_FIGURES = '详细数字在「工作平台 → 统计」查看，可导出表格。';

/**
 * The figures of the statistics page for the period asked, over the staff member's congresses: items handed
 * over in the period counted once each (by their lead organ, as the yearly report counts them), the overdue
 * by organ. Asking changes nothing.
 */
async function officeFigures(t: TurnScope, q: FiguresQuestion): Promise<Reply> {
  const { deps, today } = t.ctx;
  const asked = figuresPeriod(q.period, today);
  const query = { from: asked.from, to: asked.to, congressIds: staffCongressesOf(t.ctx.sender) };
  const items = (await suggestionStatistics(deps, { by: 'category', ...query }, today)).total;
  const byOrgan = await suggestionStatistics(deps, { by: 'organ', ...query }, today);
  const head = `${asked.words}（${span(asked.from, asked.to)}）`;
  if (items.assigned === 0) return { text: `${head}没有交办的建议、批评和意见。${WHERE_FIGURES}` };
  const overdueOrgans = byOrgan.groups
    .filter((g) => g.overdueNow > 0)
    .sort((a, b) => b.overdueNow - a.overdueNow || a.label.localeCompare(b.label, 'zh-CN'))
    .map((g) => `${g.label} ${g.overdueNow} 件`);
  // An item's lead organ may be in time while one assisting it is not: neither then reads as none overdue.
  const overdue =
    items.overdueNow === 0 && overdueOrgans.length === 0
      ? `截至${monthDayText(today)}没有超期未答复的`
      : `${figure(items, 'overdueNow')}（${overdueOrgans.join('、')}）`;
  const rate = RATES.find((r) => r.key === q.asked);
  if (rate) {
    const value = items.rates[rate.key];
    const of = `${figure(items, rate.numerator)} ÷ ${figure(items, rate.denominator)}`;
    return {
      text:
        value === null
          ? `${head}${figure(items, rate.denominator)}，算不出${rate.label}。${WHERE_FIGURES}`
          : `${head}${rate.label} ${value.toFixed(1)}%（${of}）。${WHERE_FIGURES}`,
    };
  }
  if (q.asked === 'overdue') return { text: `${head}交办的建议、批评和意见中，${overdue}。${WHERE_FIGURES}` };
  const parts =
    byOrgan.total.assigned !== items.assigned ? `（按承办单位计 ${byOrgan.total.assigned} 件次）` : '';
  // The page counts what was handed over in the period: one asking what came in is told so.
  const counted = q.asked === 'received' ? '统计按交办日期计算，尚未交办的不计入。' : '';
  return {
    text:
      `${head}交办的建议、批评和意见：${figure(items, 'assigned')}${parts}，${figure(items, 'answered')}，` +
      `${figure(items, 'closed')}；${overdue}。${counted}${WHERE_FIGURES}`,
  };
}
