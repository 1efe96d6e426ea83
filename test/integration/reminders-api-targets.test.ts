import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobByName } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { bookReception } from '../../src/services/reception/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson, setCongressSettings } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// GET /api/reminders?target=: every kind of target the ledger writes can be asked for — a person, and a
// reception booking by its code (the booker's reminder the working day before) — and a target of no kind
// the ledger writes is refused, 400, as before.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the reminder ledger by target on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let hostId = 0;
    let booking = '';
    const api = createApi(() => server.url);

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock: new FixedClock('2026-11-23T02:00:00Z') });
      const congressId = await seedCongress(deps.db);
      await setCongressSettings(deps.db, congressId, {
        receptionHosts: ['李主任'],
        agendaLeadWorkingDays: 3,
      });
      const deputy = await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId });
      hostId = (await seedPerson(deps.db, { name: '李主任', wecom: 'LiZR', congressId, role: 'staff' }))
        .personId;
      const booked = await bookReception(deps, {
        personId: deputy.personId,
        month: '2026-12',
        topic: '老旧小区加装电梯',
        today: '2026-11-23',
      });
      booking = booked.code ?? '';
      expect(booking).toMatch(/^JD-2026-\d{4}$/);
      // December's reception day is Monday 12-07: the host's topics on 12-02, the booker's reminder on 12-04.
      for (const [job, at] of [
        ['reception-agendas', '2026-12-02T02:00:00Z'],
        ['booking-reminders', '2026-12-04T02:00:00Z'],
      ] as const)
        expect((await runJob(deps, jobByName(job)!, new Date(at))).outcome, job).toBe('ok');
      server = await startServer(deps);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('lists a booking’s reminder by the target the ledger shows', async () => {
      const all = await api('GET', '/reminders?rule=S2');
      expect(all.status).toBe(200);
      expect(all.json.items.map((r: { target: string }) => r.target).sort()).toEqual(
        [`booking:${booking}`, `person:${hostId}`].sort(),
      );

      const res = await api('GET', `/reminders?target=${encodeURIComponent(`booking:${booking}`)}`);
      expect(res.status).toBe(200);
      expect(res.json.total).toBe(1);
      expect(res.json.items[0]).toMatchObject({
        target: `booking:${booking}`,
        job: 'booking-reminders',
        period: '2026-12:2026-12-07:reminder',
        dueOn: '2026-12-04',
      });

      const host = await api('GET', `/reminders?target=person:${hostId}`);
      expect(host.status).toBe(200);
      expect(host.json.items.map((r: { job: string }) => r.job)).toEqual(['reception-agendas']);

      // Another booking's code: none.
      const other = await api('GET', `/reminders?target=${encodeURIComponent('booking:JD-2026-9999')}`);
      expect(other.status).toBe(200);
      expect(other.json.total).toBe(0);
    });

    it('refuses a target of no kind the ledger writes', async () => {
      for (const target of [
        'booking:',
        'booking:JD-2026',
        'booking:QJ-2026-0001',
        `booking:${booking} `.repeat(2).trim(),
        'booking:17',
        'deputy:17',
        'person:abc',
      ]) {
        const res = await api('GET', `/reminders?target=${encodeURIComponent(target)}`);
        expect(res.status, target).toBe(400);
        expect(res.json.error.code, target).toBe('bad_request');
        expect(res.json.error.message, target).toContain('参数「target」');
      }
    });
  });
}
