import { insertDutyEvents } from '../../../db/repositories/duties.ts';
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

/** Records events, in one statement. */
export async function recordDutyEvents(db: Executor, events: readonly DutyEventInput[]): Promise<void> {
  await insertDutyEvents(
    db,
    events.map((e) => ({
      mandateId: e.mandateId,
      occurredOn: e.occurredOn,
      kind: e.kind,
      summary: e.summary,
      ref: e.ref ?? null,
      enteredByStaff: e.enteredByStaff ?? false,
    })),
  );
}

export const recordDutyEvent = (db: Executor, e: DutyEventInput): Promise<void> => recordDutyEvents(db, [e]);
