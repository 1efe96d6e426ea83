import { finishBroadcasts } from '../src/services/notices/index.ts';
import { sendBookingReminders, sendReceptionAgendas } from '../src/services/reception/index.ts';
import { closeUnratedSuggestions, remindDueFollowUps } from '../src/services/suggestions/index.ts';
import { ruleById } from '../src/statute/rules.ts';
import { feedbackClockJob } from './feedback-clock.job.ts';
import { groupActivityJob } from './group-activity.job.ts';
import { holidayArrangementJob } from './holiday-arrangement.job.ts';
import { organDigestJob, organSignJob } from './organ-side.job.ts';
import { receptionDayJob } from './reception-day.job.ts';
import type { Job, TaskJob } from './reminder-ledger.ts';
import { sessionLeaveJob } from './session-leave.job.ts';
import { stationActivityJob } from './station-activity.job.ts';
import { stationReceptionJob } from './station-reception.job.ts';
import { campaignJob, studyJob } from './yearly-staff.job.ts';

// Functions other features expose for the scheduler.
const receptionAgendasJob: TaskJob = {
  kind: 'task',
  name: 'reception-agendas',
  rules: ['S2'],
  summary: '接待日前把预约话题送接待人',
  run: async ({ deps }) => [
    `已排队接待人议题 ${await sendReceptionAgendas(deps, receptionAgendasJob.name)} 份`,
  ],
};

const bookingRemindersJob: TaskJob = {
  kind: 'task',
  name: 'booking-reminders',
  rules: ['S2'],
  summary: '接待日前一个工作日提醒预约的代表',
  run: async ({ deps }) => [
    `已提醒预约代表 ${await sendBookingReminders(deps, bookingRemindersJob.name)} 人`,
  ],
};

const closeUnratedJob: TaskJob = {
  kind: 'task',
  name: 'close-unrated',
  rules: ['S8'],
  summary: '答复一个月后仍未评价的建议按“未表态”办结',
  run: async ({ deps }) => {
    const codes = await closeUnratedSuggestions(deps);
    return [codes.length > 0 ? `已按未表态办结：${codes.join('、')}` : '没有需要按未表态办结的建议'];
  },
};

const followUpJob: TaskJob = {
  kind: 'task',
  name: 'follow-ups',
  rules: ['S8'],
  summary: '答复中承诺的落实时限到期时提醒承办单位',
  run: async ({ deps, cal, today, now }) => {
    const codes = await remindDueFollowUps(deps, cal, today, now);
    return [codes.length > 0 ? `已提醒落实：${codes.join('、')}` : '没有到期的落实承诺'];
  },
};

const broadcastSummaryJob: TaskJob = {
  kind: 'task',
  name: 'broadcast-summary',
  rules: ['S18'],
  // S18 is event-driven (no schedule in the catalog): this job polls for broadcasts that finished.
  schedule: '* * * * *',
  summary: '通知发送完毕后向发送人报告结果',
  run: async ({ deps }) => finishBroadcasts(deps),
};

// Every scheduled job. A job runs on its rules' schedule in the catalog (src/statute/rules.ts): reminder
// jobs daily at 08:00 APP_TIMEZONE, before sending hours, so a day's reminders to one target gather into
// one digest that goes out at 09:00 of the next working day (CONTRACT §4); each looks at "today" and the
// ledger drops what was already sent.
export const JOBS: readonly Job[] = [
  receptionDayJob,
  groupActivityJob,
  campaignJob,
  studyJob,
  stationActivityJob,
  stationReceptionJob,
  feedbackClockJob,
  sessionLeaveJob,
  holidayArrangementJob,
  receptionAgendasJob,
  bookingRemindersJob,
  closeUnratedJob,
  followUpJob,
  organSignJob,
  organDigestJob,
  broadcastSummaryJob,
];

export const jobByName = (name: string): Job | undefined => JOBS.find((j) => j.name === name);

/**
 * The cron expression a job runs on: its rules' schedule in the catalog, or, for a job none of whose rules
 * has one, the job's own. Throws where the two sources disagree, so each schedule has one home.
 */
export function jobSchedule(job: Job): string {
  const fromCatalog = [...new Set(job.rules.map((id) => ruleById(id)?.schedule).filter((s) => s != null))];
  if (fromCatalog.length > 1)
    throw new Error(`job ${job.name}: its rules have different schedules (${fromCatalog.join(', ')})`);
  const [catalog] = fromCatalog;
  if (catalog !== undefined && job.schedule !== undefined)
    throw new Error(
      `job ${job.name}: its schedule is the catalog's (${catalog}); do not repeat it in the job`,
    );
  const schedule = catalog ?? job.schedule;
  if (schedule === undefined) throw new Error(`job ${job.name} has no schedule`);
  return schedule;
}
