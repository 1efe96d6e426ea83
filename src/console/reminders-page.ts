import { listLedger } from '../../db/repositories/reminders.ts';
import { AppError } from '../errors.ts';
import { formatDate } from '../statute/date-text.ts';
import { html, listTable, pager } from './html.ts';
import { type ConsoleModule, type PageContext, param, sendPage } from './page-context.ts';
import { requireUnbound } from './scope.ts';
import { dateTime } from './text.ts';

// 提醒记录: the reminder ledger — which rule, period and target, when it was queued, and what became of it.

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

async function remindersPage(c: PageContext): Promise<void> {
  requireUnbound(c.viewer.principal);
  const rule = param(c.ctx, 'rule');
  if (rule !== undefined && !/^(S\d{1,2}a?|calendar)$/.test(rule))
    throw new AppError('bad_request', '规则应形如 S2、S8a 或 calendar。');
  const pageNo = Math.max(1, Number.parseInt(param(c.ctx, 'page') ?? '1', 10) || 1);
  const { rows, total } = await listLedger(c.deps.db, {
    ...(rule ? { rule } : {}),
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const tz = c.deps.config.timezone;
  sendPage(
    c,
    { title: '提醒记录', active: 'reminders' },
    html`<form method="get" action="/console/reminders" class="filters">
<label>规则 <input type="text" name="rule" value="${rule ?? ''}" size="8" maxlength="20" placeholder="如 S2"></label>
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
    html`<span class="code">${r.rule}</span>`,
    html`<span class="code">${r.period}</span>`,
    html`<span class="code">${r.target}</span>`,
    r.job,
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
