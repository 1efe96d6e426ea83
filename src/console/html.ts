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

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

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
