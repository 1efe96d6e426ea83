import { listStationActivities } from '../db/repositories/activities.ts';
import { listStationsWithHead } from '../db/repositories/groups.ts';
import { congressesBoundBy } from '../src/services/notices/index.ts';
import { dateOf, daysInMonth, monthOf, parseDate } from '../src/statute/calendar-date.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { Reminder, ReminderJob } from './reminder-ledger.ts';

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
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S10')) {
      for (const s of await listStationsWithHead(deps.db, congress.id)) {
        const receptions = await listStationActivities(
          deps.db,
          s.id,
          instantAt(first, 0, tz),
          instantAt(last, 24, tz),
        );
        const enough = receptions.some(
          (r) => new Date(r.ends_at).getTime() - new Date(r.starts_at).getTime() >= HALF_WORKING_DAY_MS,
        );
        if (enough) continue;
        out.push({
          rule: 'S10',
          period: `${month}#station:${s.id}`,
          target: { kind: 'person', personId: s.head_person_id! },
          text: `联络站「${s.name}」本月（${month}）还没有记录代表接待群众活动。依照山西 第三十一条，联络站每月至少安排代表接待群众一次，时间不少于半个工作日，请在月底前安排并登记。`,
          dueOn: dateOf(p.year, p.month, FROM_DAY),
          eventOn: last,
        });
      }
    }
    return out;
  },
};
