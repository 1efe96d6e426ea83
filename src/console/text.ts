import { dateAt, hourMinuteAt } from '../statute/calendar-date.ts';

// Times and small labels as staff read them, in APP_TIMEZONE.

/**
 * A search box's longest text (each box that filters a list by typed words): longer would not fit in the
 * page's address, which the server refuses past 16 KB (a Chinese character is 9 bytes there).
 */
export const SEARCH_MAX = 100;

export function dateTime(at: Date | string | null, timeZone: string): string {
  if (at === null) return '';
  const d = at instanceof Date ? at : new Date(at);
  return `${dateAt(d, timeZone)} ${hourMinuteAt(d, timeZone)}`;
}

/** A list's title for an item without one: the first line of its content, shortened. */
export function firstLine(text: string, max = 30): string {
  const line = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
