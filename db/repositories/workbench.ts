import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { mandatesWithChatIds } from './people.ts';

// Lists the staff console's forms read from: recent activities and their participants, a congress's
// deputies to pick from (by group), sessions with their absences, recent broadcasts, stations.

export interface DeputyPick {
  mandateId: number;
  name: string;
  /** The chat id the services take (WeCom first, else DingTalk), or null when none is recorded. */
  userid: string | null;
  largeGroupId: number | null;
  smallGroupId: number | null;
  stationId: number | null;
  status: string;
}

/** The deputies (role deputy) of one congress with the id the services take, by name. */
export async function listDeputiesToPick(db: Db, congressId: number): Promise<DeputyPick[]> {
  const rows = await mandatesWithChatIds(db)
    .select([
      'm.id',
      'p.name',
      'wi.external_id as wecom',
      'di.external_id as dingtalk',
      'm.large_group_id',
      'm.small_group_id',
      'm.station_id',
      'm.status',
    ])
    .where('m.congress_id', '=', congressId)
    .where('m.role', '=', 'deputy')
    .orderBy('p.name')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({
    mandateId: r.id,
    name: r.name,
    userid: r.wecom ?? r.dingtalk ?? null,
    largeGroupId: r.large_group_id,
    smallGroupId: r.small_group_id,
    stationId: r.station_id,
    status: r.status,
  }));
}

/** Groups (large, small) and stations of one congress, by name. */
export async function listGroupsAndStations(db: Db, congressId: number) {
  const groups = await db
    .selectFrom('groups')
    .select(['id', 'name', 'kind'])
    .where('congress_id', '=', congressId)
    .where('kind', 'in', ['large', 'small'])
    .orderBy('name')
    .execute();
  const stations = await db
    .selectFrom('stations')
    .select(['id', 'name'])
    .where('congress_id', '=', congressId)
    .orderBy('name')
    .execute();
  return { groups, stations };
}

/** The latest activities of the congresses given (null: all), newest first, with how many were invited and came. */
export async function listRecentActivities(db: Db, congressId: number | null, limit: number) {
  let q = db
    .selectFrom('activities as a')
    .innerJoin('congresses as c', 'c.id', 'a.congress_id')
    .leftJoin('groups as g', 'g.id', 'a.group_id')
    .leftJoin('stations as s', 's.id', 'a.station_id')
    .select((eb) => [
      'a.id',
      'a.code',
      'a.kind',
      'a.title',
      'a.organiser',
      'a.starts_at',
      'a.ends_at',
      'a.place',
      'a.congress_id',
      'c.name as congress',
      'g.name as group_name',
      's.name as station_name',
      eb
        .selectFrom('activity_participants as ap')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ap.activity_id', '=', 'a.id')
        .where('ap.invited', '=', true)
        .as('invited'),
      eb
        .selectFrom('activity_participants as ap')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ap.activity_id', '=', 'a.id')
        .where('ap.attended', '=', true)
        .as('attended'),
    ])
    .orderBy('a.starts_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit);
  if (congressId !== null) q = q.where('a.congress_id', '=', congressId);
  return q.execute();
}

/** Everyone invited to or recorded at an activity, with their answer and whether they came. */
export async function listActivityParticipants(db: Db, activityId: number) {
  return db
    .selectFrom('activity_participants as ap')
    .innerJoin('mandates as m', 'm.id', 'ap.mandate_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['ap.mandate_id', 'p.name', 'ap.invited', 'ap.response', 'ap.response_reason', 'ap.attended'])
    .where('ap.activity_id', '=', activityId)
    .orderBy('p.name')
    .execute();
}

/** The absences recorded for a session, with the deputy's name. */
export async function listSessionAbsences(db: Db, sessionId: number) {
  return db
    .selectFrom('session_absences as a')
    .innerJoin('mandates as m', 'm.id', 'a.mandate_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['a.mandate_id', 'p.name', 'a.excused', 'a.not_counted_reason', 'a.recorded_at'])
    .where('a.session_id', '=', sessionId)
    .orderBy('p.name')
    .execute();
}

/** The latest broadcasts within one congress (null: all), newest first. */
export async function listRecentBroadcasts(db: Db, congressId: number | null, limit: number) {
  // Who sent it by name: the staff member who sent it in chat, or the holder named on the token used.
  let q = db
    .selectFrom('broadcasts as b')
    .leftJoin('people as p', 'p.id', 'b.sender_person_id')
    .leftJoin('api_tokens as t', (j) => j.on(sql`b.actor`, '=', sql`'token:' || t.id`))
    .select([
      'b.id',
      'b.text',
      'b.status',
      'b.actor',
      'b.created_at',
      'b.finished_at',
      'b.congress_id',
      (eb) => eb.fn.coalesce('p.name', 't.name').as('sender_name'),
    ])
    .orderBy('b.id', 'desc')
    .limit(limit);
  if (congressId !== null) q = q.where('b.congress_id', '=', congressId);
  return q.execute();
}
