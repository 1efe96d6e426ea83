import type { CongressLevel, DecidingBody, LeavePhase, LeaveStatus } from '../../../db/schema.ts';
import {
  activityRouteExplanation,
  DECIDING_BODY_LABEL,
  FORWARDED_BODY_LABEL,
  forwardedRouteExplanation,
  sessionRouteExplanation,
} from './text.ts';

// 山西 第八条 (S5): who decides a deputy's leave from a session of their own congress.
// - 县级以上: before the session, 常委会 主任会议 decides; during it, the 秘书处 approves.
// - 乡、镇: before, the 主席团 decides; during, the 主席团 approves.
// A provincial deputy whose request this (city or lower) office receives is told it goes to the provincial
// standing committee (before the session) or the session's 秘书处 (during it): it is forwarded, not decided
// here; the decision is recorded when it comes back (requests.ts recordReturnedDecision).

export interface LeaveRoute {
  body: DecidingBody;
  label: string;
  status: LeaveStatus;
  /** How the deputy reads it. */
  explanation: string;
}

export type SessionPhase = LeavePhase | 'ended';

/** Before (today is earlier than the first day), during (on any day of it) or ended. */
export function phaseOf(today: string, startsOn: string, endsOn: string): SessionPhase {
  if (today < startsOn) return 'before';
  if (today <= endsOn) return 'during';
  return 'ended';
}

export function routeSessionLeave(
  level: CongressLevel,
  phase: LeavePhase,
  opts: { forwardToProvince: boolean },
): LeaveRoute {
  if (opts.forwardToProvince) {
    // 山西 第八条: before the provincial session the provincial standing committee's 主任会议 decides; during
    // it, the session's 秘书处 approves. Either way the request is forwarded, not decided here.
    const body: DecidingBody = phase === 'before' ? 'provincial_standing_committee' : 'secretariat';
    return {
      body,
      label: FORWARDED_BODY_LABEL[phase],
      status: 'forwarded',
      explanation: forwardedRouteExplanation(phase),
    };
  }
  const body: Exclude<DecidingBody, 'organiser' | 'provincial_standing_committee'> =
    level === 'township' ? 'presidium' : phase === 'before' ? 'chairmen_meeting' : 'secretariat';
  return {
    body,
    label: DECIDING_BODY_LABEL[body],
    status: 'pending',
    explanation: sessionRouteExplanation(body, phase),
  };
}

/** 大同 第十一条 (S4): leave from an activity goes to its organising unit, named as people read it (organiserLabel). */
export function routeActivityLeave(organiser: string): LeaveRoute {
  return {
    body: 'organiser',
    label: organiser,
    status: 'pending',
    explanation: activityRouteExplanation(organiser),
  };
}
