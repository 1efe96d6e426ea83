import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/job-list.ts';
import { runJob, Scheduler } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { createRuntime } from '../../src/runtime.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Two instances on one database and store send each reminder once; a process killed between queueing
// and sending sends it once after restart; a start after downtime catches up only what is still ahead.

const job = (name: string) => JOBS.find((j) => j.name === name)!;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`scheduler on ${backend.name}`, () => {
    let a: ChatHarness;
    let b: ChatHarness;
    const clock = new FixedClock('2026-07-01T00:00:00Z'); // Wednesday 08:00 in Shanghai
    let congressId = 0;

    beforeAll(async () => {
      a = await createChatHarness(backend.name, { clock });
      b = await createChatHarness(backend.name, { clock, shareWith: a });
      congressId = await seedCongress(a.deps.db);
      await seedPerson(a.deps.db, { name: '代表甲', wecom: 'DeputyA', congressId });
      await seedPerson(a.deps.db, { name: '代表乙', wecom: 'DeputyB', congressId });
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('two instances ticking the same minute run the job once and send each reminder once', async () => {
      const sa = new Scheduler(a.deps);
      const sb = new Scheduler(b.deps);
      const now = new Date('2026-07-01T00:00:00Z');
      const [ra, rb] = await Promise.all([
        sa.tick(job('reception-day'), now),
        sb.tick(job('reception-day'), now),
      ]);
      expect([ra, rb].filter((r) => r !== null)).toHaveLength(1);
      // Even a catch-up on both at once queues nothing more: the ledger holds each reminder.
      const [ca, cb] = await Promise.all([sa.catchUp(now), sb.catchUp(now)]);
      expect([...ca, ...cb].flatMap((r) => r.queued)).toHaveLength(0);
      clock.set('2026-07-01T02:00:00Z');
      await Promise.all([a.flush(), b.flush()]);
      expect(a.wecom.inbox('DeputyA')).toHaveLength(1);
      expect(a.wecom.inbox('DeputyB')).toHaveLength(1);
      expect(a.wecom.inbox('DeputyA')[0]!.text).toContain('2026-07-06（星期一）');
    });

    it('a process killed between queueing and sending sends the reminder once after restart', async () => {
      await a.deps.db
        .insertInto('sessions')
        .values({
          congress_id: congressId,
          name: '市十六届人大五次会议',
          starts_on: '2026-07-10',
          ends_on: '2026-07-12',
        })
        .execute();
      const r = await runJob(a.deps, job('session-leave'), new Date('2026-07-03T02:00:00Z'));
      expect(r.queued).toHaveLength(2);
      // The process claimed the rows and died before recording the sends.
      await a.deps.db
        .updateTable('outbox')
        .set({ status: 'sending', locked_until: new Date('2026-07-03T02:01:00Z'), attempts: 1 })
        .where('cause', 'like', 'reminder:S5:%')
        .execute();
      clock.set('2026-07-03T02:05:00Z');
      const restarted = createRuntime(b.deps);
      for (let i = 0; i < 5; i++) await restarted.outbox.runOnce();
      await restarted.outbox.stop();
      // And the scheduler after restart finds it in the ledger.
      expect(
        (await runJob(b.deps, job('session-leave'), new Date('2026-07-03T02:06:00Z'))).queued,
      ).toHaveLength(0);
      await b.flush();
      const got = a.wecom.inbox('DeputyA').filter((d) => d.text.includes('山西 第八条'));
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toContain('书面请假');
    });

    it('a start after three days down catches up only what is still ahead, marked late', async () => {
      // A session opening on 20 July (reminded from 13 July) and one that opened while we were down.
      await a.deps.db
        .insertInto('sessions')
        .values([
          {
            congress_id: congressId,
            name: '常委会第三十次会议',
            starts_on: '2026-07-20',
            ends_on: '2026-07-21',
          },
          {
            congress_id: congressId,
            name: '常委会第二十九次会议',
            starts_on: '2026-07-15',
            ends_on: '2026-07-15',
          },
        ])
        .execute();
      // Down from Monday 13 July 08:00 to Thursday 16 July 10:00.
      const scheduler = new Scheduler(b.deps);
      const reports = await scheduler.catchUp(new Date('2026-07-16T02:00:00Z'));
      const s5 = reports.flatMap((r) => r.queued).filter((q) => q.rule === 'S5');
      const sessions = await a.deps.db.selectFrom('sessions').select(['id', 'name']).execute();
      const ahead = sessions.find((s) => s.name === '常委会第三十次会议')!.id;
      expect(new Set(s5.map((q) => q.period))).toEqual(new Set([`session:${ahead}`]));
      expect(s5.every((q) => q.late)).toBe(true);
      const ledger = await a.deps.db
        .selectFrom('reminder_ledger')
        .select(['period', 'late'])
        .where('rule', '=', 'S5')
        .where('period', '=', `session:${ahead}`)
        .execute();
      expect(ledger.map((l) => l.late)).toEqual([true, true]);
    });
  });
}
