import { insertDutyEvent } from '../../../db/repositories/duties.ts';
import type { Executor } from '../../messaging/index.ts';

// 山西 第四十三条 (S15): every event of a deputy's duties becomes a line of their record (履职档案).

export interface DutyEventInput {
  mandateId: number;
  /** The calendar date it happened, in APP_TIMEZONE. */
  occurredOn: string;
  /** e.g. 'suggestion.submitted', 'leave.requested', 'activity.attended', 'reception.booked'. */
  kind: string;
  /** One line in Chinese, as the deputy will read it. */
  summary: string;
  /** The item's code, if any. */
  ref?: string;
  enteredByStaff?: boolean;
}

export async function recordDutyEvent(db: Executor, e: DutyEventInput): Promise<void> {
  await insertDutyEvent(db, {
    mandateId: e.mandateId,
    occurredOn: e.occurredOn,
    kind: e.kind,
    summary: e.summary,
    ref: e.ref ?? null,
    enteredByStaff: e.enteredByStaff ?? false,
  });
}
