import { countDeadOutbox } from '../../db/repositories/console-lists.ts';
import { listLeave } from '../../db/repositories/leave.ts';
import { isLiveCongress } from '../../db/repositories/mandates.ts';
import { receptionDayFor } from '../services/calendar/index.ts';
import { unremindedOf } from '../services/notices/index.ts';
import { nextMonth } from '../services/reception/index.ts';
import { listForStaff } from '../services/suggestions/index.ts';
import { monthOf } from '../statute/calendar-date.ts';
import { formatStatutoryDate } from '../statute/date-text.ts';
import { html, type SafeHtml } from './html.ts';
import { alertLinks, channelWarnings, outboxAttention } from './outbox-page.ts';
import { type PageContext, sendPage } from './page-context.ts';
import { scopeOf, visibleCongresses } from './scope.ts';

// 概览: what needs attention today, each count linking to its list.

const DUE_WITHIN_DAYS = 14;

/**
 * The messages withdrawn before they were sent, which are no failures, each kind named as what it is:
 * reminders that no longer applied, and notices (通知) staff withdrew.
 */
function withdrawnLine(d: { withdrawnReminders: number; withdrawnNotices: number }) {
  const link = (n: number, what: string) =>
    html`<a href="/console/outbox?status=withdrawn">${n} 条${what}</a>`;
  const parts: SafeHtml[] = [];
  if (d.withdrawnReminders > 0)
    parts.push(html`${link(d.withdrawnReminders, '提醒')}在发送前已撤回（已不再适用，如代表请假获准）`);
  if (d.withdrawnNotices > 0) parts.push(html`${link(d.withdrawnNotices, '通知消息')}由工作人员撤回，未发出`);
  if (parts.length === 0) return '';
  return html`<p class="muted">另有 ${parts.map((p, i) => html`${i > 0 ? '；' : ''}${p}`)}${parts.length > 1 ? '。这些都' : '，'}不算发送失败。</p>`;
}

export async function overviewPage(c: PageContext): Promise<void> {
  const { deps, viewer, today } = c;
  const p = viewer.principal;
  const open = await listForStaff(
    deps,
    { scope: scopeOf(p), statuses: ['submitted', 'assigned', 'answered', 'rehandling'] },
    today,
  );
  const overdue = open.filter((s) => s.overdue).length;
  const dueSoon = open.filter(
    (s) =>
      !s.overdue &&
      s.assignments.some(
        (a) => a.status === 'open' && a.daysLeft !== null && a.daysLeft >= 0 && a.daysLeft <= DUE_WITHIN_DAYS,
      ),
  ).length;
  const pendingLeave = (
    await listLeave(deps.db, { status: 'pending', congressId: p.congressId ?? undefined })
  ).length;
  // A message withdrawn before it was sent (a reminder no longer due, a notice staff withdrew) is no failure.
  const deadCounts = p.congressId === null ? await countDeadOutbox(deps.db) : null;
  const dead = deadCounts?.failed ?? null;
  // Messages failing and retried, and platforms not set up: everyone is told a platform is missing;
  // the counts span every congress, so only unbound tokens see them.
  const attention = await outboxAttention(deps);
  const unbound = p.congressId === null;

  const reception = [];
  for (const congress of (await visibleCongresses(deps, p)).filter(isLiveCongress)) {
    try {
      let day = await receptionDayFor(deps, congress.id, monthOf(today));
      if (day.date < today) day = await receptionDayFor(deps, congress.id, nextMonth(monthOf(today)));
      reception.push({ name: congress.name, text: formatStatutoryDate(day.date, day.provisional) });
    } catch {
      reception.push({ name: congress.name, text: '日历未覆盖，无法计算' });
    }
  }

  // Reminders with nobody of their own to reach (S10 stations without a head, S1 groups without a leader).
  const unreached = [];
  for (const congress of (await visibleCongresses(deps, p)).filter(isLiveCongress)) {
    const u = await unremindedOf(deps.db, congress, deps.config);
    for (const s of u.stations)
      unreached.push({
        name: congress.name,
        text: `联络站「${s}」未设站长：每月接待群众提醒（山西 第三十一条）无人接收，请在名册中设定站长。`,
      });
    for (const g of u.groups)
      unreached.push({
        name: congress.name,
        text: `代表${g.kind === 'small' ? '小组' : '大组'}「${g.name}」未设组长：活动提醒（大同 第六条）${u.staffReachable ? '只发给工作人员' : '无人接收'}。`,
      });
  }

  // Each count carries its unit (件 for items, 条 for messages): a bare「3」reads as nothing in particular.
  const card = (href: string, label: string, n: number | null, unit: '件' | '条', warn = false) =>
    html`<a class="card${warn && n ? ' warn' : ''}" href="${href}"><span class="n">${n ?? '—'}${n === null ? '' : html`<small> ${unit}</small>`}</span>${label}</a>`;
  sendPage(
    c,
    { title: '概览', active: 'overview' },
    html`<div class="cards">
${card('/console/suggestions', '办理中的建议', open.length, '件')}
${card('/console/suggestions?overdue=true', '已超期', overdue, '件', true)}
${card('/console/suggestions?due=soon', `${DUE_WITHIN_DAYS} 天内到期`, dueSoon, '件', true)}
${card('/console/leave?status=pending', '待决定的请假', pendingLeave, '件')}
${dead === null ? '' : card('/console/outbox?status=dead', '发送失败的消息', dead, '条', true)}
${unbound ? card('/console/outbox?status=failed', '失败待重试的消息', attention.retrying, '条', true) : ''}
${unbound ? card('/console/outbox?status=pending', '等待发送的消息', attention.pending, '条') : ''}
</div>
${channelWarnings(attention, unbound)}
${
  unbound && attention.retrying > 0 && attention.unconfigured.length === 0
    ? html`<div class="error" role="alert"><p>有 ${attention.retrying} 条消息发送失败，系统正在自动重试（最长 24 小时）。请打开「消息发送」查看原因；重试期满仍未发出的会列为“发送失败”。</p>${alertLinks([{ href: '/console/outbox?status=failed', text: `查看正在重试的 ${attention.retrying} 条消息` }])}</div>`
    : ''
}
${dead === null ? html`<p class="muted">消息发送情况涉及所有人大，您的令牌限定于一个人大，不显示条数。</p>` : ''}
${deadCounts ? withdrawnLine(deadCounts) : ''}
<h2>下一个接待日</h2>
${
  reception.length === 0
    ? html`<p class="muted">还没有人大。</p>`
    : html`<dl class="facts">${reception.map((r) => html`<dt>${r.name}</dt><dd>${r.text}</dd>`)}</dl>`
}
<p><a href="/console/reception">查看全年接待日和预约</a></p>
${
  unreached.length === 0
    ? ''
    : // A list, not a table: a congress's long name in a header cell that never wraps squeezed the text.
      html`<h2>无人接收的提醒</h2><dl class="facts">${unreached.map((r) => html`<dt>${r.name}</dt><dd>${r.text}</dd>`)}</dl>`
}`,
  );
}
