import { formatDate } from '../statute/date-text.ts';
import { html, type SafeHtml } from './html.ts';

// What the item and list pages need to be usable on a phone, in plain HTML (the console allows no
// script): a refused form's message at the top of the page with a link down to the form, dates and
// messages without brackets inside brackets, and a sort control for lists shown as cards (their sortable
// column headers are hidden below 600 px). The stylesheet rules are in workbench-kit.ts (WORKBENCH_CSS).

/** The stylesheet these pages link besides the console's (it holds `.phone-sort` and the history list). */
export const PHONE_STYLESHEET = html`<link rel="stylesheet" href="/console/assets/workbench.css">`;

/**
 * The block at the top of a page whose form was refused: which form, why, that nothing changed, and a
 * same-page link to the form (shown only when the page still has that form).
 */
export function refusedFormAlert(form: { label: string; anchor: string | null; message: string }): SafeHtml {
  return html`<div class="error" role="alert" id="refused">
<p><strong>「${form.label}」没有办成：</strong>${plainBrackets(form.message)}</p>
<p>本页没有作任何更改，您填写的内容还在表单里。${form.anchor ? html`<a href="#${form.anchor}">到「${form.label}」表单修改</a>` : ''}</p>
</div>`;
}

/**
 * A text without brackets inside brackets: an inner （…） becomes part of the outer one, e.g.
 * 「（已改办（退回））」 reads 「（已改办，退回）」. A date keeps its weekday as every date is written
 * (`2027-06-02（星期三）`, date-text.ts), so 「（最迟 2027-06-02（星期三）（暂定日历））」 reads
 * 「（最迟 2027-06-02（星期三），暂定日历）」.
 */
export function plainBrackets(text: string): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const weekday = WEEKDAY_AFTER_DATE.exec(text.slice(i));
    if (ch === '（' && depth > 0 && weekday && /\d{4}-\d{2}-\d{2}$/.test(out)) {
      out += weekday[0];
      i += weekday[0].length - 1;
    } else if (ch === '（') {
      depth++;
      if (depth === 1) out += ch;
      else out += /[\d日]$/.test(out) ? ' ' : '，';
    } else if (ch === '）' && depth > 0) {
      depth--;
      if (depth === 0) out += ch;
    } else out += ch;
  }
  return out.replace(/，+/g, '，').replace(/ ，/g, '，');
}

/** The weekday bracket that follows a date (formatDate's form), kept as it is. */
const WEEKDAY_AFTER_DATE = /^（星期[一二三四五六日]）/;

/** A date with its weekday kept on one line: on a phone 「（星期二）」 never breaks after 星期. */
export const wholeDate = (date: string): SafeHtml => html`<span class="nowrap">${formatDate(date)}</span>`;

/**
 * A statutory date with its weekday, and the provisional mark as a tag beside it rather than a second
 * bracket: 2027-02-23（星期二） [暂定日历].
 */
export const dateText = (date: string, provisional = false): SafeHtml =>
  html`${formatDate(date)}${provisional ? html` <span class="tag">暂定日历</span>` : ''}`;

// ---- the sort control of card lists -------------------------------------------------------------------

export interface SortChoice {
  sort: string;
  dir: 'asc' | 'desc';
  /** What the order means, in plain words: 「答复期限：最早到期的在前」. */
  label: string;
}

/**
 * `sort` and `dir` of a list's query; the phone's sort control sends them as one `order` (`due-asc`),
 * which wins when present. The page still checks the key against its own list (sortOf).
 */
export function sortQuery(query: Record<string, string | string[] | undefined>): {
  sort: string | undefined;
  dir: string | undefined;
} {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  const order = one(query.order);
  const m = order ? /^([a-z]+)-(asc|desc)$/.exec(order) : null;
  if (m) return { sort: m[1], dir: m[2] };
  return { sort: one(query.sort), dir: one(query.dir) };
}

/**
 * A small GET form for phones (hidden on wider screens, where the column headers sort): a select of the
 * orders and a 排序 button, keeping the list's filters.
 */
export function phoneSort(
  base: string,
  params: Record<string, string | number | undefined | null>,
  choices: SortChoice[],
  current: { by: string | undefined; dir: 'asc' | 'desc' },
): SafeHtml {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return html`<form method="get" action="${base}" class="phone-sort">
${kept.map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}
<label for="phone-sort-order">排序</label><select id="phone-sort-order" name="order"><option value="">默认顺序</option>${choices.map(
    (c) =>
      html`<option value="${c.sort}-${c.dir}"${current.by === c.sort && current.dir === c.dir ? html` selected` : ''}>${c.label}</option>`,
  )}</select>
<button type="submit" class="secondary">排序</button>
</form>`;
}
