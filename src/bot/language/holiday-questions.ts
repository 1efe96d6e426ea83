import type { FestivalName } from '../../statute/statutory-holidays.ts';
import { FESTIVAL, festivalNamed, findDate } from './argument-parsers.ts';

// What people ask about days off: "元旦放几天", "春节哪天上班", "国庆怎么放假" (a festival's rest), "下周一上班吗",
// "12月31日放假吗" (one day). Asked, never told: "春节放假期间垃圾没人清" is a matter, not a question.

// 十一 of 十一月, 十一号 is a date, not 国庆.
const FESTIVAL_SAID = new RegExp(`(?:${FESTIVAL})(?![月日号])`);
/** A rest, or going back to work, asked about. */
const ABOUT_REST = /放假|放几天|休几天|休息|假期|长假|上班|调休|怎么放|咋放|放多久/;
const ASKED = /几天|哪天|几号|什么时候|啥时候|多久|怎么|咋|安排|吗|么|[?？]|不放|放不|上不上/;
/** Whether one day is worked. */
const DAY_ASKED = /上班吗|上班不|上不上班|休息吗|休不休息|放假吗|放不放假|是工作日吗|是不是工作日|用上班吗/;

export type HolidayQuestion = { festival: FestivalName } | { date: string };

/** The festival or the day asked about; null when the message asks neither. */
export function holidayAsked(text: string, today: string): HolidayQuestion | null {
  const t = text.replace(/\s+/g, '');
  const named = FESTIVAL_SAID.exec(t)?.[0];
  const festival = named === undefined ? undefined : festivalNamed(named);
  if (festival && ABOUT_REST.test(t) && ASKED.test(t)) return { festival };
  if (!DAY_ASKED.test(t)) return null;
  const day = findDate(t, today);
  return day?.result.ok ? { date: day.result.value } : null;
}
