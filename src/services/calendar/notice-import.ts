import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import { findCalendarYear, recordNoticeYear } from '../../../db/repositories/calendar.ts';
import { findPersonName } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { DayInfo, DayKind, DaySource, WorkCalendar, YearSource } from '../../statute/calendar.ts';
import { weekdayName } from '../../statute/date-text.ts';
import { readHolidayNotice } from '../../statute/holiday-notice.ts';
import { calendarAppError, loadWorkCalendar, recomputeOptions } from './calendar.ts';
import { type DateChange, lockCalendar, recomputeStoredDates } from './recompute.ts';
import { noticeReason } from './text.ts';

// Next year's arrangement from the State Council's notice itself (国务院办公厅关于YYYY年部分节假日安排的
// 通知), pasted by staff when the holiday package does not yet carry it. The notice is read in full or
// refused; the preview runs the very recompute a confirmation would, inside a transaction that is then
// rolled back, so what it shows (days, moved dates, people told) is exactly what confirming does.

type ImportDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'wiring'>;

/** The longest text accepted: a notice is about 1,500 characters; a pasted page with its surroundings more. */
export const NOTICE_MAX_CHARS = 20_000;

export interface DayView {
  kind: DayKind;
  name?: string;
  source: DaySource;
}

export interface NoticeDayView {
  date: string;
  weekday: string;
  /** As the notice arranges it: a day off, or a make-up working day (调休上班). */
  kind: 'holiday' | 'workday';
  festival: string;
  /** The same day in the calendar as it stands (e.g. provisional). */
  before: DayView;
}

export interface DayDifference {
  date: string;
  weekday: string;
  before: DayView;
  after: DayView;
}

export interface NoticeChange extends DateChange {
  /** The names of the people told. */
  toldNames: string[];
}

export interface NoticeImport {
  year: number;
  title: string;
  number: string | null;
  issuedOn: string;
  /** The year's source before the import (provisional, published, corrected). */
  previousSource: YearSource;
  /** false: a preview; nothing was recorded. */
  confirmed: boolean;
  days: NoticeDayView[];
  /** Every day whose kind (working day or rest) the notice changes. */
  differences: DayDifference[];
  /** The stored reception days and due dates that move, and who is told. */
  changes: NoticeChange[];
}

class PreviewOnly extends Error {
  readonly result: NoticeImport;
  constructor(result: NoticeImport) {
    super('preview');
    this.result = result;
  }
}

const view = (d: DayInfo): DayView => ({
  kind: d.kind,
  ...(d.name ? { name: d.name } : {}),
  source: d.source,
});

function dayOf(cal: WorkCalendar, date: string): DayInfo {
  const r = cal.dayInfo(date);
  if (!r.ok) throw calendarAppError(r.error);
  return r.value;
}

/**
 * Reads a notice and shows what it changes; with `confirm` records the year as published (the notice's
 * title, number and date its source), recomputes every stored date it moves and tells those concerned.
 */
export async function importHolidayNotice(
  deps: ImportDeps,
  input: { text: string; confirm: boolean; actor: string; requestId?: string | null },
): Promise<NoticeImport> {
  if (input.text.trim() === '') throw new AppError('invalid_body', '请粘贴国务院办公厅放假安排通知的全文');
  if (input.text.length > NOTICE_MAX_CHARS) {
    throw new AppError('invalid_body', `通知全文最多 ${NOTICE_MAX_CHARS} 个字符`);
  }
  const read = readHolidayNotice(input.text);
  if (!read.ok) {
    throw new AppError('notice_unreadable', read.error.message, {
      line: read.error.line,
      text: read.error.text,
    });
  }
  const notice = read.value;
  const now = deps.clock.now();
  try {
    const result = await deps.db.transaction().execute(async (trx) => {
      await lockCalendar(trx);
      const before = await loadWorkCalendar(trx);
      const previous = before.yearSource(notice.year);
      if (!previous.ok) throw calendarAppError(previous.error);
      const beforeDays = new Map(notice.days.map((d) => [d.date, dayOf(before, d.date)]));
      const yearBefore = before.yearDays(notice.year);
      if (!yearBefore.ok) throw calendarAppError(yearBefore.error);

      await recordNoticeYear(trx, {
        year: notice.year,
        title: notice.title,
        number: notice.number,
        issuedOn: notice.issuedOn,
        text: input.text,
        by: input.actor,
        at: now,
        days: notice.days.map((d) => ({
          date: d.date,
          kind: d.work ? 'workday' : 'holiday',
          festival: d.festival,
        })),
      });
      const after = await loadWorkCalendar(trx);
      const compared = [
        ...yearBefore.value,
        ...notice.days
          .filter((d) => !d.date.startsWith(`${notice.year}-`))
          .map((d) => beforeDays.get(d.date)!),
      ];
      const differences: DayDifference[] = [];
      for (const b of compared) {
        const a = dayOf(after, b.date);
        if (a.kind === b.kind || (a.kind !== 'workday' && b.kind !== 'workday')) continue;
        differences.push({ date: b.date, weekday: weekdayName(b.date), before: view(b), after: view(a) });
      }
      differences.sort((x, y) => x.date.localeCompare(y.date));

      const moved = await recomputeStoredDates(trx, after, recomputeOptions(deps, noticeReason(notice), now));
      const names = new Map<number, string>();
      const changes: NoticeChange[] = [];
      for (const c of moved) {
        const toldNames: string[] = [];
        for (const id of c.told) {
          if (!names.has(id)) names.set(id, await findPersonName(trx, id));
          toldNames.push(names.get(id)!);
        }
        changes.push({ ...c, toldNames });
      }
      const outcome: NoticeImport = {
        year: notice.year,
        title: notice.title,
        number: notice.number,
        issuedOn: notice.issuedOn,
        previousSource: previous.value,
        confirmed: input.confirm,
        days: notice.days.map((d) => ({
          date: d.date,
          weekday: weekdayName(d.date),
          kind: d.work ? 'workday' : 'holiday',
          festival: d.festival,
          before: view(beforeDays.get(d.date)!),
        })),
        differences,
        changes,
      };
      // The preview ends here: everything above is rolled back.
      if (!input.confirm) throw new PreviewOnly(outcome);
      await writeAudit(trx, {
        actor: input.actor,
        action: 'calendar.import',
        subjectType: 'calendar_year',
        subjectId: notice.year,
        detail: {
          title: notice.title,
          number: notice.number,
          issuedOn: notice.issuedOn,
          days: notice.days.length,
          moved: changes.length,
        },
        requestId: input.requestId ?? null,
        before: { source: previous.value },
        after: { source: 'published', notice: notice.title, issuedOn: notice.issuedOn },
      });
      return outcome;
    });
    deps.log.info(
      { year: result.year, days: result.days.length, moved: result.changes.length },
      'calendar year recorded from the notice',
    );
    return result;
  } catch (err) {
    if (err instanceof PreviewOnly) return err.result;
    throw err;
  }
}

export interface RecordedNotice {
  title: string;
  number: string | null;
  issuedOn: string;
  recordedAt: Date;
  recordedBy: string | null;
}

/** The notice a year was recorded from, or null (published by the package, or provisional). */
export async function recordedNoticeOf(db: Db, year: number): Promise<RecordedNotice | null> {
  const row = await findCalendarYear(db, year);
  if (!row?.notice_title || !row.notice_date) return null;
  return {
    title: row.notice_title,
    number: row.notice_number,
    issuedOn: row.notice_date,
    recordedAt: new Date(row.loaded_at),
    recordedBy: row.notice_by,
  };
}
