import { feedbackClockJob } from './feedback-clock.job.ts';
import { groupActivityJob } from './group-activity.job.ts';
import { holidayArrangementJob } from './holiday-arrangement.job.ts';
import { receptionDayJob } from './reception-day.job.ts';
import type { Job } from './reminder-ledger.ts';
import { sessionLeaveJob } from './session-leave.job.ts';
import { stationActivityJob } from './station-activity.job.ts';
import { stationReceptionJob } from './station-reception.job.ts';
import { campaignJob, studyJob } from './yearly-staff.job.ts';

// Every scheduled job. Reminder jobs run daily at 08:00 APP_TIMEZONE, before sending hours, so a day's
// reminders to one target gather into one digest that goes out at 09:00 of the next working day
// (CONTRACT §4); each looks at "today" and the ledger drops what was already sent.
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
];

export const jobByName = (name: string): Job | undefined => JOBS.find((j) => j.name === name);
