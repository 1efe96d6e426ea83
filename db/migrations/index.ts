import type { Migration } from 'kysely/migration';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_messaging.ts';
import * as m003 from './003_calendar.ts';
import * as m004 from './004_duties.ts';
import * as m005 from './005_suggestions.ts';
import * as m006 from './006_leave_reception.ts';
import * as m007 from './007_broadcasts.ts';
import * as m008 from './008_outbox_key_prefix.ts';
import * as m009 from './009_trim_external_ids.ts';
import * as m010 from './010_outbox_once.ts';
import * as m011 from './011_audit_before_after.ts';
import * as m012 from './012_stranger_messages_id_only.ts';
import * as m013 from './013_media.ts';
import * as m014 from './014_sitting_in_absences.ts';
import * as m015 from './015_calendar_notices.ts';
import * as m016 from './016_media_video.ts';
import * as m017 from './017_suggestion_withdrawn.ts';
import * as m018 from './018_suggestion_review.ts';
import * as m019 from './019_wecom_bot_bindings.ts';
import * as m020 from './020_reminder_sets.ts';
import * as m021 from './021_organ_side.ts';
import * as m022 from './022_reminder_run_lean.ts';
import * as m023 from './023_digests_in_outbox.ts';
import * as m024 from './024_roster_version.ts';
import * as m025 from './025_leave_withdrawn.ts';

// Listed by hand rather than read from the folder: the same list runs on PostgreSQL and PGlite,
// and a missing import is a type error rather than a silently skipped migration.
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_messaging': m002,
  '003_calendar': m003,
  '004_duties': m004,
  '005_suggestions': m005,
  '006_leave_reception': m006,
  '007_broadcasts': m007,
  '008_outbox_key_prefix': m008,
  '009_trim_external_ids': m009,
  '010_outbox_once': m010,
  '011_audit_before_after': m011,
  '012_stranger_messages_id_only': m012,
  '013_media': m013,
  '014_sitting_in_absences': m014,
  '015_calendar_notices': m015,
  '016_media_video': m016,
  '017_suggestion_withdrawn': m017,
  '018_suggestion_review': m018,
  '019_wecom_bot_bindings': m019,
  '020_reminder_sets': m020,
  '021_organ_side': m021,
  '022_reminder_run_lean': m022,
  '023_digests_in_outbox': m023,
  '024_roster_version': m024,
  '025_leave_withdrawn': m025,
};
