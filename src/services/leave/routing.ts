import type { DecidingBody, LeavePhase, LeaveStatus } from '../../../db/repositories/leave.ts';
import type { CongressLevel } from '../../../db/schema.ts';

// 山西 第八条 (S5): who decides a deputy's leave from a session of their own congress.
// - 县级以上: before the session, 常委会 主任会议 decides; during it, the 秘书处 approves.
// - 乡、镇: before, the 主席团 decides; during, the 主席团 approves.
// A provincial deputy whose request this (city or lower) office receives is told it goes to the provincial
// standing committee: it is forwarded, not decided here.

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
    return {
      body: 'provincial_standing_committee',
      label: '省人大常委会',
      status: 'forwarded',
      explanation:
        phase === 'before'
          ? '您是省人大代表，依照山西 第八条，会前请假应向省人大常委会书面提出，由其主任会议决定。本机构已将请假单转呈省人大常委会，不在此处审批'
          : '您是省人大代表，依照山西 第八条，会议期间请假由省人大会议秘书处批准。本机构已将请假单转呈省人大常委会，不在此处审批',
    };
  }
  if (level === 'township') {
    return phase === 'before'
      ? {
          body: 'presidium',
          label: '主席团',
          status: 'pending',
          explanation: '依照山西 第八条，乡镇人大代表会前请假由主席团决定是否批准',
        }
      : {
          body: 'presidium',
          label: '主席团',
          status: 'pending',
          explanation: '依照山西 第八条，乡镇人大代表会议期间请假须经主席团批准',
        };
  }
  return phase === 'before'
    ? {
        body: 'chairmen_meeting',
        label: '主任会议',
        status: 'pending',
        explanation: '依照山西 第八条，会前请假向本级人大常委会书面提出，由主任会议决定是否批准',
      }
    : {
        body: 'secretariat',
        label: '秘书处',
        status: 'pending',
        explanation: '依照山西 第八条，会议期间请假须经本级人民代表大会秘书处批准',
      };
}

/** 大同 第十一条 (S4): leave from an activity goes to its organising unit. */
export function routeActivityLeave(organiser: string): LeaveRoute {
  return {
    body: 'organiser',
    label: organiser,
    status: 'pending',
    explanation: `依照大同 第十一条，因故不能参加活动应向组织单位（${organiser}）履行请假手续`,
  };
}
