import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import {
  enqueue,
  type OutboundEnvelope,
  type OutboundSender,
  OutboxDispatcher,
  type SendResult,
} from '../../src/messaging/index.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The outbox sends each row once: two instances draining a slow platform; a late success after a timeout
// resent with the same key inside the platform's duplicate window (dropped there) and, after the window,
// left 'unknown' for staff; a ten-minute 5xx outage played on the clock; stopping during a slow send; a
// dead row requeued through the API and sent. The platform is a fake that keeps what it delivered.

const WINDOW_MS = 4 * 3600_000;

/** A platform that drops a repeat of a key inside its duplicate window, as WeCom's duplicate check does. */
class FakePlatform implements OutboundSender {
  readonly delivered: { key: string; text: string }[] = [];
  calls = 0;
  delayMs = 0;
  /** The next n calls deliver and then time out (a late success). */
  lateSuccesses = 0;
  /** Until this time, every call answers 5xx. */
  downUntil = 0;
  private readonly seen = new Map<string, number>();
  private readonly clock: FixedClock;
  constructor(clock: FixedClock) {
    this.clock = clock;
  }

  duplicateWindowMs(): number {
    return WINDOW_MS;
  }

  async send(msg: OutboundEnvelope): Promise<SendResult> {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const now = this.clock.now().getTime();
    if (now < this.downUntil) {
      return { ok: false, code: 'server_error', message: 'HTTP 502', retryable: true, retryAfterMs: 10_000 };
    }
    const seen = this.seen.get(msg.idempotencyKey);
    if (seen === undefined || now - seen >= WINDOW_MS) {
      this.seen.set(msg.idempotencyKey, now);
      this.delivered.push({ key: msg.idempotencyKey, text: msg.payload.text });
    }
    if (this.lateSuccesses > 0) {
      this.lateSuccesses--;
      return { ok: false, code: 'timeout', message: '5000 毫秒内没有应答', retryable: true };
    }
    return { ok: true };
  }
}

for (const b of backends())
  describe.skipIf(!b.available)(`the outbox sends each row once on ${b.name}`, () => {
    let deps: TestDeps;
    let second: TestDeps;
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    let platform: FakePlatform;
    let n = 0;

    beforeAll(async () => {
      deps = await createTestDeps(b.name, { clock });
      second = await createTestDeps(b.name, { clock, shareWith: deps });
    });
    afterAll(async () => {
      await second.cleanup();
      await deps.cleanup();
    });
    beforeEach(async () => {
      platform = new FakePlatform(clock);
      await deps.db.deleteFrom('outbox').execute();
    });

    const queue = async (count: number): Promise<number[]> => {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        ids.push(
          (await enqueue(deps.db, {
            channel: 'wecom',
            targetKind: 'user',
            targetAddress: `Member${i}`,
            payload: { text: `第${++n}条通知` },
            idempotencyKey: `once:${n}`,
          }))!,
        );
      }
      return ids;
    };
    const statuses = async () =>
      (await deps.db.selectFrom('outbox').select(['id', 'status']).orderBy('id').execute()).map(
        (r) => r.status,
      );
    const dispatcher = (d: TestDeps = deps) => new OutboxDispatcher(d, { wecom: platform });

    it('two instances draining a slow platform send every row exactly once', async () => {
      await queue(12);
      platform.delayMs = 40;
      const one = dispatcher();
      const two = dispatcher(second);
      // Each instance works through the rows one at a time; the clock moves past a claim meanwhile.
      const [a, b2] = await Promise.all([
        one.runOnce(),
        two.runOnce(),
        (async () => clock.advance(30_000))(),
      ]);
      expect(a.sent + b2.sent).toBe(12);
      expect(a.sent).toBeGreaterThan(0);
      expect(b2.sent).toBeGreaterThan(0);
      expect(platform.calls).toBe(12);
      expect(new Set(platform.delivered.map((d) => d.key)).size).toBe(12);
      expect(platform.delivered).toHaveLength(12);
      expect(await statuses()).toEqual(Array(12).fill('sent'));
    });

    it('a late success after a timeout is resent with the same key inside the window and not doubled', async () => {
      const [id] = await queue(1);
      platform.lateSuccesses = 1;
      const outbox = dispatcher();
      expect((await outbox.runOnce()).retried).toBe(1);
      const row = await deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', id!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.unknown_since).not.toBeNull();
      clock.advance(60_000);
      expect((await outbox.runOnce()).sent).toBe(1);
      expect(platform.calls).toBe(2);
      expect(platform.delivered).toHaveLength(1);
    });

    it('a send still unanswered at the end of the duplicate window is left unknown for staff', async () => {
      await queue(1);
      platform.lateSuccesses = 1000;
      const outbox = dispatcher();
      for (let i = 0; i < 20 && (await statuses())[0] !== 'unknown'; i++) {
        await outbox.runOnce();
        clock.advance(31 * 60_000);
      }
      expect(await statuses()).toEqual(['unknown']);
      // Every resend fell inside the window: the person got it once.
      expect(platform.delivered).toHaveLength(1);
      const calls = platform.calls;
      clock.advance(24 * 3600_000);
      await outbox.runOnce();
      expect(platform.calls).toBe(calls);
    });

    it('a ten-minute 5xx outage: everything is sent after it', async () => {
      await queue(5);
      platform.downUntil = clock.now().getTime() + 10 * 60_000;
      const outbox = dispatcher();
      for (let minute = 0; minute <= 45; minute++) {
        await outbox.runOnce();
        clock.advance(60_000);
      }
      expect(await statuses()).toEqual(Array(5).fill('sent'));
      expect(platform.delivered).toHaveLength(5);
    });

    it('stopping during a slow send finishes the row in flight, claims no more, and nothing repeats', async () => {
      await queue(3);
      platform.delayMs = 300;
      const outbox = dispatcher();
      outbox.start(10_000);
      await new Promise((r) => setTimeout(r, 100));
      await outbox.stop();
      expect(platform.calls).toBe(1);
      expect(await statuses()).toEqual(['sent', 'pending', 'pending']);
      // After the restart, the rest is sent, and the first row is not sent again.
      clock.advance(120_000);
      platform.delayMs = 0;
      expect((await dispatcher().runOnce()).sent).toBe(2);
      expect(platform.delivered.map((d) => d.key)).toHaveLength(3);
      expect(new Set(platform.delivered.map((d) => d.key)).size).toBe(3);
    });

    describe('requeueing through the API', () => {
      let server: RunningServer;
      beforeAll(async () => {
        server = await startServer(deps);
        await server.runtime.outbox.stop();
      });
      afterAll(async () => server.close());
      const post = (path: string) =>
        fetch(`${server.url}/api${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        });

      it('a dead row is requeued and sent; bad requests change nothing', async () => {
        const [id, other] = await queue(2);
        await deps.db
          .updateTable('outbox')
          // Tried and failed (a row never tried is a withdrawn one, which stays withdrawn).
          .set({
            status: 'dead',
            last_error: 'server_error: HTTP 502',
            attempts: 40,
            first_tried_at: clock.now(),
          })
          .where('id', 'in', [id!, other!])
          .execute();
        expect((await post(`/outbox/${id}/requeue`)).status).toBe(200);
        expect((await post(`/outbox/${id}/requeue`)).status).toBe(409);
        expect((await post('/outbox/999999/requeue')).status).toBe(404);
        expect((await post('/outbox/abc/requeue')).status).toBe(400);
        expect((await post('/outbox/requeue?status=sent')).status).toBe(400);
        expect((await dispatcher().runOnce()).sent).toBe(1);
        expect(await statuses()).toEqual(['sent', 'dead']);
        const all = await post('/outbox/requeue?status=dead');
        expect(await all.json()).toEqual({ requeued: 1, ids: [other] });
        expect((await dispatcher().runOnce()).sent).toBe(1);
        expect(platform.delivered.map((d) => d.key)).toHaveLength(2);
        const audit = await deps.db
          .selectFrom('audit_log')
          .select(['action', 'subject_id'])
          .where('action', '=', 'outbox.requeue')
          .execute();
        expect(audit).toHaveLength(2);
      });
    });
  });
