import type { WorkCalendar } from './calendar.ts';
import { addDays, dateAt, parseDate, wallClockAt } from './calendar-date.ts';

// CONTRACT §4: reminders and notices go out on working days between 09:00 and 18:00 APP_TIMEZONE;
// what falls outside waits for the next such time.

export const SENDING_STARTS_HOUR = 9;
export const SENDING_ENDS_HOUR = 18;

// instantAt's answers by zone, date and hour. It is a pure function asked the same few questions all day
// (every notice queued today asks for today's 09:00 and 18:00), and each answer costs four time-zone
// conversions: a busy hour of suggestions spent 2 % of the server's time on them.
const instants = new Map<string, number>();
const MAX_INSTANTS = 4096;

/** The instant of a wall-clock hour on a date in a time zone. */
export function instantAt(date: string, hour: number, timeZone: string): Date {
  const key = `${timeZone} ${date} ${hour}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  const wall = Date.UTC(p.year, p.month - 1, p.day, hour);
  // Two passes settle the offset even across a daylight-saving change.
  let t = wall - offsetAt(new Date(wall), timeZone);
  t = wall - offsetAt(new Date(t), timeZone);
  if (instants.size >= MAX_INSTANTS) instants.clear();
  instants.set(key, t);
  return new Date(t);
}

function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * When a notice queued at `now` may go out: `now` inside working hours of a working day, else 09:00 of
 * the next working day. A day the calendar does not know counts as a working day (a notice is never held forever).
 */
export function nextSendingTime(cal: WorkCalendar, now: Date, timeZone: string): Date {
  const today = dateAt(now, timeZone);
  const start = instantAt(today, SENDING_STARTS_HOUR, timeZone);
  const end = instantAt(today, SENDING_ENDS_HOUR, timeZone);
  const work = cal.isWorkday(today);
  if ((!work.ok || work.value) && now >= start && now < end) return now;
  const from = now < start ? today : addDays(today, 1);
  const next = cal.nextWorkdayOnOrAfter(from);
  return instantAt(next.ok ? next.value : from, SENDING_STARTS_HOUR, timeZone);
}
