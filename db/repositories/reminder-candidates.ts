import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { BindingKind } from '../schema.ts';
import { activeDeputiesOf, type CandidateRow, idSet, jsonParam, staffTargetsOf } from './reminder-sets.ts';

// Each reminder rule as one query over the whole roster (jobs/*.job.ts give the periods, dates and texts
// the calendar decides; these queries find who is due, who met the minimum, and whom to reach). The rows
// are CandidateRow (reminder-sets.ts); the ledger drops what was already sent. `kinds`, where staff are
// reached: the group binding kinds the service can send through (staffTargetsOf).

/** A text around one name: `${before}${name}${after}`. */
export interface TextAround {
  before: string;
  after: string;
}

/** 大同 第六条 (S1): per group kind, its period; groups that recorded no activity in it. */
export interface GroupPeriod extends TextAround {
  kind: 'small' | 'large';
  periodKey: string;
  startsAt: Date;
  endsAt: Date;
  dueOn: string;
  eventOn: string;
}

export function groupActivityCandidates(
  congressIds: readonly number[],
  periods: readonly GroupPeriod[],
  kinds: readonly BindingKind[],
): RawBuilder<CandidateRow> {
  return sql<CandidateRow>`with i as (
      select * from jsonb_to_recordset(${jsonParam(periods)})
        as i("kind" text, "periodKey" text, "startsAt" timestamptz, "endsAt" timestamptz, "dueOn" text,
             "eventOn" text, "before" text, "after" text)),
    g as (
      select g.id, g.congress_id, g.leader_person_id, i."periodKey" || '#group:' || g.id as period,
        i."before" || g.name || i."after" as text, i."dueOn" as due_on, i."eventOn" as event_on
      from groups g join i on i."kind" = g.kind
      where g.congress_id in ${idSet(congressIds)}
        and not exists (select 1 from activities a where a.group_id = g.id
          and a.kind in ('small_group', 'large_group')
          and a.starts_at >= i."startsAt" and a.starts_at < i."endsAt"))
    select 'S1' as rule, g.period, 'person:' || g.leader_person_id as target, g.text, g.due_on, g.event_on,
      g.id::bigint * 10000000000 as sort
    from g where g.leader_person_id is not null
    union all
    select 'S1', g.period, s.target, g.text, g.due_on, g.event_on, g.id::bigint * 10000000000 + 1 + s.pos
    from g join ${staffTargetsOf(congressIds, kinds)} s on s.congress_id = g.congress_id`;
}

/** A reminder to a congress's active deputies (S2 before the reception day, S5 before a session). */
export interface DeputyReminder {
  congressId: number;
  rule: string;
  period: string;
  /** Only deputies in groups of these names (S2's whoMayBook); null: every active deputy. */
  groups: string[] | null;
  text: string;
  dueOn: string;
  eventOn: string;
}

export function deputyCandidates(reminders: readonly DeputyReminder[]): RawBuilder<CandidateRow> {
  const ids = [...new Set(reminders.map((r) => r.congressId))];
  return sql<CandidateRow>`select i."rule", i."period", 'person:' || d.person_id as target, i."text",
      i."dueOn" as due_on, i."eventOn" as event_on, i.n * 10000000000 + d.person_id as sort
    from jsonb_to_recordset(${jsonParam(reminders.map((r, n) => ({ ...r, n })))})
      as i("congressId" int, "rule" text, "period" text, "groups" jsonb, "text" text, "dueOn" text,
           "eventOn" text, n bigint)
    join ${activeDeputiesOf(ids)} d on d.congress_id = i."congressId"
    where i."groups" is null or jsonb_typeof(i."groups") = 'null'
      or exists (select 1 from mandates m join groups g on g.id in (m.large_group_id, m.small_group_id)
                 where m.congress_id = d.congress_id and m.person_id = d.person_id and m.role = 'deputy'
                   and m.status = 'active'
                   and g.name in (select value from jsonb_array_elements_text(i."groups")))`;
}

/** 山西 第二十一条 (S9): per congress, its deputies with no attended station activity in the year. */
export interface StationVisitYear {
  congressId: number;
  period: string;
  text: string;
  fromAt: Date;
  toAt: Date;
  dueOn: string;
  eventOn: string;
}

export function stationVisitCandidates(years: readonly StationVisitYear[]): RawBuilder<CandidateRow> {
  return sql<CandidateRow>`select 'S9' as rule, i."period", 'person:' || m.person_id as target, i."text",
      i."dueOn" as due_on, i."eventOn" as event_on, m.person_id::bigint as sort
    from jsonb_to_recordset(${jsonParam(years)})
      as i("congressId" int, "period" text, "text" text, "fromAt" timestamptz, "toAt" timestamptz,
           "dueOn" text, "eventOn" text)
    join mandates m on m.congress_id = i."congressId" and m.role = 'deputy' and m.status = 'active'
    where not exists (select 1 from activity_participants p join activities a on a.id = p.activity_id
                      where p.mandate_id = m.id and p.attended and a.kind = 'station'
                        and a.starts_at >= i."fromAt" and a.starts_at < i."toAt")`;
}

/** 山西 第三十一条 (S10): stations with a head and no reception of half a working day in the month. */
export function stationReceptionCandidates(
  congressIds: readonly number[],
  m: TextAround & { month: string; fromAt: Date; toAt: Date; dueOn: string; eventOn: string; minMs: number },
): RawBuilder<CandidateRow> {
  return sql<CandidateRow>`select 'S10' as rule, ${m.month} || '#station:' || s.id as period,
      'person:' || s.head_person_id as target, ${m.before}::text || s.name || ${m.after}::text as text,
      ${m.dueOn}::text as due_on, ${m.eventOn}::text as event_on, s.id::bigint as sort
    from stations s
    where s.congress_id in ${idSet(congressIds)} and s.head_person_id is not null
      and not exists (select 1 from activities a where a.kind = 'station' and a.station_id = s.id
                        and a.starts_at >= ${m.fromAt} and a.starts_at < ${m.toAt}
                        and a.ends_at - a.starts_at >= ${m.minMs} * interval '1 millisecond')`;
}

/**
 * A reminder to a congress's staff (S3, S14, the holiday arrangement); with activityKind, only where no
 * activity of that kind started in [fromAt, toAt).
 */
export interface StaffReminder {
  congressId: number;
  rule: string;
  period: string;
  text: string;
  dueOn: string;
  eventOn: string;
  activityKind: string | null;
  fromAt: Date | null;
  toAt: Date | null;
}

export function staffCandidates(
  reminders: readonly StaffReminder[],
  kinds: readonly BindingKind[],
): RawBuilder<CandidateRow> {
  const ids = [...new Set(reminders.map((r) => r.congressId))];
  return sql<CandidateRow>`select i."rule", i."period", s.target, i."text", i."dueOn" as due_on,
      i."eventOn" as event_on, i.n * 10000000000 + s.pos as sort
    from jsonb_to_recordset(${jsonParam(reminders.map((r, n) => ({ ...r, n })))})
      as i("congressId" int, "rule" text, "period" text, "text" text, "dueOn" text, "eventOn" text,
           "activityKind" text, "fromAt" timestamptz, "toAt" timestamptz, n bigint)
    join ${staffTargetsOf(ids, kinds)} s on s.congress_id = i."congressId"
    where i."activityKind" is null
      or not exists (select 1 from activities a where a.congress_id = i."congressId"
                     and a.kind = i."activityKind" and a.starts_at >= i."fromAt" and a.starts_at < i."toAt")`;
}

/**
 * 《代表法》第五十一条第二款 (S8), 山西 第二十七条 (S8a): a feedback clock's reminder to the organs with an
 * open assignment on it (when `organs`) and to the staff of the given congresses, in that order.
 */
export interface ClockReminder {
  deadlineId: number;
  rule: string;
  period: string;
  text: string;
  dueOn: string;
  eventOn: string;
  organs: boolean;
  staffOf: number[];
}

export function clockCandidates(
  reminders: readonly ClockReminder[],
  kinds: readonly BindingKind[],
): RawBuilder<CandidateRow> {
  const ids = [...new Set(reminders.flatMap((r) => r.staffOf))];
  return sql<CandidateRow>`with i as (
      select * from jsonb_to_recordset(${jsonParam(reminders.map((r, n) => ({ ...r, n })))})
        as i("deadlineId" int, "rule" text, "period" text, "text" text, "dueOn" text, "eventOn" text,
             "organs" boolean, "staffOf" jsonb, n bigint))
    select i."rule", i."period", 'organ:' || a.organ_id as target, i."text", i."dueOn" as due_on,
      i."eventOn" as event_on, i.n * 10000000000 + a.organ_id as sort
    from i join (select distinct deadline_id, organ_id from suggestion_assignments where status = 'open') a
      on a.deadline_id = i."deadlineId"
    where i."organs"
    union all
    select i."rule", i."period", s.target, i."text", i."dueOn", i."eventOn",
      i.n * 10000000000 + 5000000000 + s.pos
    from i join ${staffTargetsOf(ids, kinds)} s
      on s.congress_id in (select value::int from jsonb_array_elements_text(i."staffOf"))`;
}

/** Sessions of the given congresses opening after `day`, by opening day (S5). */
export async function sessionsOpeningAfter(db: Db, congressIds: readonly number[], day: string) {
  if (congressIds.length === 0) return [];
  return db
    .selectFrom('sessions')
    .select(['id', 'congress_id', 'name', 'starts_on'])
    .where('congress_id', 'in', congressIds)
    .where('starts_on', '>', day)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}
