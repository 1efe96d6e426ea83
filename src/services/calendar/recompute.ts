import type { Db } from '../../../db/client.ts';
import { insertDateChange, lockCalendarWriters } from '../../../db/repositories/calendar.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import {
  listOpenDeadlinesForUpdate,
  peopleOfDeadline,
  updateDeadlineDue,
} from '../../../db/repositories/deadlines.ts';
import { findPeopleOfCongressByReference } from '../../../db/repositories/people.ts';
import {
  listReceptionDaysFrom,
  type ReceptionDayRow,
  updateReceptionDay,
} from '../../../db/repositories/reception-days.ts';
import type { ReceptionDayAudience, ReceptionDayChange } from '../../deps.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { monthOf } from '../../statute/calendar-date.ts';
import { readCongressSettings } from '../../statute/congress-settings.ts';
import { fixedPeriodEnd, monthsPeriodEnd } from '../../statute/periods.ts';
import { receptionDayOf } from '../../statute/reception-day.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { type DateMoveText, dateMovedText } from './text.ts';

// "Counting time": when a year is loaded or a day corrected, every open deadline and every future stored
// reception day it moves is recomputed, recorded in date_changes, and told to those it concerns — all in
// the caller's transaction, so the new dates, their record and the messages commit together.

export type { ReceptionDayAudience, ReceptionDayChange } from '../../deps.ts';

/** The congress's reception hosts (settings.receptionHosts: names or chat ids) that match a person of it. */
export const receptionHostsAudience: ReceptionDayAudience = async (db, change) => {
  const congress = await findCongressById(db, change.congressId);
  const hosts = readCongressSettings(congress?.settings).receptionHosts;
  return findPeopleOfCongressByReference(db, change.congressId, hosts);
};

export interface DateChange {
  changeId: number;
  subjectType: 'deadline' | 'reception_day';
  subjectId: number;
  /** What moved, as people read it. */
  what: string;
  oldDate: string;
  newDate: string;
  oldProvisional: boolean;
  newProvisional: boolean;
  /** Messages queued (one per person and channel). */
  messagesQueued: number;
  /** The people told (person ids), for a preview to name them. */
  told: number[];
}

export interface RecomputeOptions {
  /** Why (zh-CN), e.g. '工作日历更正：2026-10-09 改为休息日（…）'. */
  reason: string;
  /** Today in APP_TIMEZONE: reception days wholly before it are history and stay as they were. */
  today: string;
  now: Date;
  timeZone: string;
  /**
   * Who else hears of a moved reception day, besides its hosts: injected at start (Deps.wiring), so the
   * deputies who booked it are told whatever modules the calling path happened to import.
   */
  audiences: readonly ReceptionDayAudience[];
}

/** Serializes calendar writers across instances (the lock ends with the transaction). */
export async function lockCalendar(trx: Db): Promise<void> {
  await lockCalendarWriters(trx);
}

/** Recomputes every stored date against `cal`; call inside a transaction holding lockCalendar. */
export async function recomputeStoredDates(
  trx: Db,
  cal: WorkCalendar,
  opts: RecomputeOptions,
): Promise<DateChange[]> {
  const changes: DateChange[] = [];
  const notBefore = nextSendingTime(cal, opts.now, opts.timeZone);

  for (const d of await listOpenDeadlinesForUpdate(trx)) {
    const r = d.target_on ? fixedPeriodEnd(cal, d.target_on) : monthsPeriodEnd(cal, d.starts_on, d.months);
    // A date the calendar cannot answer for keeps its stored value rather than losing it.
    if (!r.ok) continue;
    const newDate = r.value.endsOn;
    if (newDate === d.due_on && r.provisional === d.provisional) continue;
    await updateDeadlineDue(trx, d.id, { dueOn: newDate, provisional: r.provisional, at: opts.now });
    const changeId = await insertDateChange(trx, {
      subjectType: 'deadline',
      subjectId: d.id,
      oldDate: d.due_on,
      newDate,
      oldProvisional: d.provisional,
      newProvisional: r.provisional,
      reason: opts.reason,
      at: opts.now,
    });
    const told = newDate === d.due_on ? [] : await peopleOfDeadline(trx, d.id);
    const queued =
      told.length === 0
        ? 0
        : await tellOfMove(trx, told, changeId, notBefore, {
            what: d.label,
            oldDate: d.due_on,
            oldProvisional: d.provisional,
            newDate,
            newProvisional: r.provisional,
            reason: opts.reason,
          });
    changes.push({
      changeId,
      subjectType: 'deadline',
      subjectId: d.id,
      what: d.label,
      oldDate: d.due_on,
      newDate,
      oldProvisional: d.provisional,
      newProvisional: r.provisional,
      messagesQueued: queued,
      told,
    });
  }

  const settingsCache = new Map<number, { day: number; name: string }>();
  for (const rd of await listReceptionDaysFrom(trx, monthOf(opts.today))) {
    let c = settingsCache.get(rd.congress_id);
    if (!c) {
      const row = await findCongressById(trx, rd.congress_id);
      if (!row) throw new Error(`congress ${rd.congress_id} of reception day ${rd.id} not found`);
      c = { day: readCongressSettings(row.settings).receptionDayOfMonth, name: row.name };
      settingsCache.set(rd.congress_id, c);
    }
    const change = await recomputeReceptionDay(trx, cal, rd, c, opts, notBefore);
    if (change) changes.push(change);
  }
  return changes;
}

async function recomputeReceptionDay(
  trx: Db,
  cal: WorkCalendar,
  rd: ReceptionDayRow,
  congress: { day: number; name: string },
  opts: RecomputeOptions,
  notBefore: Date,
): Promise<DateChange | null> {
  const r = receptionDayOf(cal, rd.month, congress.day);
  if (!r.ok) return null;
  const newDate = r.value.date;
  if (newDate === rd.date && r.provisional === rd.provisional) return null;
  // A reception day already held is history, whatever the calendar now says.
  if (rd.date < opts.today && newDate < opts.today) return null;
  await updateReceptionDay(trx, rd.id, { date: newDate, provisional: r.provisional, at: opts.now });
  const changeId = await insertDateChange(trx, {
    subjectType: 'reception_day',
    subjectId: rd.id,
    oldDate: rd.date,
    newDate,
    oldProvisional: rd.provisional,
    newProvisional: r.provisional,
    reason: opts.reason,
    at: opts.now,
  });
  const [y, m] = rd.month.split('-');
  const what = `${congress.name}${y}年${Number(m)}月的代表接待日`;
  let queued = 0;
  let told: number[] = [];
  if (newDate !== rd.date) {
    const change: ReceptionDayChange = {
      receptionDayId: rd.id,
      congressId: rd.congress_id,
      month: rd.month,
      oldDate: rd.date,
      newDate,
      provisional: r.provisional,
    };
    const people = new Set<number>();
    for (const audience of [receptionHostsAudience, ...opts.audiences]) {
      for (const p of await audience(trx, change)) people.add(p);
    }
    told = [...people].sort((a, b) => a - b);
    queued = await tellOfMove(trx, told, changeId, notBefore, {
      what,
      oldDate: rd.date,
      oldProvisional: rd.provisional,
      newDate,
      newProvisional: r.provisional,
      reason: opts.reason,
    });
  }
  return {
    changeId,
    subjectType: 'reception_day',
    subjectId: rd.id,
    what,
    oldDate: rd.date,
    newDate,
    oldProvisional: rd.provisional,
    newProvisional: r.provisional,
    messagesQueued: queued,
    told,
  };
}

/** Tells each person once (per chat account) that a stored date moved; returns how many messages were queued. */
async function tellOfMove(
  trx: Db,
  personIds: readonly number[],
  changeId: number,
  notBefore: Date,
  move: DateMoveText,
): Promise<number> {
  const text = dateMovedText(move);
  let queued = 0;
  for (const personId of personIds) {
    queued += await enqueueToPerson(
      trx,
      personId,
      { text },
      { idempotencyKey: `date-change:${changeId}:p${personId}`, cause: `date-change:${changeId}`, notBefore },
    );
  }
  return queued;
}
