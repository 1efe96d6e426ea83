// The leave domain's one door: other domains and the layers above import only this file.

// The leave request as read back (the printable form takes it).
export type { LeaveDetail } from '../../../db/repositories/leave.ts';
export * from './absences.ts';
export * from './audit.ts';
export * from './corrections.ts';
export * from './item-source.ts';
export {
  dayRange,
  type MeetingCandidate,
  matchMeetings,
  meetingButtonLabel,
  meetingNames,
  namesNoMeeting,
  type SameWeekMeeting,
  sameWeekMeeting,
} from './meeting-match.ts';
export { decidingOrganisers, organiserLabel } from './organisers.ts';
export * from './reasons.ts';
export * from './requests.ts';
export * from './routing.ts';
export * from './sessions.ts';
export * from './take-back.ts';
export * from './text.ts';
