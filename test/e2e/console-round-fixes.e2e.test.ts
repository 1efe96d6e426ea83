import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { DATE_HINT } from '../../src/console/date-field.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { ConsoleBrowser, csrfOf } from '../helpers/console-browser.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, lookAt } from '../helpers/page-layout.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { addSession, askLeave, issueToken } from '../helpers/seed-api.ts';

// This round's console fixes, as a staff member meets them: a leave decision asks 确认 first (nothing
// recorded, no audit row until then; one row after); statistics periods read with their weekdays; date
// fields say the form expected in Chinese and take 2026/12/3 and 2026年12月3日, an impossible day refused
// with the rest of the form kept. Then the changed pages on a 390 px phone in Chromium without script;
// screenshots under test/artifacts/round-fixes/.

const shots = new Artifacts('test/artifacts/round-fixes');
const WIDTH = 390;
const CONGRESS = '大同市第十六届人民代表大会';
const OTHER = '山西省第十四届人民代表大会';
const SESSION = '大同市第十六届人民代表大会第五次会议';

describe('console round fixes', () => {
  let congressId = 0;
  let approver = '';
  let staff = '';
  let otherApprover = '';
  let page: Page;
  const leave: string[] = [];
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  // Chromium only where it is installed: the tests outside the phone's describe need none.
  const app = useBrowserApp({
    clock,
    browser: hasChromium,
    seed: async (deps) => {
      congressId = await seedCongress(deps.db, CONGRESS, 'city');
      await seedCongress(deps.db, OTHER, 'province');
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', mobile: '13835200041', congressId });
      await seedPerson(deps.db, { name: '赵云冈', wecom: 'ZhaoYG', mobile: '13900000002', congressId });
      await seedPerson(deps.db, { name: '李晋阳', wecom: 'LiJY', mobile: '13900000003', congressId });
    },
  });
  const api = createApi(() => app.url);

  const leaveRow = (code: string) =>
    app.db
      .selectFrom('leave_requests')
      .select(['status', 'decided_on', 'decision_reason'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
  const auditCount = async () => rowCount(app.db, 'audit_log');
  const decidedMessages = async (code: string) =>
    (
      await app.db
        .selectFrom('outbox')
        .select('id')
        .where('idempotency_key', 'like', `leave:${code}:decided:%`)
        .execute()
    ).length;
  const formOf = (page: string, action: string) => {
    const at = page.indexOf(`action="${action}"`);
    return at < 0 ? '' : page.slice(at, page.indexOf('</form>', at));
  };

  /** An English browser without script, at phone width, signed in: the dates must not follow its locale. */
  const phonePage = async (token: string): Promise<Page> => {
    const p = await app.browser.newPage({
      viewport: { width: WIDTH, height: 844 },
      locale: 'en-US',
      javaScriptEnabled: false,
    });
    await signIn(p, app.url, token);
    return p;
  };

  beforeAll(async () => {
    approver = await issueToken(api, { name: '马红梅', role: 'approver' });
    staff = await issueToken(api, { name: '张工作', role: 'staff' });
    otherApprover = await issueToken(api, { name: '省审批', role: 'approver', congress: OTHER });
    await addSession(api, {
      congress: CONGRESS,
      name: SESSION,
      startsOn: '2026-12-20',
      endsOn: '2026-12-22',
    });
    for (const userid of ['WangPC', 'ZhaoYG', 'LiJY']) {
      leave.push(await askLeave(api, { userid, session: SESSION, reason: '因公出差' }));
    }
    if (hasChromium) page = await phonePage(approver);
  }, 120_000);

  describe('a leave decision asks 确认 first', () => {
    it('shows who, which meeting and what decision, and records nothing before 确认; one audit row after', async () => {
      const code = leave[0]!;
      const b = await ConsoleBrowser.signedIn(app.url, approver);
      const page = await b.get(`/console/leave/${code}`);
      expect(page.text).toContain('记录决定…');
      expect(page.text).toContain('例如 <span class="nowrap">2026-12-03</span>');
      const csrf = csrfOf(page.text);
      const audits = await auditCount();

      const ask = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '会议期间有重要议程',
        decidedOn: '2026年11月23日',
      });
      expect(ask.status).toBe(200);
      const step = formOf(ask.text, `/console/leave/${code}/decision`);
      expect(step).toContain('<dt>代表</dt><dd>王平城</dd>');
      expect(step).toContain(`<dt>会议或活动</dt><dd>${SESSION}</dd>`);
      expect(step).toContain('不批准');
      expect(step).toContain('会议期间有重要议程');
      // The typed date read as the calendar knows it, with its weekday.
      expect(step).toContain('<dt>决定日期</dt><dd>2026-11-23（星期一）</dd>');
      expect(step).toContain('<input type="hidden" name="decidedOn" value="2026-11-23">');
      expect(step).toMatch(/<button type="submit" name="confirm" value="yes">确认不批准<\/button>/);
      expect(step).toContain('返回修改');
      expect(await leaveRow(code)).toMatchObject({ status: 'pending', decided_on: null });
      expect(await decidedMessages(code)).toBe(0);
      expect(await auditCount()).toBe(audits);

      // 返回: the form again as filled in; still nothing recorded.
      const back = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '会议期间有重要议程',
        decidedOn: '2026-11-23',
        step: 'back',
      });
      expect(back.status).toBe(200);
      const again = formOf(back.text, `/console/leave/${code}/decision`);
      expect(again).toMatch(/value="rejected" required checked/);
      expect(again).toContain('>会议期间有重要议程</textarea>');
      expect(again).toContain('value="2026-11-23"');
      expect(back.text).not.toContain('class="error"');
      expect((await leaveRow(code)).status).toBe('pending');
      expect(await auditCount()).toBe(audits);

      // Without the form's token: refused, nothing recorded.
      const forged = await b.post(`/console/leave/${code}/decision`, {
        decision: 'rejected',
        reason: '会议期间有重要议程',
        confirm: 'yes',
      });
      expect(forged.status).toBe(403);
      expect((await leaveRow(code)).status).toBe('pending');

      const done = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '会议期间有重要议程',
        decidedOn: '2026-11-23',
        confirm: 'yes',
      });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`/console/leave/${code}?done=decided`);
      expect(await leaveRow(code)).toEqual({
        status: 'rejected',
        decided_on: '2026-11-23',
        decision_reason: '会议期间有重要议程',
      });
      expect(await decidedMessages(code)).toBe(1);
      expect(await auditCount()).toBe(audits + 1);
      const shown = await b.get(`/console/leave/${code}?done=decided`);
      expect(shown.text).toContain('决定已记录');

      // The same 确认 sent again (a double tap, or the back button) records nothing more.
      const twice = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '会议期间有重要议程',
        decidedOn: '2026-11-23',
        confirm: 'yes',
      });
      expect(twice.status).toBe(409);
      expect(await decidedMessages(code)).toBe(1);
      expect(await auditCount()).toBe(audits + 1);
    });

    it('refuses a day the calendar does not have before asking, keeping the reason', async () => {
      const code = leave[1]!;
      const b = await ConsoleBrowser.signedIn(app.url, approver);
      const csrf = await b.csrf(`/console/leave/${code}`);
      const bad = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '另有安排',
        decidedOn: '2026-02-30',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('「决定日期」填的 2026-02-30 这一天不存在：2026 年 2 月只有 28 天');
      const form = formOf(bad.text, `/console/leave/${code}/decision`);
      expect(form).toContain('>另有安排</textarea>');
      expect(form).toContain('value="2026-02-30"');
      expect(form).not.toContain('name="confirm"');
      const future = await b.post(`/console/leave/${code}/decision`, {
        _csrf: csrf,
        decision: 'approved',
        decidedOn: '2026/12/1',
      });
      expect(future.status).toBe(400);
      expect(future.text).toContain('决定日期不能晚于今天');
      expect((await leaveRow(code)).status).toBe('pending');
    });

    it('checks role and congress on both steps', async () => {
      const code = leave[1]!;
      const audits = await auditCount();
      const s = await ConsoleBrowser.signedIn(app.url, staff);
      const byStaff = await s.post(`/console/leave/${code}/decision`, {
        _csrf: await s.csrf(`/console/leave/${code}`),
        decision: 'approved',
        confirm: 'yes',
      });
      expect(byStaff.status).toBe(403);
      expect(byStaff.text).toContain('无权');
      const o = await ConsoleBrowser.signedIn(app.url, otherApprover);
      const csrf = await o.csrf('/console/leave');
      for (const extra of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
        const r = await o.post(`/console/leave/${code}/decision`, {
          _csrf: csrf,
          decision: 'approved',
          ...extra,
        });
        expect(r.status).toBe(404);
      }
      expect((await leaveRow(code)).status).toBe('pending');
      expect(await auditCount()).toBe(audits);
    });
  });

  describe('statistics periods read with their weekdays', () => {
    it('reads the period as typed and writes it as every date is written', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, staff);
      const page = await b.get(
        `/console/statistics?by=organ&from=${encodeURIComponent('2026/1/1')}&to=${encodeURIComponent('2026年11月23日')}`,
      );
      expect(page.status).toBe(200);
      const plain = (html: string) => html.replace(/<[^>]+>/g, '');
      expect(plain(page.text)).toContain('统计期间：2026-01-01（星期四）至 2026-11-23（星期一）');
      expect(page.text).toContain('<input type="text" id="stat-from" name="from" value="2026-01-01"');
      expect(page.text).toContain('例如 <span class="nowrap">2026-12-03</span>');
      const items = await b.get(
        '/console/statistics/items?by=organ&from=2026-01-01&to=2026-11-23&measure=assigned',
      );
      expect(items.status).toBe(200);
      expect(plain(items.text)).toContain('统计期间：2026-01-01（星期四）至 2026-11-23（星期一），共 0 件');
      const report = await b.get('/console/statistics/report?year=2026');
      expect(report.text).toContain('统计期间：2026-01-01（星期四）至 2026-11-23（星期一）');
      expect(report.text).not.toMatch(/统计期间：2026-01-01 至/);
    });

    it('refuses an impossible day in Chinese, keeping the other date and the grouping', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, staff);
      const bad = await b.get('/console/statistics?by=category&from=2026-02-30&to=2026-06-30');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('「开始日期」填的 2026-02-30 这一天不存在：2026 年 2 月只有 28 天');
      expect(bad.text).toContain('name="to" value="2026-06-30"');
      expect(bad.text).toMatch(/<option value="category" selected>/);
    });
  });

  describe('date fields', () => {
    it('say the form expected, and never leave the format to the browser', async () => {
      const admin = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
      for (const path of [
        `/console/leave/${leave[2]}`,
        '/console/sessions',
        `/console/activities/new?congress=${encodeURIComponent(CONGRESS)}`,
        '/console/calendar',
        `/console/congresses/${congressId}`,
        '/console/statistics',
      ]) {
        const text = (await admin.get(path)).text;
        expect(text.replace(/<[^>]+>/g, ''), path).toContain(DATE_HINT);
        expect(text, path).not.toContain('type="date"');
      }
    });

    it('take 2026年12月3日 and 2026/12/4; an impossible day keeps what else was typed', async () => {
      const admin = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
      const csrf = await admin.csrf('/console/sessions');
      const bad = await admin.post('/console/sessions', {
        _csrf: csrf,
        congress: CONGRESS,
        name: '常委会第三十次会议',
        startsOn: '2026-02-30',
        endsOn: '2026/3/2',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('「开幕日期」填的 2026-02-30 这一天不存在：2026 年 2 月只有 28 天');
      expect(bad.text).toContain('value="常委会第三十次会议"');
      expect(bad.text).toContain('value="2026/3/2"');
      const ok = await admin.post('/console/sessions', {
        _csrf: csrf,
        congress: CONGRESS,
        name: '常委会第三十次会议',
        startsOn: '2026年12月3日',
        endsOn: '２０２６/12/4',
      });
      expect(ok.status).toBe(303);
      const row = await app.db
        .selectFrom('sessions')
        .select(['starts_on', 'ends_on'])
        .where('name', '=', '常委会第三十次会议')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ starts_on: '2026-12-03', ends_on: '2026-12-04' });
      const word = await admin.post('/console/sessions', {
        _csrf: csrf,
        congress: CONGRESS,
        name: '常委会第三十一次会议',
        startsOn: '下周三',
        endsOn: '2026-12-10',
      });
      expect(word.status).toBe(400);
      expect(word.text).toContain(
        '「开幕日期」填的「下周三」不是日期，请按 年-月-日 填写，例如 2026-12-03。',
      );
    });
  });

  describe.skipIf(!hasChromium)('on a 390 px phone', () => {
    const look = (shot: string) => lookAt(page, shots, shot, WIDTH);
    const height = async (selector: string): Promise<number> => (await boxOf(page, selector)).height;
    const submit = async (selector: string) => {
      await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
    };

    it('decides a leave in two steps, 返回 keeping what was typed', async () => {
      const code = leave[2]!;
      await page.goto(`${app.url}/console/leave/${code}`);
      await page.click('label.check:has(input[value=rejected])');
      await page.fill('textarea[name=reason]', '会议期间需在岗值守');
      await page.fill('#decidedOn', '2026/11/23');
      expect(await look('01-leave-form')).toContain('例如 2026-12-03');
      await submit('form[action$="/decision"] button[type=submit]');
      const ask = await look('02-leave-confirm');
      expect(ask).toContain('李晋阳');
      expect(ask).toContain(SESSION);
      expect(ask).toContain('2026-11-23（星期一）');
      expect(await height('button[name=confirm]')).toBeGreaterThanOrEqual(40);
      expect(await height('button[name=step]')).toBeGreaterThanOrEqual(40);
      expect((await leaveRow(code)).status).toBe('pending');
      await submit('button[name=step]');
      await look('03-leave-back');
      expect(await page.isChecked('input[value=rejected]')).toBe(true);
      expect(await page.inputValue('textarea[name=reason]')).toBe('会议期间需在岗值守');
      expect((await leaveRow(code)).status).toBe('pending');
      await submit('form[action$="/decision"] button[type=submit]');
      await submit('button[name=confirm]');
      expect(await look('04-leave-decided')).toContain('决定已记录');
      expect(await leaveRow(code)).toMatchObject({ status: 'rejected', decided_on: '2026-11-23' });
    });

    it('shows the statistics period with weekdays and the date hint within the screen', async () => {
      await page.goto(`${app.url}/console/statistics?from=2026-01-01&to=2026-11-23`);
      const main = await look('05-statistics');
      expect(main).toContain('统计期间：2026-01-01（星期四）至 2026-11-23（星期一）');
      await page.goto(`${app.url}/console/statistics?from=2026-02-30&to=2026-11-23`);
      expect(await look('06-statistics-refused')).toContain('这一天不存在');
      expect(await page.inputValue('input[name=to]')).toBe('2026-11-23');
    });

    it('fits the other pages with date fields', async () => {
      const admin = await phonePage(TEST_ADMIN_TOKEN);
      const pages: [string, string][] = [
        ['07-sessions', '/console/sessions'],
        ['08-activity-new', `/console/activities/new?congress=${encodeURIComponent(CONGRESS)}`],
        ['09-calendar', '/console/calendar'],
        ['10-congress', `/console/congresses/${congressId}`],
      ];
      for (const [shot, path] of pages) {
        await admin.goto(`${app.url}${path}`);
        expect(await lookAt(admin, shots, shot, WIDTH), shot).toContain('例如 2026-12-03');
      }
      await admin.close();
    });
  });
});
