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
import { isValidDate, weekdayOf, yearOf } from '../statute/calendar-date.ts';
import { formatDate } from '../statute/date-text.ts';
import { pasteForm, SHARED_CALENDAR_NOTE } from './calendar-import-page.ts';
import { dateInput, readDateField } from './date-field.ts';
import { html, listTable, query, type SafeHtml } from './html.ts';
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

// 日历 ("Counting time"): a month of the working calendar as a week grid, with each day's source — the State Council's published
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

const WEEK_HEAD = ['一', '二', '三', '四', '五', '六', '日'];

/** One month as a week grid (Monday first): each day's number, and a short note of holidays and make-up days. */
function monthGrid(days: DayInfo[], today: string): SafeHtml {
  const lead = (weekdayOf(days[0]!.date) + 6) % 7;
  const cells: (DayInfo | null)[] = [...Array.from({ length: lead }, () => null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const cell = (d: DayInfo | null) => {
    if (d === null) return html`<td class="blank"></td>`;
    const cls = [
      d.kind === 'workday' ? (d.makeup ? 'makeup' : '') : 'off',
      d.source === 'corrected' ? 'corrected' : '',
      d.source === 'provisional' ? 'provisional' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const note = d.name ?? (d.makeup ? '上班' : '');
    return html`<td${cls ? html` class="${cls}"` : ''} title="${d.date} ${kindText(d)}${d.name ? ` ${d.name}` : ''}（${SOURCE_LABEL[d.source]}）"><span class="d">${d.date === today ? html`<u>${Number(d.date.slice(8))}</u>` : Number(d.date.slice(8))}</span>${note ? html`<span class="n">${note}</span>` : ''}</td>`;
  };
  return html`<table class="grid-month"><thead><tr>${WEEK_HEAD.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${weeks.map((w) => html`<tr>${w.map(cell)}</tr>`)}</tbody></table>`;
}

interface CorrectionForm {
  error: string;
  values: Record<string, string>;
  code: number;
}

/** The month asked for (`?month=`), or why it is not one. */
function monthAsked(text: string | undefined): { month?: number; error?: string } {
  if (text === undefined) return {};
  if (/^(0?[1-9]|1[0-2])$/.test(text)) return { month: Number(text) };
  return { error: `「${text}」不是月份：月份应为 1 至 12。` };
}

async function calendarPage(
  c: PageContext,
  yearText: string,
  form?: CorrectionForm,
  monthText: string | undefined = param(c.ctx, 'month'),
  notice: string | null = noticeOf(c.ctx.query.done),
): Promise<void> {
  if (!/^\d{4}$/.test(yearText)) throw new AppError('bad_request', '年份应为四位数字，如 2026。');
  const year = Number(yearText);
  const cal = await loadWorkCalendar(c.deps.db);
  const source = cal.yearSource(year);
  if (!source.ok) throw calendarAppError(source.error);
  const days = cal.yearDays(year);
  if (!days.ok) throw calendarAppError(days.error);
  const asked = monthAsked(monthText);
  const month = asked.month ?? (year === yearOf(c.today) ? Number(c.today.slice(5, 7)) : 1);
  const monthError = asked.error ? `${asked.error}下面显示的是 ${month} 月。` : null;
  const shown = days.value.filter((d) => Number(d.date.slice(5, 7)) === month);
  const corrected = days.value.filter((d) => d.source === 'corrected');
  const workdays = days.value.filter((d) => d.kind === 'workday').length;
  const v = (n: string) => form?.values[n] ?? '';
  // Shared by every congress: a session bound to one sees the calendar but no form it may not submit.
  const mayCorrect = mayChangeShared(c.viewer.principal);
  sendPage(
    c,
    {
      title: `${year} 年工作日历`,
      active: 'calendar',
      notice,
      error: form?.error ?? monthError,
    },
    html`<form method="get" action="/console/calendar" class="filters">
<label>年份 <input type="text" name="year" value="${year}" size="5" maxlength="4" inputmode="numeric"></label>
<input type="hidden" name="month" value="${month}">
<button type="submit">查看</button>
</form>
<p>本年来源：<strong>${SOURCE_LABEL[source.value]}</strong>${
      source.provisional ? html` <span class="tag warn">暂定日历</span>` : ''
    }，全年工作日 ${workdays} 天。</p>
<h2 id="month">${year} 年 ${month} 月</h2>
<nav class="actions" aria-label="月份">${Array.from({ length: 12 }, (_, i) =>
      i + 1 === month
        ? html`<strong>${i + 1} 月</strong>`
        : html`<a href="/console/calendar${query({ year, month: i + 1 })}#month">${i + 1} 月</a>`,
    )}</nav>
${monthGrid(shown, c.today)}
<p class="legend"><span>工作日</span><span class="off">休息</span><span class="makeup">调休上班</span><span class="corrected">人工更正</span><span><i>斜体</i>：暂定</span></p>
<h2>本年的人工更正</h2>
${
  corrected.length === 0
    ? html`<p class="muted">没有。</p>`
    : listTable(
        [{ label: '日期' }, { label: '安排' }, { label: '依据' }, { label: '' }],
        corrected.map((d) => [
          html`<span class="nowrap">${formatDate(d.date)}</span>`,
          kindText(d),
          d.name ?? '',
          mayCorrect
            ? html`<form method="post" action="/console/calendar/corrections/${d.date}/remove" class="inline">${csrfField(c.viewer)}<button type="submit" class="secondary">撤销</button></form>`
            : '',
        ]),
      )
}
${
  mayCorrect
    ? html`<h2>更正某一天</h2>
<form method="post" action="/console/calendar/corrections" class="box">${csrfField(c.viewer)}
<input type="hidden" name="viewYear" value="${year}"><input type="hidden" name="viewMonth" value="${month}">
<label for="date">日期</label>${dateInput({ id: 'date', name: 'date', value: v('date'), required: true })}
<label for="kind">改为</label><select id="kind" name="kind"><option value="holiday"${v('kind') === 'holiday' ? html` selected` : ''}>休息日</option><option value="workday"${v('kind') === 'workday' ? html` selected` : ''}>工作日</option></select>
<label for="note">依据（必填，如放假通知的文号）</label><input type="text" id="note" name="note" maxlength="200" required value="${v('note')}">
<p class="muted">更正后，受影响的答复期限和接待日会重新计算，并通知相关人员。</p>
<button type="submit">更正</button>
</form>
<h2>载入国务院放假安排通知</h2>
${pasteForm(c, '')}`
    : SHARED_CALENDAR_NOTE
}
`,
    form?.code ?? (monthError ? 400 : 200),
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
    // 2027-3-2, 2027/3/2 and 2027年3月2日 are 2027-03-02; what cannot be read is shown again as typed.
    const read = readDateField('日期', field(form, 'date'), true);
    const values = {
      date: read.date ?? field(form, 'date'),
      kind: field(form, 'kind'),
      note: field(form, 'note'),
    };
    // The month being looked at when the form was sent: shown again if the form is refused.
    const viewYear = field(form, 'viewYear');
    const viewMonth = field(form, 'viewMonth');
    const valid = read.error === undefined;
    const year = valid
      ? values.date.slice(0, 4)
      : /^\d{4}$/.test(viewYear)
        ? viewYear
        : String(yearOf(c.today));
    const month = valid ? String(Number(values.date.slice(5, 7))) : monthAsked(viewMonth).month?.toString();
    const refuse = (error: string, code = 400) =>
      calendarPage(c, year, { error, values, code }, valid ? month : (month ?? undefined));
    if (read.error !== undefined) return refuse(read.error);
    if (values.kind !== 'holiday' && values.kind !== 'workday') return refuse('请选择改为休息日还是工作日。');
    const bad = checkText('依据', values.note, { required: true, max: 200 });
    if (bad) return refuse(bad);
    const out: { unchanged: string | null } = { unchanged: null };
    const res = await attempt(async () => {
      out.unchanged = (
        await correctDay(c.deps, {
          date: values.date,
          kind: values.kind as 'holiday' | 'workday',
          note: values.note,
          actor: actorOf(c.viewer.principal),
          requestId: c.ctx.state.requestId ?? null,
        })
      ).unchangedText;
    });
    if (!res.ok) return refuse(res.message, res.status);
    // The service audits a change; a day that already was what was asked changed nothing and leaves no row.
    markAudited(c.ctx);
    if (out.unchanged !== null) return calendarPage(c, year, undefined, month, out.unchanged);
    redirectAfter(c.ctx, `/console/calendar?year=${year}&month=${month}`, 'corrected');
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
    redirectAfter(
      c.ctx,
      `/console/calendar?year=${date.slice(0, 4)}&month=${Number(date.slice(5, 7))}`,
      'uncorrected',
    );
  });
};
