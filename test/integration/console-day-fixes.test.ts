import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// What a district congress's staff tripped over in a day's work on the console, fixed on the server: a
// wrong statistics period answered with the API's parameter names on a dead end; a roster line whose name
// is a formula (=1+1) taken as a person; counts on the overview with no unit; a decided leave's date in
// nested brackets; signing out with no word that it happened; spreadsheets named in English; the rows
// behind a statistic unlabeled on a phone.

const CONGRESS = '大同市第十六届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the console's day-of-work fixes on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let staff = '';
    let approver = '';
    let leaveCode = '';
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const page = async (path: string, token = staff) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, headers: res.headers, text: await res.text() };
    };
    const upload = async (path: string, csv: string) => {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), '名册.csv');
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${staff}` },
        body: form,
      });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db, CONGRESS);
      await seedGroup(deps.db, { congressId, name: '城区代表小组', robotKey: 'k1' });
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', mobile: '13835200041', congressId });
      await upsertOrgan(
        deps.db,
        '大同市住房和城乡建设局',
        { contactName: '周科长', contactMobile: null, contactWecom: 'Zhou', contactDingtalk: null },
        clock.now(),
      );
      staff = (await api('POST', '/tokens', { name: '马红梅', role: 'staff' })).json.token;
      approver = (await api('POST', '/tokens', { name: '李主任', role: 'approver' })).json.token;
      const s = await api('POST', '/suggestions', { deputy: 'WangPC', content: '迎宾街人行道破损' });
      expect(s.status, s.text).toBe(201);
      const a = await api('POST', `/suggestions/${s.json.code}/assignments`, {
        lead: '大同市住房和城乡建设局',
      });
      expect(a.status, a.text).toBe(200);
      await api('POST', '/sessions', {
        congress: CONGRESS,
        name: '第五次会议',
        startsOn: '2026-12-20',
        endsOn: '2026-12-22',
      });
      const l = await api('POST', '/leave-requests', {
        userid: 'WangPC',
        session: '第五次会议',
        reason: '因公出差',
      });
      expect(l.status, l.text).toBe(201);
      leaveCode = l.json.code;
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('shows a statistics period that cannot be counted again in the form, in plain Chinese', async () => {
      const late = await page('/console/statistics?by=category&from=2026-12-01&to=2026-01-01');
      expect(late.status).toBe(400);
      expect(late.text).toContain(
        '开始日期 2026-12-01（星期二） 晚于结束日期 2026-01-01（星期四），请重新选择统计期间。',
      );
      // What was chosen is still in the form, and there is a way on to this year's figures.
      expect(late.text).toContain('<input type="text" id="stat-from" name="from" value="2026-12-01"');
      expect(late.text).toContain('<input type="text" id="stat-to" name="to" value="2026-01-01"');
      expect(late.text).toMatch(/<option value="category" selected>/);
      expect(late.text).toContain('<a href="/console/statistics">查看本年至今的统计</a>');
      expect(late.text).not.toContain('返回概览');

      const impossible = await page('/console/statistics?from=2026-02-30');
      expect(impossible.status).toBe(400);
      expect(impossible.text).toContain('「开始日期」填的 2026-02-30 这一天不存在：2026 年 2 月只有 28 天');
      expect(impossible.text).not.toMatch(/参数「from」|YYYY-MM-DD/);
      // The field refused is marked, and the cursor put there; the one accepted is not.
      expect(impossible.text).toMatch(
        /<input type="text" id="stat-from" name="from" value="2026-02-30"[^>]* aria-invalid="true" autofocus>/,
      );
      expect(impossible.text).toMatch(/<input type="text" id="stat-to" name="to" value="[^"]*"[^>]*>/);
      expect(impossible.text).not.toMatch(/id="stat-to"[^>]*aria-invalid/);
      // Marked as refused only when no calendar has it: late.text's dates are real days.
      expect(late.text).not.toContain('aria-invalid');

      // A date box emptied on a phone means the default: this year to today.
      const emptied = await page('/console/statistics?by=organ&from=2026-01-01&to=');
      expect(emptied.status).toBe(200);
      expect(emptied.text).toContain('<input type="text" id="stat-to" name="to" value="2026-11-23"');
      expect(emptied.text).toContain('大同市住房和城乡建设局');
    });

    it('labels every value of the items behind a figure, and names downloads in Chinese with the period', async () => {
      const items = await page(
        '/console/statistics/items?by=organ&from=2026-01-01&to=2026-11-23&measure=assigned',
      );
      expect(items.status).toBe(200);
      for (const label of ['编号', '标题', '承办单位', '交办日期', '答复期限', '答复日期'])
        expect(items.text).toContain(`<td data-label="${label}">`);

      const xlsx = await fetch(
        `${server.url}/console/statistics/suggestions.xlsx?by=organ&from=2026-01-01&to=2026-11-23`,
        { headers: { authorization: `Bearer ${staff}` } },
      );
      expect(xlsx.status).toBe(200);
      const disposition = xlsx.headers.get('content-disposition') ?? '';
      expect(disposition).toContain('filename="statistics.xlsx"');
      expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe(
        '建议办理统计_2026-01-01至2026-11-23.xlsx',
      );
    });

    it('refuses a roster line whose name or group looks like a formula, and keeps no trace of it', async () => {
      const csv = [
        '姓名,企业微信账号,手机,代表小组',
        '李晋阳,LiJY,13900000011,城区代表小组',
        '=1+1,Formula,13900000013,城区代表小组',
        '孙平,SunP,13900000016,@SUM(A1)',
      ].join('\n');
      const preview = await upload('/console/roster', csv);
      expect(preview.status).toBe(200);
      expect(preview.text).toContain(
        '第 3 行</strong>：姓名「=1+1」像是 Excel 公式，不是实际的姓名；请在名册文件中改正后重新导入',
      );
      expect(preview.text).toContain('第 4 行</strong>：代表小组「@SUM(A1)」像是 Excel 公式');
      const id = /name="upload" value="([^"]+)"/.exec(preview.text)?.[1];
      expect(id).toBeTruthy();
      const apply = await fetch(`${server.url}/console/roster/apply`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${staff}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ upload: id! }),
      });
      const applied = await apply.text();
      expect(apply.status).toBe(200);
      expect(applied).toContain('新增 <strong>1</strong> 行');
      const people = await deps.db.selectFrom('people').select('name').orderBy('id').execute();
      expect(people.map((p) => p.name)).toEqual(['王平城', '李晋阳']);
      const groups = await deps.db.selectFrom('groups').select('name').execute();
      expect(groups.map((g) => g.name)).toEqual(['城区代表小组']);
      // The audit names the one line written, by the staff token, and nothing of the refused ones.
      const audits = await deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail'])
        .where('action', 'in', ['person.create', 'mandate.create', 'group.create'])
        .execute();
      expect(audits.length).toBeGreaterThan(0);
      for (const a of audits) {
        expect(a.actor).toMatch(/^token:\d+$/);
        expect((a.detail as { line?: number }).line).toBe(2);
      }
    });

    it('gives every count on the overview its unit, and lists the next reception day as text', async () => {
      const home = await page('/console');
      expect(home.status).toBe(200);
      expect(home.text).toContain('<span class="n">1<small> 件</small></span>办理中的建议');
      expect(home.text).toContain('<span class="n">1<small> 件</small></span>待决定的请假');
      expect(home.text).toContain('<span class="n">0<small> 件</small></span>已超期');
      expect(home.text).toMatch(/<span class="n">\d+<small> 条<\/small><\/span>等待发送的消息/);
      expect(home.text).toContain(`<dl class="facts"><dt>${CONGRESS}</dt><dd>2026-12-07（星期一）</dd></dl>`);
    });

    it('shows a decided leave’s date on its own line, not in brackets within brackets', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, approver);
      const csrf = await b.csrf(`/console/leave/${leaveCode}`);
      const decided = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: csrf,
        decision: 'approved',
        reason: '',
        decidedOn: '',
        confirm: 'yes',
      });
      expect(decided.status).toBe(303);
      const shown = await b.get(`/console/leave/${leaveCode}`);
      expect(shown.text).toContain('<dt>决定日期</dt><dd>2026-11-23（星期一）</dd>');
      expect(shown.text).not.toContain('（2026-11-23（星期一））');
      const row = await deps.db
        .selectFrom('leave_requests')
        .select(['status', 'decided_on'])
        .where('code', '=', leaveCode)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('approved');
    });

    it('says so after 退出, and the old session opens nothing', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, staff);
      const cookie = b.cookie;
      const out = await b.post('/console/logout', { _csrf: await b.csrf('/console') });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/console?done=signedOut');
      const form = await new ConsoleBrowser(server.url).get('/console?done=signedOut');
      expect(form.text).toContain('<p class="notice" role="status">您已退出登录。</p>');
      expect(form.text).toContain('name="token"');
      // Any other done= value says nothing on the sign-in form.
      expect((await new ConsoleBrowser(server.url).get('/console?done=decided')).text).not.toContain(
        'class="notice"',
      );
      b.cookie = cookie;
      expect((await b.get('/console/deputies')).status).toBe(303);
    });
  });
}
