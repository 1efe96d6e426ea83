import { stationReceptionCandidates } from '../db/repositories/reminder-candidates.ts';
import { congressesBoundBy } from '../src/services/notices/index.ts';
import { dateOf, daysInMonth, monthOf, parseDate } from '../src/statute/calendar-date.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// 山西 第三十一条 (S10): 代表联络站每月至少安排代表接待群众一次，时间不少于半个工作日. From the 20th,
// the head of each station (站长, 第三十三条) without such a reception recorded this month is reminded.

const FROM_DAY = 20;
/** Half of an eight-hour working day. */
const HALF_WORKING_DAY_MS = 4 * 3600_000;

export const stationReceptionJob: ReminderJob = {
  kind: 'reminders',
  name: 'station-reception',
  rules: ['S10'],
  summary: '联络站每月接待群众提醒（20日起，当月未记录半个工作日以上的接待时提醒站长）',
  async evaluate({ deps, today }) {
    const p = parseDate(today)!;
    if (p.day < FROM_DAY) return [];
    const month = monthOf(today);
    const first = dateOf(p.year, p.month, 1);
    const last = dateOf(p.year, p.month, daysInMonth(p.year, p.month));
    const tz = deps.config.timezone;
    const congressIds = (await congressesBoundBy(deps.db, 'S10')).map((c) => c.id);
    if (congressIds.length === 0) return [];
    return [
      stationReceptionCandidates(congressIds, {
        month,
        fromAt: instantAt(first, 0, tz),
        toAt: instantAt(last, 24, tz),
        minMs: HALF_WORKING_DAY_MS,
        before: '联络站「',
        after: `」本月（${month}）还没有记录代表接待群众活动。依照山西 第三十一条，联络站每月至少安排代表接待群众一次，时间不少于半个工作日，请在月底前安排并登记。`,
        dueOn: dateOf(p.year, p.month, FROM_DAY),
        eventOn: last,
      }),
    ];
  },
};
