import type { Db } from '../../db/client.ts';
import type { ChatHarness } from './chat.ts';
import { seedActivity, seedCongress, seedPerson, seedSession } from './seed.ts';

// The scene of the deputy-round chat tests (test/integration/chat-deputy-round-*.test.ts), with the clock on
// Wednesday 2026-12-02: the city congress with its deputies and an approver (李四), its session next week
// (Tuesday 12-08 to Thursday 12-10), a standing committee meeting on 12-18, and an inspection on the
// Wednesday of next week (12-09) every deputy is invited to. And what a deputy's words left in the database.

export const ROUND_CITY = '大同市第十六届人民代表大会';
export const ROUND_SESSION = `${ROUND_CITY}第七次会议`;
export const ROUND_STANDING = '常委会第三十次会议';

export interface RoundScene {
  city: number;
  /** The inspection's code (HD-…). */
  inspection: string;
}

export async function seedDeputyRound(chat: ChatHarness, deputies: readonly string[]): Promise<RoundScene> {
  const db = chat.deps.db;
  const city = await seedCongress(db);
  for (const w of deputies) await seedPerson(db, { name: `代表${w}`, wecom: w, congressId: city });
  await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'approver' });
  await seedSession(chat.deps, {
    congress: ROUND_CITY,
    name: ROUND_SESSION,
    startsOn: '2026-12-08',
    endsOn: '2026-12-10',
  });
  await seedSession(chat.deps, {
    congress: ROUND_CITY,
    name: ROUND_STANDING,
    startsOn: '2026-12-18',
    endsOn: '2026-12-18',
  });
  const inspection = await seedInspection(chat.deps, '2026-12-09', [...deputies]); // Wednesday of next week
  return { city, inspection };
}

type ActivityDeps = Parameters<typeof seedActivity>[0];

/** 李四's activity on `day`, 09:00 to 12:00 in Shanghai, with its invitations; its code. */
const seedLiSiActivity = (
  deps: ActivityDeps,
  what: { kind: 'inspection' | 'small_group'; title: string; group?: string },
  day: string,
  invitees: string[],
): Promise<string> =>
  seedActivity(deps, {
    ...what,
    organiser: 'LiSi',
    startsAt: `${day}T01:00:00Z`,
    endsAt: `${day}T04:00:00Z`,
    invitees,
  });

/** 李四's inspection 视察老旧小区改造工作 on `day`; its code. */
export const seedInspection = (deps: ActivityDeps, day: string, invitees: string[]): Promise<string> =>
  seedLiSiActivity(deps, { kind: 'inspection', title: '视察老旧小区改造工作' }, day, invitees);

/** 李四's activity `title` of 城区代表小组 (seeded by the test) on `day`; its code. */
export const seedCityGroupActivity = (
  deps: ActivityDeps,
  title: string,
  day: string,
  invitees: string[],
): Promise<string> =>
  seedLiSiActivity(deps, { kind: 'small_group', group: '城区代表小组', title }, day, invitees);

/** The suggestions a deputy (by WeCom id) is author of, in order. */
export const suggestionsOf = (db: Db, wecom: string) =>
  db
    .selectFrom('suggestions as s')
    .innerJoin('suggestion_deputies as sd', 'sd.suggestion_id', 's.id')
    .innerJoin('person_identities as pi', 'pi.person_id', 'sd.person_id')
    .select(['s.code', 's.content', 's.withhold_name', 's.withdrawn_at'])
    .where('pi.external_id', '=', wecom)
    .orderBy('s.id')
    .execute();

/** A deputy's leave requests, with the activity's code or the session's name, in order. */
export const leaveOf = (db: Db, wecom: string) =>
  db
    .selectFrom('leave_requests as l')
    .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
    .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
    .leftJoin('activities as a', 'a.id', 'l.activity_id')
    .leftJoin('sessions as s', 's.id', 'l.session_id')
    .select(['l.code', 'l.reason', 'a.code as activity', 's.name as session'])
    .where('pi.external_id', '=', wecom)
    .orderBy('l.id')
    .execute();

/** A deputy's reception-day bookings, in order. */
export const bookingsOf = (db: Db, wecom: string) =>
  db
    .selectFrom('reception_bookings as b')
    .innerJoin('mandates as m', 'm.id', 'b.mandate_id')
    .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
    .select(['b.code', 'b.month', 'b.topic', 'b.status'])
    .where('pi.external_id', '=', wecom)
    .orderBy('b.id')
    .execute();
