import type { Db } from '../../../db/client.ts';
import type { LeaveDetail } from '../../../db/repositories/leave.ts';
import { findPeopleOfCongressByReference, findPersonName } from '../../../db/repositories/people.ts';
import { approversOf, staffOf } from '../congresses/index.ts';

// 大同 第十一条 (S4): 因故不能参加活动时，应向组织单位履行请假手续. An activity's organiser written as someone of
// the congress's roster (their WeCom or DingTalk id, mobile or name) is that person; one of the congress's
// staff so named decides the leave from it and records the decision.

/** The congress's staff the organiser names (none when it names a unit, or only deputies). */
export async function decidingOrganisers(db: Db, congressId: number, organiser: string): Promise<number[]> {
  const named = await findPeopleOfCongressByReference(db, congressId, [organiser]);
  if (named.length === 0) return [];
  const staff = new Set(await staffOf(db, congressId));
  return named.filter((p) => staff.has(p));
}

/** The organiser as people read it: the roster name of the one person it names, else as written (a unit). */
export async function organiserLabel(db: Db, congressId: number, organiser: string): Promise<string> {
  const named = await findPeopleOfCongressByReference(db, congressId, [organiser]);
  const name = named.length === 1 ? await findPersonName(db, named[0]!) : '';
  return name || organiser;
}

/** Who decides the request as people read it (an organiser by name, also where an id was stored). */
export const deciderLabel = (db: Db, r: LeaveDetail): Promise<string> =>
  r.deciding_body === 'organiser' && r.activity_organiser !== null
    ? organiserLabel(db, r.congress_id, r.activity_organiser)
    : Promise.resolve(r.deciding_body_label);

/** The organisers among the congress's staff who decide this request (none for a session's). */
export const organisersOf = (
  db: Db,
  r: Pick<LeaveDetail, 'deciding_body' | 'activity_organiser' | 'congress_id'>,
) =>
  r.deciding_body === 'organiser' && r.activity_organiser !== null
    ? decidingOrganisers(db, r.congress_id, r.activity_organiser)
    : Promise.resolve([]);

/** Who records the request's decision: its deciding organisers, or else the approvers. */
export async function decidersOf(db: Db, r: LeaveDetail): Promise<number[]> {
  const organisers = await organisersOf(db, r);
  return organisers.length > 0 ? organisers : approversOf(db, r.congress_id);
}
