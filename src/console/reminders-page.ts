import type { Db } from '../../db/client.ts';
import { listGroupChoices } from '../../db/repositories/console-lists.ts';
import { deadlineLabels } from '../../db/repositories/deadlines.ts';
import { listOrgans } from '../../db/repositories/organs.ts';
import { findPersonName } from '../../db/repositories/people.ts';
import { findBookingByCode } from '../../db/repositories/reception.ts';
import { listLedger } from '../../db/repositories/reminders.ts';
import { sessionNames } from '../../db/repositories/sessions.ts';
import { jobByName } from '../../jobs/job-list.ts';
import { SESSION_LEAVE_LEAD_WORKING_DAYS } from '../../jobs/session-leave.job.ts';
import { AppError } from '../errors.ts';
import { formatDate } from '../statute/date-text.ts';
import { RULES, ruleById } from '../statute/rules.ts';
import { html, listTable, pager, type SafeHtml } from './html.ts';
import { type ConsoleModule, type PageContext, param, sendPage } from './page-context.ts';
import { wholeDate } from './phone-kit.ts';
import { requireUnbound } from './scope.ts';
import { dateTime } from './text.ts';

// 提醒记录: the reminder ledger — which rule, period and target, when it was queued, and what became of it;
// each in words a staff member reads (what the rule requires, 2026年第4季度, 到期前14个工作日, a person's name,
// the job's summary); the filter offers the rules by what they require. The stored keys stay as they are.

const PAGE_SIZE = 100;
const OUTBOX_LABEL: Record<string, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '失败待重试',
  dead: '发送失败',
};

/** What became of a reminder's message; one withdrawn before sending (the deputy took leave) is no failure. */
const outboxLabel = (r: { outbox_status: string | null; first_tried_at: Date | null }): string =>
  r.outbox_status === 'dead' && r.first_tried_at === null
    ? '已撤回（未发送）'
    : r.outbox_status
      ? (OUTBOX_LABEL[r.outbox_status] ?? r.outbox_status)
      : '—';

// A rule's code (S2) means nothing to most staff: each is shown with what it requires.
const CALENDAR_TITLE = '国务院公布下一年放假安排后，提醒载入工作日历';
const ruleTitle = (rule: string): string =>
  rule === 'calendar' ? CALENDAR_TITLE : (ruleById(rule)?.title ?? '');
const RULE_CHOICES: string[] = [...RULES.map((r) => r.id), 'calendar'];
/** A rule as the filter offers it: its number (staff quote it) and what it requires; 放假安排 by words alone. */
const ruleChoice = (rule: string): string =>
  rule === 'calendar' ? CALENDAR_TITLE : `${rule} ${ruleTitle(rule)}`;

/** What a ledger period names by id — a feedback clock, a session — by its label or name. */
interface PeriodNames {
  deadlines: Map<number, string>;
  sessions: Map<number, string>;
}

const DEADLINE_RE = /^deadline:(\d+):(\d+|overdue)$/;
const SESSION_RE = /^session:(\d+)$/;
const RECEPTION_RE = /^\d{4}-\d{2}:(\d{4}-\d{2}-\d{2}):(agenda|reminder)$/;

async function periodNames(db: Db, periods: string[]): Promise<PeriodNames> {
  const ids = (re: RegExp) =>
    [...new Set(periods.map((p) => re.exec(p)?.[1]).filter((x) => x !== undefined))].map(Number);
  return {
    deadlines: await deadlineLabels(db, ids(DEADLINE_RE)),
    sessions: await sessionNames(db, ids(SESSION_RE)),
  };
}

/**
 * The ledger's period key as words: a feedback clock's window (deadline:7:14 → 「建议 JY-2026-0012（…）的答复
 * 期限，到期前14个工作日」, :overdue → 已逾期), a session's leave notice (session:3 → 「…第五次会议 开幕前5个
 * 工作日」), a reception day's topics or booking reminder, and the calendar periods (2026-Q4 → 2026年第4季度,
 * 2026-12#before → 2026年12月 接待日前); the part after # naming a congress or group is left out, the 对象
 * column says who. A key of no known shape stays as written.
 */
function periodText(period: string, names: PeriodNames): SafeHtml {
  const deadline = DEADLINE_RE.exec(period);
  if (deadline) {
    const label = names.deadlines.get(Number(deadline[1])) ?? '答复期限';
    return html`${label}，${deadline[2] === 'overdue' ? '已逾期' : `到期前${deadline[2]}个工作日`}`;
  }
  const session = SESSION_RE.exec(period);
  if (session)
    return html`${names.sessions.get(Number(session[1])) ?? '会议'} 开幕前${SESSION_LEAVE_LEAD_WORKING_DAYS}个工作日`;
  const reception = RECEPTION_RE.exec(period);
  if (reception)
    return html`接待日 ${wholeDate(reception[1]!)}：${reception[2] === 'agenda' ? '预约话题送接待人' : '前一个工作日提醒预约的代表'}`;
  const [when = '', what = ''] = period.split('#');
  const m =
    /^(\d{4})-Q([1-4])$/.exec(when) ??
    /^(\d{4})-H([12])$/.exec(when) ??
    /^(\d{4})-M?(\d{2})$/.exec(when) ??
    /^(?:holidays:)?(\d{4})$/.exec(when);
  if (!m) return html`<span class="code">${period}</span>`;
  const year = `${m[1]}年`;
  const words = when.includes('-Q')
    ? `${year}第${m[2]}季度`
    : when.includes('-H')
      ? `${year}${m[2] === '1' ? '上' : '下'}半年`
      : m[2]
        ? `${year}${Number(m[2])}月`
        : when.startsWith('holidays:')
          ? `${year}放假安排`
          : year;
  const moment = what === 'before' ? ' 接待日前' : what === 'day' ? ' 接待日当天' : '';
  return html`<span class="nowrap">${words}</span>${moment}`;
}

/**
 * Who a ledger row reminded (person:7, group:3, organ:2, booking:… — the deputy who booked, with the code)
 * in words; an unknown one as written.
 */
async function targetNames(db: Db, targets: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const groups = new Map((await listGroupChoices(db, null)).map((g) => [`group:${g.id}`, g.name]));
  const organs = targets.some((t) => t.startsWith('organ:'))
    ? new Map((await listOrgans(db)).map((o) => [`organ:${o.id}`, o.name]))
    : new Map<string, string>();
  for (const t of new Set(targets)) {
    // A booking's reminder goes to whoever booked it: named, with the booking's code.
    const booking = /^booking:(.+)$/.exec(t);
    if (booking) {
      const found = await findBookingByCode(db, booking[1]!);
      const name = found ? await findPersonName(db, found.person_id) : '';
      names.set(t, name ? `${name}（预约 ${booking[1]}）` : `预约 ${booking[1]} 的代表`);
      continue;
    }
    const person = /^person:(\d+)$/.exec(t);
    const name = person ? await findPersonName(db, Number(person[1])) : (groups.get(t) ?? organs.get(t));
    if (name) names.set(t, name);
  }
  return names;
}

async function remindersPage(c: PageContext): Promise<void> {
  requireUnbound(c.viewer.principal);
  const rule = param(c.ctx, 'rule');
  if (rule !== undefined && !RULE_CHOICES.includes(rule))
    throw new AppError('bad_request', '没有这个提醒规则，请在「提醒规则」里从列表中选择。');
  const pageNo = Math.max(1, Number.parseInt(param(c.ctx, 'page') ?? '1', 10) || 1);
  const { rows, total } = await listLedger(c.deps.db, {
    ...(rule ? { rule } : {}),
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const names = await targetNames(
    c.deps.db,
    rows.map((r) => r.target),
  );
  const periods = await periodNames(
    c.deps.db,
    rows.map((r) => r.period),
  );
  const tz = c.deps.config.timezone;
  sendPage(
    c,
    { title: '提醒记录', active: 'reminders' },
    html`<form method="get" action="/console/reminders" class="filters">
<label for="reminder-rule">提醒规则</label>
<select id="reminder-rule" name="rule"><option value="">全部规则</option>${RULE_CHOICES.map(
      (id) => html`<option value="${id}"${rule === id ? html` selected` : ''}>${ruleChoice(id)}</option>`,
    )}</select>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${total} 条${pages > 1 ? `，第 ${pageNo} / ${pages} 页` : ''}</p>
${listTable(
  [
    { label: '规则' },
    { label: '周期' },
    { label: '对象' },
    { label: '任务' },
    { label: '应提醒日' },
    { label: '排入时间' },
    { label: '发送情况' },
  ],
  rows.map((r) => [
    html`${r.rule === 'calendar' ? '' : html`<span class="code">${r.rule}</span> `}${ruleTitle(r.rule)}`,
    periodText(r.period, periods),
    names.get(r.target) ?? html`<span class="code">${r.target}</span>`,
    r.job ? (jobByName(r.job)?.summary ?? r.job) : '',
    html`<span class="nowrap">${r.due_on ? formatDate(String(r.due_on)) : '—'}</span>${r.late ? html` <span class="tag warn">补发</span>` : ''}`,
    html`<span class="nowrap">${dateTime(r.created_at, tz)}</span>`,
    html`${outboxLabel(r)}${r.sent_at ? html`<br><span class="muted">${dateTime(r.sent_at, tz)}</span>` : ''}`,
  ]),
)}
${pager('/console/reminders', { rule }, pageNo, pages)}`,
  );
}

export const reminderPages: ConsoleModule = (r) => {
  r.get('/reminders', 'staff', remindersPage);
};
