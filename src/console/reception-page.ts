import { isLiveCongress } from '../../db/repositories/mandates.ts';
import { AppError } from '../errors.ts';
import { receptionCalendar } from '../services/reception/index.ts';
import { yearOf } from '../statute/calendar-date.ts';
import { formatStatutoryDate } from '../statute/date-text.ts';
import { html } from './html.ts';
import { type ConsoleModule, type PageContext, param, sendPage } from './page-context.ts';
import { chosenCongress, visibleCongresses } from './scope.ts';

// 接待日 (大同 第七条(九), S2): each month's reception day of a year, its host and its bookings.

async function receptionPage(c: PageContext): Promise<void> {
  const { deps, ctx, viewer, today } = c;
  const yearText = param(ctx, 'year') ?? String(yearOf(today));
  if (!/^\d{4}$/.test(yearText)) throw new AppError('bad_request', '年份应为四位数字，如 2026。');
  const year = Number(yearText);
  const congresses = (await visibleCongresses(deps, viewer.principal)).filter(isLiveCongress);
  if (congresses.length === 0) throw new AppError('not_found', '还没有人大。');
  const congress = chosenCongress(congresses, param(ctx, 'congress')) ?? congresses[0]!;
  const months = await receptionCalendar(deps, congress.id, year);
  sendPage(
    c,
    { title: `${year} 年接待日`, active: 'reception' },
    html`<form method="get" action="/console/reception" class="filters">
${
  congresses.length > 1
    ? html`<label>人大 <select name="congress">${congresses.map(
        (x) => html`<option value="${x.id}"${x.id === congress.id ? html` selected` : ''}>${x.name}</option>`,
      )}</select></label>`
    : html`<span>${congress.name}</span>`
}
<label>年份 <input type="text" name="year" value="${year}" size="5" inputmode="numeric"></label>
<button type="submit">查看</button>
</form>
<div class="scroll"><table><thead><tr><th>月份</th><th>接待日</th><th>接待人</th><th>预约</th></tr></thead><tbody>
${months.map(
  (
    m,
  ) => html`<tr><td>${m.month}</td><td>${formatStatutoryDate(m.date, m.provisional)}</td><td>${m.host ?? '—'}</td>
<td>${
    m.bookings.length === 0
      ? html`<span class="muted">无</span>`
      : html`<ul>${m.bookings.map((b) => html`<li>${b.code} ${b.deputy}${b.topic ? html`：<span class="pre">${b.topic}</span>` : ''}</li>`)}</ul>`
  }</td></tr>`,
)}
</tbody></table></div>
<p class="muted">接待日为每月约定日期当天，遇节假日顺延至休息后的第一个工作日；标有“暂定日历”的日期所在年份国务院尚未公布放假安排。</p>`,
  );
}

export const receptionPages: ConsoleModule = (r) => {
  r.get('/reception', 'staff', receptionPage);
};
