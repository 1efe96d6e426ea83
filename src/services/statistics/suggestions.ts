import { type HandedOverRow, listHandedOver } from '../../../db/repositories/statistics.ts';
import type { Deps } from '../../deps.ts';

// 《代表法》第五十一条第三款: the handling of deputies' suggestions is reported, and the report made public.
// Counted over the first-round 交办 of the period; every figure is a count of rows that pass one test
// below (MEASURES), so the items behind a figure are exactly the rows that pass it.

export type StatisticsBy = 'organ' | 'category';

export const MEASURES = [
  'assigned',
  'answered',
  'answeredOnTime',
  'closed',
  'rated',
  'satisfied',
  'basicallySatisfied',
  'dissatisfied',
  'rehandled',
  'overdueNow',
] as const;
export type Measure = (typeof MEASURES)[number];

/** What each figure counts, as printed on the page and in the report. */
export const MEASURE_LABEL: Record<Measure, string> = {
  assigned: '交办件数',
  answered: '已答复',
  answeredOnTime: '按期答复',
  closed: '已办结',
  rated: '已评价',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
  rehandled: '重办',
  overdueNow: '超期未答复',
};

export const MEASURE_DEFINITION: Record<Measure, string> = {
  assigned:
    '统计期内交办（第一轮交办日在统计期内）的件数；按单位统计时，主办、协办各计一件；退回、改办的不计入原单位',
  answered: '上述交办中，该单位已作出答复的件数',
  answeredOnTime: '已答复件中，答复日期不晚于当时有效的答复期限（经批准延期的，以延期后的期限为准）的件数',
  closed: '上述交办中，事项已办结（代表评价满意、基本满意，或答复后逾期未表态）的件数',
  rated: '上述交办中，代表已作出满意、基本满意或不满意评价的件数',
  satisfied: '代表最近一次评价为“满意”的件数',
  basicallySatisfied: '代表最近一次评价为“基本满意”的件数',
  dissatisfied: '代表最近一次评价为“不满意”（正在重办）的件数',
  rehandled: '因代表不满意而重新办理过的件数',
  overdueNow: '截至今日，已过答复期限仍未答复的件数',
};

export interface RateDefinition {
  key:
    | 'onTimeRate'
    | 'answerRate'
    | 'closeRate'
    | 'satisfiedRate'
    | 'basicallySatisfiedRate'
    | 'dissatisfiedRate';
  label: string;
  numerator: Measure;
  denominator: Measure;
  definition: string;
}

export const RATES: readonly RateDefinition[] = [
  {
    key: 'onTimeRate',
    label: '按期答复率',
    numerator: 'answeredOnTime',
    denominator: 'answered',
    definition: '按期答复件数 ÷ 已答复件数',
  },
  {
    key: 'answerRate',
    label: '答复率',
    numerator: 'answered',
    denominator: 'assigned',
    definition: '已答复件数 ÷ 交办件数',
  },
  {
    key: 'closeRate',
    label: '办结率',
    numerator: 'closed',
    denominator: 'assigned',
    definition: '已办结件数 ÷ 交办件数',
  },
  {
    key: 'satisfiedRate',
    label: '满意率',
    numerator: 'satisfied',
    denominator: 'rated',
    definition: '满意件数 ÷ 已评价件数',
  },
  {
    key: 'basicallySatisfiedRate',
    label: '基本满意率',
    numerator: 'basicallySatisfied',
    denominator: 'rated',
    definition: '基本满意件数 ÷ 已评价件数',
  },
  {
    key: 'dissatisfiedRate',
    label: '不满意率',
    numerator: 'dissatisfied',
    denominator: 'rated',
    definition: '不满意件数 ÷ 已评价件数',
  },
];

/** Whether one handed-over row counts toward a figure. */
export const MEASURE_TEST: Record<Measure, (r: HandedOverRow) => boolean> = {
  assigned: () => true,
  answered: (r) => r.answered_on !== null,
  // 《代表法》第五十一条第二款: the due date in force is the clock's, moved by an approved extension.
  answeredOnTime: (r) => r.answered_on !== null && r.due_on !== null && r.answered_on <= r.due_on,
  closed: (r) => r.status === 'closed',
  rated: (r) => r.rating === 'satisfied' || r.rating === 'basically_satisfied' || r.rating === 'dissatisfied',
  satisfied: (r) => r.rating === 'satisfied',
  basicallySatisfied: (r) => r.rating === 'basically_satisfied',
  dissatisfied: (r) => r.rating === 'dissatisfied',
  rehandled: (r) => r.round > 1,
  overdueNow: (r) => r.overdue_now,
};

/** How a category group is formed, printed with the table. */
export const CATEGORY_DEFINITION =
  '按立案审查时确定的类别分组；未确定类别的，按建议、批评、意见、视察报告、调研报告分组；每件只计一次（以主办单位的交办为准）';

export type Counts = Record<Measure, number>;

export interface StatisticsGroup extends Counts {
  /** The organ's id, or the category's name. */
  key: string;
  label: string;
  rates: Record<RateDefinition['key'], number | null>;
}

export interface SuggestionStatistics {
  by: StatisticsBy;
  from: string;
  to: string;
  /** The day overdueNow was counted on. */
  today: string;
  groups: StatisticsGroup[];
  total: StatisticsGroup;
}

export interface StatisticsQuery {
  by: StatisticsBy;
  from: string;
  to: string;
  /** Congresses counted; null for all. */
  congressIds: number[] | null;
}

type StatDeps = Pick<Deps, 'db'>;

const keyOf = (by: StatisticsBy, r: HandedOverRow): { key: string; label: string } =>
  by === 'organ'
    ? { key: String(r.organ_id), label: r.organ_name }
    : // The category set at review; an item never reviewed falls under its kind (建议、批评、意见…).
      { key: r.category ?? r.kind, label: r.category ?? r.kind };

/** A rate rounded to a tenth of a percent, or null when its denominator is zero. */
export const rateOf = (n: number, d: number): number | null =>
  d === 0 ? null : Math.round((n / d) * 1000) / 10;

function groupOf(key: string, label: string, rows: HandedOverRow[]): StatisticsGroup {
  const counts = Object.fromEntries(MEASURES.map((m) => [m, rows.filter(MEASURE_TEST[m]).length])) as Counts;
  const rates = Object.fromEntries(
    RATES.map((r) => [r.key, rateOf(counts[r.numerator], counts[r.denominator])]),
  ) as StatisticsGroup['rates'];
  return { key, label, ...counts, rates };
}

async function rowsOf(deps: StatDeps, q: StatisticsQuery, today: string): Promise<HandedOverRow[]> {
  return listHandedOver(deps.db, {
    from: q.from,
    to: q.to,
    congressIds: q.congressIds,
    // By category an item counts once (its lead organ's 交办); by organ each organ's part counts.
    leadOnly: q.by === 'category',
    today,
  });
}

export async function suggestionStatistics(
  deps: StatDeps,
  q: StatisticsQuery,
  today: string,
): Promise<SuggestionStatistics> {
  const rows = await rowsOf(deps, q, today);
  const byKey = new Map<string, { label: string; rows: HandedOverRow[] }>();
  for (const r of rows) {
    const k = keyOf(q.by, r);
    const g = byKey.get(k.key) ?? { label: k.label, rows: [] };
    g.rows.push(r);
    byKey.set(k.key, g);
  }
  const groups = [...byKey.entries()]
    .map(([key, g]) => groupOf(key, g.label, g.rows))
    .sort((a, b) => b.assigned - a.assigned || a.label.localeCompare(b.label, 'zh-CN'));
  return { by: q.by, from: q.from, to: q.to, today, groups, total: groupOf('', '合计', rows) };
}

/** The rows behind one figure: those of the group (every group when key is undefined) passing the measure. */
export async function rowsBehindFigure(
  deps: StatDeps,
  q: StatisticsQuery & { key?: string | undefined; measure: Measure },
  today: string,
): Promise<HandedOverRow[]> {
  const rows = await rowsOf(deps, q, today);
  return rows.filter(
    (r) => (q.key === undefined || keyOf(q.by, r).key === q.key) && MEASURE_TEST[q.measure](r),
  );
}

export type { HandedOverRow };
