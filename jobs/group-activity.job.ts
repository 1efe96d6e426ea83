import { type GroupPeriod, groupActivityCandidates } from '../db/repositories/reminder-candidates.ts';
import { congressesBoundBy, usableGroupKinds } from '../src/services/notices/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { periodContaining } from '../src/statute/rule-periods.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// 大同 第六条 (S1): 代表大组每半年、代表小组每季度至少活动一次. Ten working days before the quarter
// (small group) or half-year (large group) ends, where no activity of that group is recorded in the
// period, the group leader and staff are reminded: "your group has not met", never "you have not".

const LEAD_WORKING_DAYS = 10;

export const groupActivityJob: ReminderJob = {
  kind: 'reminders',
  name: 'group-activity',
  rules: ['S1'],
  summary: '代表小组每季度、大组每半年活动提醒（期末前10个工作日，未记录活动时提醒组长和工作人员）',
  async evaluate({ deps, today, cal }) {
    const congressIds = (await congressesBoundBy(deps.db, 'S1')).map((c) => c.id);
    if (congressIds.length === 0) return [];
    const tz = deps.config.timezone;
    // The period depends only on the group's kind: at most one small-group and one large-group period is
    // in its window today; the query finds the groups of either kind that have not met in it.
    const periods: GroupPeriod[] = [];
    for (const kind of ['small', 'large'] as const) {
      const period = periodContaining(today, kind === 'small' ? 3 : 6);
      const from = cal.addWorkdays(period.ends, -LEAD_WORKING_DAYS);
      if (!from.ok || today < from.value || today > period.ends) continue;
      const what = kind === 'small' ? '代表小组' : '代表大组';
      const every = kind === 'small' ? '每季度' : '每半年';
      const ends = formatStatutoryDate(period.ends, from.provisional);
      periods.push({
        kind,
        periodKey: period.key,
        startsAt: instantAt(period.starts, 0, tz),
        endsAt: instantAt(period.ends, 24, tz),
        dueOn: from.value,
        eventOn: period.ends,
        before: `${what}「`,
        after: `」${period.label}（至 ${ends}）还没有记录本组的活动。依照大同 第六条，${what}${every}至少活动一次，请及时安排并登记。`,
      });
    }
    return periods.length === 0
      ? []
      : [groupActivityCandidates(congressIds, periods, usableGroupKinds(deps.config))];
  },
};
