import { markAudited } from '../api/audit-trail.ts';
import { actorOf, mayChangeShared, SHARED_DATA_REFUSAL } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import {
  calendarAppError,
  correctDay,
  loadWorkCalendar,
  removeCorrection,
} from '../services/calendar/index.ts';
import type { DayInfo, DaySource } from '../statute/calendar.ts';
import { isValidDate, yearOf } from '../statute/calendar-date.ts';
import { weekdayName } from '../statute/date-text.ts';
import { pasteForm } from './calendar-import-page.ts';
import { html } from './html.ts';
import { csrfField, noticeOf } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  param,
  redirectAfter,
  sendPage,
} from './page-context.ts';

// 日历 ("Counting time"): a year's working days with each day's source — the State Council's published
// arrangement, a staff correction, or provisional — and the form for a staff correction. A correction
// recomputes every stored date it moves (calendar-service), and tells those concerned.

const SOURCE_LABEL: Record<DaySource, string> = {
  published: '国务院放假安排',
  corrected: '人工更正',
  provisional: '暂定（未公布）',
};

const kindText = (d: DayInfo) =>
  d.kind === 'workday'
    ? d.makeup
      ? '上班（调休）'
      : '工作日'
    : d.kind === 'holiday'
      ? '休息（节假日）'
      : '休息（周末）';

interface CorrectionForm {
  error: string;
  values: Record<string, string>;
  code: number;
}

async function calendarPage(c: PageContext, yearText: string, form?: CorrectionForm): Promise<void> {
  if (!/^\d{4}$/.test(yearText)) throw new AppError('bad_request', '年份应为四位数字，如 2026。');
  const year = Number(yearText);
  const cal = await loadWorkCalendar(c.deps.db);
  const source = cal.yearSource(year);
  if (!source.ok) throw calendarAppError(source.error);
  const days = cal.yearDays(year);
  if (!days.ok) throw calendarAppError(days.error);
  const months = Array.from({ length: 12 }, (_, i) =>
    days.value.filter((d) => Number(d.date.slice(5, 7)) === i + 1),
  );
  const workdays = days.value.filter((d) => d.kind === 'workday').length;
  const v = (n: string) => form?.values[n] ?? '';
  sendPage(
    c,
    {
      title: `${year} 年工作日历`,
      active: 'calendar',
      notice: noticeOf(c.ctx.query.done),
      error: form?.error ?? null,
    },
    html`<form method="get" action="/console/calendar" class="filters">
<label>年份 <input type="text" name="year" value="${year}" size="5" inputmode="numeric"></label>
<button type="submit">查看</button>
</form>
<p>本年来源：<strong>${SOURCE_LABEL[source.value]}</strong>${
      source.provisional ? html` <span class="tag warn">暂定日历</span>` : ''
    }，全年工作日 ${workdays} 天。</p>
<h2>更正某一天</h2>
<form method="post" action="/console/calendar/corrections" class="box">${csrfField(c.viewer)}
<label for="date">日期</label><input type="date" id="date" name="date" required value="${v('date')}">
<label for="kind">改为</label><select id="kind" name="kind"><option value="holiday"${v('kind') === 'holiday' ? html` selected` : ''}>休息日</option><option value="workday"${v('kind') === 'workday' ? html` selected` : ''}>工作日</option></select>
<label for="note">依据（必填，如放假通知的文号）</label><input type="text" id="note" name="note" maxlength="200" required value="${v('note')}">
<p class="muted">更正后，受影响的答复期限和接待日会重新计算，并通知相关人员。</p>
<button type="submit">更正</button>
</form>
<h2>载入国务院放假安排通知</h2>
${pasteForm(c, '')}
<div class="months">
${months.map(
  (
    list,
    i,
  ) => html`<div><h2>${i + 1} 月</h2><table><thead><tr><th>日期</th><th>安排</th><th>来源</th></tr></thead><tbody>
${list.map(
  (
    d,
  ) => html`<tr><td>${d.date.slice(5)}（${weekdayName(d.date)}）</td><td>${kindText(d)}${d.name ? html`<br><span class="muted">${d.name}</span>` : ''}</td>
<td>${SOURCE_LABEL[d.source]}${
    d.source === 'corrected'
      ? html`<form method="post" action="/console/calendar/corrections/${d.date}/remove" class="inline">${csrfField(c.viewer)}<button type="submit" class="secondary">撤销</button></form>`
      : ''
  }</td></tr>`,
)}</tbody></table></div>`,
)}
</div>`,
    form?.code ?? 200,
  );
}

/** The calendar is shared by every congress: a token bound to one may not correct it (403). */
function refuseBoundToken(c: PageContext): void {
  if (!mayChangeShared(c.viewer.principal)) throw new AppError('shared_data_forbidden', SHARED_DATA_REFUSAL);
}

export const calendarPages: ConsoleModule = (r) => {
  r.get('/calendar', 'staff', (c) => calendarPage(c, param(c.ctx, 'year') ?? String(yearOf(c.today))));

  // A staff correction, as PUT /api/calendar/{date}.
  r.post('/calendar/corrections', 'staff', async (c, form) => {
    refuseBoundToken(c);
    const values = { date: field(form, 'date'), kind: field(form, 'kind'), note: field(form, 'note') };
    const year = isValidDate(values.date) ? values.date.slice(0, 4) : String(yearOf(c.today));
    const refuse = (error: string, code = 400) => calendarPage(c, year, { error, values, code });
    if (!isValidDate(values.date)) return refuse('请填写要更正的日期（年-月-日）。');
    if (values.kind !== 'holiday' && values.kind !== 'workday') return refuse('请选择改为休息日还是工作日。');
    const bad = checkText('依据', values.note, { required: true, max: 200 });
    if (bad) return refuse(bad);
    const res = await attempt(async () => {
      await correctDay(c.deps, {
        date: values.date,
        kind: values.kind as 'holiday' | 'workday',
        note: values.note,
        actor: actorOf(c.viewer.principal),
        requestId: c.ctx.state.requestId ?? null,
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    markAudited(c.ctx);
    redirectAfter(c.ctx, `/console/calendar?year=${year}`, 'corrected');
  });

  r.post('/calendar/corrections/:date/remove', 'staff', async (c) => {
    refuseBoundToken(c);
    const date = String(c.ctx.params.date ?? '');
    if (!isValidDate(date)) throw new AppError('not_found', '没有这一天的更正。');
    await removeCorrection(c.deps, {
      date,
      actor: actorOf(c.viewer.principal),
      requestId: c.ctx.state.requestId ?? null,
    });
    markAudited(c.ctx);
    redirectAfter(c.ctx, `/console/calendar?year=${date.slice(0, 4)}`, 'uncorrected');
  });
};
