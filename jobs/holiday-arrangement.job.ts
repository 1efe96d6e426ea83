import { type StaffReminder, staffCandidates } from '../db/repositories/reminder-candidates.ts';
import { activeCongresses, usableGroupKinds } from '../src/services/notices/index.ts';
import { yearOf } from '../src/statute/calendar-date.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// "Counting time" (regulations/README.md): every statutory date rests on the State Council's holiday
// arrangement. From 1 December, while next year's is not loaded, staff are reminded to load it
// (`npm run cli -- calendar load`, or corrections by hand); until then next year's dates are provisional.

export const holidayArrangementJob: ReminderJob = {
  kind: 'reminders',
  name: 'holiday-arrangement',
  rules: [],
  schedule: '0 8 * * *',
  summary: '次年放假安排提醒（12月1日起，次年放假安排尚未载入时提醒工作人员）',
  async evaluate({ deps, today, cal }) {
    const year = yearOf(today) + 1;
    if (today < `${year - 1}-12-01`) return [];
    const source = cal.yearSource(year);
    if (source.ok && source.value !== 'provisional') return [];
    const reminders: StaffReminder[] = (await activeCongresses(deps.db)).map((congress) => ({
      congressId: congress.id,
      rule: 'calendar',
      period: `holidays:${year}#congress:${congress.id}`,
      text: `${year}年的放假安排还没有载入，${year}年的接待日和答复期限暂按暂定日历计算。国务院公布后，请运行“calendar load”载入，或在日历中更正。`,
      dueOn: `${year - 1}-12-01`,
      eventOn: `${year}-12-31`,
      activityKind: null,
      fromAt: null,
      toAt: null,
    }));
    return reminders.length === 0 ? [] : [staffCandidates(reminders, usableGroupKinds(deps.config))];
  },
};
