import { daysInMonth, readWrittenDate } from '../statute/calendar-date.ts';
import { html, type SafeHtml } from './html.ts';

// Where the console asks for a date: a plain text field with the expected form written beside it in
// Chinese (a browser's date picker writes dates in its own locale, 12/03/2026 in an English one), and
// the reading of what was typed — 2026-12-03, 2026/12/3, 2026年12月3日 — through the calendar module,
// with a message in staff's words when the calendar has no such day. A refused form shows what was typed.

/** The example every date field shows. */
export const DATE_EXAMPLE = '2026-12-03';

/** The line under a date field, as text: the form expected, and the other forms accepted. */
export const DATE_HINT = `例如 ${DATE_EXAMPLE}，也可写 2026/12/3 或 2026年12月3日`;

/**
 * A date field: a text input (never the browser's locale-bound date picker) and its hint. Phrasing
 * content only, so it may sit inside a <label>.
 */
export function dateInput(o: { id: string; name: string; value: string; required?: boolean }): SafeHtml {
  return html`<input type="text" id="${o.id}" name="${o.name}" value="${o.value}" placeholder="${DATE_EXAMPLE}" maxlength="20" autocomplete="off" aria-describedby="${o.id}-hint"${o.required ? html` required` : ''}><small class="field-hint" id="${o.id}-hint">例如 <span class="nowrap">${DATE_EXAMPLE}</span>，也可写 <span class="nowrap">2026/12/3</span> 或 <span class="nowrap">2026年12月3日</span></small>`;
}

/**
 * A typed date read for a form: `date` as YYYY-MM-DD ('' when left empty and not required), or the
 * message naming the field and what is wrong.
 */
export function readDateField(
  label: string,
  typed: string,
  required = false,
): { date: string; error?: undefined } | { date?: undefined; error: string } {
  const text = typed.trim();
  if (text === '') return required ? { error: `请填写「${label}」，例如 ${DATE_EXAMPLE}。` } : { date: '' };
  const read = readWrittenDate(text);
  if (read === null)
    return { error: `「${label}」填的「${text}」不是日期，请按 年-月-日 填写，例如 ${DATE_EXAMPLE}。` };
  if ('date' in read) return { date: read.date };
  const { year, month } = read.noSuchDay;
  const why =
    month < 1 || month > 12
      ? `没有 ${month} 月`
      : `${year} 年 ${month} 月只有 ${daysInMonth(year, month)} 天`;
  return { error: `「${label}」填的 ${text} 这一天不存在：${why}，请重新填写。` };
}
