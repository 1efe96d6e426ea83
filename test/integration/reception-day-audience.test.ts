import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBooking } from '../../db/repositories/reception.ts';
import { findReceptionDay } from '../../db/repositories/reception-days.ts';
import { FixedClock } from '../../src/clock.ts';
import { correctDay, receptionDayFor, removeCorrection } from '../../src/services/calendar/index.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Issue 10 (wiring at start): a deputy who booked a reception day is told when it moves, because runtime
// wiring hands the bookers' audience to the recompute — not because some module happened to be imported.
// This file never imports the reception domain; the calendar paths that move the day do not either.

const root = join(import.meta.dirname, '..', '..');

const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('the paths that move a reception day', () => {
  it('do not import the reception domain', () => {
    const files = [
      ...readdirSync(join(root, 'src/services/calendar')).map((f) => `src/services/calendar/${f}`),
      'src/api/calendar-routes.ts',
      'src/console/calendar-page.ts',
      'src/cli/calendar-command.ts',
    ];
    for (const f of files) {
      expect(
        importsOf(f).filter((i) => i.includes('reception/')),
        f,
      ).toEqual([]);
    }
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a moved reception day told to its bookers on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let congressId: number;
    let mandateId: number;
    const clock = new FixedClock('2026-06-01T02:00:00Z'); // 10:00 in Beijing, a Monday

    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });

    const toBooker = async () =>
      (await deps.db.selectFrom('outbox').selectAll().orderBy('id').execute()).filter(
        (o) => o.target_address === 'zhaodb',
      );

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const c = await deps.db
        .insertInto('congresses')
        .values({ name: '大同市第十六届人民代表大会', level: 'city', settings: JSON.stringify({}) })
        .returning('id')
        .executeTakeFirstOrThrow();
      congressId = c.id;
      const p = await deps.db
        .insertInto('people')
        .values({ name: '赵代表' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.db
        .insertInto('person_identities')
        .values({ person_id: p.id, channel: 'wecom', external_id: 'zhaodb', external_id_norm: 'zhaodb' })
        .execute();
      const m = await deps.db
        .insertInto('mandates')
        .values({ person_id: p.id, congress_id: congressId, role: 'deputy' })
        .returning('id')
        .executeTakeFirstOrThrow();
      mandateId = m.id;
      // The day is stored and booked straight through the repositories: no reception code runs here.
      expect(await receptionDayFor(deps, congressId, '2026-09')).toMatchObject({ date: '2026-09-07' });
      await insertBooking(deps.db, {
        code: 'JD-2026-0001',
        congressId,
        mandateId,
        month: '2026-09',
        topic: '老旧小区加装电梯',
        at: clock.now(),
      });
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('a correction through the calendar API tells the deputy who booked the day', async () => {
      const res = await api('PUT', '/calendar/2026-09-07', { kind: 'holiday', note: '大同市补充放假通知' });
      expect(res.status).toBe(200);
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-08' });
      const told = await toBooker();
      expect(told).toHaveLength(1);
      expect(told[0]!.payload.text).toContain(
        '2026年9月的代表接待日由 2026-09-07（星期一） 改为 2026-09-08（星期二）',
      );
      expect(told[0]!.payload.text).toContain('大同市补充放假通知');

      // Moving it back through the calendar service tells them again.
      await removeCorrection(deps, { date: '2026-09-07', actor: 'test' });
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-07' });
      expect(await toBooker()).toHaveLength(2);
    });

    it('the bookers are told only through the wiring: without it, the day moves and nobody is told', async () => {
      const before = (await toBooker()).length;
      const unwired = { ...deps, wiring: { ...deps.wiring, receptionDayAudiences: [] } };
      await correctDay(unwired, { date: '2026-09-07', kind: 'holiday', note: '再次更正', actor: 'test' });
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-08' });
      expect(await toBooker()).toHaveLength(before);
      await removeCorrection(deps, { date: '2026-09-07', actor: 'test' });
      expect(await toBooker()).toHaveLength(before + 1);
    });

    it('a congress settings change that moves the day tells the booker', async () => {
      const before = (await toBooker()).length;
      const res = await api('PUT', `/congresses/${encodeURIComponent('大同市第十六届人民代表大会')}`, {
        settings: { receptionDayOfMonth: 10 },
      });
      expect(res.status).toBe(200);
      expect(await findReceptionDay(deps.db, congressId, '2026-09')).toMatchObject({ date: '2026-09-10' });
      const told = await toBooker();
      expect(told).toHaveLength(before + 1);
      expect(told.at(-1)!.payload.text).toContain('改为 2026-09-10（星期四）');
    });
  });
}
