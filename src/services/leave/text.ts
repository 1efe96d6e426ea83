import type { DecidingBody, LeavePhase, LeaveStatus } from '../../../db/schema.ts';
import { monthDayText, weekdayName, weekText } from '../../statute/date-text.ts';
import type { SameWeekMeeting } from './meeting-match.ts';

// Wording of the leave domain that people read: status names, deciding bodies and why a request goes
// where it goes (山西 第八条 S5, 大同 第十一条 S4). The rules in routing.ts pick; this file says it.

export const STATUS_TEXT: Record<LeaveStatus, string> = {
  pending: '待决定',
  approved: '已批准',
  rejected: '未批准',
  forwarded: '已转呈，待省里决定',
  withdrawn: '已撤销（代表已答复参加）',
};

/** A request the deputy no longer needs, withdrawn when they answered 参加 to the activity. */
export const WITHDRAWN_TEXT = STATUS_TEXT.withdrawn;

/** 代录: what the deputy is told of the request entered in their name. */
export const enteredForYouText = (w: {
  code: string;
  subject: string;
  reason: string;
  decider: string;
}): string =>
  `【代您请假】工作人员已代您就${w.subject}提交请假 ${w.code}，事由：${w.reason}。${w.decider}作出决定后会通知您；如有出入，请联系代表工作机构。`;

/** The deciding body as people name it (an activity's organiser is named by the activity). */
export const DECIDING_BODY_LABEL: Record<Exclude<DecidingBody, 'organiser'>, string> = {
  provincial_standing_committee: '省人大常委会',
  presidium: '主席团',
  chairmen_meeting: '主任会议',
  secretariat: '秘书处',
};

/** The body a provincial deputy's forwarded request goes to (山西 第八条), before or during the session. */
export const FORWARDED_BODY_LABEL: Record<LeavePhase, string> = {
  before: '省人大常委会',
  during: '省人民代表大会秘书处',
};

/** Why a provincial deputy's request is forwarded, as the deputy reads it. */
export const forwardedRouteExplanation = (phase: LeavePhase): string =>
  phase === 'before'
    ? '您是省人大代表，依照山西 第八条，会前请假应向省人大常委会书面提出，由其主任会议决定。本机构已将请假单转呈省人大常委会，不在此处审批'
    : '您是省人大代表，依照山西 第八条，会议期间请假须经省人民代表大会秘书处批准。本机构已将请假单转呈省人民代表大会秘书处，不在此处审批';

/** Why a session leave goes to the body it goes to, as the deputy reads it. */
export function sessionRouteExplanation(
  body: Exclude<DecidingBody, 'organiser' | 'provincial_standing_committee'>,
  phase: LeavePhase,
): string {
  switch (body) {
    case 'presidium':
      return phase === 'before'
        ? '依照山西 第八条，乡镇人大代表会前请假由主席团决定是否批准'
        : '依照山西 第八条，乡镇人大代表会议期间请假须经主席团批准';
    case 'chairmen_meeting':
      return '依照山西 第八条，会前请假向本级人大常委会书面提出，由主任会议决定是否批准';
    case 'secretariat':
      return '依照山西 第八条，会议期间请假须经本级人民代表大会秘书处批准';
  }
}

/** Why an activity leave goes to its organiser. */
export const activityRouteExplanation = (organiser: string): string =>
  `依照大同 第十一条，因故不能参加活动应向组织单位（${organiser}）履行请假手续`;

/**
 * "下礼拜二的视察" when the inspection is on the Wednesday of that week: "12月8日（星期二）没有视察。下周的视察是
 * 星期三（12月9日）：视察老旧小区改造工作" — the day said, and the one of its kind that week.
 */
export function sameWeekText(near: SameWeekMeeting, today: string): string {
  const { meeting: c, kindWord: kind, saidDay } = near;
  return (
    `${monthDayText(saidDay)}（${weekdayName(saidDay)}）没有${kind}。` +
    `${weekText(c.startsOn, today)}的${kind}是${weekdayName(c.startsOn)}（${monthDayText(c.startsOn)}）：${c.name}`
  );
}
