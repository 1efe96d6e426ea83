import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { InspectionRequestsTable } from './repositories/activities.ts';
import type { BroadcastGroupsTable, BroadcastsTable } from './repositories/broadcasts.ts';
import type {
  CalendarCorrectionsTable,
  CalendarYearsTable,
  DateChangesTable,
} from './repositories/calendar.ts';
import type { DeadlinePeopleTable, DeadlinesTable } from './repositories/deadlines.ts';
import type {
  ActivitiesTable,
  ActivityParticipantsTable,
  CodeSequencesTable,
  DutyEventsTable,
  SessionAbsencesTable,
  SessionsTable,
} from './repositories/duties.ts';
import type { LeaveRequestsTable } from './repositories/leave.ts';
import type { OrgansTable } from './repositories/organs.ts';
import type { ReceptionBookingsTable } from './repositories/reception.ts';
import type { ReceptionDaysTable } from './repositories/reception-days.ts';
import type { ReminderLedgerTable as ReminderLedgerTable7 } from './repositories/reminders.ts';
import type {
  SuggestionAssignmentsTable,
  SuggestionDeputiesTable,
  SuggestionEventsTable,
  SuggestionFollowUpsTable,
  SuggestionsTable,
  SuggestionUrgesTable,
} from './repositories/suggestions.ts';

// Table types for Kysely. DATE columns are 'YYYY-MM-DD' strings; jsonb columns hold the typed values.

export type Channel = 'wecom' | 'dingtalk';
export type MessageChannel = Channel | 'simulator';
export type CongressLevel = 'province' | 'city' | 'county' | 'township';
export type MandateRole = 'deputy' | 'staff' | 'approver' | 'admin';
export type MandateStatus = 'active' | 'suspended' | 'terminated';
export type TokenRole = 'admin' | 'staff' | 'approver';
export type GroupKind = 'large' | 'small' | 'staff';
export type BindingKind = 'wecom_robot' | 'wecom_appchat' | 'dingtalk_robot' | 'dingtalk_conversation';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead';

// Optional on insert: timestamps default to now() in the database.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string, T | string>;

export interface CongressesTable {
  id: Generated<number>;
  name: string;
  level: CongressLevel;
  term_starts_on: string | null;
  term_ends_on: string | null;
  archived_at: NullableTimestamp;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PeopleTable {
  id: Generated<number>;
  name: string;
  mobile: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonIdentitiesTable {
  id: Generated<number>;
  person_id: number;
  channel: Channel;
  external_id: string;
  external_id_norm: string;
}

export interface StationsTable {
  id: Generated<number>;
  congress_id: number;
  name: string;
  head_person_id: number | null;
  created_at: Timestamp;
}

export interface GroupsTable {
  id: Generated<number>;
  congress_id: number;
  name: string;
  kind: GroupKind;
  leader_person_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupBindingsTable {
  id: Generated<number>;
  group_id: number;
  channel: Channel;
  kind: BindingKind;
  address: string;
  secret: string | null;
  updated_at: Timestamp;
}

export interface MandatesTable {
  id: Generated<number>;
  person_id: number;
  congress_id: number;
  electoral_unit: string | null;
  large_group_id: number | null;
  small_group_id: number | null;
  station_id: number | null;
  role: MandateRole;
  status: Generated<MandateStatus>;
  status_reason: string | null;
  status_changed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MandateStatusChangesTable {
  id: Generated<number>;
  mandate_id: number;
  from_status: MandateStatus;
  to_status: MandateStatus;
  reason: string;
  changed_by: string;
  changed_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: TokenRole;
  congress_id: number | null;
  token_hash: string;
  token_prefix: string;
  created_by: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  detail: Json<Record<string, unknown>>;
  request_id: string | null;
}

export interface InboundMessagesTable {
  id: Generated<number>;
  channel: MessageChannel;
  message_key: string;
  sender_id: string;
  person_id: number | null;
  msg_type: string;
  content: Json<Record<string, unknown>> | null;
  status: Generated<'received' | 'handled' | 'failed' | 'refused'>;
  reply: Json<unknown> | null;
  received_at: Timestamp;
  handled_at: NullableTimestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: MessageChannel;
  target_kind: string;
  target_address: string;
  payload: Json<Record<string, unknown>>;
  idempotency_key: string;
  cause: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  not_before: Timestamp;
  locked_until: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface ReminderLedgerTable {
  id: Generated<number>;
  rule: string;
  period: string;
  target: string;
  outbox_id: number | null;
  late: Generated<boolean>;
  created_at: Timestamp;
}

export interface Database {
  congresses: CongressesTable;
  people: PeopleTable;
  person_identities: PersonIdentitiesTable;
  stations: StationsTable;
  groups: GroupsTable;
  group_bindings: GroupBindingsTable;
  mandates: MandatesTable;
  mandate_status_changes: MandateStatusChangesTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  inbound_messages: InboundMessagesTable;
  outbox: OutboxTable;
  reminder_ledger: ReminderLedgerTable7;
  sessions: SessionsTable;
  session_absences: SessionAbsencesTable;
  activities: ActivitiesTable;
  activity_participants: ActivityParticipantsTable;
  duty_events: DutyEventsTable;
  code_sequences: CodeSequencesTable;
  calendar_corrections: CalendarCorrectionsTable;
  calendar_years: CalendarYearsTable;
  reception_days: ReceptionDaysTable;
  deadlines: DeadlinesTable;
  deadline_people: DeadlinePeopleTable;
  date_changes: DateChangesTable;
  organs: OrgansTable;
  suggestions: SuggestionsTable;
  suggestion_deputies: SuggestionDeputiesTable;
  suggestion_assignments: SuggestionAssignmentsTable;
  suggestion_events: SuggestionEventsTable;
  suggestion_urges: SuggestionUrgesTable;
  suggestion_follow_ups: SuggestionFollowUpsTable;
  leave_requests: LeaveRequestsTable;
  reception_bookings: ReceptionBookingsTable;
  inspection_requests: InspectionRequestsTable;
  broadcasts: BroadcastsTable;
  broadcast_groups: BroadcastGroupsTable;
}

export type Congress = Selectable<CongressesTable>;
export type Person = Selectable<PeopleTable>;
export type Mandate = Selectable<MandatesTable>;
export type Group = Selectable<GroupsTable>;
export type Station = Selectable<StationsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type InboundMessage = Selectable<InboundMessagesTable>;
export type CongressUpdate = Updateable<CongressesTable>;
