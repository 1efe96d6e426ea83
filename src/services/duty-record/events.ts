import type { Executor } from '../../messaging/outbox.ts';

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
  await db
    .insertInto('duty_events')
    .values({
      mandate_id: e.mandateId,
      occurred_on: e.occurredOn,
      kind: e.kind,
      summary: e.summary,
      ref: e.ref ?? null,
      entered_by_staff: e.enteredByStaff ?? false,
    })
    .execute();
}
