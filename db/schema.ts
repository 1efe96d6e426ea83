import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Every table type for Kysely, the one data model (repositories hold the SQL, not the types).
// DATE columns are 'YYYY-MM-DD' strings; jsonb columns hold the typed values.

export type Channel = 'wecom' | 'dingtalk';
export type MessageChannel = Channel | 'simulator';
export type CongressLevel = 'province' | 'city' | 'county' | 'township';
export type MandateRole = 'deputy' | 'staff' | 'approver' | 'admin';
export type MandateStatus = 'active' | 'suspended' | 'terminated';
export type TokenRole = 'admin' | 'staff' | 'approver' | 'organ';
export type GroupKind = 'large' | 'small' | 'staff';
export type BindingKind =
  | 'wecom_robot'
  | 'wecom_appchat'
  | 'dingtalk_robot'
  | 'dingtalk_conversation'
  /** A group chat WeCom's intelligent robot is in (its chatid), reached over the robot's long connection. */
  | 'wecom_bot';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead' | 'unknown';

// Optional on insert: timestamps default to now() in the database.
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A timestamp with no database default: required on insert. */
export type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column; `HasDefault` when the database fills it, so an insert may leave it out. */
export type Json<T, HasDefault extends boolean = false> = ColumnType<
  T,
  HasDefault extends true ? T | string | undefined : T | string,
  T | string
>;

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

/** Identities migration 009 left as they were because trimming would give two of them one id (009). */
export interface ExternalIdCollisionsTable {
  id: Generated<number>;
  channel: Channel;
  /** The value both would share once trimmed. */
  normal_form: string;
  identity_id: number;
  person_id: number;
  external_id: string;
  found_at: Timestamp;
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
  /** Role 'organ' (030): the handling organ whose items the token sees and answers. */
  organ_id: Generated<number | null>;
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
  /** What the subject was before the change (null for a creation); never a secret. */
  before: Json<unknown, true>;
  /** What it is after (null for a removal). */
  after: Json<unknown, true>;
}

export interface InboundMessagesTable {
  id: Generated<number>;
  channel: MessageChannel;
  message_key: string;
  /** null for a sender not on the roster: of their message only channel and id are kept. */
  sender_id: string | null;
  person_id: number | null;
  msg_type: string | null;
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
  /** Who holds the row while it is sent (010): only the holder records the result. */
  claim_token: string | null;
  /** When sending began: transient failures are retried for 24 hours from here. */
  first_tried_at: NullableTimestamp;
  /** When a send first ended without an answer (a timeout); resent only inside the duplicate window. */
  unknown_since: NullableTimestamp;
}

// The reminder ledger (002, with 007's columns): one row per rule, period and target, unique, written
// in the transaction that queues its message, so restarts and several instances never send it twice.
export interface ReminderLedgerTable {
  id: Generated<number>;
  rule: string;
  period: string;
  target: string;
  outbox_id: number | null;
  late: Generated<boolean>;
  created_at: Timestamp;
  /** The day the reminder fell due; the event it announces (a catch-up sends only what is still ahead). */
  due_on: string | null;
  event_on: string | null;
  job: string | null;
}

/** The newest digest of a target, channel and sending day: its key without '#n', its row and n (028). */
/** A job's work done for a day, e.g. the catch-up at start (028). */
export interface JobMarksTable {
  name: string;
  day: string;
  done_at: RequiredTimestamp;
}

// Sessions, activities, participants, absences, duty record, code sequences (004).

export type ActivityKind =
  | 'small_group'
  | 'large_group'
  | 'station'
  | 'study'
  | 'campaign'
  | 'inspection'
  /** 列席 a standing committee meeting (大同 第七条(一)): an activity, not a session (014). */
  | 'sitting_in';

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
  /** Why it does not count toward S6 (e.g. the mandate was suspended), or null when it does (014). */
  not_counted_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the S6 warning about it went out, and when a later approval withdrew it (014). */
  warned_at: NullableTimestamp;
  warning_withdrawn_at: NullableTimestamp;
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
  starts_at: RequiredTimestamp;
  ends_at: RequiredTimestamp;
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

// Inspection requests (S17).

export interface InspectionRequestsTable {
  id: Generated<number>;
  congress_id: number;
  mandate_id: number;
  content: string;
  status: Generated<'requested' | 'arranged' | 'reported'>;
  activity_id: number | null;
  /** The code of the S8a item its report became (山西 第二十七条), set by the suggestions feature. */
  report_ref: string | null;
  entered_by_staff: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// Staff corrections of the working-day calendar, which years were loaded and how, and the record of
// every recompute that moved a stored date.

export interface CalendarCorrectionsTable {
  date: string;
  kind: 'holiday' | 'workday';
  note: string;
  corrected_by: string;
  corrected_at: Timestamp;
}

export interface CalendarYearsTable {
  year: number;
  source: 'published' | 'provisional';
  package_version: string | null;
  loaded_at: Timestamp;
  /** Set when the year was read from the State Council's notice itself (migration 015). */
  notice_title: string | null;
  notice_number: string | null;
  notice_date: string | null;
  notice_text: string | null;
  notice_by: string | null;
}

/** The days a recorded notice names: days off and make-up working days (调休上班). */
export interface CalendarNoticeDaysTable {
  date: string;
  notice_year: number;
  kind: 'holiday' | 'workday';
  festival: string;
}

export interface DateChangesTable {
  id: Generated<number>;
  subject_type: 'deadline' | 'reception_day';
  subject_id: number;
  old_date: string;
  new_date: string;
  old_provisional: boolean;
  new_provisional: boolean;
  reason: string;
  changed_at: Timestamp;
}

// Statutory clocks (S8, S8a, S8 re-handling) and the people each one concerns.

export type DeadlineKind = 'S8' | 'S8a' | 'S8-rehandle';

export interface DeadlinesTable {
  id: Generated<number>;
  kind: DeadlineKind;
  /** What the clock runs for, e.g. 'suggestion' / 'JY-2026-0012', 'report' / '17'. */
  subject_type: string;
  subject_id: string;
  congress_id: number | null;
  /** How people read it in a message (zh-CN), e.g. '建议 JY-2026-0012 的答复期限'. */
  label: string;
  starts_on: string;
  months: number;
  /** A date set by hand (an approved extension): the due date is it, moved off a rest day. */
  target_on: string | null;
  due_on: string;
  provisional: boolean;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeadlinePeopleTable {
  deadline_id: number;
  person_id: number;
}

// 大同 第七条(九) (S2): each congress's reception day of each month, as last computed from the
// calendar, and the bookings of it.

export interface ReceptionDaysTable {
  id: Generated<number>;
  congress_id: number;
  /** 'YYYY-MM' */
  month: string;
  date: string;
  provisional: boolean;
  computed_at: Timestamp;
}

export interface ReceptionBookingsTable {
  id: Generated<number>;
  code: string;
  congress_id: number;
  mandate_id: number;
  /** 'YYYY-MM' */
  month: string;
  topic: string | null;
  status: Generated<'booked' | 'cancelled'>;
  entered_by_staff: Generated<boolean>;
  created_at: Timestamp;
  cancelled_at: NullableTimestamp;
}

// 山西 第八条 (S5), 大同 第十一条 (S4): leave requests and their decisions.

export type DecidingBody =
  | 'chairmen_meeting'
  | 'secretariat'
  | 'presidium'
  | 'organiser'
  | 'provincial_standing_committee';
/** withdrawn: the deputy will attend after all (参加 to the activity), so nothing is to be decided. */
export type LeaveStatus = 'pending' | 'approved' | 'rejected' | 'forwarded' | 'withdrawn';
export type LeavePhase = 'before' | 'during';

export interface LeaveRequestsTable {
  id: Generated<number>;
  code: string;
  congress_id: number;
  mandate_id: number;
  session_id: number | null;
  activity_id: number | null;
  reason: string;
  phase: LeavePhase | null;
  deciding_body: DecidingBody;
  deciding_body_label: string;
  status: Generated<LeaveStatus>;
  submitted_on: string;
  decided_on: string | null;
  decision_reason: string | null;
  recorded_by: string | null;
  recorded_at: NullableTimestamp;
  entered_by_staff: Generated<boolean>;
  entered_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// The organs that handle deputies' items (S8 有关机关、组织), with the contact 催办 reaches.

export interface OrgansTable {
  id: Generated<number>;
  name: string;
  contact_name: string | null;
  contact_mobile: string | null;
  /** The contact's WeCom userid: 催办 goes there through the outbox when set. */
  contact_wecom: string | null;
  contact_dingtalk: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// Deputies' suggestions and S8a reports, their assignments to organs, history, urges and follow-ups.

export type SuggestionKind = '建议' | '批评' | '意见' | '视察报告' | '调研报告';
export type SuggestionStatus = 'submitted' | 'assigned' | 'answered' | 'rehandling' | 'closed';
export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'no_response';
export type AssignmentRole = 'lead' | 'assist';
export type AssignmentStatus = 'open' | 'answered' | 'returned' | 'transferred' | 'superseded';

export interface Photo {
  mediaId?: string;
  url?: string;
  /** The `media` row its content is kept in (fetched from the platform after it arrived). */
  stored?: number;
  /** What it is when not a photo (a video, a file); absent for a photo. */
  kind?: 'video' | 'file';
  /** A file's name as the sender's platform gave it. */
  fileName?: string;
  /** An uploaded file (an organ's answer attachment): its content in media_contents, by sha256. */
  sha256?: string;
  size?: number;
  contentType?: string;
}

/** Where a deputy was when sending an item: a location sent in its dialog. */
export interface ItemLocation {
  latitude: number;
  longitude: number;
  label?: string;
}

export interface SuggestionsTable {
  id: Generated<number>;
  code: string;
  congress_id: number;
  kind: SuggestionKind;
  title: string | null;
  content: string;
  photos: Json<Photo[], true>;
  location: Json<ItemLocation | null, true>;
  secret: Generated<boolean>;
  status: SuggestionStatus;
  rating: Rating | null;
  round: Generated<number>;
  entered_by: string | null;
  entered_by_name: string | null;
  source_inbound_id: number | null;
  activity_id: number | null;
  submitted_on: string;
  answered_on: string | null;
  closed_at: NullableTimestamp;
  /** 撤回 by the deputy before 交办 (019); the item is closed and kept. */
  withdrawn_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** 立案审查 (migration 021): null until reviewed; 'not_accepted' and 'merged' items are 'closed'. */
  review_state: SuggestionReviewState | null;
  review_reason: string | null;
  reviewed_at: NullableTimestamp;
  reviewed_by: string | null;
  merged_into_id: number | null;
  category: string | null;
  /** 重点督办 (《代表法》第五十二条). */
  key_supervision: Generated<boolean>;
  /** On the public pages since (030); never for a 涉密 item. */
  published_at: NullableTimestamp;
  /** The deputy asked that their name not be published (030). */
  withhold_name: Generated<boolean>;
}

export type SuggestionReviewState = 'accepted' | 'not_accepted' | 'merged';

export interface SuggestionDeputiesTable {
  suggestion_id: number;
  mandate_id: number;
  person_id: number;
  author: Generated<boolean>;
}

export interface SuggestionAssignmentsTable {
  id: Generated<number>;
  suggestion_id: number;
  round: number;
  organ_id: number;
  role: AssignmentRole;
  assigned_on: string;
  assigned_by: string;
  deadline_id: number | null;
  status: AssignmentStatus;
  answer_done: string | null;
  answer_planned: string | null;
  answer_planned_by: string | null;
  answer_cannot: string | null;
  answer_cannot_reason: string | null;
  answer_signed_by: string | null;
  answered_on: string | null;
  answered_by: string | null;
  ended_reason: string | null;
  ended_at: NullableTimestamp;
  created_at: Timestamp;
  /** 签收, 退回申请 and reminders (030). */
  signed_at: NullableTimestamp;
  signed_by: Generated<string | null>;
  return_requested_at: NullableTimestamp;
  return_request_reason: Generated<string | null>;
  return_decision: Generated<'kept' | 'transferred' | null>;
  sign_reminded_at: NullableTimestamp;
  unanswered_reminders: Generated<number>;
}

/** An organ's contact beyond the one on the organ's row (030); a leader receives escalated reminders. */
export interface OrganContactsTable {
  id: Generated<number>;
  organ_id: number;
  name: string;
  mobile: string | null;
  wecom_userid: string | null;
  dingtalk_userid: string | null;
  leader: Generated<boolean>;
  created_at: Timestamp;
}

export type AnswerReviewStatus = 'pending_review' | 'returned' | 'approved' | 'to_lead';

/** An organ's answer as submitted, held for the office's review (030). */
export interface SuggestionAnswersTable {
  id: Generated<number>;
  suggestion_id: number;
  assignment_id: number;
  organ_id: number;
  role: AssignmentRole;
  status: AnswerReviewStatus;
  fields: Json<Record<string, string | null>, true>;
  result_class: string | null;
  doc_no: string | null;
  contact: string | null;
  attachments: Json<Photo[]>;
  submitted_by: string;
  submitted_at: RequiredTimestamp;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
}

export interface SuggestionEventsTable {
  id: Generated<number>;
  suggestion_id: number;
  at: RequiredTimestamp;
  actor: string;
  actor_name: string;
  action: string;
  summary: string;
  reason: string | null;
  detail: Json<Record<string, unknown>, true>;
}

export interface SuggestionUrgesTable {
  id: Generated<number>;
  suggestion_id: number;
  person_id: number;
  urged_at: RequiredTimestamp;
}

export interface SuggestionFollowUpsTable {
  id: Generated<number>;
  suggestion_id: number;
  assignment_id: number;
  organ_id: number;
  due_on: string;
  promise: string;
  reminded_at: NullableTimestamp;
  created_at: Timestamp;
}

// 大同 第八条 (S18): broadcasts and the groups each one reaches (007).

export interface BroadcastsTable {
  id: Generated<number>;
  congress_id: number | null;
  text: string;
  targets: Json<string[]>;
  actor: string;
  sender_person_id: number | null;
  status: Generated<'running' | 'done'>;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface BroadcastGroupsTable {
  broadcast_id: number;
  group_id: number;
  group_name: string;
}

// What deputies send, kept in our own storage: one row per thing received, one per distinct content.

export type MediaKind = 'image' | 'voice' | 'file' | 'video';
export type MediaStatus = 'pending' | 'fetched' | 'missing' | 'too_large';

export interface MediaTable {
  id: Generated<number>;
  channel: MessageChannel;
  platform_id: string;
  kind: MediaKind;
  status: MediaStatus;
  attempts: Generated<number>;
  next_attempt_at: RequiredTimestamp;
  last_error: string | null;
  sha256: string | null;
  size: number | null;
  content_type: string | null;
  inbound_id: number | null;
  received_at: RequiredTimestamp;
  fetched_at: NullableTimestamp;
}

export interface MediaContentsTable {
  sha256: string;
  size: number;
  content_type: string;
  content: Uint8Array;
  created_at: Timestamp;
}

export interface Database {
  congresses: CongressesTable;
  people: PeopleTable;
  person_identities: PersonIdentitiesTable;
  external_id_collisions: ExternalIdCollisionsTable;
  stations: StationsTable;
  groups: GroupsTable;
  group_bindings: GroupBindingsTable;
  mandates: MandatesTable;
  mandate_status_changes: MandateStatusChangesTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  inbound_messages: InboundMessagesTable;
  outbox: OutboxTable;
  reminder_ledger: ReminderLedgerTable;
  job_marks: JobMarksTable;
  sessions: SessionsTable;
  session_absences: SessionAbsencesTable;
  activities: ActivitiesTable;
  activity_participants: ActivityParticipantsTable;
  duty_events: DutyEventsTable;
  code_sequences: CodeSequencesTable;
  calendar_corrections: CalendarCorrectionsTable;
  calendar_years: CalendarYearsTable;
  calendar_notice_days: CalendarNoticeDaysTable;
  reception_days: ReceptionDaysTable;
  deadlines: DeadlinesTable;
  deadline_people: DeadlinePeopleTable;
  date_changes: DateChangesTable;
  organs: OrgansTable;
  suggestions: SuggestionsTable;
  media: MediaTable;
  media_contents: MediaContentsTable;
  suggestion_deputies: SuggestionDeputiesTable;
  suggestion_assignments: SuggestionAssignmentsTable;
  suggestion_events: SuggestionEventsTable;
  suggestion_urges: SuggestionUrgesTable;
  suggestion_follow_ups: SuggestionFollowUpsTable;
  organ_contacts: OrganContactsTable;
  suggestion_answers: SuggestionAnswersTable;
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
