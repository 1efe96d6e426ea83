import type { Db } from '../client.ts';

// The history of mandate status changes (山西 第四十五至四十八条, S16), newest first.

export async function listStatusChanges(db: Db, mandateIds: number[]) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom('mandate_status_changes')
    .selectAll()
    .where('mandate_id', 'in', mandateIds)
    .orderBy('id', 'desc')
    .execute();
}
