import { escapeHtml } from './html.ts';

// Bar charts drawn on the server as SVG markup (no script, no external library, no CDN): a page or a
// printed report embeds them as they are. Each bar may link to the items it counts.

export interface BarSeries {
  label: string;
  /** A fill colour (a fixed constant, never user text). */
  color: string;
}

export interface BarGroup {
  label: string;
  values: number[];
  /** Where each bar links (the items behind it), by series; omitted: no link. */
  links?: (string | null)[];
}

const ROW = 18;
const GAP = 10;
const LABEL_W = 150;
const CHART_W = 380;
const LEGEND_H = 26;

/** A horizontal grouped bar chart: one row per series within each group. */
export function barChart(title: string, series: BarSeries[], groups: BarGroup[]): string {
  const e = escapeHtml;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const groupH = series.length * ROW + GAP;
  const height = LEGEND_H + groups.length * groupH + 4;
  const width = LABEL_W + CHART_W + 50;
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${LABEL_W + i * 110}" y="4" width="12" height="12" fill="${s.color}"/><text x="${LABEL_W + i * 110 + 16}" y="15" font-size="12">${e(s.label)}</text>`,
    )
    .join('');
  const bars = groups
    .map((g, gi) => {
      const y0 = LEGEND_H + gi * groupH;
      const name = `<text x="${LABEL_W - 6}" y="${y0 + (series.length * ROW) / 2 + 4}" font-size="12" text-anchor="end">${e(g.label.length > 12 ? `${g.label.slice(0, 11)}…` : g.label)}</text>`;
      const rows = series
        .map((s, si) => {
          const v = g.values[si] ?? 0;
          const w = Math.round((v / max) * CHART_W);
          const y = y0 + si * ROW;
          const bar = `<rect x="${LABEL_W}" y="${y + 2}" width="${Math.max(w, v > 0 ? 2 : 0)}" height="${ROW - 4}" fill="${s.color}"><title>${e(`${g.label} ${s.label}：${v}`)}</title></rect><text x="${LABEL_W + w + 4}" y="${y + ROW - 5}" font-size="11">${v}</text>`;
          const href = g.links?.[si];
          return href ? `<a href="${e(href)}">${bar}</a>` : bar;
        })
        .join('');
      return name + rows;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${e(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" class="chart" font-family="sans-serif"><title>${e(title)}</title>${legend}${bars}</svg>`;
}
