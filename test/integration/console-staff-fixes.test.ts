import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// What staff testers found on the console, fixed: the overview and the outbox saying plainly that messages
// fail because a platform is not set up, 终止 needing an explicit confirmation, a second approver told
// their decision was not recorded, no decision preselected, a NUL in a form keeping what was typed, the
// calendar's impossible dates and months, the roster's group drop-down, mobile tails and mobiles shown,
// tap targets and the menu on a phone, /favicon.ico.

/** The opening tag of the form posting to `action`, through its closing tag. */
const formOf = (page: string, action: string): string => {
  const start = page.indexOf(`action="${action}"`);
  expect(start, `form ${action}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</form>', start));
};

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`console fixes found by staff testers on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let congressId: number;
    let staffToken: string;
    let boundToken: string;
    let approverA: string;
    let approverB: string;
    let deputyMandate: number;
    let groupId: number;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi<Record<string, unknown>>(() => server.url);
    const signedIn = (token: string) => ConsoleBrowser.signedIn(server.url, token);

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      congressId = await seedCongress(deps.db);
      await seedCongress(deps.db, '晋中市第五届人民代表大会');
      const now = clock.now();
      groupId = (
        await deps.db
          .insertInto('groups')
          .values({
            congress_id: congressId,
            name: '平城区代表小组',
            kind: 'small',
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await deps.db
        .insertInto('groups')
        .values({
          congress_id: congressId,
          name: '云冈区代表小组',
          kind: 'small',
          created_at: now,
          updated_at: now,
        })
        .execute();
      deputyMandate = (
        await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', mobile: '13835200041', congressId })
      ).mandateId;
      await deps.db
        .updateTable('mandates')
        .set({ small_group_id: groupId })
        .where('id', '=', deputyMandate)
        .execute();
      await seedPerson(deps.db, { name: '赵云冈', wecom: 'ZhaoYG', mobile: '13900000002', congressId });
      const mk = async (body: unknown) => (await api('POST', '/tokens', body)).json.token as string;
      staffToken = await mk({ name: '代表工委', role: 'staff' });
      boundToken = await mk({ name: '晋中代表工委', role: 'staff', congress: '晋中市第五届人民代表大会' });
      approverA = await mk({ name: '审批甲', role: 'approver' });
      approverB = await mk({ name: '审批乙', role: 'approver' });
      const session = await api('POST', '/sessions', {
        congress: '大同市第十六届人民代表大会',
        name: '大同市第十六届人民代表大会第五次会议',
        startsOn: '2026-12-10',
        endsOn: '2026-12-12',
      });
      expect(session.status).toBe(201);
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('overview and outbox say plainly that WeCom is not set up and messages fail and are retried', async () => {
      const now = clock.now();
      const later = new Date(now.getTime() + 3600_000);
      const row = (i: number, status: 'failed' | 'pending' | 'dead', lastError: string | null) => ({
        channel: 'wecom' as const,
        target_kind: 'user',
        target_address: `User${i}`,
        payload: JSON.stringify({ text: `通知 ${i}` }),
        idempotency_key: `fix-test:${status}:${i}`,
        status,
        attempts: status === 'pending' ? 0 : 3,
        not_before: later,
        last_error: lastError,
        created_at: now,
        first_tried_at: status === 'pending' ? null : now,
      });
      await deps.db
        .insertInto('outbox')
        .values([
          ...Array.from({ length: 24 }, (_, i) =>
            row(i, 'failed', 'channel_disabled: channel wecom is not configured'),
          ),
          ...Array.from({ length: 54 }, (_, i) => row(100 + i, 'pending', null)),
          row(200, 'dead', 'server_error: HTTP 502 Bad Gateway'),
          row(201, 'dead', 'rate_limited: too many requests'),
        ])
        .execute();

      const admin = await signedIn(TEST_ADMIN_TOKEN);
      const home = await admin.get('/console');
      expect(home.status).toBe(200);
      expect(home.text).toContain('企业微信还没有配置，消息发不出去');
      expect(home.text).toContain('24 条发送失败、正在重试');
      expect(home.text).toContain('54 条等待发送');
      expect(home.text).toContain('href="/console/outbox?status=failed"');
      expect(home.text).toMatch(/<span class="n">24<small> 条<\/small><\/span>失败待重试的消息/);

      const failed = await admin.get('/console/outbox?status=failed');
      expect(failed.text).toContain('企业微信还没有配置，这条消息发不出去');
      expect(failed.text).toContain('>channel_disabled</span>');
      // The raw English is no longer what staff read (it stays only in the code's tooltip).
      expect(failed.text).not.toContain('<div class="pre">channel_disabled');
      const dead = await admin.get('/console/outbox?status=dead');
      expect(dead.text).toContain('企业微信的服务器出错（5xx），稍后会自动重试');
      expect(dead.text).toContain('发送太频繁');

      // A token bound to one congress is told the platform is missing, without the counts of every congress.
      const bound = await signedIn(boundToken);
      const boundHome = await bound.get('/console');
      expect(boundHome.text).toContain('企业微信还没有配置，消息发不出去');
      expect(boundHome.text).not.toContain('24 条发送失败');
    });

    it('群发通知 preview warns that no chat platform is set up', async () => {
      const b = await signedIn(staffToken);
      const csrf = await b.csrf('/console/broadcasts');
      const r = await b.post('/console/broadcasts', {
        _csrf: csrf,
        text: '请查阅材料',
        target: 'all',
        action: 'preview',
      });
      expect(r.status).toBe(200);
      expect(r.text).toContain('确认发送');
      expect(r.text).toContain('还没有配置企业微信或钉钉');
    });

    it('终止 needs the confirmation ticked: refused with the form kept, then recorded', async () => {
      const b = await signedIn(staffToken);
      const path = `/console/deputies/${deputyMandate}`;
      const page = await b.get(path);
      expect(page.text).toContain('我已核实，确认终止其代表资格');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const changes = async () =>
        (
          await deps.db
            .selectFrom('mandate_status_changes')
            .select('id')
            .where('mandate_id', '=', deputyMandate)
            .execute()
        ).length;
      const before = await changes();
      const refused = await b.post(`${path}/status`, {
        _csrf: csrf,
        status: 'terminated',
        reason: '已调离本行政区域',
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('请核实后勾选「我已核实，确认终止其代表资格」');
      const form = formOf(refused.text, `${path}/status`);
      expect(form).toContain('已调离本行政区域</textarea>');
      expect(form).toMatch(/<option value="terminated" selected>/);
      expect(await changes()).toBe(before);
      expect(
        (
          await deps.db
            .selectFrom('mandates')
            .select('status')
            .where('id', '=', deputyMandate)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('active');
      // Suspension is not final and needs no confirmation; termination with it ticked goes through.
      const ok = await b.post(`${path}/status`, {
        _csrf: csrf,
        status: 'terminated',
        reason: '已调离本行政区域',
        confirmTerminate: 'yes',
      });
      expect(ok.status).toBe(303);
      expect(
        (
          await deps.db
            .selectFrom('mandates')
            .select('status')
            .where('id', '=', deputyMandate)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('terminated');
      expect(await changes()).toBe(before + 1);
      // Terminated cannot be undone (山西 第四十五条): the page offers no form.
      const after = await b.get(path);
      expect(after.text).not.toContain(`action="${path}/status"`);
      // Restore for the tests below.
      await deps.db
        .updateTable('mandates')
        .set({ status: 'active' })
        .where('id', '=', deputyMandate)
        .execute();
    });

    it('the leave decision preselects nothing, refuses no choice, and tells a second approver theirs was not recorded', async () => {
      const leave = await api('POST', '/leave-requests', {
        userid: 'ZhaoYG',
        session: '大同市第十六届人民代表大会第五次会议',
        reason: '出差',
      });
      expect(leave.status).toBe(201);
      const code = leave.json.code as string;
      const row = () =>
        deps.db.selectFrom('leave_requests').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
      const a = await signedIn(approverA);
      const b = await signedIn(approverB);
      const pageA = await a.get(`/console/leave/${code}`);
      const pageB = await b.get(`/console/leave/${code}`);
      const form = formOf(pageB.text, `/console/leave/${code}/decision`);
      expect(form).toContain('value="approved"');
      expect(form).toContain('value="rejected"');
      expect(form).not.toMatch(/\schecked|\sselected/);
      const csrfA = /name="_csrf" value="([^"]+)"/.exec(pageA.text)![1]!;
      const csrfB = /name="_csrf" value="([^"]+)"/.exec(pageB.text)![1]!;

      const none = await b.post(`/console/leave/${code}/decision`, { _csrf: csrfB, reason: '' });
      expect(none.status).toBe(400);
      expect(none.text).toContain('请选择「批准」或「不批准」');
      expect((await row()).status).toBe('pending');

      const first = await a.post(`/console/leave/${code}/decision`, {
        _csrf: csrfA,
        decision: 'approved',
        confirm: 'yes',
      });
      expect(first.status).toBe(303);
      const second = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrfB,
        decision: 'rejected',
        reason: '会议重要，不宜请假',
        confirm: 'yes',
      });
      expect(second.status).toBe(409);
      expect(second.text).toContain('由「审批甲」于 2026-11-23 10:00 记录为「已批准」');
      expect(second.text).toContain('您提交的「不批准」没有记录');
      expect(await row()).toMatchObject({ status: 'approved', decision_reason: null });
    });

    it('a NUL pasted into a 代录 form shows the form again with what was typed, and saves nothing', async () => {
      const b = await signedIn(staffToken);
      const csrf = await b.csrf('/console/suggestions/new');
      const count = async (table: 'suggestions' | 'leave_requests') =>
        (await deps.db.selectFrom(table).select('id').execute()).length;
      const n = await count('suggestions');
      const r = await b.post('/console/suggestions/new', {
        _csrf: csrf,
        deputy: '王平城',
        kind: '批评',
        content: '小区路灯\u0000坏了三个月',
        secret: 'true',
      });
      expect(r.status).toBe(400);
      expect(r.text).toContain('含有无法保存的字符');
      const form = formOf(r.text, '/console/suggestions/new');
      expect(form).toContain('>小区路灯坏了三个月</textarea>');
      expect(form).toContain('value="王平城"');
      expect(form).toMatch(/<option value="批评" selected>/);
      expect(form).toMatch(/name="secret" value="true" checked>/);
      expect(r.text).not.toContain('\u0000');
      expect(await count('suggestions')).toBe(n);

      const l = await count('leave_requests');
      const leave = await b.post('/console/leave/new', {
        _csrf: csrf,
        deputy: '王平城',
        what: 'session',
        session: '大同市第十六届人民代表大会第五次会议',
        reason: '出差\u0000在外',
      });
      expect(leave.status).toBe(400);
      expect(formOf(leave.text, '/console/leave/new')).toContain('>出差在外</textarea>');
      expect(await count('leave_requests')).toBe(l);

      // A form posting elsewhere than its page (the status form of a deputy's page) comes back on that page.
      const status = await b.post(
        `/console/deputies/${deputyMandate}/status`,
        { _csrf: csrf, status: 'suspended', reason: '住院\u0000治疗' },
        { referer: `${server.url}/console/deputies/${deputyMandate}` },
      );
      expect(status.status).toBe(400);
      expect(formOf(status.text, `/console/deputies/${deputyMandate}/status`)).toContain(
        '>住院治疗</textarea>',
      );
      expect(
        (
          await deps.db
            .selectFrom('mandates')
            .select('status')
            .where('id', '=', deputyMandate)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('active');
    });

    it('calendar: an impossible date says so and keeps the month; a correction shows its month; month=13 is refused', async () => {
      const admin = await signedIn(TEST_ADMIN_TOKEN);
      const csrf = await admin.csrf('/console/calendar?year=2027&month=2');
      const bad = await admin.post('/console/calendar/corrections', {
        _csrf: csrf,
        date: '2027-02-30',
        kind: 'holiday',
        note: '测试',
        viewYear: '2027',
        viewMonth: '2',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('2027-02-30 这一天不存在：2027 年 2 月只有 28 天');
      expect(bad.text).not.toContain('请填写要更正的日期');
      expect(bad.text).toContain('<h2 id="month">2027 年 2 月</h2>');
      expect(formOf(bad.text, '/console/calendar/corrections')).toContain('value="测试"');

      const ok = await admin.post('/console/calendar/corrections', {
        _csrf: csrf,
        date: '2027-03-02',
        kind: 'holiday',
        note: '测试更正',
        viewYear: '2027',
        viewMonth: '1',
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/console/calendar?year=2027&month=3&done=corrected');
      const shown = await admin.get(ok.headers.get('location')!);
      expect(shown.text).toContain('<h2 id="month">2027 年 3 月</h2>');

      const m13 = await admin.get('/console/calendar?year=2027&month=13');
      expect(m13.status).toBe(400);
      expect(m13.text).toContain('「13」不是月份');
      expect(m13.text).toContain('下面显示的是 1 月');
    });

    it('roster: groups as a drop-down, a part of a group name or a mobile finds the deputy, mobiles shown', async () => {
      const b = await signedIn(staffToken);
      const list = await b.get('/console/deputies');
      expect(list.text).toMatch(/<select name="group">/);
      expect(list.text).toContain(
        `<option value="${groupId}">小组：平城区代表小组（大同市第十六届人民代表大会）</option>`,
      );
      expect(list.text).toContain('13835200041');
      expect(list.text).toMatch(/name="q"[^>]*maxlength="100"/);

      const byId = await b.get(`/console/deputies?group=${groupId}`);
      expect(byId.text).toContain('王平城');
      expect(byId.text).not.toContain('赵云冈');
      const partial = await b.get(`/console/deputies?group=${encodeURIComponent('平城')}`);
      expect(partial.text).toContain('王平城');
      expect(partial.text).not.toContain('赵云冈');
      const several = await b.get(`/console/deputies?group=${encodeURIComponent('区代表')}`);
      expect(several.text).toContain('请从列表中选择一个');

      const tail = await b.get('/console/deputies?q=3520004');
      expect(tail.text).toContain('王平城');
      expect(tail.text).not.toContain('赵云冈');
      expect(tail.text).toContain('共 1 条');
    });

    it('tap targets, the phone menu and /favicon.ico', async () => {
      const css = await (await fetch(`${server.url}/console/assets/console.css`)).text();
      expect(css).toMatch(/input\[type=checkbox\],input\[type=radio\]\{width:20px;height:20px/);
      // Below 600 px the menu folds behind its button and opens when the button's checkbox is ticked.
      expect(css.slice(css.indexOf('@media (max-width:600px)'))).toContain(
        '.menu-toggle:checked~nav{display:flex}',
      );
      const icon = await fetch(`${server.url}/favicon.ico`);
      expect(icon.status).toBe(204);
    });
  });
}
