import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDateChanges } from '../../db/repositories/calendar.ts';
import { findDeadline } from '../../db/repositories/deadlines.ts';
import { findReceptionDay } from '../../db/repositories/reception-days.ts';
import { calendarShowLines } from '../../src/cli/calendar-command.ts';
import { FixedClock } from '../../src/clock.ts';
import {
  loadCalendarYears,
  loadWorkCalendar,
  receptionDayFor,
  startDeadline,
} from '../../src/services/calendar/calendar.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongressWithoutTerm, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the calendar API and recompute on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let congressId: number;
    let deputyId: number;
    let hostId: number;
    const clock = new FixedClock('2026-06-01T02:00:00Z'); // 10:00 in Beijing, a Monday

    const api = createApi(() => server.url);

    const counts = async () => ({
      corrections: (await deps.db.selectFrom('calendar_corrections').selectAll().execute()).length,
      changes: (await deps.db.selectFrom('date_changes').selectAll().execute()).length,
      outbox: (await deps.db.selectFrom('outbox').selectAll().execute()).length,
    });

    const person = async (name: string, wecom: string) =>
      (await seedPerson(deps.db, { name, wecom, congressId, role: name === '李代表' ? 'deputy' : 'staff' }))
        .personId;

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      congressId = await seedCongressWithoutTerm(deps.db, { receptionHosts: ['王主任'] });
      deputyId = await person('李代表', 'LiDaiBiao');
      hostId = await person('王主任', 'wangzr');
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('returns a year with its days and source, and refuses a year it does not know', async () => {
      const res = await api('GET', '/calendar/2026');
      expect(res.status).toBe(200);
      const body = res.json as {
        source: string;
        days: { date: string; weekday: string; kind: string; name?: string; source: string }[];
      };
      expect(body.source).toBe('published');
      expect(body.days).toHaveLength(365);
      expect(body.days.find((d) => d.date === '2026-10-01')).toMatchObject({
        kind: 'holiday',
        name: '国庆节',
        source: 'published',
      });
      expect(body.days.find((d) => d.date === '2026-10-10')).toMatchObject({
        kind: 'workday',
        weekday: '星期六',
      });

      const later = (await api('GET', '/calendar/2030')).json as {
        source: string;
        provisional: boolean;
      };
      expect(later).toMatchObject({ source: 'provisional', provisional: true });

      const old = await api('GET', '/calendar/1800');
      expect(old.status).toBe(422);
      expect(old.json).toMatchObject({ error: { code: 'calendar_unknown' } });
      expect((await api('GET', '/calendar/twenty')).status).toBe(400);
      expect((await api('GET', '/calendar/2026', undefined, null)).status).toBe(401);
    });

    it('stores reception days honouring the congress’s day of month', async () => {
      const rd = await receptionDayFor(deps, congressId, '2026-09');
      expect(rd).toMatchObject({ date: '2026-09-07', provisional: false });
      const other = await deps.db
        .insertInto('congresses')
        .values({
          name: '某县人民代表大会',
          level: 'county',
          settings: JSON.stringify({ receptionDayOfMonth: 10 }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // the 10th of October 2026 is a make-up working Saturday
      expect(await receptionDayFor(deps, other.id, '2026-10')).toMatchObject({ date: '2026-10-10' });
      expect(await receptionDayFor(deps, other.id, '2026-05')).toMatchObject({ date: '2026-05-11' });
    });

    it('refuses a bad correction and changes nothing', async () => {
      const before = await counts();
      for (const [path, body, status] of [
        ['/calendar/2026-02-30', { kind: 'holiday', note: '测试' }, 400],
        ['/calendar/2026-9-7', { kind: 'holiday', note: '测试' }, 400],
        ['/calendar/1800-01-02', { kind: 'holiday', note: '测试' }, 422],
        ['/calendar/2026-09-07', { kind: 'rest', note: '测试' }, 400],
        ['/calendar/2026-09-07', { kind: 'holiday' }, 400],
        ['/calendar/2026-09-07', '{not json', 400],
      ] as const) {
        const res = await api('PUT', path, body);
        expect({ path, status: res.status }).toEqual({ path, status });
        const err = res.json as { error: { message: string } };
        expect(err.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
      expect((await api('PUT', '/calendar/2026-09-07', { kind: 'holiday', note: 'x' }, null)).status).toBe(
        401,
      );
      expect(await counts()).toEqual(before);
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-07' });
    });

    it('a correction moves a stored reception day and a deadline, records it and tells those concerned', async () => {
      const cal = await loadWorkCalendar(deps.db);
      // 交办 2026-06-05: three months end on 09-05, a Saturday → 09-07
      const d = await startDeadline(
        deps.db,
        cal,
        {
          kind: 'S8',
          subjectType: 'suggestion',
          subjectId: 'JY-2026-0001',
          congressId,
          label: '建议 JY-2026-0001 的答复期限',
          startsOn: '2026-06-05',
          months: 3,
          personIds: [deputyId],
        },
        clock.now(),
      );
      expect(d).toMatchObject({ due_on: '2026-09-07', provisional: false });

      const res = await api('PUT', '/calendar/2026-09-07', { kind: 'holiday', note: '大同市补充放假通知' });
      expect(res.status).toBe(200);
      const body = res.json as { day: { kind: string; source: string }; changes: unknown[] };
      expect(body.day).toMatchObject({ kind: 'holiday', source: 'corrected' });
      expect(body.changes).toHaveLength(2);

      expect(await findDeadline(deps.db, d.id)).toMatchObject({ due_on: '2026-09-08' });
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-08' });

      const changes = await listDateChanges(deps.db);
      expect(changes.map((c) => [c.subject_type, c.old_date, c.new_date])).toEqual([
        ['deadline', '2026-09-07', '2026-09-08'],
        ['reception_day', '2026-09-07', '2026-09-08'],
      ]);
      expect(changes[0]!.reason).toContain('大同市补充放假通知');

      const outbox = await deps.db.selectFrom('outbox').selectAll().orderBy('id').execute();
      const to = (addr: string) => outbox.filter((o) => o.target_address === addr);
      expect(to('LiDaiBiao')).toHaveLength(1);
      expect(to('LiDaiBiao')[0]!.payload.text).toContain(
        '建议 JY-2026-0001 的答复期限由 2026-09-07（星期一） 改为 2026-09-08（星期二）',
      );
      expect(to('wangzr')).toHaveLength(1);
      expect(to('wangzr')[0]!.payload.text).toContain(
        '2026年9月的代表接待日由 2026-09-07（星期一） 改为 2026-09-08（星期二）',
      );
      // queued at 10:00 on a working day: it may go at once
      expect(new Date(to('wangzr')[0]!.not_before).getTime()).toBe(clock.now().getTime());
      expect(hostId).toBeGreaterThan(0);

      const year = (await api('GET', '/calendar/2026')).json as {
        source: string;
        days: { date: string; kind: string; source: string; name?: string }[];
      };
      expect(year.source).toBe('corrected');
      expect(year.days.find((x) => x.date === '2026-09-07')).toMatchObject({
        kind: 'holiday',
        source: 'corrected',
        name: '大同市补充放假通知',
      });

      // Removing the correction moves both back, recorded and told again.
      const undo = await api('DELETE', '/calendar/2026-09-07');
      expect(undo.status).toBe(200);
      expect(await findDeadline(deps.db, d.id)).toMatchObject({ due_on: '2026-09-07' });
      expect((await listDateChanges(deps.db)).length).toBe(4);
      expect((await api('DELETE', '/calendar/2026-09-07')).status).toBe(404);
    });

    it('loading a published year replaces provisional dates, records and tells', async () => {
      // As if a deadline had been counted while 2026 was provisional (2026-10-05 was then a 补假 day).
      await deps.db
        .insertInto('calendar_years')
        .values({ year: 2026, source: 'provisional', package_version: null })
        .execute();
      const row = await deps.db
        .insertInto('deadlines')
        .values({
          kind: 'S8',
          subject_type: 'suggestion',
          subject_id: 'JY-2026-0002',
          congress_id: congressId,
          label: '建议 JY-2026-0002 的答复期限',
          starts_on: '2026-07-05',
          months: 3,
          due_on: '2026-10-06',
          provisional: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.db
        .insertInto('deadline_people')
        .values({ deadline_id: row.id, person_id: deputyId })
        .execute();

      const r = await loadCalendarYears(deps);
      expect(r.loaded).toContain(2026);
      expect(r.changes.map((c) => [c.subjectId, c.oldDate, c.newDate, c.newProvisional])).toEqual([
        [row.id, '2026-10-06', '2026-10-08', false],
      ]);
      expect(await findDeadline(deps.db, row.id)).toMatchObject({ due_on: '2026-10-08', provisional: false });
      const years = await deps.db.selectFrom('calendar_years').selectAll().where('year', '=', 2026).execute();
      expect(years[0]).toMatchObject({ source: 'published' });
      const msgs = await deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('cause', '=', `date-change:${r.changes[0]!.changeId}`)
        .execute();
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.payload.text).toContain('2026-10-06（星期二）（暂定日历） 改为 2026-10-08（星期四）');

      // A second load finds nothing new and moves nothing.
      expect(await loadCalendarYears(deps)).toMatchObject({ loaded: [], changes: [] });
    });

    it('prints a year readably for the CLI', async () => {
      const shown = await calendarShowLines(deps, '2026');
      expect(shown.code).toBe(0);
      expect(shown.lines[0]).toBe('2026 年工作日历');
      expect(shown.lines).toContain('  2026-10-01（星期四） 休息日 国庆节');
      expect(shown.lines).toContain('  2026-10-10（星期六） 调休上班 国庆节调休上班');
      const later = await calendarShowLines(deps, '2030');
      expect(later.lines.join('\n')).toContain('2030-10-01（星期二）（暂定日历） 休息日 国庆节');
      expect(await calendarShowLines(deps, '1800')).toMatchObject({ code: 1 });
      expect(await calendarShowLines(deps, 'abc')).toMatchObject({ code: 2 });
    });
  });
}
