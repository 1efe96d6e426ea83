import { daysInMonth, readWrittenDate, readWrittenTime } from '../statute/calendar-date.ts';
import { html, type SafeHtml } from './html.ts';

// Where the console asks for a date or a time of day: a plain text field with the expected form written
// beside it in Chinese (a browser's date and time pickers write in its own locale, 12/03/2026 and
// 09:00 AM in an English one), and the reading of what was typed — 2026-12-03, 2026/12/3, 2026年12月3日;
// 09:00, 9点, 下午2点半 — through the calendar module, with a message in staff's words when no calendar or
// clock has it. A refused form shows what was typed.

/** The example every date field shows. */
export const DATE_EXAMPLE = '2026-12-03';

/** The line under a date field, as text: the form expected, and the other forms accepted. */
export const DATE_HINT = `例如 ${DATE_EXAMPLE}，也可写 2026/12/3 或 2026年12月3日`;

/** The example every time field shows. */
export const TIME_EXAMPLE = '09:00';

/** The line under a time field, as text. */
export const TIME_HINT = `例如 ${TIME_EXAMPLE}，也可写 9点 或 下午2点半`;

interface FieldOptions {
  id: string;
  name: string;
  value: string;
  required?: boolean;
}

/** The hint under a field: the example and each other form accepted, each kept whole on a line. */
const hintOf = (id: string, example: string, others: readonly [string, string]): SafeHtml =>
  html`<small class="field-hint" id="${id}">例如 <span class="nowrap">${example}</span>，也可写 <span class="nowrap">${others[0]}</span> 或 <span class="nowrap">${others[1]}</span></small>`;

/**
 * A text input (never the browser's locale-bound picker) described by the hint `hintId`, and that hint
 * unless it is shared (`shared`: fields side by side with one hint under them, rendered by the caller).
 * Phrasing content only, so it may sit inside a <label>.
 */
function writtenInput(
  o: FieldOptions,
  example: string,
  others: readonly [string, string],
  shared?: string,
): SafeHtml {
  const hintId = shared ?? `${o.id}-hint`;
  const time = example === TIME_EXAMPLE;
  // The placeholder names the parts, not a date: "2026-12-03" in an empty field reads as filled in.
  const placeholder = time ? '时:分' : '年-月-日';
  // A refused form shows what was typed: a value no calendar or clock has is marked at its field (and the
  // cursor put there), not only named in the message at the top.
  // Read as the form reads it (readDateField, readTimeField); an empty field is the browser's to mark.
  const refused =
    o.value.trim() !== '' &&
    (time ? readTimeField('', o.value) : readDateField('', o.value)).error !== undefined;
  return html`<input type="text" id="${o.id}" name="${o.name}" value="${o.value}" placeholder="${placeholder}" maxlength="20" autocomplete="off" aria-describedby="${hintId}"${o.required ? html` required` : ''}${refused ? html` aria-invalid="true" autofocus` : ''}>${shared ? '' : hintOf(hintId, example, others)}`;
}

const DATE_OTHERS = ['2026/12/3', '2026年12月3日'] as const;
const TIME_OTHERS = ['9点', '下午2点半'] as const;

/** A date field. */
export const dateInput = (o: FieldOptions): SafeHtml => writtenInput(o, DATE_EXAMPLE, DATE_OTHERS);

/**
 * A time-of-day field. Two side by side (a start and an end) share one hint: pass its id as `hint` to each
 * and put `timeHint(id)` under them.
 */
export const timeInput = (o: FieldOptions & { hint?: string }): SafeHtml =>
  writtenInput(o, TIME_EXAMPLE, TIME_OTHERS, o.hint);

/** The hint that time fields side by side share. */
export const timeHint = (id: string): SafeHtml => hintOf(id, TIME_EXAMPLE, TIME_OTHERS);

type FieldRead<K extends string> =
  | ({ [k in K]: string } & { error?: undefined })
  | ({ [k in K]?: undefined } & { error: string });

/**
 * What was typed in a field, read by `read` (a value, why the calendar or clock has no such one, or null
 * when it is not written as one at all): the value ('' when left empty and not required), or the message
 * naming the field and what is wrong.
 */
function readField(
  label: string,
  typed: string,
  required: boolean,
  o: { example: string; form: string; kind: string; read: (text: string) => string | { why: string } | null },
): { value: string } | { error: string } {
  const text = typed.trim();
  if (text === '') return required ? { error: `请填写「${label}」，例如 ${o.example}。` } : { value: '' };
  const read = o.read(text);
  if (read === null)
    return { error: `「${label}」填的「${text}」不是${o.kind}，请按 ${o.form} 填写，例如 ${o.example}。` };
  return typeof read === 'string' ? { value: read } : { error: `「${label}」填的 ${text} ${read.why}` };
}

/**
 * A typed date read for a form: `date` as YYYY-MM-DD ('' when left empty and not required), or the
 * message naming the field and what is wrong.
 */
export function readDateField(label: string, typed: string, required = false): FieldRead<'date'> {
  const read = readField(label, typed, required, {
    example: DATE_EXAMPLE,
    form: '年-月-日',
    kind: '日期',
    read: (text) => {
      const r = readWrittenDate(text);
      if (r === null || 'date' in r) return r?.date ?? null;
      const { year, month } = r.noSuchDay;
      const why =
        month < 1 || month > 12
          ? `没有 ${month} 月`
          : `${year} 年 ${month} 月只有 ${daysInMonth(year, month)} 天`;
      return { why: `这一天不存在：${why}，请重新填写。` };
    },
  });
  return 'error' in read ? read : { date: read.value };
}

/**
 * A typed time of day read for a form: `time` as HH:MM ('' when left empty and not required), or the
 * message naming the field and what is wrong (25:00, 9:75; “2点半” without 上午 or 下午).
 */
export function readTimeField(label: string, typed: string, required = false): FieldRead<'time'> {
  const read = readField(label, typed, required, {
    example: TIME_EXAMPLE,
    form: '时:分',
    kind: '时间',
    read: (text) => {
      const r = readWrittenTime(text);
      if (r === null || 'time' in r) return r?.time ?? null;
      if ('partOfDayUnsaid' in r) {
        const { hour, minute } = r.partOfDayUnsaid;
        const at = (h: number) => `${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        return {
          why: `是凌晨还是下午？请写明，例如「下午${text}」或 ${at(hour + 12)}（凌晨写 ${at(hour)}）。`,
        };
      }
      const why = r.noSuchTime.hour > 23 ? '一天只有 0 点到 23 点' : '一小时只有 0 到 59 分';
      return { why: `这个时间不存在：${why}，请重新填写。` };
    },
  });
  return 'error' in read ? read : { time: read.value };
}
