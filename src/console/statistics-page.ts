import { findCongressById, listLiveCongresses } from '../../db/repositories/congresses.ts';
import {
  complianceSheet,
  handedOverJson,
  parseItemsQuery,
  parsePeriodQuery,
  parseSuggestionsQuery,
  statisticsPeriod,
} from '../api/statistics-routes.ts';
import { sheetOfRows, workbookOf } from '../api/xlsx.ts';
import { AppError } from '../errors.ts';
import { CHART_SERIES, renderHandlingReport } from '../print/handling-report.ts';
import { PRINT_CSP } from '../print/html.ts';
import { adaptiveBarChart } from '../print/svg-chart.ts';
import {
  CATEGORY_DEFINITION,
  type ComplianceRow,
  deputyActivity,
  groupCompliance,
  MEASURE_DEFINITION,
  MEASURE_LABEL,
  MEASURES,
  type Measure,
  periodText,
  RATES,
  rowsBehindFigure,
  type StatisticsGroup,
  sessionAttendance,
  stationCompliance,
  suggestionStatistics,
} from '../services/statistics/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { dateInput, readDateField } from './date-field.ts';
import { html, type Interpolated, query, type SafeHtml, trusted } from './html.ts';
import { type ConsoleModule, type PageContext, sendPage } from './page-context.ts';

// 统计: the suggestions handled by organ or category with every definition printed, each figure a link to the
// items it counts; leave and attendance per session; group (S1) and station (S10) activity; the yearly
// report for print; the same numbers as .xlsx.

type Params = { by: string; from: string; to: string; congress?: string | undefined };

const itemsHref = (p: Params, key: string | undefined, measure: Measure): string =>
  `/console/statistics/items${query({ by: p.by, from: p.from, to: p.to, congress: p.congress, key, measure })}`;

function figure(p: Params, g: StatisticsGroup, m: Measure, total: boolean): SafeHtml {
  return html`<a href="${itemsHref(p, total ? undefined : g.key, m)}">${g[m]}</a>`;
}

/**
 * A column header that may wrap where the words part (交办|件数, 超期|未答复, 不满意|率): seventeen columns fit
 * a desktop's width only with headers on two lines, and the style sheet keeps CJK words whole otherwise.
 */
const headerWithBreak = (label: string): SafeHtml => {
  const m = /^(不满意|交办|按期|基本|超期)(.+)$/.exec(label);
  return m ? html`${m[1]}<wbr>${m[2]}` : html`${label}`;
};

function statsTable(p: Params, groups: StatisticsGroup[], total: StatisticsGroup): SafeHtml {
  const first = p.by === 'organ' ? '承办单位' : '类别';
  const cols = [first, ...MEASURES.map((m) => MEASURE_LABEL[m]), ...RATES.map((r) => r.label)];
  const row = (g: StatisticsGroup, isTotal: boolean) =>
    html`<tr${isTotal ? trusted(' class="total"') : ''}><th scope="row">${g.label}</th>${MEASURES.map(
      (m) => html`<td data-label="${MEASURE_LABEL[m]}">${figure(p, g, m, isTotal)}</td>`,
    )}${RATES.map((r) => {
      const v = g.rates[r.key];
      return html`<td data-label="${r.label}">${v === null ? '—' : `${v.toFixed(1)}%`}<br><span class="muted">${figure(p, g, r.numerator, isTotal)}/${figure(p, g, r.denominator, isTotal)}</span></td>`;
    })}</tr>`;
  return html`<div class="scroll"><table class="list stats"><thead><tr>${cols.map(
    (c) => html`<th scope="col">${headerWithBreak(c)}</th>`,
  )}</tr></thead><tbody>${groups.map((g) => row(g, false))}${row(total, true)}</tbody></table></div>`;
}

const definitions = (): SafeHtml =>
  html`<dl class="definitions">${MEASURES.map(
    (m) => html`<dt>${MEASURE_LABEL[m]}</dt><dd>${MEASURE_DEFINITION[m]}</dd>`,
  )}${RATES.map((r) => html`<dt>${r.label}</dt><dd>${r.definition}</dd>`)}<dt>按类别统计</dt><dd>${CATEGORY_DEFINITION}</dd></dl>`;

/** The period form, holding what was chosen (also when it was refused). */
const periodForm = (by: string, from: string, to: string): SafeHtml =>
  html`<form method="get" action="/console/statistics" class="filters">
<label>分组 <select name="by"><option value="organ"${by === 'organ' ? trusted(' selected') : ''}>按承办单位</option><option value="category"${by === 'category' ? trusted(' selected') : ''}>按类别</option></select></label>
<label>开始日期 ${dateInput({ id: 'stat-from', name: 'from', value: from })}</label>
<label>结束日期 ${dateInput({ id: 'stat-to', name: 'to', value: to })}</label>
<button type="submit">统计</button>
</form>`;

const queryText = (c: PageContext, key: string): string => {
  const v = c.ctx.query[key];
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * The period typed, read as people write dates (2026/1/1, 2026年1月1日), or what is wrong with it in staff's
 * words. Checked here so a date cleared or mistyped on a phone brings back the form, not the API's
 * 「参数「from」」 on a dead end.
 */
function readPeriod(typed: { from: string; to: string }): { from: string; to: string } | { error: string } {
  const from = readDateField('开始日期', typed.from);
  if (from.error !== undefined) return { error: from.error };
  const to = readDateField('结束日期', typed.to);
  if (to.error !== undefined) return { error: to.error };
  if (from.date !== '' && to.date !== '' && from.date > to.date)
    return {
      error: `开始日期 ${formatDate(from.date)} 晚于结束日期 ${formatDate(to.date)}，请重新选择统计期间。`,
    };
  return { from: from.date, to: to.date };
}

async function statisticsPage(c: PageContext): Promise<void> {
  const typed = { from: queryText(c, 'from'), to: queryText(c, 'to') };
  const by = queryText(c, 'by') === 'category' ? 'category' : 'organ';
  const read = readPeriod(typed);
  if ('error' in read) {
    return sendPage(
      c,
      { title: '统计', active: 'statistics', error: read.error },
      html`${periodForm(by, typed.from, typed.to)}<p><a href="/console/statistics">查看本年至今的统计</a></p>`,
      400,
    );
  }
  // An emptied date box means the default (this year to date), as when it was never filled in.
  const asked: Record<string, unknown> = { ...c.ctx.query, ...read };
  for (const k of ['from', 'to'] as const) if (read[k] === '') delete asked[k];
  const q = parseSuggestionsQuery(asked);
  const period = await statisticsPeriod(c.deps, c.viewer.principal, q);
  const p: Params = { by: q.by, from: period.from, to: period.to, congress: q.congress };
  const s = await suggestionStatistics(c.deps, { by: q.by, ...period }, period.today);
  const chart = adaptiveBarChart(
    p.by === 'organ' ? '各承办单位交办与答复情况' : '各类别交办与答复情况',
    [...CHART_SERIES],
    s.groups.map((g) => ({
      label: g.label,
      values: [g.assigned, g.answered, g.answeredOnTime],
      links: [
        itemsHref(p, g.key, 'assigned'),
        itemsHref(p, g.key, 'answered'),
        itemsHref(p, g.key, 'answeredOnTime'),
      ],
    })),
  );
  const sessions = await sessionAttendance(c.deps, period);
  const deputies = await deputyActivity(c.deps, period);
  const compliance = [
    ...(await groupCompliance(c.deps, period)),
    ...(await stationCompliance(c.deps, period)),
  ];
  const bySession = new Map<
    string,
    { present: number; leave: number; absent: number; absentNames: string[] }
  >();
  for (const r of sessions) {
    const k = `${r.session}（${formatDate(r.startsOn)}）`;
    const v = bySession.get(k) ?? { present: 0, leave: 0, absent: 0, absentNames: [] };
    if (r.standing === '出席') v.present++;
    else if (r.standing === '请假') v.leave++;
    else {
      v.absent++;
      v.absentNames.push(r.deputy);
    }
    bySession.set(k, v);
  }
  const xlsx = (path: string) =>
    `${path}${query({ by: p.by, from: p.from, to: p.to, congress: p.congress })}`;
  sendPage(
    c,
    { title: '统计', active: 'statistics' },
    html`${periodForm(p.by, p.from, p.to)}
<p>统计期间：${datesWhole(periodText(period))}</p>
<p class="muted">统计期内交办的事项；超期未答复截至 ${formatDate(period.today)}。点击任一数字可查看它所统计的事项。</p>
<p><a href="${xlsx('/console/statistics/suggestions.xlsx')}">下载 Excel</a> · <a href="/console/statistics/report${query({ year: p.from.slice(0, 4), congress: p.congress })}">${p.from.slice(0, 4)}年建议办理情况报告（打印）</a></p>
<h2>建议办理情况</h2>
${s.groups.length === 0 ? html`<p>统计期内没有交办的事项。</p>` : statsTable(p, s.groups, s.total)}
<figure class="chart">${trusted(chart)}</figure>
<details open><summary>统计口径</summary>${definitions()}</details>
<h2>会议出席与请假</h2>
${
  bySession.size === 0
    ? html`<p>统计期内没有召开的会议。</p>`
    : html`<div class="scroll"><table class="list"><thead><tr><th>会议</th><th>出席</th><th>请假</th><th>缺席（未获准请假）</th></tr></thead><tbody>${[
        ...bySession.entries(),
      ].map(
        ([k, v]) =>
          html`<tr><td data-label="会议">${k}</td><td data-label="出席">${v.present}</td><td data-label="请假">${v.leave}</td><td data-label="缺席">${v.absent}${v.absentNames.length > 0 ? html`<br><span class="muted">${v.absentNames.join('、')}</span>` : ''}</td></tr>`,
      )}</tbody></table></div>`
}
<h3>代表参加活动与请假</h3>
<div class="scroll"><table class="list"><thead><tr><th>代表</th><th>受邀活动</th><th>参加活动</th><th>请假</th><th>获准请假</th></tr></thead><tbody>${deputies.map(
      (d) =>
        html`<tr><td data-label="代表">${d.person_name}</td><td data-label="受邀活动">${d.invited}</td><td data-label="参加活动">${d.attended}</td><td data-label="请假">${d.leave_requests}</td><td data-label="获准请假">${d.leave_approved}</td></tr>`,
    )}</tbody></table></div>
<p><a href="${xlsx('/console/statistics/attendance.xlsx')}">下载 Excel</a></p>
<h2>小组活动（大同 第六条）和联络站接待（山西 第三十一条）</h2>
${
  compliance.length === 0
    ? html`<p>没有登记的代表小组或联络站。</p>`
    : html`<div class="scroll"><table class="list"><thead><tr><th>名称</th><th>周期</th><th>要求</th><th>开展次数</th><th>是否达标</th></tr></thead><tbody>${compliance.map(
        (r) =>
          html`<tr><td data-label="名称">${r.unitKind} ${r.unit}</td><td data-label="周期">${r.period}</td><td data-label="要求">${r.required}</td><td data-label="开展次数">${r.held}${r.activities.length > 0 ? html`<br><span class="muted">${r.activities.join('；')}</span>` : ''}</td><td data-label="是否达标">${complianceCell(r)}</td></tr>`,
      )}</tbody></table></div>`
}
<p><a href="${xlsx('/console/statistics/compliance.xlsx')}">下载 Excel</a></p>`,
  );
}

/** A date with its weekday never breaks across lines (「2026-06-30（星期二）」 split after 星期 on a phone). */
const datesWhole = (text: string): SafeHtml =>
  html`${text.split(/(\d{4}-\d{2}-\d{2}（星期.）)/).map((part, i) => (i % 2 === 1 ? html`<span class="nowrap">${part}</span>` : part))}`;

/** Only a period that is over is judged; a running one reads 进行中 with its count so far. */
const complianceCell = (r: ComplianceRow): SafeHtml =>
  r.status === 'unmet' ? html`<span class="tag warn">${r.statusLabel}</span>` : datesWhole(r.statusLabel);

/** A date in a table cell, with its weekday, kept on one line. */
const dayCell = (date: string): SafeHtml => html`<span class="nowrap">${formatDate(date)}</span>`;

const ITEM_COLUMNS = ['编号', '标题', '承办单位', '交办日期', '答复期限', '答复日期'] as const;

async function itemsPage(c: PageContext): Promise<void> {
  const q = parseItemsQuery(c.ctx.query);
  const period = await statisticsPeriod(c.deps, c.viewer.principal, q);
  const rows = await rowsBehindFigure(
    c.deps,
    { by: q.by, ...period, key: q.key, measure: q.measure as Measure },
    period.today,
  );
  const group = q.key === undefined ? '合计' : q.by === 'organ' ? (rows[0]?.organ_name ?? '该单位') : q.key;
  const back = `/console/statistics${query({ by: q.by, from: period.from, to: period.to, congress: q.congress })}`;
  const cells: Interpolated[][] = rows.map((r) => {
    const j = handedOverJson(r);
    return [
      html`<a href="/console/suggestions/${j.code}" class="code">${j.code}</a>`,
      j.title,
      `${j.organ}（${j.role}）`,
      dayCell(j.assignedOn),
      j.dueOn ? dayCell(j.dueOn) : '—',
      j.answeredOn ? dayCell(j.answeredOn) : '未答复',
    ];
  });
  sendPage(
    c,
    { title: `${group} · ${MEASURE_LABEL[q.measure as Measure]}`, active: 'statistics' },
    html`<p>统计期间：${datesWhole(periodText(period))}，共 <strong class="figure">${rows.length}</strong> 件。</p>
<p class="muted">${MEASURE_LABEL[q.measure as Measure]}：${MEASURE_DEFINITION[q.measure as Measure]}</p>
<div class="scroll"><table class="list"><thead><tr>${ITEM_COLUMNS.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${cells.map(
      // Each cell names its column: on a phone the row is a card and the header row is hidden.
      (r) => html`<tr>${r.map((x, i) => html`<td data-label="${ITEM_COLUMNS[i]!}">${x}</td>`)}</tr>`,
    )}</tbody></table></div>
<p><a href="${back}">返回统计</a></p>`,
  );
}

/**
 * A workbook download named in Chinese with its period (「建议办理统计_2026-01-01至2026-11-23.xlsx」), so
 * staff can tell a week's downloads apart; `name` is the ASCII fallback for old browsers.
 */
async function sendWorkbook(
  c: PageContext,
  name: string,
  title: string,
  period: { from: string; to: string },
  sheets: Parameters<typeof workbookOf>[0],
) {
  c.ctx.body = await workbookOf(sheets, c.deps.config.timezone);
  c.ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const full = `${title}_${period.from}至${period.to}.xlsx`;
  c.ctx.set(
    'Content-Disposition',
    `attachment; filename="${name}.xlsx"; filename*=UTF-8''${encodeURIComponent(full)}`,
  );
}

async function reportPage(c: PageContext): Promise<void> {
  const yearText = typeof c.ctx.query.year === 'string' ? c.ctx.query.year : '';
  if (!/^\d{4}$/.test(yearText)) throw new AppError('bad_request', '请指明年份，如 2026。');
  const congressParam =
    typeof c.ctx.query.congress === 'string' && c.ctx.query.congress !== ''
      ? c.ctx.query.congress
      : undefined;
  const year = Number(yearText);
  const period = await statisticsPeriod(c.deps, c.viewer.principal, {
    from: `${year}-01-01`,
    // A year still running is reported to date.
    to: `${year}-12-31` < c.today ? `${year}-12-31` : c.today,
    congress: congressParam,
  });
  let congress = '本级人民代表大会';
  if (period.congressIds?.length === 1)
    congress = (await findCongressById(c.deps.db, period.congressIds[0]!))?.name ?? congress;
  else {
    const live = await listLiveCongresses(c.deps.db);
    if (live.length === 1) congress = live[0]!.name;
  }
  const byOrgan = await suggestionStatistics(c.deps, { by: 'organ', ...period }, period.today);
  const byCategory = await suggestionStatistics(c.deps, { by: 'category', ...period }, period.today);
  const page = renderHandlingReport({ congress, year, byOrgan, byCategory });
  // The console allows no inline style: a printable page's own A4 style sheet is allowed by its hash.
  c.ctx.set('Content-Security-Policy', PRINT_CSP);
  c.ctx.status = 200;
  c.ctx.type = 'text/html; charset=utf-8';
  c.ctx.body = page;
}

export const statisticsPages: ConsoleModule = (r) => {
  r.get('/statistics', 'staff', statisticsPage);
  r.get('/statistics/items', 'staff', itemsPage);
  r.get('/statistics/report', 'staff', reportPage);
  r.get('/statistics/suggestions.xlsx', 'staff', async (c) => {
    const q = parseSuggestionsQuery(c.ctx.query);
    const period = await statisticsPeriod(c.deps, c.viewer.principal, q);
    const s = await suggestionStatistics(c.deps, { by: q.by, ...period }, period.today);
    const row = (g: StatisticsGroup) => ({
      label: g.label,
      ...Object.fromEntries(MEASURES.map((m) => [m, g[m]])),
      ...g.rates,
    });
    await sendWorkbook(c, 'statistics', '建议办理统计', period, [
      {
        name: '建议办理统计',
        columns: [
          { key: 'label', header: q.by === 'organ' ? '承办单位' : '类别' },
          ...MEASURES.map((m) => ({ key: m, header: MEASURE_LABEL[m] })),
          ...RATES.map((x) => ({ key: x.key, header: `${x.label}（%）` })),
        ],
        rows: [...s.groups.map(row), row(s.total)],
      },
    ]);
  });
  r.get('/statistics/attendance.xlsx', 'staff', async (c) => {
    const period = await statisticsPeriod(c.deps, c.viewer.principal, parsePeriodQuery(c.ctx.query));
    const rows = (await sessionAttendance(c.deps, period)).map((x) => ({ ...x }));
    await sendWorkbook(c, 'attendance', '会议出席', period, [sheetOfRows('会议出席', rows)]);
  });
  r.get('/statistics/compliance.xlsx', 'staff', async (c) => {
    const period = await statisticsPeriod(c.deps, c.viewer.principal, parsePeriodQuery(c.ctx.query));
    const rows = [...(await groupCompliance(c.deps, period)), ...(await stationCompliance(c.deps, period))];
    await sendWorkbook(c, 'compliance', '活动达标情况', period, [complianceSheet(rows)]);
  });
};
