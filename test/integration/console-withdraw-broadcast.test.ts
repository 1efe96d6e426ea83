import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextOutbox, markOutboxRetry, markOutboxSent } from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Withdrawing what of a notice (通知, 大同 第八条) has not gone out yet: from the console (a ticked
// confirmation, CSRF) and POST /api/broadcasts/{id}/withdraw. Messages sent stay sent; a message another
// instance is sending, or one whose send timed out (it may have arrived), is left alone; a repeat changes
// nothing; another congress's staff get the answer an unknown broadcast gets.

interface Progress {
  status: string;
  totals: Record<string, number>;
  messages: Record<string, number>;
  withdrawable: number;
  groups: { name: string; status: string; messages: Record<string, number> }[];
}

const DATONG = '大同市第十六届人民代表大会';
const JINZHONG = '晋中市第五届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`withdrawing a queued notice on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let staffToken: string;
    let otherToken: string;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const db = () => chat.deps.db;

    const rowsOf = (id: number) =>
      db()
        .selectFrom('outbox')
        .select(['id', 'status', 'target_kind', 'target_address', 'first_tried_at'])
        .where('cause', 'like', `broadcast:${id}:%`)
        .orderBy('id')
        .execute();
    const withdrawAudits = async (id: number) =>
      (
        await db()
          .selectFrom('audit_log')
          .select(['action', 'actor', 'before', 'after'])
          .where('subject_type', '=', 'broadcast')
          .where('subject_id', '=', String(id))
          .where('action', '=', 'broadcast.withdraw')
          .execute()
      ).length;
    const auditCount = () => rowCount(db(), 'audit_log');
    const signedIn = (token: string) => ConsoleBrowser.signedIn(server.url, token);
    /** Sends a notice from the console as 确认发送 on its preview does; returns its id. */
    const sendFromConsole = async (b: ConsoleBrowser, targets: string[], text: string): Promise<number> => {
      const form = new URLSearchParams({
        _csrf: await b.csrf('/console/broadcasts'),
        text,
        action: 'send',
        once: 'withdraw-test-once-0001',
      });
      for (const t of targets) form.append('target', t);
      const res = await b.post('/console/broadcasts', form);
      expect(res.status).toBe(303);
      const m = /^\/console\/broadcasts\/(\d+)\?done=broadcast$/.exec(res.headers.get('location') ?? '');
      expect(m).not.toBeNull();
      return Number(m![1]);
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-one', 'key-two'] });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(db(), DATONG);
      const other = await seedCongress(db(), JINZHONG);
      await seedGroup(db(), { congressId, name: '城区小组', robotKey: 'key-one' });
      await seedGroup(db(), { congressId, name: '矿区小组', robotKey: 'key-two' });
      const xinrong = await seedGroup(db(), { congressId, name: '新荣小组' });
      const nanjiao = await seedGroup(db(), { congressId, name: '南郊小组' });
      await seedGroup(db(), { congressId: other, name: '榆次小组' });
      for (const [name, wecom, smallGroupId] of [
        ['代表甲', 'DeputyA', xinrong],
        ['代表乙', 'DeputyB', xinrong],
        ['代表丙', 'DeputyC', nanjiao],
        ['代表丁', 'DeputyD', nanjiao],
      ] as const)
        await seedPerson(db(), { name, wecom, congressId, smallGroupId });
      staffToken = await issueToken(api, { name: '大同代表工委', role: 'staff', congress: DATONG });
      otherToken = await issueToken(api, { name: '晋中代表工委', role: 'staff', congress: JINZHONG });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('the console withdraws what has not gone out, leaves what is sent, being sent or maybe delivered', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const b = await signedIn(staffToken);
      const id = await sendFromConsole(
        b,
        ['城区小组', '矿区小组', '新荣小组', '南郊小组'],
        '请于周五前报送本组活动计划。',
      );
      expect(await rowsOf(id)).toHaveLength(6); // two robots, four members one by one

      const now = clock.now();
      const minute = new Date(now.getTime() + 60_000);
      // A member's send timed out (WeCom may have delivered it): it waits for a resend with the same key.
      const timedOut = (await claimNextOutbox(db(), now, minute, 'timed-out', ['wecom_robot']))!;
      await markOutboxRetry(
        db(),
        timedOut.id,
        'timed-out',
        'timeout: 请求超时',
        new Date(now.getTime() + 600_000),
        now,
      );
      // Another instance is sending a member's message right now.
      const inFlight = (await claimNextOutbox(db(), now, minute, 'other-instance', ['wecom_robot']))!;
      // One robot fails for now (retried later); one member is "too fast" (put back untried).
      chat.wecom.inject('/cgi-bin/webhook/send', { kind: 'status', status: 502 });
      chat.wecom.inject('/cgi-bin/message/send', { kind: 'errcode', errcode: 45009 });
      await chat.flush();
      const states = (await rowsOf(id)).map((r) => r.status).sort();
      expect(states).toEqual(['failed', 'failed', 'failed', 'sending', 'sent', 'sent']);
      expect(chat.wecom.robotDelivered).toHaveLength(1);

      const page = await b.get(`/console/broadcasts/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('撤回未发出的消息');
      expect(page.text).toContain('还有 2 条消息没有发出');
      expect(page.text).toContain(
        '撤回后它们不再发出；已经发出的消息不会撤回（已发出 2 条），收到的群和代表仍能看到。',
      );
      expect(page.text).toContain('共 6 条：已发出 2 条，等待发送 4 条');

      // Not ticked: refused, nothing withdrawn, no audit row.
      const csrf = await b.csrf(`/console/broadcasts/${id}`);
      const audits = await auditCount();
      const unticked = await b.post(`/console/broadcasts/${id}/withdraw`, { _csrf: csrf });
      expect(unticked.status).toBe(400);
      expect(unticked.text).toContain('撤回前请勾选「我确认撤回这些未发出的消息」；本次没有撤回任何消息');
      // Without the form's CSRF token: refused before anything is read.
      const forged = await b.post(`/console/broadcasts/${id}/withdraw`, { confirmWithdraw: 'yes' });
      expect(forged.status).toBe(403);
      expect((await rowsOf(id)).filter((r) => r.status === 'dead')).toHaveLength(0);
      expect(await auditCount()).toBe(audits);

      const done = await b.post(`/console/broadcasts/${id}/withdraw`, {
        _csrf: csrf,
        confirmWithdraw: 'yes',
      });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`/console/broadcasts/${id}?done=withdrawn`);
      const rows = await rowsOf(id);
      // Withdrawn: the robot waiting for its retry and the member held back by the rate limit.
      const withdrawn = rows.filter((r) => r.status === 'dead');
      expect(withdrawn).toHaveLength(2);
      expect(withdrawn.every((r) => r.first_tried_at === null)).toBe(true);
      expect(rows.find((r) => r.id === inFlight.id)!.status).toBe('sending');
      expect(rows.find((r) => r.id === timedOut.id)!.status).toBe('failed');
      expect(rows.filter((r) => r.status === 'sent')).toHaveLength(2);
      expect(await withdrawAudits(id)).toBe(1);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor', 'before', 'after', 'detail'])
        .where('action', '=', 'broadcast.withdraw')
        .where('subject_id', '=', String(id))
        .executeTakeFirstOrThrow();
      expect(audit.detail).toMatchObject({ withdrawn: 2 });
      expect(audit.before).toMatchObject({ messages: { sent: 2, waiting: 4, withdrawn: 0 } });
      expect(audit.after).toMatchObject({ messages: { sent: 2, waiting: 2, withdrawn: 2 } });

      const after = await b.get(done.headers.get('location')!);
      expect(after.text).toContain('未发出的消息已撤回，不会再发出。');
      expect(after.text).toContain('已撤回的 2 条没有发出。已经发出的消息不会撤回');
      expect(after.text).toContain('已撤回 1 个');
      expect(after.text).toContain('已撤回，未发出');
      // What is left is being sent or may have arrived: nothing more to withdraw, so no form.
      expect(after.text).not.toContain(`action="/console/broadcasts/${id}/withdraw"`);

      // The other instance finishes its send: recorded, not lost and not doubled.
      expect(await markOutboxSent(db(), inFlight.id, 'other-instance', clock.now())).toBe(true);

      // A second withdrawal (a stale page sent again) changes nothing and says so.
      const audits2 = await auditCount();
      const again = await b.post(`/console/broadcasts/${id}/withdraw`, {
        _csrf: csrf,
        confirmWithdraw: 'yes',
      });
      expect(again.status).toBe(200);
      expect(again.text).toContain('这条通知已经没有可以撤回的消息，这次没有改动。');
      expect(again.text).toContain('已经发出的 3 条不会撤回');
      expect(await auditCount()).toBe(audits2);
      expect((await rowsOf(id)).filter((r) => r.status === 'dead')).toHaveLength(2);

      // An hour later the outbox runs again: the withdrawn robot and member hear nothing.
      clock.advance(3600_000);
      await chat.flush();
      expect(chat.wecom.robotDelivered).toHaveLength(1);
      const heldBack = withdrawn.find((r) => r.target_kind === 'user')!;
      expect(chat.wecom.inbox(heldBack.target_address)).toHaveLength(0);
    });

    it('POST /api/broadcasts/{id}/withdraw stops a notice queued in the evening before it goes out', async () => {
      clock.set('2026-11-23T11:00:00Z'); // Monday 19:00: it waits for Tuesday 09:00
      const sent = await api(
        'POST',
        '/broadcasts',
        { targets: ['城区小组', '新荣小组'], text: '明天上午九点在三楼会议室开会。' },
        staffToken,
      );
      expect(sent.status).toBe(202);
      const id = sent.json.id as number;
      const before = (await api('GET', `/broadcasts/${id}`, undefined, staffToken)).json as Progress;
      expect(before).toMatchObject({ withdrawable: 3, messages: { waiting: 3, withdrawn: 0 } });

      // Another congress's staff: the same answer as a broadcast that does not exist, and nothing changes.
      const foreign = await api('POST', `/broadcasts/${id}/withdraw`, undefined, otherToken);
      const unknown = await api('POST', '/broadcasts/987654/withdraw', undefined, otherToken);
      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(foreign.json.error.code).toBe(unknown.json.error.code);
      expect(foreign.json.error.message).toBe(`没有编号为 ${id} 的通知`);
      expect(unknown.json.error.message).toBe('没有编号为 987654 的通知');
      const b = await signedIn(otherToken);
      expect((await b.get(`/console/broadcasts/${id}`)).status).toBe(404);
      const foreignForm = await b.post(`/console/broadcasts/${id}/withdraw`, {
        _csrf: await b.csrf('/console/broadcasts'),
        confirmWithdraw: 'yes',
      });
      expect(foreignForm.status).toBe(404);
      expect(foreignForm.text).toContain(`没有编号为 ${id} 的通知`);
      expect((await rowsOf(id)).every((r) => r.status === 'pending')).toBe(true);
      expect(await withdrawAudits(id)).toBe(0);

      const res = await api('POST', `/broadcasts/${id}/withdraw`, undefined, staffToken);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ id, withdrawn: 3 });
      expect(res.json.already).toBeUndefined();
      expect(res.json.message).toContain('已撤回 3 条未发出的消息，它们不会再发出。');
      // Nothing waits any more: the notice is finished at once.
      const progress = (await api('GET', `/broadcasts/${id}`, undefined, staffToken)).json as Progress;
      expect(progress).toMatchObject({
        status: 'done',
        withdrawable: 0,
        totals: { sent: 0, waiting: 0, withdrawn: 2 },
        messages: { sent: 0, waiting: 0, failed: 0, withdrawn: 3 },
      });
      expect(progress.groups.map((g) => g.status)).toEqual(['withdrawn', 'withdrawn']);
      expect(await withdrawAudits(id)).toBe(1);

      const again = await api('POST', `/broadcasts/${id}/withdraw`, undefined, staffToken);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ withdrawn: 0, already: true });
      expect(again.json.message).toContain('这条通知已经没有可以撤回的消息，这次没有改动。');
      expect(await withdrawAudits(id)).toBe(1);

      // Tuesday 10:00: the outbox runs; nobody receives the withdrawn notice.
      const robotsBefore = chat.wecom.robotDelivered.length;
      clock.set('2026-11-24T02:00:00Z');
      await chat.flush();
      expect(chat.wecom.robotDelivered).toHaveLength(robotsBefore);
      for (const who of ['DeputyA', 'DeputyB'])
        expect(chat.wecom.inbox(who).some((d) => d.text.includes('三楼会议室'))).toBe(false);
      // The outbox page lists them as withdrawn, not as failures.
      const admin = await signedIn(
        (await api('POST', '/tokens', { name: '管理', role: 'admin' })).json.token,
      );
      const list = await admin.get('/console/outbox?status=withdrawn');
      expect(list.text).toContain('明天上午九点在三楼会议室开会');
    });
  });
}
