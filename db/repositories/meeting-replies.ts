import type { Db } from '../client.ts';
import type { ActivityKind } from '../schema.ts';

// The sessions and activities of some congresses within some days, each with how its deputies replied:
// who is expected or invited, who answered 参加, who asked leave and how many of those wait for a decision
// (a request 待决定, or 转呈 and waiting for the province). A request withdrawn when its deputy answered
// 参加 is no leave asked.

/** Leave that waits for a decision: not yet decided here, or forwarded and not yet decided there. */
const WAITING = ['pending', 'forwarded'] as const;

export interface SessionReplies {
  id: number;
  congress_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  /** The deputies of the congress whose seat is active: who is expected there. */
  expected: number;
  leave_asked: number;
  leave_waiting: number;
}

/** Sessions of these congresses that run on some day from `from` to `to` (dates), soonest first. */
export async function listSessionReplies(
  db: Db,
  congressIds: readonly number[],
  from: string,
  to: string,
): Promise<SessionReplies[]> {
  if (congressIds.length === 0) return [];
  const rows = await db
    .selectFrom('sessions as s')
    .select((eb) => [
      's.id',
      's.congress_id',
      's.name',
      's.starts_on',
      's.ends_on',
      eb
        .selectFrom('mandates as m')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('m.congress_id', '=', 's.congress_id')
        .where('m.role', '=', 'deputy')
        .where('m.status', '=', 'active')
        .as('expected'),
      eb
        .selectFrom('leave_requests as l')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('l.session_id', '=', 's.id')
        .where('l.status', '!=', 'withdrawn')
        .as('leave_asked'),
      eb
        .selectFrom('leave_requests as l')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('l.session_id', '=', 's.id')
        .where('l.status', 'in', WAITING)
        .as('leave_waiting'),
    ])
    .where('s.congress_id', 'in', congressIds)
    .where('s.ends_on', '>=', from)
    .where('s.starts_on', '<=', to)
    .orderBy('s.starts_on')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    ...r,
    expected: Number(r.expected),
    leave_asked: Number(r.leave_asked),
    leave_waiting: Number(r.leave_waiting),
  }));
}

export interface ActivityReplies {
  code: string;
  congress_id: number;
  kind: ActivityKind;
  title: string;
  organiser: string;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  invited: number;
  accepted: number;
  leave_asked: number;
  leave_waiting: number;
}

/** Activities of these congresses not ended by `from` that begin before `to` (instants), soonest first. */
export async function listActivityReplies(
  db: Db,
  congressIds: readonly number[],
  from: Date,
  to: Date,
): Promise<ActivityReplies[]> {
  if (congressIds.length === 0) return [];
  const rows = await db
    .selectFrom('activities as a')
    .select((eb) => [
      'a.code',
      'a.congress_id',
      'a.kind',
      'a.title',
      'a.organiser',
      'a.starts_at',
      'a.ends_at',
      'a.place',
      eb
        .selectFrom('activity_participants as ap')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('ap.activity_id', '=', 'a.id')
        .where('ap.invited', '=', true)
        .as('invited'),
      eb
        .selectFrom('activity_participants as ap')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('ap.activity_id', '=', 'a.id')
        .where('ap.invited', '=', true)
        .where('ap.response', '=', 'accepted')
        .as('accepted'),
      eb
        .selectFrom('leave_requests as l')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('l.activity_id', '=', 'a.id')
        .where('l.status', '!=', 'withdrawn')
        .as('leave_asked'),
      eb
        .selectFrom('leave_requests as l')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('l.activity_id', '=', 'a.id')
        .where('l.status', 'in', WAITING)
        .as('leave_waiting'),
    ])
    .where('a.congress_id', 'in', congressIds)
    .where('a.ends_at', '>', from)
    .where('a.starts_at', '<', to)
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    ...r,
    invited: Number(r.invited),
    accepted: Number(r.accepted),
    leave_asked: Number(r.leave_asked),
    leave_waiting: Number(r.leave_waiting),
  }));
}
