import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimNextOutbox,
  markOutboxEnded,
  markOutboxRetry,
  withdrawPendingByKeyPrefix,
} from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A withdrawn message is never sent again: neither a reminder withdrawn because it no longer applied nor
// any message of a notice (通知) staff withdrew — the unsent part, a message that was being sent at that
// moment and then failed, or one whose send timed out and ended with an unknown outcome. Requeuing one row
// (API and console) refuses it with a stable code and a plain line; requeuing by status passes it by. What
// is requeued is audited as before; a refusal changes nothing and writes no audit row.

const DATONG = '大同市第十六届人民代表大会';
const REFUSAL = '这条消息已经撤回（工作人员撤回的通知，或已不再适用的提醒），不能重新发送。';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`requeueing withdrawn messages on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let staffToken: string;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const db = () => chat.deps.db;
    /** The notice's rows: the robot's, the member whose send timed out, the member withdrawn. */
    const ids = { notice: 0, robot: 0, timedOut: 0, withdrawn: 0, reminder: 0, failed: 0, summary: 0 };

    const row = (id: number) =>
      db()
        .selectFrom('outbox')
        .select(['status', 'first_tried_at', 'attempts', 'not_before'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const requeueAudits = () =>
      db()
        .selectFrom('audit_log')
        .select(['subject_id', 'detail', 'before', 'after'])
        .where('action', '=', 'outbox.requeue')
        .orderBy('id')
        .execute();
    const auditCount = () => rowCount(db(), 'audit_log');
    /** A message to a person, tried and failed for good (a dead row that is no withdrawal). */
    const deadRow = async (key: string, cause?: string) => {
      const id = (await enqueue(db(), {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'DeputyA',
        payload: { text: `消息 ${key}` },
        idempotencyKey: key,
        ...(cause ? { cause } : {}),
      }))!;
      await db()
        .updateTable('outbox')
        .set({
          status: 'dead',
          attempts: 3,
          first_tried_at: clock.now(),
          last_error: 'server_error: HTTP 502',
        })
        .where('id', '=', id)
        .execute();
      return id;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-one'] });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(db(), DATONG);
      await seedGroup(db(), { congressId, name: '城区小组', robotKey: 'key-one' });
      const xinrong = await seedGroup(db(), { congressId, name: '新荣小组' });
      await seedPerson(db(), { name: '代表甲', wecom: 'DeputyA', congressId, smallGroupId: xinrong });
      await seedPerson(db(), { name: '代表乙', wecom: 'DeputyB', congressId, smallGroupId: xinrong });
      staffToken = await issueToken(api, { name: '大同代表工委', role: 'staff', congress: DATONG });

      // A notice to both groups: one robot, two members one by one.
      const sent = await api(
        'POST',
        '/broadcasts',
        { targets: ['城区小组', '新荣小组'], text: '周五下午三点在二楼会议室集中学习。' },
        staffToken,
      );
      expect(sent.status).toBe(202);
      ids.notice = sent.json.id as number;
      const now = clock.now();
      const minute = new Date(now.getTime() + 60_000);
      // A member's send timed out: it may have arrived, so a withdrawal leaves it to the outbox.
      const timedOut = (await claimNextOutbox(db(), now, minute, 'first', ['wecom_robot']))!;
      await markOutboxRetry(db(), timedOut.id, 'first', 'timeout: 请求超时', minute, now);
      // The robot's message is being sent by another instance while staff withdraw.
      const robot = (await claimNextOutbox(db(), now, minute, 'other-instance', ['user']))!;
      const withdrawal = await api('POST', `/broadcasts/${ids.notice}/withdraw`, undefined, staffToken);
      expect(withdrawal.json).toMatchObject({ withdrawn: 1 });
      // Afterwards the robot's send fails for good, and the timed-out one ends with an unknown outcome.
      expect(await markOutboxEnded(db(), robot.id, 'other-instance', 'dead', 'invalid_webhook: 93000')).toBe(
        true,
      );
      clock.advance(120_000);
      const again = (await claimNextOutbox(
        db(),
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
        'x',
      ))!;
      expect(again.id).toBe(timedOut.id);
      expect(await markOutboxEnded(db(), again.id, 'x', 'unknown', 'timeout: 请求超时', now)).toBe(true);
      const rows = await db()
        .selectFrom('outbox')
        .select(['id', 'status'])
        .where('cause', 'like', `broadcast:${ids.notice}:%`)
        .execute();
      ids.robot = robot.id;
      ids.timedOut = timedOut.id;
      ids.withdrawn = rows.find((r) => r.id !== robot.id && r.id !== timedOut.id)!.id;
      expect(rows.map((r) => r.status).sort()).toEqual(['dead', 'dead', 'unknown']);

      // A reminder withdrawn because it no longer applies (the deputy's leave was approved).
      ids.reminder = (await enqueue(db(), {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'DeputyB',
        payload: { text: '请按时出席常委会会议。' },
        idempotencyKey: 'leave-warning:test:1',
      }))!;
      await withdrawPendingByKeyPrefix(db(), 'leave-warning:test:', '请假已获批准，缺席提醒撤回');
      // The sender's summary of the withdrawn notice: a message to staff, not the notice.
      ids.summary = await deadRow(`broadcast:${ids.notice}:summary`, `broadcast:${ids.notice}`);
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('POST /api/outbox/{id}/requeue refuses every withdrawn message with 409 message_withdrawn', async () => {
      const audits = await auditCount();
      for (const [id, status] of [
        [ids.withdrawn, 'dead'],
        [ids.robot, 'dead'],
        [ids.timedOut, 'unknown'],
        [ids.reminder, 'dead'],
      ] as const) {
        const before = await row(id);
        const res = await api('POST', `/outbox/${id}/requeue`);
        expect(res.status).toBe(409);
        expect(res.json.error.code).toBe('message_withdrawn');
        expect(res.json.error.message).toContain(REFUSAL);
        expect(await row(id)).toEqual(before);
        expect(before.status).toBe(status);
      }
      expect(await auditCount()).toBe(audits);
      expect(await requeueAudits()).toEqual([]);
    });

    it('requeue by status passes withdrawn messages by and audits only what it requeued', async () => {
      const failed = await deadRow('plain-dead-1');
      const unknown = await api('POST', '/outbox/requeue?status=unknown');
      expect(unknown.status).toBe(200);
      expect(unknown.json).toEqual({ requeued: 0, ids: [] });
      const dead = await api('POST', '/outbox/requeue?status=dead');
      expect(dead.status).toBe(200);
      // The plain failure and the sender's summary go again; nothing of the withdrawn notice does.
      expect(dead.json).toEqual({ requeued: 2, ids: [ids.summary, failed].sort((a, b) => a - b) });
      for (const id of [ids.withdrawn, ids.robot, ids.reminder]) expect((await row(id)).status).toBe('dead');
      expect((await row(ids.timedOut)).status).toBe('unknown');
      expect((await row(failed)).status).toBe('pending');
      expect(await requeueAudits()).toMatchObject([
        { subject_id: null, detail: { status: 'dead', ids: dead.json.ids }, after: { status: 'pending' } },
      ]);

      // The outbox runs: nobody hears the withdrawn notice.
      await chat.flush();
      expect(chat.wecom.robotDelivered).toHaveLength(0);
      for (const who of ['DeputyA', 'DeputyB'])
        expect((await chat.inbox(who)).some((t) => t.includes('二楼会议室'))).toBe(false);
    });

    it('a message that is no withdrawal is still requeued one by one, audited', async () => {
      const failed = await deadRow('plain-dead-2');
      const res = await api('POST', `/outbox/${failed}/requeue`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ id: failed, status: 'pending', was: 'dead' });
      expect((await requeueAudits()).at(-1)).toMatchObject({
        subject_id: String(failed),
        before: { status: 'dead' },
        after: { status: 'pending' },
      });
    });

    it('answers bad requeues plainly and changes nothing', async () => {
      const audits = await auditCount();
      const sent = await db()
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'sent')
        .executeTakeFirstOrThrow();
      const done = await api('POST', `/outbox/${sent.id}/requeue`);
      expect(done.status).toBe(409);
      expect(done.json.error).toEqual({
        code: 'conflict',
        message: '这条消息已发送，只有发送失败或结果不明的消息可以重新发送。',
      });
      const missing = await api('POST', '/outbox/987654/requeue');
      expect(missing.status).toBe(404);
      expect(missing.json.error).toEqual({ code: 'not_found', message: '没有这条消息。' });
      for (const bad of ['abc', '0', '-3', '1.5']) {
        const res = await api('POST', `/outbox/${bad}/requeue`);
        expect(res.status).toBe(400);
        expect(res.json.error).toEqual({ code: 'bad_request', message: '消息编号应为正整数' });
      }
      // "withdrawn" is no status to requeue by: 400, as any other.
      for (const status of ['withdrawn', 'sent', '']) {
        const res = await api('POST', `/outbox/requeue?status=${status}`);
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe('bad_request');
      }
      // A congress-bound token may not touch the outbox at all.
      const bound = await api('POST', `/outbox/${ids.withdrawn}/requeue`, undefined, staffToken);
      expect(bound.status).toBe(403);
      expect(await auditCount()).toBe(audits);
      expect((await row(ids.withdrawn)).status).toBe('dead');
    });

    it('the console offers no 重新发送 for a withdrawn message and refuses a forged one with a plain line', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const list = await b.get('/console/outbox?status=withdrawn');
      expect(list.status).toBe(200);
      expect(list.text).toContain('周五下午三点在二楼会议室集中学习');
      expect(list.text).toContain('请按时出席常委会会议');
      expect(list.text).toContain('已撤回，不能重新发送');
      expect(list.text).not.toContain('重新发送</button>');
      for (const id of [ids.withdrawn, ids.reminder])
        expect(list.text).not.toContain(`action="/console/outbox/${id}/requeue`);
      // Ended with an unknown outcome, but of a withdrawn notice: listed as unknown, no button either.
      const unknown = await b.get('/console/outbox?status=unknown');
      expect(unknown.text).toContain('结果不明');
      expect(unknown.text).not.toContain(`action="/console/outbox/${ids.timedOut}/requeue`);
      const dead = await b.get('/console/outbox?status=dead');
      expect(dead.text).not.toContain(`action="/console/outbox/${ids.robot}/requeue`);

      // A stale page or a hand-made form: 409, the list again with the reason on top; nothing changed.
      const audits = await auditCount();
      const csrf = await b.csrf('/console/outbox?status=dead');
      for (const id of [ids.withdrawn, ids.timedOut, ids.robot]) {
        const before = await row(id);
        const res = await b.post(`/console/outbox/${id}/requeue?status=withdrawn`, { _csrf: csrf });
        expect(res.status).toBe(409);
        expect(res.text).toContain(REFUSAL);
        expect(res.text).toContain('<h1>消息发送</h1>');
        expect(await row(id)).toEqual(before);
      }
      // 全部重新发送 passes them by as the API does.
      const all = await b.post('/console/outbox/requeue-dead', { _csrf: csrf, confirm: 'yes' });
      expect(all.status).toBe(303);
      for (const id of [ids.withdrawn, ids.robot, ids.reminder]) expect((await row(id)).status).toBe('dead');
      expect(await auditCount()).toBe(audits);

      // A plain failure is requeued from the filtered list, and the list stays filtered.
      const failed = await deadRow('plain-dead-3');
      const ok = await b.post(`/console/outbox/${failed}/requeue?status=dead`, { _csrf: csrf });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/console/outbox?status=dead&done=requeued');
      expect((await row(failed)).status).toBe('pending');
      expect((await requeueAudits()).at(-1)).toMatchObject({ subject_id: String(failed) });
      // Without the form's CSRF token: refused before anything is read.
      expect((await b.post(`/console/outbox/${ids.withdrawn}/requeue`, {})).status).toBe(403);
    });

    it('the overview names withdrawn reminders and withdrawn notices apart', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const page = await b.get('/console');
      expect(page.status).toBe(200);
      expect(page.text).toContain('1 条提醒</a>在发送前已撤回（已不再适用，如代表请假获准）');
      expect(page.text).toContain('1 条通知消息</a>由工作人员撤回，未发出');
      expect(page.text).toContain('这些都不算发送失败');
      // Only the tried-and-failed robot counts as failed (the other failures were requeued and sent).
      expect(page.text).toMatch(/<span class="n">1<small> 条<\/small><\/span>发送失败的消息/);
    });

    it('withdrawing a reminder also stops one waiting to be tried again, but not one that may have arrived', async () => {
      await chat.flush(); // what earlier tests requeued goes out first
      const now = clock.now();
      const minute = new Date(now.getTime() + 60_000);
      const reminder = (key: string) =>
        enqueue(db(), {
          channel: 'wecom',
          targetKind: 'user',
          targetAddress: 'DeputyB',
          payload: { text: `请按时出席会议 ${key}` },
          idempotencyKey: `leave-warning:retry:${key}`,
        });
      const retrying = (await reminder('a'))!;
      const retry = (await claimNextOutbox(db(), now, minute, 'r1', ['wecom_robot']))!;
      expect(retry.id).toBe(retrying);
      await markOutboxRetry(db(), retry.id, 'r1', 'server_error: HTTP 502', minute);
      const timedOutReminder = (await reminder('b'))!;
      const t = (await claimNextOutbox(db(), now, minute, 'r2', ['wecom_robot']))!;
      expect(t.id).toBe(timedOutReminder);
      await markOutboxRetry(db(), t.id, 'r2', 'timeout: 请求超时', minute, now);

      await withdrawPendingByKeyPrefix(db(), 'leave-warning:retry:', '请假已获批准，缺席提醒撤回');
      // Ended untried, so it counts as withdrawn and is never requeued.
      expect(await row(retrying)).toMatchObject({ status: 'dead', first_tried_at: null });
      const res = await api('POST', `/outbox/${retrying}/requeue`);
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('message_withdrawn');
      // The timed-out one may have reached the deputy: the outbox settles it as before.
      expect((await row(timedOutReminder)).status).toBe('failed');
      clock.advance(120_000);
      await chat.flush();
      expect((await chat.inbox('DeputyB')).filter((x) => x.includes('请按时出席会议 a'))).toEqual([]);
      expect((await chat.inbox('DeputyB')).filter((x) => x.includes('请按时出席会议 b'))).toHaveLength(1);
    });
  });
}
