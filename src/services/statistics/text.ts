import { formatDate } from '../../statute/date-text.ts';
import type { PeriodStanding } from '../../statute/rule-periods.ts';

// What staff read of a group's or station's period (大同 第六条, 山西 第三十一条), the same on the page, in
// the API's label and in the spreadsheet.

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
