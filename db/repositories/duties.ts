import type { ColumnType, Generated } from 'kysely';

// Table types of migration 004 (sessions, activities, participants, absences, duty record, code sequences).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ActivityKind = 'small_group' | 'large_group' | 'station' | 'study' | 'campaign' | 'inspection';

export interface SessionsTable {
  id: Generated<number>;
  congress_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  created_at: Timestamp;
}

export interface SessionAbsencesTable {
  id: Generated<number>;
  session_id: number;
  mandate_id: number;
  excused: Generated<boolean>;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface ActivitiesTable {
  id: Generated<number>;
  code: string;
  congress_id: number;
  kind: ActivityKind;
  title: string;
  organiser: string;
  group_id: number | null;
  station_id: number | null;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  ends_at: ColumnType<Date, Date | string, Date | string>;
  place: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ActivityParticipantsTable {
  id: Generated<number>;
  activity_id: number;
  mandate_id: number;
  invited: Generated<boolean>;
  response: 'accepted' | 'declined' | null;
  response_reason: string | null;
  responded_at: NullableTimestamp;
  attended: Generated<boolean>;
}

export interface DutyEventsTable {
  id: Generated<number>;
  mandate_id: number;
  occurred_on: string;
  kind: string;
  summary: string;
  ref: string | null;
  entered_by_staff: Generated<boolean>;
  created_at: Timestamp;
}

export interface CodeSequencesTable {
  prefix: string;
  year: number;
  last: Generated<number>;
}
