import { deputiesWithoutStationVisit } from '../db/repositories/activities.ts';
import { congressesBoundBy } from '../src/services/notices/index.ts';
import { yearOf } from '../src/statute/calendar-date.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { Reminder, ReminderJob } from './reminder-ledger.ts';

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
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S9')) {
      const rows = await deputiesWithoutStationVisit(
        deps.db,
        congress.id,
        instantAt(`${year}-01-01`, 0, tz),
        instantAt(`${year}-12-31`, 24, tz),
      );
      for (const r of rows) {
        out.push({
          rule: 'S9',
          period: `${year}#congress:${congress.id}`,
          target: { kind: 'person', personId: r.person_id },
          text: `您${year}年还没有参加代表联络站活动的记录。依照山西 第二十一条，代表每年参加联络站（点）活动不少于一次，请在年底前安排进站。`,
          dueOn: from,
          eventOn: `${year}-12-31`,
        });
      }
    }
    return out;
  },
};
