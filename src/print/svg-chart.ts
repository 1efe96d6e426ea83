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

/**
 * Two layouts. Wide: names left of the bars (a desktop page, A4). Narrow: each name on a line of its own
 * above its bars, in a viewBox not much wider than a phone, so text drawn at 13 units is still about 14 px
 * on a 390 px screen (the wide one, scaled down to fit, put its names at about 6 px).
 */
interface Layout {
  row: number;
  gap: number;
  /** Where the bars start; the name sits left of it (wide) or above the bars (narrow, labelW 0). */
  labelW: number;
  /** A line for the name above each group's bars (narrow). */
  nameH: number;
  chartW: number;
  /** Room right of the longest bar for its figure. */
  tail: number;
  font: number;
  valueFont: number;
  legendStep: number;
  /** Longest name drawn whole (longer ones end in …; the bar's tooltip keeps the whole name). */
  nameChars: number;
}

const WIDE: Layout = {
  row: 18,
  gap: 10,
  labelW: 150,
  nameH: 0,
  chartW: 380,
  tail: 50,
  font: 12,
  valueFont: 11,
  legendStep: 110,
  nameChars: 12,
};
const NARROW: Layout = {
  row: 20,
  gap: 12,
  labelW: 0,
  nameH: 20,
  chartW: 300,
  tail: 40,
  font: 13,
  valueFont: 13,
  legendStep: 100,
  nameChars: 24,
};
const LEGEND_H = 26;

function drawBarChart(
  title: string,
  series: BarSeries[],
  groups: BarGroup[],
  l: Layout,
  cls: string,
): string {
  const e = escapeHtml;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const groupH = l.nameH + series.length * l.row + l.gap;
  const height = LEGEND_H + groups.length * groupH + 4;
  const width = l.labelW + l.chartW + l.tail;
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${l.labelW + i * l.legendStep}" y="4" width="12" height="12" fill="${s.color}"/><text x="${l.labelW + i * l.legendStep + 16}" y="15" font-size="${l.font}">${e(s.label)}</text>`,
    )
    .join('');
  const bars = groups
    .map((g, gi) => {
      const y0 = LEGEND_H + gi * groupH;
      const short = g.label.length > l.nameChars ? `${g.label.slice(0, l.nameChars - 1)}…` : g.label;
      const name =
        l.nameH > 0
          ? `<text x="0" y="${y0 + l.nameH - 5}" font-size="${l.font}" font-weight="bold">${e(short)}</text>`
          : `<text x="${l.labelW - 6}" y="${y0 + (series.length * l.row) / 2 + 4}" font-size="${l.font}" text-anchor="end">${e(short)}</text>`;
      const rows = series
        .map((s, si) => {
          const v = g.values[si] ?? 0;
          const w = Math.round((v / max) * l.chartW);
          const y = y0 + l.nameH + si * l.row;
          const bar = `<rect x="${l.labelW}" y="${y + 2}" width="${Math.max(w, v > 0 ? 2 : 0)}" height="${l.row - 4}" fill="${s.color}"><title>${e(`${g.label} ${s.label}：${v}`)}</title></rect><text x="${l.labelW + w + 4}" y="${y + l.row - 5}" font-size="${l.valueFont}">${v}</text>`;
          const href = g.links?.[si];
          return href ? `<a href="${e(href)}">${bar}</a>` : bar;
        })
        .join('');
      return name + rows;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${e(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" class="${cls}" font-family="sans-serif"><title>${e(title)}</title>${legend}${bars}</svg>`;
}

/**
 * A horizontal grouped bar chart (one row per series within each group) in both layouts, for a page read on a desktop and on a phone alike: the style sheet shows
 * `chart-wide` from 601 px and `chart-narrow` below (and the wide one on paper).
 */
export const adaptiveBarChart = (title: string, series: BarSeries[], groups: BarGroup[]): string =>
  drawBarChart(title, series, groups, WIDE, 'chart chart-wide') +
  drawBarChart(title, series, groups, NARROW, 'chart chart-narrow');
