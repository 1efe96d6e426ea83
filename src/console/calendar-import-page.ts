import { markAudited } from '../api/audit-trail.ts';
import { actorOf, mayChangeShared, SHARED_DATA_REFUSAL } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { type DayView, importHolidayNotice, type NoticeImport } from '../services/calendar/index.ts';
import { formatDate, formatStatutoryDate } from '../statute/date-text.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './layout.ts';
import { attempt, type ConsoleModule, type PageContext, redirectAfter, sendPage } from './page-context.ts';

// 日历 › 载入放假通知: staff paste the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的
// 通知), see it side by side with the calendar as it stands (which days change, which reception days and
// due dates move, who will be told) and confirm; as POST /api/calendar/import.

const DAY_TEXT: Record<DayView['kind'], string> = { workday: '工作日', weekend: '周末', holiday: '休息日' };
const SOURCE_TEXT: Record<DayView['source'], string> = {
  published: '已公布',
  corrected: '人工更正',
  provisional: '暂定',
};

const dayText = (d: DayView) =>
  `${DAY_TEXT[d.kind]}${d.name ? `（${d.name}）` : ''}·${SOURCE_TEXT[d.source]}`;

/** Shown instead of the calendar's forms to a session bound to one congress (it may not submit them). */
export const SHARED_CALENDAR_NOTE = html`<p class="box muted">工作日历由各人大共用。您的令牌只属于一个人大，可以查看，不能更正或载入放假安排；如需更正，请联系管理员。</p>`;

/** The form: a textarea and 预览 (also on the calendar page); the note instead for a bound session. */
export const pasteForm = (c: PageContext, text: string): SafeHtml =>
  !mayChangeShared(c.viewer.principal)
    ? SHARED_CALENDAR_NOTE
    : html`<form method="post" action="/console/calendar/import" class="box">${csrfField(c.viewer)}
<label for="notice-text">国务院办公厅关于某年部分节假日安排的通知（全文，含标题和落款日期）</label>
<textarea id="notice-text" name="text" rows="16" required>${text}</textarea>
<input type="hidden" name="action" value="preview">
<p class="muted">先预览：列出通知安排的日期、与现在日历不同的日子、将改变的接待日和答复期限及要通知的人；确认后才载入。</p>
<button type="submit">预览</button>
</form>`;

function importPage(c: PageContext, text = '', error: string | null = null, code = 200): void {
  sendPage(
    c,
    { title: '载入国务院放假安排通知', active: 'calendar', error },
    html`<p><a href="/console/calendar">返回日历</a></p>${pasteForm(c, text)}`,
    code,
  );
}

function previewPage(c: PageContext, r: NoticeImport, text: string): void {
  sendPage(
    c,
    { title: `预览：${r.year} 年放假安排`, active: 'calendar' },
    html`<p><strong>${r.title}</strong>${r.number ? `（${r.number}）` : ''}，${r.issuedOn}。</p>
<p>${r.year} 年现在的日历：${r.previousSource === 'provisional' ? html`<span class="tag warn">暂定日历</span>` : r.previousSource === 'corrected' ? '含人工更正' : '已公布'}。以下尚未写入，确认后才生效。</p>
<h2>通知安排的日期（与现在的日历对照）</h2>
<table><thead><tr><th>日期</th><th>通知</th><th>现在的日历</th></tr></thead><tbody>
${r.days.map(
  (d) =>
    html`<tr><td>${formatDate(d.date)}</td><td>${d.kind === 'workday' ? '调休上班' : '放假'}（${d.festival}）</td><td>${dayText(d.before)}</td></tr>`,
)}</tbody></table>
<h2>改变的日子</h2>
${
  r.differences.length === 0
    ? html`<p class="muted">与现在的日历相比，没有哪一天由工作日变为休息日或相反。</p>`
    : html`<table><thead><tr><th>日期</th><th>现在</th><th>载入后</th></tr></thead><tbody>
${r.differences.map(
  (d) =>
    html`<tr><td>${formatDate(d.date)}</td><td>${dayText(d.before)}</td><td>${dayText(d.after)}</td></tr>`,
)}</tbody></table>`
}
<h2>将改变的接待日和答复期限</h2>
${
  r.changes.length === 0
    ? html`<p class="muted">没有已存的接待日或期限因此改变。</p>`
    : html`<table><thead><tr><th>事项</th><th>原日期</th><th>新日期</th><th>将通知</th></tr></thead><tbody>
${r.changes.map(
  (ch) =>
    html`<tr><td>${ch.what}</td><td>${formatStatutoryDate(ch.oldDate, ch.oldProvisional)}</td><td>${formatStatutoryDate(ch.newDate, ch.newProvisional)}</td><td>${ch.toldNames.length > 0 ? ch.toldNames.join('、') : '（无人）'}</td></tr>`,
)}</tbody></table>`
}
<form method="post" action="/console/calendar/import" class="box">${csrfField(c.viewer)}
<label for="notice-confirm">将载入的通知全文</label>
<textarea id="notice-confirm" name="text" rows="6" readonly>${text}</textarea>
<input type="hidden" name="action" value="confirm">
<p class="muted">确认后，${r.year} 年按此通知记为已公布，上述日期重新计算，并通知相关人员。</p>
<button type="submit">确认载入</button>
</form>
<p><a href="/console/calendar/import">重新粘贴</a></p>`,
  );
}

export const calendarImportPages: ConsoleModule = (r) => {
  r.get('/calendar/import', 'staff', async (c) => importPage(c));

  r.post('/calendar/import', 'staff', async (c, form) => {
    // The calendar is shared by every congress: a token bound to one may not change it (403).
    if (!mayChangeShared(c.viewer.principal))
      throw new AppError('shared_data_forbidden', SHARED_DATA_REFUSAL);
    const text = form.get('text') ?? '';
    const confirm = form.get('action') === 'confirm';
    const out: { r?: NoticeImport } = {};
    const res = await attempt(async () => {
      out.r = await importHolidayNotice(c.deps, {
        text,
        confirm,
        actor: actorOf(c.viewer.principal),
        requestId: c.ctx.state.requestId ?? null,
      });
    });
    if (!res.ok) return importPage(c, text, res.message, res.status);
    const done = out.r!;
    markAudited(c.ctx);
    if (!confirm) return previewPage(c, done, text);
    redirectAfter(c.ctx, `/console/calendar?year=${done.year}`, 'imported');
  });
};
