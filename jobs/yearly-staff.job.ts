import { type StaffReminder, staffCandidates } from '../db/repositories/reminder-candidates.ts';
import type { ActivityKind } from '../db/schema.ts';
import { congressesBoundBy, usableGroupKinds } from '../src/services/notices/index.ts';
import { yearOf } from '../src/statute/calendar-date.ts';
import type { RuleId } from '../src/statute/rules.ts';
import { instantAt } from '../src/statute/working-hours.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// Yearly duties of the standing committee, reminded to staff from 1 October while none is recorded:
// 大同 第七条(十) (S3) 每年开展一至两次建言献策活动; 山西 第四十一条 (S14) 常委会每年组织集体学习不少于一次.

const FROM_MONTH_DAY = '10-01';

function yearlyStaffJob(o: {
  name: string;
  rule: RuleId;
  kind: ActivityKind;
  summary: string;
  text: (year: number) => string;
}): ReminderJob {
  return {
    kind: 'reminders',
    name: o.name,
    rules: [o.rule],
    summary: o.summary,
    async evaluate({ deps, today }) {
      const year = yearOf(today);
      const from = `${year}-${FROM_MONTH_DAY}`;
      if (today < from) return [];
      const tz = deps.config.timezone;
      const reminders: StaffReminder[] = (await congressesBoundBy(deps.db, o.rule)).map((congress) => ({
        congressId: congress.id,
        rule: o.rule,
        period: `${year}#congress:${congress.id}`,
        text: `${congress.name}：${o.text(year)}`,
        dueOn: from,
        eventOn: `${year}-12-31`,
        activityKind: o.kind,
        fromAt: instantAt(`${year}-01-01`, 0, tz),
        toAt: instantAt(`${year}-12-31`, 24, tz),
      }));
      return reminders.length === 0 ? [] : [staffCandidates(reminders, usableGroupKinds(deps.config))];
    },
  };
}

export const campaignJob = yearlyStaffJob({
  name: 'yearly-campaign',
  rule: 'S3',
  kind: 'campaign',
  summary: '每年建言献策活动提醒（10月1日起，当年未记录时提醒工作人员）',
  text: (y) =>
    `${y}年还没有记录建言献策活动。依照大同 第七条(十)，每年开展一至两次建言献策活动，请在年底前安排。`,
});

export const studyJob = yearlyStaffJob({
  name: 'yearly-study',
  rule: 'S14',
  kind: 'study',
  summary: '常委会每年集体学习提醒（10月1日起，当年未记录时提醒工作人员）',
  text: (y) =>
    `${y}年还没有记录代表集体学习。依照山西 第四十一条，常委会每年组织集体学习不少于一次，请在年底前安排。`,
});
