import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import type { DateChange } from '../services/calendar/index.ts';
import {
  calendarAppError,
  correctDay,
  loadWorkCalendar,
  removeCorrection,
} from '../services/calendar/index.ts';
import type { DayInfo } from '../statute/calendar.ts';
import { weekdayName } from '../statute/date-text.ts';
import { publishedCalendar } from '../statute/published-calendar.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';

// GET /api/calendar/{year} · PUT /api/calendar/{date} · DELETE /api/calendar/{date} (staff).

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

export const calendarRoutes: ApiModule = (router, deps) => {
  router.get('/calendar/:year', requireRole('staff'), async (ctx) => {
    const text = ctx.params.year ?? '';
    if (!/^\d{4}$/.test(text)) throw new AppError('bad_request', `“${text}”不是有效的年份（应为四位数字）`);
    const year = Number(text);
    const cal = await loadWorkCalendar(deps.db);
    const source = cal.yearSource(year);
    if (!source.ok) throw calendarAppError(source.error);
    const days = cal.yearDays(year);
    if (!days.ok) throw calendarAppError(days.error);
    ctx.body = {
      year,
      source: source.value,
      provisional: source.provisional,
      packageVersion: publishedCalendar.packageVersion,
      coverage: cal.coverage,
      workdays: days.value.filter((d) => d.kind === 'workday').length,
      days: days.value.map(dayJson),
    };
  });

  router.put('/calendar/:date', requireRole('staff'), async (ctx) => {
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
    const day = (await loadWorkCalendar(deps.db)).dayInfo(date);
    ctx.body = {
      date,
      kind: outcome.kind,
      note: outcome.note,
      ...(day.ok ? { day: dayJson(day.value) } : {}),
      changes: outcome.changes.map(changeJson),
    };
  });

  router.delete('/calendar/:date', requireRole('staff'), async (ctx) => {
    const date = ctx.params.date ?? '';
    const outcome = await removeCorrection(deps, {
      date,
      actor: actorOf(principalOf(ctx)),
      requestId: ctx.state.requestId as string,
    });
    const day = (await loadWorkCalendar(deps.db)).dayInfo(date);
    ctx.body = {
      date,
      ...(day.ok ? { day: dayJson(day.value) } : {}),
      changes: outcome.changes.map(changeJson),
    };
  });
};
