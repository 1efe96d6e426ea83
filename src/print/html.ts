import { createHash } from 'node:crypto';

// Text a person wrote, made safe to put inside printable HTML.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string | number | null | undefined): string =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** The A4 print style sheet of every printable page (a page served with a strict CSP allows it by PRINT_CSP). */
const PRINT_STYLE = `@page { size: A4; margin: 25mm 20mm; }
body { font-family: "SimSun", "Songti SC", serif; font-size: 16px; line-height: 1.8; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 24px; letter-spacing: 0.5em; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 1px solid #000; padding: 6px 10px; vertical-align: top; text-align: left; }
th { width: 8em; font-weight: normal; }
.sign { margin-top: 3em; text-align: right; }
.note { font-size: 13px; color: #333; }
h1.report { letter-spacing: 0; font-size: 20px; line-height: 1.5; }
h1 .running { font-size: 16px; font-weight: normal; }
h2 { font-size: 18px; margin: 1.2em 0 0.4em; }
table.stats td, table.stats th { width: auto; font-size: 12px; padding: 3px 4px; text-align: right; white-space: nowrap; }
table.stats td:first-child, table.stats th:first-child { text-align: left; white-space: normal; }
table.stats tr.total td { font-weight: bold; }
ul.definitions { font-size: 13px; line-height: 1.6; padding-left: 1.2em; }
figure { margin: 1em 0; }
svg.chart { max-width: 100%; height: auto; }
svg.chart-narrow { display: none; }
img { max-width: 100%; height: auto; }
.swipe { display: none; }
tr, figure, .sign { page-break-inside: avoid; break-inside: avoid; }
@media print { .noprint { display: none; } body { max-width: none; } a { color: inherit; text-decoration: none; } }
@media screen and (max-width: 600px) {
body { font-size: 15px; line-height: 1.7; margin: 0; padding: 0 12px; }
h1 { font-size: 20px; letter-spacing: 0.2em; }
th { width: 5em; }
td, th { padding: 4px 6px; overflow-wrap: anywhere; }
table.stats { display: block; overflow-x: auto; }
table.stats td, table.stats th { overflow-wrap: normal; }
table.stats td:first-child, table.stats th:first-child { min-width: 7em; }
.swipe { display: block; margin: 0.2em 0; }
svg.chart-wide { display: none; }
svg.chart-narrow { display: block; }
}
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A Content-Security-Policy for a printable page: its own style sheet and print button, nothing else. */
export const PRINT_CSP = `default-src 'none'; style-src ${sha256(PRINT_STYLE)}; script-src 'unsafe-hashes' ${sha256('window.print()')}; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;

/** The head's first line of every printable page: a phone shows it at its own width, not at 980 px. */
export const PRINT_HEAD_META =
  '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">';

/**
 * A printable A4 page with the given body: on paper as on A4 (PRINT_STYLE's @page), on a phone at the
 * phone's width, with pictures and tables kept inside the screen.
 */
export function printablePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head>${PRINT_HEAD_META}<title>${escapeHtml(title)}</title>
<style>${PRINT_STYLE}</style></head><body>
${body}
<p class="noprint"><button onclick="window.print()">打印</button></p>
</body></html>`;
}
