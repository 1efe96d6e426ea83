import { escapeHtml } from '../print/html.ts';

// Every console template is an `html` tagged template: each interpolated value is escaped unless it is
// already SafeHtml (the output of another `html` template). No page builds markup by string concatenation,
// so a name, a suggestion's content or a reason written by anyone cannot become markup.

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

const render = (v: Interpolated): string => {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
};

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i] as Interpolated) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup written by the console itself (never user text): a fixed constant. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);

/** A query string from fixed keys and any values (values are URL-encoded; `html` escapes the result). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

// ---- lists: sortable columns, cards on phones, pages -----------------------------------------------

/** A list column: its header, and the sort key its header link sets (none: not sortable). */
export interface Column {
  label: string;
  sort?: string;
}

export interface SortState {
  /** The list's address and its current query (filters), kept by every header and pager link. */
  base: string;
  params: Record<string, string | number | undefined | null>;
  by: string | undefined;
  dir: 'asc' | 'desc';
}

/** Reads `sort` and `dir` from a query, allowing only the given keys. */
export function sortOf(
  raw: { sort?: string | undefined; dir?: string | undefined },
  keys: readonly string[],
): { by: string | undefined; dir: 'asc' | 'desc' } {
  const by = raw.sort !== undefined && keys.includes(raw.sort) ? raw.sort : undefined;
  return { by, dir: raw.dir === 'asc' ? 'asc' : 'desc' };
}

/**
 * A server-rendered list table: each cell carries its column's label, so below the phone breakpoint the
 * stylesheet shows every row as a card ("label: value") instead of a table wider than the screen.
 */
export function listTable(cols: Column[], rows: Interpolated[][], sort?: SortState): SafeHtml {
  const head = cols.map((c) => {
    if (!sort || !c.sort) return html`<th scope="col">${c.label}</th>`;
    const on = sort.by === c.sort;
    const dir = on && sort.dir === 'desc' ? 'asc' : 'desc';
    const arrow = on ? (sort.dir === 'desc' ? ' ↓' : ' ↑') : '';
    const href = `${sort.base}${query({ ...sort.params, sort: c.sort, dir, page: undefined })}`;
    return html`<th scope="col"${on ? html` aria-sort="${sort.dir === 'desc' ? 'descending' : 'ascending'}"` : ''}><a href="${href}"${on ? html` class="sorted"` : ''}>${c.label}${arrow}</a></th>`;
  });
  return html`<table class="list"><thead><tr>${head}</tr></thead><tbody>
${rows.map((r) => html`<tr>${r.map((cell, i) => html`<td data-label="${cols[i]?.label ?? ''}"><div>${cell}</div></td>`)}</tr>\n`)}</tbody></table>`;
}

/** The page links under a list, keeping its filters and sort. */
export function pager(
  base: string,
  params: Record<string, string | number | undefined | null>,
  pageNo: number,
  pages: number,
): SafeHtml {
  if (pages <= 1) return html``;
  return html`<nav class="pager" aria-label="分页">${
    pageNo > 1 ? html`<a href="${base}${query({ ...params, page: pageNo - 1 })}">上一页</a>` : ''
  }<span>第 ${pageNo} / ${pages} 页</span>${
    pageNo < pages ? html`<a href="${base}${query({ ...params, page: pageNo + 1 })}">下一页</a>` : ''
  }</nav>`;
}

/** One page of a list held in memory; the page number is clamped to the pages there are. */
export function pageOf<T>(items: T[], raw: string | undefined, size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const pageNo = Math.min(pages, Math.max(1, Number.parseInt(raw ?? '1', 10) || 1));
  return { rows: items.slice((pageNo - 1) * size, pageNo * size), pageNo, pages };
}
