import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The staff web console through HTTP, as a browser would use it: sign-in, the session cookie, every page,
// roles, CSRF, escaping of hostile text, and forms that change the database and queue the messages the
// API would queue.

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(2)>';
const HOSTILE_NAME = `张${SCRIPT}三`;
const SECRET = '某军事管理区东侧围墙外道路XYZ-7731';
const PAGES = [
  '/console',
  '/console/deputies',
  '/console/suggestions',
  '/console/suggestions?overdue=true',
  '/console/leave',
  '/console/leave?status=pending',
  '/console/reception',
  '/console/outbox',
  '/console/outbox?status=dead',
  '/console/reminders',
  '/console/calendar',
  '/console/calendar?year=2026',
];

/** One browser: a cookie jar holding the console cookie, redirects followed by hand. */
class Browser {
  cookie: string | null = null;
  lastSetCookie: string | null = null;
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const all = res.headers.getSetCookie();
    expect(all.length).toBeLessThanOrEqual(1);
    const set = all[0];
    if (set) {
      this.lastSetCookie = set;
      const pair = set.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request('POST', path, form, headers);
  }
  async login(token: string) {
    return this.post('/console/login', { token });
  }
  /** The CSRF token of the forms on a page. */
  async csrf(path = '/console'): Promise<string> {
    const page = await this.get(path);
    return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  }
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff web console on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let staffToken: string;
    let approverToken: string;
    let boundToken: string;
    let hostileMandate: number;
    let suggestionCode: string;
    let secretCode: string;
    let leaveCode: string;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

    const api = createApi<Record<string, unknown>>(() => server.url);
    const signedIn = async (token: string) => {
      const b = new Browser(server.url);
      const r = await b.login(token);
      expect(r.status).toBe(303);
      return b;
    };
    const outboxCount = async () => (await deps.db.selectFrom('outbox').select('id').execute()).length;
    const leaveRow = () =>
      deps.db
        .selectFrom('leave_requests')
        .selectAll()
        .where('code', '=', leaveCode)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      await seedCongress(deps.db, '晋中市第五届人民代表大会');
      hostileMandate = (
        await seedPerson(deps.db, {
          name: HOSTILE_NAME,
          wecom: 'ZhangSan',
          mobile: '13800000001',
          congressId,
        })
      ).mandateId;
      await seedPerson(deps.db, { name: `李四${IMG}`, wecom: 'LiSi', congressId });
      await upsertOrgan(
        deps.db,
        '市交通局',
        { contactName: '刘科长', contactMobile: null, contactWecom: 'JiaotongLiu', contactDingtalk: null },
        clock.now(),
      );
      const mk = async (body: unknown) => (await api('POST', '/tokens', body)).json.token as string;
      staffToken = await mk({ name: '代表工委', role: 'staff' });
      approverToken = await mk({ name: '办公室审批', role: 'approver' });
      boundToken = await mk({ name: '晋中代表工委', role: 'staff', congress: '晋中市第五届人民代表大会' });

      const s = await api('POST', '/suggestions', { deputy: 'ZhangSan', content: `修路${SCRIPT}${IMG}` });
      expect(s.status).toBe(201);
      suggestionCode = s.json.code as string;
      const secret = await api('POST', '/suggestions', { deputy: 'LiSi', content: SECRET, secret: true });
      secretCode = secret.json.code as string;
      const session = await api('POST', '/sessions', {
        congress: '大同市第十六届人民代表大会',
        name: '大同市第十六届人民代表大会第五次会议',
        startsOn: '2026-12-10',
        endsOn: '2026-12-12',
      });
      expect(session.status).toBe(201);
      const leave = await api('POST', '/leave-requests', {
        userid: 'ZhangSan',
        session: '大同市第十六届人民代表大会第五次会议',
        reason: `出差${IMG}`,
      });
      expect(leave.status).toBe(201);
      leaveCode = leave.json.code as string;
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('shows the sign-in form to a visitor and sends every other page back to it', async () => {
      const b = new Browser(server.url);
      const home = await b.get('/console');
      expect(home.status).toBe(200);
      expect(home.text).toContain('登录令牌');
      expect(home.text).not.toContain('代表名册');
      for (const path of PAGES.slice(1)) {
        const r = await b.get(path);
        expect(r.status, path).toBe(303);
        expect(r.headers.get('location'), path).toBe('/console');
      }
      const wrongBearer = await b.get('/console/deputies', { authorization: 'Bearer nope-nope' });
      expect(wrongBearer.status).toBe(401);
      expect(wrongBearer.text).toContain('令牌无效');
    });

    it('signs in with a good token: a session cookie HttpOnly, SameSite=Strict, Path=/console', async () => {
      const b = new Browser(server.url);
      const r = await b.login(staffToken);
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/console');
      const flags = b.lastSetCookie!.split(';').map((s) => s.trim());
      expect(flags[0]).toMatch(/^console_sid=[A-Za-z0-9_-]{43}$/);
      expect(flags).toContain('HttpOnly');
      expect(flags).toContain('SameSite=Strict');
      expect(flags).toContain('Path=/console');
      expect(flags).toContain('Max-Age=28800');
      expect(flags).not.toContain('Secure');
      const home = await b.get('/console');
      expect(home.status).toBe(200);
      expect(home.text).toContain('代表工委（工作人员）');
      expect(home.text).not.toContain(staffToken);
    });

    it('marks the cookie Secure when the request came over HTTPS through the proxy', async () => {
      const b = new Browser(server.url);
      await b.post('/console/login', { token: staffToken }, { 'x-forwarded-proto': 'https' });
      expect(b.lastSetCookie!.split(';').map((s) => s.trim())).toContain('Secure');
    });

    it('refuses a wrong token with the form again and a Chinese message, and no cookie', async () => {
      const b = new Browser(server.url);
      const r = await b.post(
        '/console/login',
        { token: 'wrong-token' },
        { 'x-forwarded-for': '203.0.113.7' },
      );
      expect(r.status).toBe(401);
      expect(r.text).toContain('令牌不正确或已失效');
      expect(r.text).toContain('登录令牌');
      expect(b.cookie).toBeNull();
    });

    it('stops guessing from one address after ten failures, but not another address', async () => {
      const b = new Browser(server.url);
      const from = { 'x-forwarded-for': '198.51.100.9' };
      for (let i = 0; i < 10; i++)
        expect((await b.post('/console/login', { token: `guess-${i}` }, from)).status).toBe(401);
      const blocked = await b.post('/console/login', { token: staffToken }, from);
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain('登录失败次数过多');
      expect(b.cookie).toBeNull();
      const other = await b.post(
        '/console/login',
        { token: staffToken },
        { 'x-forwarded-for': '198.51.100.10' },
      );
      expect(other.status).toBe(303);
    });

    it('ends the session on logout: the old cookie no longer opens a page', async () => {
      const b = await signedIn(staffToken);
      const cookie = b.cookie;
      const csrf = await b.csrf();
      const out = await b.post('/console/logout', { _csrf: csrf });
      expect(out.status).toBe(303);
      expect(b.cookie).toBeNull();
      b.cookie = cookie;
      const again = await b.get('/console/deputies');
      expect(again.status).toBe(303);
    });

    it('ends a session whose token was revoked', async () => {
      const created = await api('POST', '/tokens', { name: '临时', role: 'staff' });
      const b = await signedIn(created.json.token as string);
      expect((await b.get('/console/deputies')).status).toBe(200);
      expect((await api('DELETE', `/tokens/${created.json.id}`)).status).toBeLessThan(300);
      expect((await b.get('/console/deputies')).status).toBe(303);
    });

    it('answers every page with 200 and the security headers for a staff session', async () => {
      const b = await signedIn(staffToken);
      for (const path of PAGES) {
        const r = await b.get(path);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type'), path).toContain('text/html');
        const csp = r.headers.get('content-security-policy') ?? '';
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(csp, path).toContain("default-src 'none'");
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
      for (const path of [
        `/console/deputies/${hostileMandate}`,
        `/console/suggestions/${suggestionCode}`,
        `/console/leave/${leaveCode}`,
        `/console/leave/${leaveCode}/form`,
      ]) {
        expect((await b.get(path)).status, path).toBe(200);
      }
      const css = await b.get('/console/assets/console.css');
      expect(css.headers.get('content-type')).toContain('text/css');
    });

    it('accepts the same tokens as a bearer header', async () => {
      const b = new Browser(server.url);
      const r = await b.get('/console/leave', { authorization: `Bearer ${staffToken}` });
      expect(r.status).toBe(200);
      expect(r.text).toContain(leaveCode);
    });

    it('shows the overview counts', async () => {
      const b = await signedIn(staffToken);
      const home = await b.get('/console');
      const count = (label: string) =>
        new RegExp(`<span class="n">(\\d+|—)(?:<small> [件条]</small>)?</span>${label}`).exec(home.text)?.[1];
      expect(count('办理中的建议')).toBe('2');
      expect(count('已超期')).toBe('0');
      expect(count('待决定的请假')).toBe('1');
      expect(count('发送失败的消息')).toBe('0');
      expect(home.text).toContain('2026-12-07（星期一）');
    });

    it('answers a missing item with a 404 page in Chinese', async () => {
      const b = await signedIn(staffToken);
      for (const path of [
        '/console/suggestions/JY-2026-9999',
        '/console/leave/QJ-2026-9999',
        '/console/deputies/999999',
        '/console/no-such-page',
      ]) {
        const r = await b.get(path);
        expect(r.status, path).toBe(404);
        expect(r.headers.get('content-type'), path).toContain('text/html');
        expect(r.text, path).toContain('没有');
      }
    });

    it('escapes hostile text in names, suggestion content and reasons', async () => {
      const b = await signedIn(staffToken);
      const pages = [
        await b.get('/console/deputies'),
        await b.get(`/console/deputies/${hostileMandate}`),
        await b.get('/console/suggestions'),
        await b.get(`/console/suggestions/${suggestionCode}`),
        await b.get('/console/leave'),
        await b.get(`/console/leave/${leaveCode}`),
        await b.get(`/console/leave/${leaveCode}/form`),
      ];
      for (const p of pages) {
        expect(p.text).not.toContain('<script>alert');
        expect(p.text).not.toContain('<img src=x');
      }
      expect(pages[0]!.text).toContain('张&lt;script&gt;alert(1)&lt;/script&gt;三');
      expect(pages[3]!.text).toContain(
        '修路&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
      );
      expect(pages[5]!.text).toContain('出差&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');

      // A reason typed into a form comes back escaped too.
      const csrf = await b.csrf(`/console/deputies/${hostileMandate}`);
      const r = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'suspended',
        reason: `原因${SCRIPT}`,
      });
      expect(r.status).toBe(303);
      const after = await b.get(r.headers.get('location')!);
      expect(after.text).toContain('原因&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(after.text).not.toContain('<script>alert');
      expect(after.text).toContain('代表职务状态已变更');
      // Restore for the other tests.
      const csrf2 = await b.csrf(`/console/deputies/${hostileMandate}`);
      await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf2,
        status: 'active',
        reason: '情形消失',
      });
    });

    it('shows a 涉密 item only on its own page, never in the list', async () => {
      const b = await signedIn(staffToken);
      expect((await b.get('/console/suggestions')).text).not.toContain(SECRET);
      expect((await b.get('/console')).text).not.toContain(SECRET);
      const page = await b.get(`/console/suggestions/${secretCode}`);
      expect(page.text).toContain(SECRET);
      expect(page.text).toContain('涉密');
    });

    it('refuses a POST without the right CSRF token and changes nothing', async () => {
      const b = await signedIn(staffToken);
      const before = await outboxCount();
      for (const _csrf of ['', 'forged-token']) {
        const r = await b.post(`/console/deputies/${hostileMandate}/status`, {
          ...(_csrf ? { _csrf } : {}),
          status: 'suspended',
          reason: '伪造',
        });
        expect(r.status).toBe(403);
        expect(r.text).toContain('表单已过期或来源不明');
      }
      const other = await signedIn(staffToken);
      const foreign = await other.csrf();
      expect(
        (
          await b.post(`/console/deputies/${hostileMandate}/status`, {
            _csrf: foreign,
            status: 'suspended',
            reason: '伪造',
          })
        ).status,
      ).toBe(403);
      const crossSite = await b.post(
        `/console/deputies/${hostileMandate}/status`,
        { _csrf: await b.csrf(), status: 'suspended', reason: '伪造' },
        { origin: 'https://evil.example' },
      );
      expect(crossSite.status).toBe(403);
      const m = await deps.db
        .selectFrom('mandates')
        .select('status')
        .where('id', '=', hostileMandate)
        .executeTakeFirstOrThrow();
      expect(m.status).toBe('active');
      expect(await outboxCount()).toBe(before);
    });

    it('changes a deputy status (S16) through the form: a history row and the message the API queues', async () => {
      const b = await signedIn(staffToken);
      const page = await b.get(`/console/deputies/${hostileMandate}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const empty = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'suspended',
        reason: '  ',
      });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('请填写「原因」');
      const before = await deps.db
        .selectFrom('mandate_status_changes')
        .select('id')
        .where('mandate_id', '=', hostileMandate)
        .execute();
      const r = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'suspended',
        reason: '因病长期住院',
      });
      expect(r.status).toBe(303);
      const history = await deps.db
        .selectFrom('mandate_status_changes')
        .selectAll()
        .where('mandate_id', '=', hostileMandate)
        .orderBy('id', 'desc')
        .execute();
      expect(history.length).toBe(before.length + 1);
      expect(history[0]).toMatchObject({
        from_status: 'active',
        to_status: 'suspended',
        reason: '因病长期住院',
        changed_by: expect.stringMatching(/^token:\d+$/),
      });
      const msg = await deps.db
        .selectFrom('outbox')
        .select(['target_address', 'payload', 'idempotency_key'])
        .where('idempotency_key', '=', `mandate-status:${history[0]!.id}:wecom`)
        .executeTakeFirstOrThrow();
      expect(msg.target_address).toBe('ZhangSan');
      expect(JSON.stringify(msg.payload)).toContain('因病长期住院');
      // The same change again is refused with the service's message; nothing more is written.
      const again = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'active',
        reason: '恢复',
      });
      expect(again.status).toBe(303);
      const n = await outboxCount();
      const same = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'active',
        reason: '再次恢复',
      });
      expect(same.status).toBe(409);
      expect(same.text).toContain('无需变更');
      expect(await outboxCount()).toBe(n);
    });

    it('refuses a leave decision from a staff session with 403 and changes nothing', async () => {
      const b = await signedIn(staffToken);
      const page = await b.get(`/console/leave/${leaveCode}`);
      expect(page.text).not.toContain(`action="/console/leave/${leaveCode}/decision"`);
      const before = await outboxCount();
      const r = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: await b.csrf(),
        decision: 'approved',
      });
      expect(r.status).toBe(403);
      expect(r.text).toContain('无权');
      expect((await leaveRow()).status).toBe('pending');
      expect(await outboxCount()).toBe(before);
    });

    it('records a leave decision from an approver: the form again on a bad value, then the message to the deputy', async () => {
      const b = await signedIn(approverToken);
      const page = await b.get(`/console/leave/${leaveCode}`);
      expect(page.text).toContain(`action="/console/leave/${leaveCode}/decision"`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const noReason = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: csrf,
        decision: 'rejected',
        reason: '',
      });
      expect(noReason.status).toBe(400);
      // A form speaks forms: no chat syntax ("不批准 QJ编号 理由").
      expect(noReason.text).toContain('请填写不批准的理由');
      expect(noReason.text).not.toContain('QJ编号');
      const future = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: csrf,
        decision: 'approved',
        decidedOn: '2026-12-01',
      });
      expect(future.text).toContain('决定日期不能晚于今天');
      expect((await leaveRow()).status).toBe('pending');
      // Nor decided before it was asked for: the printed 请假单 would carry an impossible date.
      const submittedOn = (
        await deps.db
          .selectFrom('leave_requests')
          .select('submitted_on')
          .where('code', '=', leaveCode)
          .executeTakeFirstOrThrow()
      ).submitted_on;
      const early = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: csrf,
        decision: 'approved',
        decidedOn: '2026-01-05',
      });
      expect(early.text).toContain(`决定日期不能早于提出请假的日期（${submittedOn}`);
      expect((await leaveRow()).status).toBe('pending');
      const ok = await b.post(`/console/leave/${leaveCode}/decision`, {
        _csrf: csrf,
        decision: 'approved',
        confirm: 'yes',
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe(`/console/leave/${leaveCode}?done=decided`);
      expect(await leaveRow()).toMatchObject({ status: 'approved', decided_on: '2026-11-23' });
      const msg = await deps.db
        .selectFrom('outbox')
        .select(['target_address', 'payload'])
        .where('idempotency_key', '=', `leave:${leaveCode}:decided:wecom`)
        .executeTakeFirstOrThrow();
      expect(msg.target_address).toBe('ZhangSan');
      expect(JSON.stringify(msg.payload)).toContain('批准');
      expect((await b.get(`/console/leave/${leaveCode}?done=decided`)).text).toContain('决定已记录');
    });

    it('交办 a suggestion through its page: the due date with its weekday, and the organ told', async () => {
      const b = await signedIn(staffToken);
      const csrf = await b.csrf(`/console/suggestions/${suggestionCode}`);
      const unknown = await b.post(`/console/suggestions/${suggestionCode}/assign`, {
        _csrf: csrf,
        lead: '市不存在局',
      });
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      expect(unknown.text).toContain('市不存在局');
      expect(unknown.text).toContain('交办');
      const open = await deps.db.selectFrom('suggestion_assignments').select('id').execute();
      expect(open).toHaveLength(0);
      const r = await b.post(`/console/suggestions/${suggestionCode}/assign`, {
        _csrf: csrf,
        lead: '市交通局',
      });
      expect(r.status).toBe(303);
      const page = await b.get(`/console/suggestions/${suggestionCode}`);
      // 交办 on 2026-11-23: three months end on 2027-02-23 (a Tuesday).
      expect(page.text).toContain('2027-02-23（星期二）');
      expect(page.text).toContain('市交通局');
      expect(page.text).toContain(`action="/console/suggestions/${suggestionCode}/answer"`);
      const told = await deps.db
        .selectFrom('outbox')
        .select('target_address')
        .where('target_address', '=', 'JiaotongLiu')
        .execute();
      expect(told.length).toBeGreaterThan(0);
      const tooLate = await b.post(`/console/suggestions/${suggestionCode}/extend`, {
        _csrf: csrf,
        date: '2027-12-31',
        reason: '需要协调',
      });
      expect(tooLate.status).toBeGreaterThanOrEqual(400);
      expect(tooLate.text).toContain('需要协调');
    });

    it('keeps a congress-bound token to its congress and away from the outbox and reminders', async () => {
      const b = await signedIn(boundToken);
      expect((await b.get('/console/deputies')).text).not.toContain('ZhangSan');
      expect((await b.get(`/console/deputies/${hostileMandate}`)).status).toBe(404);
      expect((await b.get(`/console/suggestions/${suggestionCode}`)).status).toBe(404);
      expect((await b.get(`/console/leave/${leaveCode}`)).status).toBe(404);
      expect((await b.get('/console/suggestions')).text).not.toContain(suggestionCode);
      for (const path of ['/console/outbox', '/console/reminders']) {
        const r = await b.get(path);
        expect(r.status, path).toBe(403);
        expect(r.text, path).toContain('不限定人大的令牌');
      }
      const csrf = await b.csrf('/console/deputies');
      const r = await b.post(`/console/deputies/${hostileMandate}/status`, {
        _csrf: csrf,
        status: 'suspended',
        reason: '越权',
      });
      expect(r.status).toBe(404);
    });

    it('corrects a calendar day through the form; a missing note shows the form again', async () => {
      const b = await signedIn(staffToken);
      const csrf = await b.csrf('/console/calendar?year=2026');
      const noNote = await b.post('/console/calendar/corrections', {
        _csrf: csrf,
        date: '2026-12-31',
        kind: 'holiday',
        note: '',
      });
      expect(noNote.status).toBe(400);
      expect(noNote.text).toContain('请填写「依据」');
      expect(await deps.db.selectFrom('calendar_corrections').select('date').execute()).toHaveLength(0);
      const ok = await b.post('/console/calendar/corrections', {
        _csrf: csrf,
        date: '2026-12-31',
        kind: 'holiday',
        note: '市政府通知',
      });
      expect(ok.status).toBe(303);
      expect(await deps.db.selectFrom('calendar_corrections').select(['date', 'kind']).execute()).toEqual([
        { date: '2026-12-31', kind: 'holiday' },
      ]);
      const page = await b.get('/console/calendar?year=2026');
      expect(page.text).toContain('人工更正');
    });

    it('shows the outbox without a robot key and blanks keys in error texts', async () => {
      await deps.db
        .insertInto('outbox')
        .values({
          channel: 'wecom',
          target_kind: 'wecom_robot',
          target_address: 'robot-key-0000-secret',
          payload: JSON.stringify({ text: '群通知' }),
          idempotency_key: 'console-test-dead',
          status: 'dead',
          // Tried and failed for good (a row withdrawn before any attempt is listed apart).
          attempts: 5,
          first_tried_at: clock.now(),
          last_error:
            'http: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-0000-secret failed',
          not_before: clock.now(),
          created_at: clock.now(),
        })
        .execute();
      const b = await signedIn(staffToken);
      const page = await b.get('/console/outbox?status=dead');
      expect(page.text).toContain('群通知');
      expect(page.text).toContain('webhook/send?key=…');
      expect(page.text).not.toContain('robot-key-0000-secret');
      const home = await b.get('/console');
      expect(/<span class="n">(\d+)<small> 条<\/small><\/span>发送失败的消息/.exec(home.text)?.[1]).toBe('1');
    });
  });
}
