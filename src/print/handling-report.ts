import {
  CATEGORY_DEFINITION,
  MEASURE_DEFINITION,
  MEASURE_LABEL,
  MEASURES,
  periodText,
  RATES,
  type StatisticsGroup,
  type SuggestionStatistics,
} from '../services/statistics/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { periodOver } from '../statute/rule-periods.ts';
import { escapeHtml, printablePage } from './html.ts';
import { adaptiveBarChart } from './svg-chart.ts';

// 《代表法》第五十一条第三款: 办理情况的报告予以公开. The yearly 建议办理情况报告: the statistics by organ and by
// category as a document for print (A4) and for publication, with every definition it counts by.

export const CHART_SERIES = [
  { label: '交办', color: '#6c757d' },
  { label: '已答复', color: '#2b6cb0' },
  { label: '按期答复', color: '#2f855a' },
] as const;

const pct = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)}%`);

function table(first: string, s: SuggestionStatistics): string {
  const e = escapeHtml;
  const head = `<tr><th>${e(first)}</th><th>交办</th><th>已答复</th><th>按期答复率</th><th>答复率</th><th>办结率</th><th>满意</th><th>基本满意</th><th>不满意</th><th>重办</th><th>超期未答复</th></tr>`;
  const row = (g: StatisticsGroup, total = false) =>
    `<tr${total ? ' class="total"' : ''}><td>${e(g.label)}</td><td>${g.assigned}</td><td>${g.answered}</td><td>${pct(g.rates.onTimeRate)}</td><td>${pct(g.rates.answerRate)}</td><td>${pct(g.rates.closeRate)}</td><td>${g.satisfied}</td><td>${g.basicallySatisfied}</td><td>${g.dissatisfied}</td><td>${g.rehandled}</td><td>${g.overdueNow}</td></tr>`;
  // On a phone the table scrolls sideways in its own box; the line saying so is not printed.
  return `<p class="swipe note">表格较宽，可左右滑动查看各列。</p><table class="stats">${head}${s.groups.map((g) => row(g)).join('')}${row(s.total, true)}</table>`;
}

export interface HandlingReportInput {
  congress: string;
  year: number;
  byOrgan: SuggestionStatistics;
  byCategory: SuggestionStatistics;
}

export function renderHandlingReport(r: HandlingReportInput): string {
  const e = escapeHtml;
  const t = r.byOrgan.total;
  const chart = adaptiveBarChart(
    '各承办单位交办与答复情况',
    [...CHART_SERIES],
    r.byOrgan.groups.map((g) => ({ label: g.label, values: [g.assigned, g.answered, g.answeredOnTime] })),
  );
  const definitions = [
    ...MEASURES.map((m) => `<li><strong>${e(MEASURE_LABEL[m])}</strong>：${e(MEASURE_DEFINITION[m])}</li>`),
    ...RATES.map((x) => `<li><strong>${e(x.label)}</strong>：${e(x.definition)}</li>`),
    `<li><strong>按类别统计</strong>：${e(CATEGORY_DEFINITION)}</li>`,
  ].join('');
  const c = r.byCategory.total;
  // A year still running is reported to date and says so: its figures are not the year's (cf. the
  // group periods of 大同 第六条, judged only once over).
  const running = !periodOver({ ends: `${r.year}-12-31` }, r.byOrgan.today);
  const body = `<h1 class="report">${e(r.congress)}<br>${r.year}年代表建议、批评和意见办理情况报告${running ? `<br><span class="running">年度进行中，截至 ${e(formatDate(r.byOrgan.today))}</span>` : ''}</h1>
${
  running
    ? `<p class="note running">${r.year}年尚未结束：以下是截至 ${e(formatDate(r.byOrgan.today))}的情况，全年数字待年度结束后统计。</p>
`
    : ''
}<p>统计期间：${e(periodText(r.byOrgan))}；超期未答复件数截至 ${e(formatDate(r.byOrgan.today))}。</p>
<p>统计期内共交办代表建议、批评和意见 ${c.assigned} 件（按承办单位计 ${t.assigned} 件次，主办、协办各计一次），已答复 ${c.answered} 件，答复率 ${pct(c.rates.answerRate)}，按期答复率 ${pct(c.rates.onTimeRate)}；已办结 ${c.closed} 件，办结率 ${pct(c.rates.closeRate)}。代表已评价 ${c.rated} 件，其中满意 ${c.satisfied} 件、基本满意 ${c.basicallySatisfied} 件、不满意 ${c.dissatisfied} 件；因代表不满意重新办理 ${c.rehandled} 件；目前超期未答复 ${c.overdueNow} 件。</p>
<h2>一、按承办单位</h2>
${table('承办单位', r.byOrgan)}
<figure>${chart}</figure>
<h2>二、按类别</h2>
${table('类别', r.byCategory)}
<h2>三、统计口径</h2>
<ul class="definitions">${definitions}</ul>
<p class="note">依照《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第五十一条第三款，本报告予以公开。</p>
<p class="sign">${e(r.congress)}常务委员会办事机构<br>${e(r.byOrgan.today)}</p>`;
  return printablePage(`${r.year}年代表建议办理情况报告`, body);
}
