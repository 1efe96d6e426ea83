import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backoffMs, enqueue, OutboxDispatcher } from '../../src/messaging/index.ts';
import { createRuntime } from '../../src/runtime.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { type FakeWecom, startFakeWecom } from '../helpers/fake-wecom.ts';
import { TEST_WECOM, wecomEnv } from '../helpers/wecom-envelope.ts';

const SEND = '/cgi-bin/message/send';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the outbox on ${backend.name}`, () => {
    let wecom: FakeWecom;
    let deps: TestDeps;
    const clock = new FixedClock('2026-11-23T02:00:00Z');

    beforeAll(async () => {
      wecom = await startFakeWecom({
        corpId: TEST_WECOM.corpId,
        secret: TEST_WECOM.secret,
        agentId: TEST_WECOM.agentId,
      });
      deps = await createTestDeps(backend.name, { env: wecomEnv(wecom.url), clock });
    });
    afterAll(async () => {
      await deps.cleanup();
      await wecom.close();
    });
    beforeEach(() => wecom.reset());

    const statusOf = async (id: number) =>
      deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('delivers after WeCom fails twice, backing off between tries', async () => {
      const id = (await enqueue(deps.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'ZhangSan',
        payload: { text: '您的请假申请 QJ-2026-0001 已批准。' },
        idempotencyKey: 'test:retry:1',
      }))!;
      wecom.inject(SEND, { kind: 'status', status: 502 }, 2);
      const outbox = new OutboxDispatcher(deps, createRuntime(deps).senders);

      expect((await outbox.runOnce()).retried).toBe(1);
      let row = await statusOf(id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toBeTruthy();
      expect(new Date(row.not_before).getTime()).toBeGreaterThan(clock.now().getTime());
      // Not due yet: nothing is sent before the back-off ends.
      expect((await outbox.runOnce()).claimed).toBe(0);

      clock.advance(60_000);
      expect((await outbox.runOnce()).retried).toBe(1);
      clock.advance(60_000);
      expect((await outbox.runOnce()).sent).toBe(1);
      row = await statusOf(id);
      expect(row.status).toBe('sent');
      expect(row.attempts).toBe(3);
      expect(wecom.inbox('ZhangSan').map((d) => d.text)).toEqual(['您的请假申请 QJ-2026-0001 已批准。']);
    });

    it('marks a row dead after its last try, and refuses nothing else', async () => {
      const id = (await enqueue(deps.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'LiSi',
        payload: { text: '提醒' },
        idempotencyKey: 'test:dead:1',
        maxAttempts: 2,
      }))!;
      wecom.inject(SEND, { kind: 'status', status: 503 }, 5);
      const outbox = new OutboxDispatcher(deps, createRuntime(deps).senders);
      await outbox.runOnce();
      clock.advance(3_600_000);
      expect((await outbox.runOnce()).dead).toBe(1);
      const row = await statusOf(id);
      expect(row.status).toBe('dead');
      expect(wecom.inbox('LiSi')).toHaveLength(0);
    });

    it('does not send twice across a crash between sending and recording', async () => {
      const id = (await enqueue(deps.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'WangWu',
        payload: { text: '接待日预约 JD-2026-0003 已确认。' },
        idempotencyKey: 'test:crash:1',
      }))!;
      // The first process claims the row and sends it, then dies before recording the result.
      const senders = createRuntime(deps).senders;
      await deps.db
        .updateTable('outbox')
        .set({ status: 'sending', attempts: 1, locked_until: new Date(clock.now().getTime() + 60_000) })
        .where('id', '=', id)
        .execute();
      const row = await statusOf(id);
      const sent = await senders.wecom!.send({
        targetKind: 'user',
        targetAddress: row.target_address,
        payload: { text: '接待日预约 JD-2026-0003 已确认。' },
        idempotencyKey: row.idempotency_key,
      });
      expect(sent.ok).toBe(true);

      // While its claim holds, no other instance takes the row.
      const restarted = new OutboxDispatcher(deps, createRuntime(deps).senders);
      expect((await restarted.runOnce()).claimed).toBe(0);
      // After the claim runs out, the restarted process sends it again with the same key.
      clock.advance(61_000);
      expect((await restarted.runOnce()).sent).toBe(1);
      expect((await statusOf(id)).status).toBe('sent');
      expect(wecom.inbox('WangWu')).toHaveLength(1);
    });

    it('lets two dispatchers race over the same rows and sends each once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) {
        ids.push(
          (await enqueue(deps.db, {
            channel: 'wecom',
            targetKind: 'user',
            targetAddress: `Member${i}`,
            payload: { text: `第${i}条通知` },
            idempotencyKey: `test:race:${i}`,
          }))!,
        );
      }
      const one = new OutboxDispatcher(deps, createRuntime(deps).senders);
      const two = new OutboxDispatcher(deps, createRuntime(deps).senders);
      const [r1, r2] = await Promise.all([one.runOnce(), two.runOnce()]);
      expect(r1.sent + r2.sent).toBe(10);
      for (let i = 0; i < 10; i++) expect(wecom.inbox(`Member${i}`)).toHaveLength(1);
    });

    it('drops a repeat of the same idempotency key when queueing', async () => {
      const msg = {
        channel: 'wecom' as const,
        targetKind: 'user' as const,
        targetAddress: 'ZhaoLiu',
        payload: { text: '一次' },
        idempotencyKey: 'test:once:1',
      };
      expect(await enqueue(deps.db, msg)).not.toBeNull();
      expect(await enqueue(deps.db, msg)).toBeNull();
    });
  });
}

describe('retry back-off', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffMs(1, () => 0)).toBe(1000);
    expect(backoffMs(1, () => 1)).toBe(2000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(30, () => 1)).toBe(30 * 60_000);
  });
});
