import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  deleteCorrection,
  listCalendarYears,
  listCorrections,
  recordProvisionalYear,
  upsertCalendarYear,
  upsertCorrection,
  workCalendarRows,
} from '../../../db/repositories/calendar.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import {
  type DeadlineRow,
  findDeadline,
  insertDeadline,
  updateDeadlineDue,
} from '../../../db/repositories/deadlines.ts';
import {
  findReceptionDay,
  insertReceptionDay,
  type ReceptionDayRow,
} from '../../../db/repositories/reception-days.ts';
import type { DeadlineKind } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  type CalendarError,
  type CorrectionKind,
  type DayInfo,
  WorkCalendar,
} from '../../statute/calendar.ts';
import { parseDate, todayIn, yearOf } from '../../statute/calendar-date.ts';
import { readCongressSettings } from '../../statute/congress-settings.ts';
import { checkExtension } from '../../statute/feedback-deadlines.ts';
import { monthsPeriodEnd } from '../../statute/periods.ts';
import { publishedCalendar, withNotices } from '../../statute/published-calendar.ts';
import { receptionDayOf } from '../../statute/reception-day.ts';
import { type DateChange, lockCalendar, recomputeStoredDates } from './recompute.ts';
import { unchangedDayText } from './text.ts';

// The calendar as the rest of the service sees it: the package's arrangements plus the stored corrections,
// and the operations that change it (a correction, a year loaded), each recomputing what it moves.

type ServiceDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'wiring'>;

/** The working-day calendar as of now: published arrangements, staff corrections, provisional years. */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  const { corrections, noticeDays } = await workCalendarRows(db);
  return new WorkCalendar(
    corrections.map((r) => ({ date: r.date, kind: r.kind, note: r.note })),
    withNotices(
      publishedCalendar,
      noticeDays.map((d) => ({
        noticeYear: d.notice_year,
        date: d.date,
        work: d.kind === 'workday',
        festival: d.festival,
      })),
    ),
  );
}

/** A calendar error as the API answers it: a malformed date is 400, a date the calendar does not know 422. */
export const calendarAppError = (e: CalendarError): AppError =>
  new AppError(e.code === 'invalid_date' ? 'bad_request' : 'calendar_unknown', e.message);

export interface CorrectionOutcome {
  date: string;
  kind: CorrectionKind | null;
  note: string | null;
  changes: DateChange[];
  /** False when the day already was what the correction asked: nothing was written. */
  changed: boolean;
  /** Why nothing changed, as staff read it (「这一天本来就是休息日，没有改动。」); null when it changed. */
  unchangedText: string | null;
}

/** A staff correction of one day; every stored date it moves is recomputed in the same transaction. */
export async function correctDay(
  deps: ServiceDeps,
  input: { date: string; kind: CorrectionKind; note: string; actor: string; requestId?: string | null },
): Promise<CorrectionOutcome> {
  checkCorrectable(input.date);
  const now = deps.clock.now();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    // A day that already is what staff asked (a Saturday to 休息) changes nothing: no correction row, no
    // audit row, no recompute. A provisional day is the exception: a correction confirms it, so the dates
    // counted over it are no longer marked 暂定.
    const day = (await loadWorkCalendar(trx)).dayInfo(input.date);
    if (day.ok && day.value.source !== 'provisional' && kindOf(day.value) === input.kind) {
      return { changes: [], unchangedText: unchangedDayText(input.kind, day.value.source === 'corrected') };
    }
    const before = await correctionOn(trx, input.date);
    await upsertCorrection(trx, {
      date: input.date,
      kind: input.kind,
      note: input.note,
      by: input.actor,
      at: now,
    });
    await writeAudit(trx, {
      actor: input.actor,
      action: 'calendar.correct',
      subjectType: 'calendar_day',
      subjectId: input.date,
      detail: { kind: input.kind, note: input.note },
      requestId: input.requestId ?? null,
      before,
      after: { date: input.date, kind: input.kind, note: input.note },
    });
    const cal = await loadWorkCalendar(trx);
    const reason = `工作日历更正：${input.date} 改为${input.kind === 'holiday' ? '休息日' : '工作日'}（${input.note}）`;
    return {
      changes: await recomputeStoredDates(trx, cal, recomputeOptions(deps, reason, now)),
      unchangedText: null,
    };
  });
  const { changes, unchangedText } = outcome;
  const changed = unchangedText === null;
  if (changed)
    deps.log.info({ date: input.date, kind: input.kind, moved: changes.length }, 'calendar day corrected');
  return {
    date: input.date,
    kind: input.kind,
    note: changed ? input.note : null,
    changes,
    changed,
    unchangedText,
  };
}

/** A day's kind as a correction names it: a weekend and a holiday are both rest days. */
const kindOf = (d: DayInfo): CorrectionKind => (d.kind === 'workday' ? 'workday' : 'holiday');

/** Removes a staff correction (the day reverts to the published or provisional calendar). */
export async function removeCorrection(
  deps: ServiceDeps,
  input: { date: string; actor: string; requestId?: string | null },
): Promise<CorrectionOutcome> {
  checkCorrectable(input.date);
  const now = deps.clock.now();
  const changes = await deps.db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const before = await correctionOn(trx, input.date);
    if (!(await deleteCorrection(trx, input.date))) {
      throw new AppError('not_found', `${input.date} 没有工作日历更正`);
    }
    await writeAudit(trx, {
      actor: input.actor,
      action: 'calendar.uncorrect',
      subjectType: 'calendar_day',
      subjectId: input.date,
      requestId: input.requestId ?? null,
      before,
      after: null,
    });
    const cal = await loadWorkCalendar(trx);
    const reason = `撤销工作日历更正：${input.date} 恢复为国务院放假安排或法定假日`;
    return recomputeStoredDates(trx, cal, recomputeOptions(deps, reason, now));
  });
  return { date: input.date, kind: null, note: null, changes, changed: true, unchangedText: null };
}

/** The staff correction of one day as an audit row shows it, or null. */
async function correctionOn(
  db: Db,
  date: string,
): Promise<{ date: string; kind: string; note: string } | null> {
  const c = (await listCorrections(db)).find((r) => r.date === date);
  return c ? { date: c.date, kind: c.kind, note: c.note } : null;
}

function checkCorrectable(date: string): void {
  // The calendar decides what it knows: a malformed date is refused before anything is written.
  const r = new WorkCalendar([]).dayInfo(date);
  if (!r.ok) throw calendarAppError(r.error);
}

/** How a calendar change recomputes: today in APP_TIMEZONE and the audiences wired in at start. */
export const recomputeOptions = (
  deps: Pick<Deps, 'clock' | 'config' | 'wiring'>,
  reason: string,
  now: Date,
) => ({
  reason,
  now,
  today: todayIn(deps.clock, deps.config.timezone),
  timeZone: deps.config.timezone,
  audiences: deps.wiring.receptionDayAudiences,
});

/** Recomputes every stored date (e.g. after a congress changed its reception day of month). */
export async function recomputeAllDates(deps: ServiceDeps, reason: string): Promise<DateChange[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const cal = await loadWorkCalendar(trx);
    return recomputeStoredDates(trx, cal, recomputeOptions(deps, reason, now));
  });
}

export interface YearsLoaded {
  packageVersion: string;
  /** Years the package publishes that were new, provisional before, or from another package version. */
  loaded: number[];
  /** Years recorded as provisional (no published arrangement yet). */
  provisional: number[];
  changes: DateChange[];
}

/**
 * Records the years the package publishes; when one was provisional before (or came from another package
 * version) every stored date is recomputed. Run at start and by `npm run cli -- calendar load`.
 */
export async function loadCalendarYears(deps: ServiceDeps): Promise<YearsLoaded> {
  const now = deps.clock.now();
  const pub = publishedCalendar;
  const result = await deps.db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const before = new Map((await listCalendarYears(trx)).map((r) => [r.year, r]));
    const loaded: number[] = [];
    for (const year of [...pub.years].sort((a, b) => a - b)) {
      const row = before.get(year);
      if (row?.source === 'published' && row.package_version === pub.packageVersion) continue;
      await upsertCalendarYear(trx, {
        year,
        source: 'published',
        packageVersion: pub.packageVersion,
        at: now,
      });
      loaded.push(year);
    }
    // This year and the next are the ones deadlines and reception days are counted in.
    const thisYear = yearOf(todayIn(deps.clock, deps.config.timezone));
    const provisional: number[] = [];
    for (const year of [thisYear, thisYear + 1]) {
      if (pub.years.has(year)) continue;
      await recordProvisionalYear(trx, year, now);
      provisional.push(year);
    }
    // Only an arrangement that replaces a provisional or older one can move a stored date.
    const replaced = loaded.filter((y) => before.has(y));
    let changes: DateChange[] = [];
    if (replaced.length > 0) {
      const cal = await loadWorkCalendar(trx);
      const reason = `载入国务院 ${replaced.join('、')} 年放假安排`;
      changes = await recomputeStoredDates(trx, cal, recomputeOptions(deps, reason, now));
    }
    return { packageVersion: pub.packageVersion, loaded, provisional, changes };
  });
  if (result.loaded.length > 0 || result.changes.length > 0) {
    deps.log.info(
      { loaded: result.loaded, provisional: result.provisional, moved: result.changes.length },
      'calendar years loaded',
    );
  }
  return result;
}

/**
 * A congress's reception day of a month (大同 第七条(九), S2): the stored one, or computed from the
 * calendar and the congress's receptionDayOfMonth and stored, so a later correction can move it and tell people.
 */
export async function receptionDayFor(
  deps: Pick<Deps, 'db' | 'clock'>,
  congressId: number,
  month: string,
): Promise<ReceptionDayRow> {
  const stored = await findReceptionDay(deps.db, congressId, month);
  if (stored) return stored;
  const congress = await findCongressById(deps.db, congressId);
  if (!congress) throw new AppError('not_found', '没有这个人大');
  const cal = await loadWorkCalendar(deps.db);
  const r = receptionDayOf(cal, month, readCongressSettings(congress.settings).receptionDayOfMonth);
  if (!r.ok) throw calendarAppError(r.error);
  const now = deps.clock.now();
  if (r.provisional) await recordProvisionalYear(deps.db, yearOf(r.value.date), now);
  return insertReceptionDay(deps.db, {
    congressId,
    month,
    date: r.value.date,
    provisional: r.provisional,
    at: now,
  });
}

export interface DeadlineInput {
  kind: DeadlineKind;
  subjectType: string;
  subjectId: string;
  congressId: number | null;
  label: string;
  startsOn: string;
  months: number;
  personIds: number[];
}

/**
 * Starts a statutory clock (S8 three months from 交办, S8-rehandle the congress's reHandlingMonths,
 * S8a 山西 第二十七条 three months). Pass the transaction of the change that starts it.
 */
export async function startDeadline(
  db: Db,
  cal: WorkCalendar,
  input: DeadlineInput,
  now: Date,
): Promise<DeadlineRow> {
  const r = monthsPeriodEnd(cal, input.startsOn, input.months);
  if (!r.ok) throw calendarAppError(r.error);
  if (r.provisional) await recordProvisionalYear(db, yearOf(r.value.endsOn), now);
  return insertDeadline(db, { ...input, dueOn: r.value.endsOn, provisional: r.provisional });
}

/**
 * S8 extension: moves an open deadline to `requested` (moved off a rest day), refused past the cap of
 * extensionCapMonths from its start (six months from 交办). Pass the transaction of the change.
 */
export async function extendDeadline(
  db: Db,
  cal: WorkCalendar,
  deadlineId: number,
  requested: string,
  capMonths: number,
  now: Date,
): Promise<DeadlineRow> {
  const d = await findDeadline(db, deadlineId);
  if (!d || d.closed_at) throw new AppError('not_found', '没有这个未结束的期限');
  if (!parseDate(requested))
    throw new AppError('bad_request', `“${requested}”不是有效的日期（应为 YYYY-MM-DD）`);
  const check = checkExtension(cal, d.starts_on, d.due_on, requested, capMonths);
  if (!check.ok) {
    throw new AppError(
      check.reason === 'outside_calendar' ? 'calendar_unknown' : 'bad_request',
      check.message,
    );
  }
  await updateDeadlineDue(db, d.id, {
    dueOn: check.dueOn.endsOn,
    provisional: check.provisional,
    targetOn: requested,
    at: now,
  });
  return (await findDeadline(db, d.id))!;
}
