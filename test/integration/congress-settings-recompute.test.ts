import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { receptionDayFor } from '../../src/services/calendar/calendar.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 大同 第七条(九) (S2): a new reception day of month moves the stored future reception days.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`reception day setting on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let congressId: number;
    const name = '大同市第十六届人民代表大会';

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock: new FixedClock('2026-11-23T02:00:00Z') });
      congressId = await seedCongress(deps.db, name);
      server = await startServer(deps);
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    const api = createApi(() => server.url);
    const put = (settings: unknown, congress = name) =>
      api('PUT', `/congresses/${encodeURIComponent(congress)}`, { settings });

    it('moves a stored reception day when the day of month changes, and records the move', async () => {
      expect((await receptionDayFor(deps, congressId, '2026-12')).date).toBe('2026-12-07'); // the 5th is a Saturday
      const res = await put({ receptionDayOfMonth: 10 });
      expect(res.status).toBe(200);
      const row = await deps.db
        .selectFrom('reception_days')
        .selectAll()
        .where('congress_id', '=', congressId)
        .where('month', '=', '2026-12')
        .executeTakeFirstOrThrow();
      expect(row.date).toBe('2026-12-10');
      const changes = await deps.db.selectFrom('date_changes').selectAll().execute();
      expect(changes.some((c) => c.old_date === '2026-12-07' && c.new_date === '2026-12-10')).toBe(true);
    });

    it('refuses a day of month the calendar cannot hold every month, changing nothing', async () => {
      // Its own congress, set to the 10th here, so the test needs nothing another left behind.
      const own = '云冈区第十七届人民代表大会';
      const ownId = await seedCongress(deps.db, own, 'county');
      expect((await put({ receptionDayOfMonth: 10 }, own)).status).toBe(200);
      const res = await put({ receptionDayOfMonth: 31 }, own);
      expect(res.status).toBe(400);
      const body = res.json as { error: { code: string; message: string } };
      expect(body.error.message).toContain('receptionDayOfMonth');
      const congress = await deps.db
        .selectFrom('congresses')
        .select('settings')
        .where('id', '=', ownId)
        .executeTakeFirstOrThrow();
      expect((congress.settings as { receptionDayOfMonth?: number }).receptionDayOfMonth).toBe(10);
    });
  });
}
