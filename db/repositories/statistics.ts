import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ActivityKind, AssignmentRole, Rating, SuggestionKind, SuggestionStatus } from '../schema.ts';

// The rows the office's statistics count: suggestions handed over (交办) in a period, leave and attendance
// per session, and the activities of groups (S1) and stations (S10). Every figure is a count over these
// rows, so the items behind a figure are the same rows filtered.

/** One 交办 of the first round: an item handed to one organ (lead or assisting). */
export interface HandedOverRow {
  suggestion_id: number;
  code: string;
  congress_id: number;
  kind: SuggestionKind;
  /** The category set at review (立案审查), or null. */
  category: string | null;
  title: string | null;
  content: string;
  status: SuggestionStatus;
  rating: Rating | null;
  round: number;
  assignment_id: number;
  organ_id: number;
  organ_name: string;
  role: AssignmentRole;
  assigned_on: string;
  /** The due date in force (after any approved extension), or null when no clock was started. */
  due_on: string | null;
  answered_on: string | null;
  /** Whether, today, the item has an open assignment to this organ whose due date has passed. */
  overdue_now: boolean;
}

/**
 * First-round assignments handed over between `from` and `to` (inclusive), not ended as 退回 or 改办 (the
 * organ that took it over has its own row). `leadOnly`: one row per item (its lead organ).
 */
export async function listHandedOver(
  db: Db,
  f: { from: string; to: string; congressIds: number[] | null; leadOnly: boolean; today: string },
): Promise<HandedOverRow[]> {
  if (f.congressIds !== null && f.congressIds.length === 0) return [];
  const rows = await db
    .selectFrom('suggestion_assignments as a')
    .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
    .innerJoin('organs as o', 'o.id', 'a.organ_id')
    .leftJoin('deadlines as d', 'd.id', 'a.deadline_id')
    .select([
      's.id as suggestion_id',
      's.code',
      's.congress_id',
      's.kind',
      's.category',
      's.title',
      's.content',
      's.status',
      's.rating',
      's.round',
      'a.id as assignment_id',
      'a.organ_id',
      'o.name as organ_name',
      'a.role',
      'a.assigned_on',
      'd.due_on',
      'a.answered_on',
      sql<boolean>`exists (
        select 1 from suggestion_assignments a2
        join deadlines d2 on d2.id = a2.deadline_id
        where a2.suggestion_id = a.suggestion_id and a2.organ_id = a.organ_id
          and a2.status = 'open' and d2.due_on < ${f.today}
      )`.as('overdue_now'),
    ])
    .where('a.round', '=', 1)
    .where('a.status', 'not in', ['returned', 'transferred'])
    .where('a.assigned_on', '>=', f.from)
    .where('a.assigned_on', '<=', f.to)
    .$if(f.leadOnly, (q) => q.where('a.role', '=', 'lead'))
    .$if(f.congressIds !== null, (q) => q.where('s.congress_id', 'in', f.congressIds!))
    .orderBy('a.assigned_on')
    .orderBy('s.code')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ ...r, overdue_now: Boolean(r.overdue_now) }));
}

/** One deputy's standing at one session: leave asked for, decided, and the absences recorded. */
export interface SessionAttendanceRow {
  session_id: number;
  session_name: string;
  starts_on: string;
  ends_on: string;
  congress_id: number;
  mandate_id: number;
  person_name: string;
  leave_code: string | null;
  leave_status: string | null;
  absent: boolean;
  absence_excused: boolean;
}

/** Every deputy of the congress against every session that starts in the period. */
export async function listSessionAttendance(
  db: Db,
  f: { from: string; to: string; congressIds: number[] | null },
): Promise<SessionAttendanceRow[]> {
  if (f.congressIds !== null && f.congressIds.length === 0) return [];
  const rows = await db
    .selectFrom('sessions as se')
    .innerJoin('mandates as m', (j) => j.onRef('m.congress_id', '=', 'se.congress_id'))
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('session_absences as ab', (j) =>
      j.onRef('ab.session_id', '=', 'se.id').onRef('ab.mandate_id', '=', 'm.id'),
    )
    .select([
      'se.id as session_id',
      'se.name as session_name',
      'se.starts_on',
      'se.ends_on',
      'se.congress_id',
      'm.id as mandate_id',
      'p.name as person_name',
      sql<string | null>`(select l.code from leave_requests l where l.session_id = se.id
        and l.mandate_id = m.id order by l.id desc limit 1)`.as('leave_code'),
      sql<string | null>`(select l.status from leave_requests l where l.session_id = se.id
        and l.mandate_id = m.id order by l.id desc limit 1)`.as('leave_status'),
      sql<boolean>`ab.id is not null`.as('absent'),
      sql<boolean>`coalesce(ab.excused, false)`.as('absence_excused'),
    ])
    .where('m.role', '=', 'deputy')
    // A seat ended before the session began is not expected there.
    .where((eb) =>
      eb.or([
        eb('m.status', '=', 'active'),
        eb('m.status_changed_at', 'is', null),
        eb(sql`cast(m.status_changed_at as date)`, '>=', eb.ref('se.starts_on')),
      ]),
    )
    .where('se.starts_on', '>=', f.from)
    .where('se.starts_on', '<=', f.to)
    .$if(f.congressIds !== null, (q) => q.where('se.congress_id', 'in', f.congressIds!))
    .orderBy('se.starts_on')
    .orderBy('se.id')
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({ ...r, absent: Boolean(r.absent), absence_excused: Boolean(r.absence_excused) }));
}

/** One deputy's activities in the period: invited, attended, and leave asked for. */
export interface DeputyActivityRow {
  mandate_id: number;
  congress_id: number;
  person_name: string;
  invited: number;
  attended: number;
  leave_requests: number;
  leave_approved: number;
}

export async function listDeputyActivity(
  db: Db,
  f: { fromAt: Date; toAt: Date; from: string; to: string; congressIds: number[] | null },
): Promise<DeputyActivityRow[]> {
  if (f.congressIds !== null && f.congressIds.length === 0) return [];
  const rows = await db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'm.id as mandate_id',
      'm.congress_id',
      'p.name as person_name',
      sql<number>`(select count(*) from activity_participants ap join activities ac on ac.id = ap.activity_id
        where ap.mandate_id = m.id and ap.invited and ac.starts_at >= ${f.fromAt} and ac.starts_at < ${f.toAt})`.as(
        'invited',
      ),
      sql<number>`(select count(*) from activity_participants ap join activities ac on ac.id = ap.activity_id
        where ap.mandate_id = m.id and ap.attended and ac.starts_at >= ${f.fromAt} and ac.starts_at < ${f.toAt})`.as(
        'attended',
      ),
      sql<number>`(select count(*) from leave_requests l where l.mandate_id = m.id
        and l.submitted_on >= ${f.from} and l.submitted_on <= ${f.to})`.as('leave_requests'),
      sql<number>`(select count(*) from leave_requests l where l.mandate_id = m.id and l.status = 'approved'
        and l.submitted_on >= ${f.from} and l.submitted_on <= ${f.to})`.as('leave_approved'),
    ])
    .where('m.role', '=', 'deputy')
    .$if(f.congressIds !== null, (q) => q.where('m.congress_id', 'in', f.congressIds!))
    .orderBy('m.congress_id')
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({
    ...r,
    invited: Number(r.invited),
    attended: Number(r.attended),
    leave_requests: Number(r.leave_requests),
    leave_approved: Number(r.leave_approved),
  }));
}

/** A group or station with the activities it held in the period (S1, S10). */
export interface UnitActivityRow {
  unit_id: number;
  unit_name: string;
  unit_kind: string;
  congress_id: number;
  activity_code: string | null;
  activity_title: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
}

/** Groups of a kind (small / large) and their activities of the matching kind in [fromAt, toAt). */
export async function listGroupActivities(
  db: Db,
  f: { fromAt: Date; toAt: Date; congressIds: number[] | null },
): Promise<UnitActivityRow[]> {
  if (f.congressIds !== null && f.congressIds.length === 0) return [];
  return db
    .selectFrom('groups as g')
    .leftJoin('activities as ac', (j) =>
      j
        .onRef('ac.group_id', '=', 'g.id')
        .on('ac.kind', 'in', ['small_group', 'large_group'] satisfies ActivityKind[])
        .on('ac.starts_at', '>=', f.fromAt)
        .on('ac.starts_at', '<', f.toAt),
    )
    .select([
      'g.id as unit_id',
      'g.name as unit_name',
      'g.kind as unit_kind',
      'g.congress_id',
      'ac.code as activity_code',
      'ac.title as activity_title',
      'ac.starts_at',
      'ac.ends_at',
    ])
    .where('g.kind', 'in', ['small', 'large'])
    .$if(f.congressIds !== null, (q) => q.where('g.congress_id', 'in', f.congressIds!))
    .orderBy('g.congress_id')
    .orderBy('g.name')
    .orderBy('ac.starts_at')
    .execute();
}

/** Stations and their reception activities (kind station) in [fromAt, toAt). */
export async function listStationActivities(
  db: Db,
  f: { fromAt: Date; toAt: Date; congressIds: number[] | null },
): Promise<UnitActivityRow[]> {
  if (f.congressIds !== null && f.congressIds.length === 0) return [];
  return db
    .selectFrom('stations as st')
    .leftJoin('activities as ac', (j) =>
      j
        .onRef('ac.station_id', '=', 'st.id')
        .on('ac.kind', '=', 'station')
        .on('ac.starts_at', '>=', f.fromAt)
        .on('ac.starts_at', '<', f.toAt),
    )
    .select([
      'st.id as unit_id',
      'st.name as unit_name',
      sql<string>`'station'`.as('unit_kind'),
      'st.congress_id',
      'ac.code as activity_code',
      'ac.title as activity_title',
      'ac.starts_at',
      'ac.ends_at',
    ])
    .$if(f.congressIds !== null, (q) => q.where('st.congress_id', 'in', f.congressIds!))
    .orderBy('st.congress_id')
    .orderBy('st.name')
    .orderBy('ac.starts_at')
    .execute();
}
