import type { Db } from '../client.ts';

// 山西 第四十三条 (S15): the duty record (履职档案), one row per event of a deputy's duties.

export interface NewDutyEvent {
  mandateId: number;
  occurredOn: string;
  kind: string;
  summary: string;
  ref: string | null;
  enteredByStaff: boolean;
}

export async function insertDutyEvent(db: Db, e: NewDutyEvent): Promise<void> {
  await db
    .insertInto('duty_events')
    .values({
      mandate_id: e.mandateId,
      occurred_on: e.occurredOn,
      kind: e.kind,
      summary: e.summary,
      ref: e.ref,
      entered_by_staff: e.enteredByStaff,
    })
    .execute();
}

/** The events of these mandates between two calendar dates (inclusive), in order. */
export async function listDutyEvents(db: Db, mandateIds: number[], fromOn: string, toOn: string) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom('duty_events')
    .select(['occurred_on', 'summary', 'ref', 'entered_by_staff'])
    .where('mandate_id', 'in', mandateIds)
    .where('occurred_on', '>=', fromOn)
    .where('occurred_on', '<=', toOn)
    .orderBy('occurred_on')
    .orderBy('id')
    .execute();
}
