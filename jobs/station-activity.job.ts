import { type StationVisitYear, stationVisitCandidates } from '../db/repositories/reminder-candidates.ts';
import { congressesBoundBy } from '../src/services/notices/index.ts';
import { yearOf } from '../src/statute/calendar-date.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// 山西 第二十一条 (S9): 代表每年参加代表联络站（点）活动不少于一次. From 1 October, each active deputy
// who has not attended a station activity this year is reminded.

export const stationActivityJob: ReminderJob = {
  kind: 'reminders',
  name: 'station-activity',
  rules: ['S9'],
  summary: '代表每年参加联络站活动提醒（10月1日起提醒当年尚未参加的代表）',
  async evaluate({ deps, today }) {
    const year = yearOf(today);
    const from = `${year}-10-01`;
    if (today < from) return [];
    const tz = deps.config.timezone;
    const years: StationVisitYear[] = (await congressesBoundBy(deps.db, 'S9')).map((congress) => ({
      congressId: congress.id,
      period: `${year}#congress:${congress.id}`,
      text: `您${year}年还没有参加代表联络站活动的记录。依照山西 第二十一条，代表每年参加联络站（点）活动不少于一次，请在年底前安排进站。`,
      fromAt: instantAt(`${year}-01-01`, 0, tz),
      toAt: instantAt(`${year}-12-31`, 24, tz),
      dueOn: from,
      eventOn: `${year}-12-31`,
    }));
    return years.length === 0 ? [] : [stationVisitCandidates(years)];
  },
};
