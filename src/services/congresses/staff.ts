import type { Db } from '../../../db/client.ts';
import { activePeopleWithRoles, activePeopleWithRolesQuery } from '../../../db/repositories/mandates.ts';
import type { Clock } from '../../clock.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { loadWorkCalendar } from '../calendar/index.ts';

// Who in a congress's office hears of what deputies do: its staff, and the approvers who record leave
// decisions; and when a notice to them may go out (CONTRACT §4: working hours).

const peopleWithRoles = (db: Db, congressId: number, roles: readonly ('staff' | 'approver' | 'admin')[]) =>
  activePeopleWithRoles(db, congressId, roles);

/** The roles of a congress's staff: an approver and an admin are staff too. */
const STAFF_ROLES = ['staff', 'approver', 'admin'] as const;

/** Staff of the congress. */
export const staffOf = (db: Db, congressId: number): Promise<number[]> =>
  peopleWithRoles(db, congressId, STAFF_ROLES);

/**
 * Staff of each of these congresses, as a query of `group_id` (the congress) and `person_id`, for a
 * statement that writes to all of them at once.
 */
export const staffOfCongresses = (congressIds: readonly number[]) =>
  activePeopleWithRolesQuery(congressIds, STAFF_ROLES);

/** Those who may record a leave decision for the congress. */
export const approversOf = (db: Db, congressId: number): Promise<number[]> =>
  peopleWithRoles(db, congressId, ['approver', 'admin']);

/** Whether the person may record leave decisions for the congress. */
export async function isApproverOf(db: Db, personId: number, congressId: number): Promise<boolean> {
  return (await approversOf(db, congressId)).includes(personId);
}

/** When a notice to others queued now may go out: now in working hours, else the next working morning. */
export async function noticeTime(db: Db, clock: Clock, timeZone: string): Promise<Date> {
  return nextSendingTime(await loadWorkCalendar(db), clock.now(), timeZone);
}
