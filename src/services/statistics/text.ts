import { formatDate } from '../../statute/date-text.ts';
import type { PeriodStanding } from '../../statute/rule-periods.ts';

// What staff read of a group's or station's period (大同 第六条, 山西 第三十一条), the same on the page, in
// the API's label and in the spreadsheet.

/**
 * A statistics period as staff read it on the page, in print and in the report: its first and last day,
 * each with its weekday as every date is written (`2026-01-01（星期四）至 2026-11-23（星期一）`).
 */
export const periodText = (p: { from: string; to: string }): string =>
  `${formatDate(p.from)}至 ${formatDate(p.to)}`;

/** After an activity of a running period that has not begun yet. */
export const PLANNED_MARK = '（已安排，尚未开展）';

export function complianceStatusLabel(r: {
  status: PeriodStanding;
  held: number;
  minimum: number;
  planned: number;
  periodStarts: string;
  periodEnds: string;
}): string {
  switch (r.status) {
    case 'met':
      return '达标';
    case 'unmet':
      return '未达标';
    case 'upcoming':
      return `未开始，${formatDate(r.periodStarts)}起`;
    case 'in_progress':
      return `进行中，目前 ${r.held}/${r.minimum}${r.planned > 0 ? `，另已安排 ${r.planned} 次` : ''}；${formatDate(r.periodEnds)}期满后判定`;
  }
}
