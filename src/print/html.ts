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

/** A printable A4 page with the given body. */
export function printablePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "SimSun", "Songti SC", serif; font-size: 16px; line-height: 1.8; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 24px; letter-spacing: 0.5em; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 1px solid #000; padding: 6px 10px; vertical-align: top; text-align: left; }
th { width: 8em; font-weight: normal; }
.sign { margin-top: 3em; text-align: right; }
.note { font-size: 13px; color: #333; }
@media print { .noprint { display: none; } }
</style></head><body>
${body}
<p class="noprint"><button onclick="window.print()">打印</button></p>
</body></html>`;
}
