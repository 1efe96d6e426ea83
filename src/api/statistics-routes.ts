import { z } from 'zod';
import { findCongressByName } from '../../db/repositories/congresses.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import {
  type ComplianceRow,
  deputyActivity,
  groupCompliance,
  type HandedOverRow,
  MEASURE_DEFINITION,
  MEASURE_LABEL,
  MEASURES,
  type Measure,
  RATES,
  rowsBehindFigure,
  type StatisticsBy,
  type StatisticsGroup,
  type StatisticsQuery,
  sessionAttendance,
  stationCompliance,
  suggestionStatistics,
} from '../services/statistics/index.ts';
import { isValidDate, todayIn } from '../statute/calendar-date.ts';
import { type Principal, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseQuery } from './outbox-routes.ts';
import { type Sheet, sendSheets } from './xlsx.ts';

// GET /api/statistics/suggestions (CONTRACT §2) and the items behind each figure; leave and attendance;
// group (S1) and station (S10) activity. `?format=xlsx` on each.

const DATE = z.string().trim().refine(isValidDate, '应为日期 YYYY-MM-DD');

const periodSchema = {
  from: DATE.optional(),
  to: DATE.optional(),
  congress: z.string().trim().min(1).max(100).optional(),
};

const suggestionsSchema = z
  .object({ by: z.enum(['organ', 'category']).default('organ'), ...periodSchema })
  .strict();

const itemsSchema = z
  .object({
    by: z.enum(['organ', 'category']).default('organ'),
    key: z.string().trim().min(1).max(100).optional(),
    measure: z.enum(MEASURES).default('assigned'),
    ...periodSchema,
  })
  .strict();

const periodOnlySchema = z.object(periodSchema).strict();

export interface PeriodInput {
  from?: string | undefined;
  to?: string | undefined;
  congress?: string | undefined;
}

/** The period asked for (default: this year to date) and the congresses the principal may count. */
export async function statisticsPeriod(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  p: Principal,
  q: PeriodInput,
): Promise<{ from: string; to: string; today: string; congressIds: number[] | null }> {
  const today = todayIn(deps.clock, deps.config.timezone);
  const from = q.from ?? `${today.slice(0, 4)}-01-01`;
  const to = q.to ?? today;
  if (from > to) throw new AppError('bad_request', `开始日期 ${from} 晚于结束日期 ${to}`);
  let congressIds: number[] | null = p.congressId === null ? null : [p.congressId];
  if (q.congress !== undefined) {
    const c = await findCongressByName(deps.db, q.congress);
    if (!c) throw new AppError('not_found', `没有名为「${q.congress}」的人大`);
    if (p.congressId !== null && c.id !== p.congressId)
      throw new AppError('forbidden', '您的令牌只能查看所属人大');
    congressIds = [c.id];
  }
  return { from, to, today, congressIds };
}

export const parseSuggestionsQuery = (query: unknown) => parseQuery(suggestionsSchema, query);
export const parseItemsQuery = (query: unknown) => parseQuery(itemsSchema, query);
export const parsePeriodQuery = (query: unknown) => parseQuery(periodOnlySchema, query);

const groupJson = (g: StatisticsGroup) => ({
  key: g.key,
  label: g.label,
  ...Object.fromEntries(MEASURES.map((m) => [m, g[m]])),
  rates: g.rates,
});

/** One row behind a figure, as the API and the workbook show it. */
export const handedOverJson = (r: HandedOverRow) => ({
  code: r.code,
  kind: r.kind,
  title: r.title ?? r.content.split('\n')[0]!.slice(0, 40),
  organ: r.organ_name,
  role: r.role === 'lead' ? '主办' : '协办',
  assignedOn: r.assigned_on,
  dueOn: r.due_on,
  answeredOn: r.answered_on,
  status: r.status,
  rating: r.rating,
  round: r.round,
});

function statisticsSheets(groups: StatisticsGroup[], total: StatisticsGroup, by: StatisticsBy): Sheet[] {
  const columns = [
    { key: 'label', header: by === 'organ' ? '承办单位' : '类别' },
    ...MEASURES.map((m) => ({ key: m, header: MEASURE_LABEL[m] })),
    ...RATES.map((r) => ({ key: r.key, header: `${r.label}（%）` })),
  ];
  const row = (g: StatisticsGroup) => ({
    label: g.label,
    ...Object.fromEntries(MEASURES.map((m) => [m, g[m]])),
    ...g.rates,
  });
  return [
    { name: '建议办理统计', columns, rows: [...groups.map(row), row(total)] },
    {
      name: '口径说明',
      columns: [
        { key: 'name', header: '指标' },
        { key: 'definition', header: '口径' },
      ],
      rows: [
        ...MEASURES.map((m) => ({ name: MEASURE_LABEL[m], definition: MEASURE_DEFINITION[m] })),
        ...RATES.map((r) => ({ name: r.label, definition: r.definition })),
      ],
    },
  ];
}

/**
 * The group (S1) and station (S10) periods as one sheet, for the API's and the console's download alike: a
 * period still running reads 进行中 there too, never 未达标.
 */
export function complianceSheet(rows: ComplianceRow[]): Sheet {
  return {
    name: '活动达标情况',
    columns: [
      { key: 'rule', header: '规则' },
      { key: 'unitKind', header: '类型' },
      { key: 'unit', header: '名称' },
      { key: 'period', header: '周期' },
      { key: 'periodStarts', header: '周期开始' },
      { key: 'periodEnds', header: '周期结束' },
      { key: 'required', header: '要求' },
      { key: 'held', header: '开展次数' },
      { key: 'statusLabel', header: '达标情况' },
      { key: 'activities', header: '活动' },
    ],
    rows: rows.map((r) => ({ ...r, activities: r.activities.join('；') })),
  };
}

export const statisticsRoutes: ApiModule = (router, deps) => {
  router.get('/statistics/suggestions', requireRole('staff'), async (ctx) => {
    const q = parseSuggestionsQuery(ctx.query);
    const period = await statisticsPeriod(deps, principalOf(ctx), q);
    const query: StatisticsQuery = { by: q.by, ...period };
    const s = await suggestionStatistics(deps, query, period.today);
    sendSheets(ctx, statisticsSheets(s.groups, s.total, s.by));
    ctx.body = {
      by: s.by,
      from: s.from,
      to: s.to,
      today: s.today,
      groups: s.groups.map(groupJson),
      total: groupJson(s.total),
      definitions: {
        ...Object.fromEntries(MEASURES.map((m) => [m, MEASURE_DEFINITION[m]])),
        ...Object.fromEntries(RATES.map((r) => [r.key, r.definition])),
      },
    };
  });

  router.get('/statistics/suggestions/items', requireRole('staff'), async (ctx) => {
    const q = parseItemsQuery(ctx.query);
    const period = await statisticsPeriod(deps, principalOf(ctx), q);
    const rows = await rowsBehindFigure(
      deps,
      { by: q.by, ...period, key: q.key, measure: q.measure as Measure },
      period.today,
    );
    ctx.body = { total: rows.length, items: rows.map(handedOverJson) };
  });

  router.get('/statistics/attendance', requireRole('staff'), async (ctx) => {
    const q = parsePeriodQuery(ctx.query);
    const period = await statisticsPeriod(deps, principalOf(ctx), q);
    const sessions = await sessionAttendance(deps, period);
    const deputies = await deputyActivity(deps, period);
    const deputyRows = deputies.map((d) => ({
      deputy: d.person_name,
      invited: d.invited,
      attended: d.attended,
      leaveRequests: d.leave_requests,
      leaveApproved: d.leave_approved,
    }));
    sendSheets(ctx, [
      {
        name: '会议出席',
        columns: [
          { key: 'session', header: '会议' },
          { key: 'startsOn', header: '开幕日期' },
          { key: 'deputy', header: '代表' },
          { key: 'standing', header: '出席情况' },
          { key: 'leaveCode', header: '请假编号' },
        ],
        rows: sessions.map((s) => ({ ...s })),
      },
      {
        name: '代表活动与请假',
        columns: [
          { key: 'deputy', header: '代表' },
          { key: 'invited', header: '受邀活动' },
          { key: 'attended', header: '参加活动' },
          { key: 'leaveRequests', header: '请假次数' },
          { key: 'leaveApproved', header: '获准请假' },
        ],
        rows: deputyRows,
      },
    ]);
    ctx.body = { from: period.from, to: period.to, sessions, deputies: deputyRows };
  });

  router.get('/statistics/compliance', requireRole('staff'), async (ctx) => {
    const q = parsePeriodQuery(ctx.query);
    const period = await statisticsPeriod(deps, principalOf(ctx), q);
    const rows = [...(await groupCompliance(deps, period)), ...(await stationCompliance(deps, period))];
    sendSheets(ctx, [complianceSheet(rows)]);
    ctx.body = { from: period.from, to: period.to, items: rows };
  });
};
