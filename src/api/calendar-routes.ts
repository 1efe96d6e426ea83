import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import type { DateChange } from '../services/calendar/index.ts';
import {
  calendarAppError,
  correctDay,
  importHolidayNotice,
  loadWorkCalendar,
  recordedNoticeOf,
  removeCorrection,
} from '../services/calendar/index.ts';
import type { DayInfo } from '../statute/calendar.ts';
import { weekdayName } from '../statute/date-text.ts';
import { publishedCalendar } from '../statute/published-calendar.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole, requireShared } from './auth.ts';
import type { ApiModule } from './module.ts';

// GET /api/calendar/{year} · PUT /api/calendar/{date} · DELETE /api/calendar/{date} (staff) ·
// POST /api/calendar/import (the yearly holiday notice).

const dayJson = (d: DayInfo) => ({
  date: d.date,
  weekday: weekdayName(d.date),
  kind: d.kind,
  ...(d.name ? { name: d.name } : {}),
  ...(d.makeup ? { makeup: true } : {}),
  source: d.source,
});

const changeJson = (c: DateChange) => ({
  subjectType: c.subjectType,
  subjectId: c.subjectId,
  what: c.what,
  oldDate: c.oldDate,
  newDate: c.newDate,
  provisional: c.newProvisional,
  messagesQueued: c.messagesQueued,
});

function parseCorrection(body: unknown): { kind: 'holiday' | 'workday'; note: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_body', '请求内容应为 JSON 对象：{"kind":"holiday"|"workday","note":"…"}');
  }
  const { kind, note } = body as Record<string, unknown>;
  if (kind !== 'holiday' && kind !== 'workday') {
    throw new AppError('invalid_body', 'kind 应为 "holiday"（休息日）或 "workday"（工作日）');
  }
  if (typeof note !== 'string' || note.trim() === '') {
    throw new AppError('invalid_body', 'note 必须填写：说明更正的依据（如放假通知的文号）');
  }
  if (note.trim().length > 200) throw new AppError('invalid_body', 'note 最多 200 个字符');
  return { kind, note: note.trim() };
}

function parseImport(body: unknown): { text: string; confirm: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('invalid_body', '请求内容应为 JSON 对象：{"text":"通知全文","confirm":true|false}');
  }
  const { text, confirm } = body as Record<string, unknown>;
  if (typeof text !== 'string') throw new AppError('invalid_body', 'text 应为国务院办公厅放假安排通知的全文');
  if (confirm !== undefined && typeof confirm !== 'boolean') {
    throw new AppError('invalid_body', 'confirm 应为 true（确认载入）或 false（只预览）');
  }
  return { text, confirm: confirm === true };
}

export const calendarRoutes: ApiModule = (router, deps) => {
  // The State Council's notice for a year: a preview, or with confirm recorded as published (shared data).
  router.post('/calendar/import', requireRole('staff'), requireShared(), async (ctx) => {
    const body = parseImport(await readJson(ctx));
    const r = await importHolidayNotice(deps, {
      ...body,
      actor: actorOf(principalOf(ctx)),
      requestId: ctx.state.requestId as string,
    });
    ctx.body = {
      year: r.year,
      title: r.title,
      number: r.number,
      issuedOn: r.issuedOn,
      previousSource: r.previousSource,
      confirmed: r.confirmed,
      days: r.days,
      differences: r.differences,
      changes: r.changes.map((c) => ({ ...changeJson(c), told: c.toldNames })),
    };
    // Confirmed: the service wrote the audit row with the year before and after; a preview changed nothing.
    markAudited(ctx);
  });

  router.get('/calendar/:year', requireRole('staff'), async (ctx) => {
    const text = ctx.params.year ?? '';
    if (!/^\d{4}$/.test(text)) throw new AppError('bad_request', `“${text}”不是有效的年份（应为四位数字）`);
    const year = Number(text);
    const cal = await loadWorkCalendar(deps.db);
    const source = cal.yearSource(year);
    if (!source.ok) throw calendarAppError(source.error);
    const days = cal.yearDays(year);
    if (!days.ok) throw calendarAppError(days.error);
    const notice = await recordedNoticeOf(deps.db, year);
    ctx.body = {
      year,
      source: source.value,
      provisional: source.provisional,
      packageVersion: publishedCalendar.packageVersion,
      ...(notice
        ? { notice: { title: notice.title, number: notice.number, issuedOn: notice.issuedOn } }
        : {}),
      coverage: cal.coverage,
      workdays: days.value.filter((d) => d.kind === 'workday').length,
      days: days.value.map(dayJson),
    };
  });

  router.put('/calendar/:date', requireRole('staff'), requireShared(), async (ctx) => {
    const date = ctx.params.date ?? '';
    const body = parseCorrection(await readJson(ctx));
    const p = principalOf(ctx);
    const outcome = await correctDay(deps, {
      date,
      kind: body.kind,
      note: body.note,
      actor: actorOf(p),
      requestId: ctx.state.requestId as string,
    });
    // The service audited a change; a day that already was what was asked changed nothing and has no row.
    markAudited(ctx);
    const day = (await loadWorkCalendar(deps.db)).dayInfo(date);
    ctx.body = {
      date,
      kind: outcome.kind,
      note: outcome.note,
      changed: outcome.changed,
      ...(outcome.unchangedText !== null ? { message: outcome.unchangedText } : {}),
      ...(day.ok ? { day: dayJson(day.value) } : {}),
      changes: outcome.changes.map(changeJson),
    };
  });

  router.delete('/calendar/:date', requireRole('staff'), requireShared(), async (ctx) => {
    const date = ctx.params.date ?? '';
    const outcome = await removeCorrection(deps, {
      date,
      actor: actorOf(principalOf(ctx)),
      requestId: ctx.state.requestId as string,
    });
    markAudited(ctx);
    const day = (await loadWorkCalendar(deps.db)).dayInfo(date);
    ctx.body = {
      date,
      ...(day.ok ? { day: dayJson(day.value) } : {}),
      changes: outcome.changes.map(changeJson),
    };
  });
};
