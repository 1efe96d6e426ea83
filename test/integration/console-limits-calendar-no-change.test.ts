import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { receptionDayFor } from '../../src/services/calendar/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A calendar correction to what the day already is (a Saturday to 休息, an ordinary Tuesday to 上班) is
// answered plainly and writes nothing: no correction row, no audit row, no date moved, nobody told. A
// provisional day is the exception: a correction confirms it.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`calendar corrections that change nothing on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);

    const count = (table: 'calendar_corrections' | 'audit_log' | 'date_changes' | 'outbox') =>
      rowCount(deps.db, table);
    const counts = async () => ({
      corrections: await count('calendar_corrections'),
      audits: await count('audit_log'),
      moved: await count('date_changes'),
      messages: await count('outbox'),
    });

    /** A console session of the admin: the cookie and the form's CSRF token. */
    const consoleSession = async () => {
      const login = await fetch(`${server.url}/console/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }).toString(),
      });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const page = await (await fetch(`${server.url}/console/calendar`, { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      return async (form: Record<string, string>) => {
        const res = await fetch(`${server.url}/console/calendar/corrections`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        });
        return { status: res.status, location: res.headers.get('location'), text: await res.text() };
      };
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      // December's reception day: the 5th is a Saturday, so Monday the 7th; a correction of the 5th to a
      // rest day would move nothing, and the test shows it is not even recomputed.
      expect(await receptionDayFor(deps, congressId, '2026-12')).toMatchObject({ date: '2026-12-07' });
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('PUT /api/calendar/{date} answers 200 with changed: false and writes nothing', async () => {
      const before = await counts();
      for (const [date, kind, message] of [
        ['2026-12-05', 'holiday', '这一天本来就是休息日，没有改动。'], // a Saturday
        ['2026-11-24', 'workday', '这一天本来就是工作日，没有改动。'], // an ordinary Tuesday
        ['2026-10-01', 'holiday', '这一天本来就是休息日，没有改动。'], // 国庆节
        ['2026-10-10', 'workday', '这一天本来就是工作日，没有改动。'], // a make-up working Saturday
      ] as const) {
        const res = await api('PUT', `/calendar/${date}`, { kind, note: '核对' });
        expect(res.status, date).toBe(200);
        expect(res.json).toMatchObject({ date, changed: false, message, changes: [] });
        expect(res.json.day.source).toBe('published');
      }
      expect(await counts()).toEqual(before);
    });

    it('a day corrected already to the same kind changes nothing either; a real correction still does', async () => {
      const before = await counts();
      const real = await api('PUT', '/calendar/2026-12-08', { kind: 'holiday', note: '市政府通知' });
      expect(real.status).toBe(200);
      expect(real.json).toMatchObject({ changed: true, day: { kind: 'holiday', source: 'corrected' } });
      expect(real.json.message).toBeUndefined();
      const afterReal = await counts();
      expect(afterReal.corrections).toBe(before.corrections + 1);
      expect(afterReal.audits).toBe(before.audits + 1);

      const again = await api('PUT', '/calendar/2026-12-08', { kind: 'holiday', note: '另一份通知' });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ changed: false, changes: [] });
      expect(again.json.message).toContain('这一天已经更正为休息日，没有改动。');
      expect(await counts()).toEqual(afterReal);
      const kept = await deps.db.selectFrom('calendar_corrections').select('note').executeTakeFirstOrThrow();
      expect(kept.note).toBe('市政府通知');
    });

    it('a provisional day corrected to what it is is recorded: the correction confirms it', async () => {
      const before = await counts();
      const res = await api('PUT', '/calendar/2030-01-05', { kind: 'holiday', note: '2030年放假通知' });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ changed: true, day: { kind: 'holiday', source: 'corrected' } });
      expect((await counts()).corrections).toBe(before.corrections + 1);
    });

    it('the console says so plainly, shows the month, and writes no row', async () => {
      const post = await consoleSession();
      const before = await counts();
      const saturday = await post({
        date: '2026-12-05',
        kind: 'holiday',
        note: '核对',
        viewYear: '2026',
        viewMonth: '11',
      });
      expect(saturday.status).toBe(200);
      expect(saturday.text).toContain('这一天本来就是休息日，没有改动。');
      expect(saturday.text).toContain('<h2 id="month">2026 年 12 月</h2>');
      const tuesday = await post({ date: '2026-11-24', kind: 'workday', note: '核对' });
      expect(tuesday.status).toBe(200);
      expect(tuesday.text).toContain('这一天本来就是工作日，没有改动。');
      expect(await counts()).toEqual(before);

      // A real change still redirects with its confirmation.
      const real = await post({ date: '2026-11-24', kind: 'holiday', note: '市政府通知' });
      expect(real.status).toBe(303);
      expect(real.location).toBe('/console/calendar?year=2026&month=11&done=corrected');
      expect((await counts()).corrections).toBe(before.corrections + 1);
    });
  });
}
