import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { DATE_HINT } from '../../src/console/date-field.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { ConsoleBrowser, csrfOf } from '../helpers/console-browser.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, lookAt } from '../helpers/page-layout.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedOrgan, seedPerson, seedSessionAhead } from '../helpers/seed.ts';
import { askLeave, assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// What staff do through the API they can now do on a screen too. A provincial deputy's leave request is
// forwarded to the provincial body (山西 第八条); when its decision comes back, staff record it on the
// request's page (/console/leave/{code}): 批准 or 不批准, the date that body decided, a reason for 不批准,
// shown once to confirm, recorded only on 确认 with one `leave.record_decision` audit row. And the office's
// 督办 of the organs still handling an item, from the item's page, as POST /api/suggestions/{code}/supervision,
// and its 涉密 mark set or lifted with a reason, as PATCH /api/suggestions/{code}.
// Then both on a 390 px phone in an English Chromium without script; screenshots under
// test/artifacts/console-parity/.

const CITY = '大同市第十六届人民代表大会';
const PROV = '山西省第十四届人民代表大会';
const SESSION = `${PROV}第七次会议`;
const WIDTH = 390;
const shots = new Artifacts('test/artifacts/console-parity');
const plain = (html: string) => html.replace(/<[^>]+>/g, '');

describe('console parity with the staff API', () => {
  // Requests are made on Monday 2026-11-30; the decisions come back on Wednesday 2026-12-02.
  const clock = new FixedClock('2026-11-30T02:00:00Z');
  const app = useBrowserApp({
    clock,
    browser: hasChromium,
    seed: async (deps) => {
      const city = await seedCongress(deps.db, CITY, 'city');
      const prov = await seedCongress(deps.db, PROV, 'province');
      await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId: city });
      await seedPerson(deps.db, { name: '钱七', wecom: 'QianQi', congressId: prov });
      await seedPerson(deps.db, { name: '赵八', wecom: 'ZhaoBa', congressId: prov });
      await seedPerson(deps.db, { name: '孙九', wecom: 'SunJiu', congressId: prov });
      await seedPerson(deps.db, { name: '周十', wecom: 'ZhouShi', congressId: city });
      await seedOrgan(deps.db, '市住建局', { name: '周科长', wecom: 'ZhujianZhou' }, clock.now());
      await seedSessionAhead(deps, PROV);
      await seedSessionAhead(deps, CITY);
    },
  });
  const api = createApi(() => app.url);
  let provStaff = '';
  let cityStaff = '';
  let organ = '';
  let forwarded = '';
  let phoneForwarded = '';
  let cityPending = '';
  let item = '';
  let phoneItem = '';

  const leaveRow = (code: string) =>
    app.db
      .selectFrom('leave_requests')
      .select(['status', 'decided_on', 'decision_reason', 'recorded_by'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
  const auditRows = async (code: string) => {
    const id = String(
      (
        await app.db
          .selectFrom('leave_requests')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id,
    );
    return (
      app.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_type', 'subject_id', 'detail', 'before', 'after'])
        .where('subject_type', '=', 'leave_request')
        .where('subject_id', '=', id)
        // The row of its entry (代录 through the API) is not the decision's.
        .where('action', '!=', 'leave.proxy')
        .orderBy('id')
        .execute()
    );
  };
  const auditCount = async () => rowCount(app.db, 'audit_log');
  const messagesWith = async (words: string) =>
    (await app.db.selectFrom('outbox').select(['idempotency_key', 'payload']).execute()).filter((m) =>
      JSON.stringify(m.payload).includes(words),
    );

  beforeAll(async () => {
    provStaff = await issueToken(api, { name: '省联络处孙五', role: 'staff', congress: PROV });
    cityStaff = await issueToken(api, { name: '市代表工委李四', role: 'staff', congress: CITY });
    organ = await issueToken(api, { name: '住建局周科长', role: 'organ', organ: '市住建局' });
    forwarded = await askLeave(api, { userid: 'QianQi', session: SESSION, reason: '住院治疗' });
    phoneForwarded = await askLeave(api, { userid: 'ZhaoBa', session: SESSION, reason: '出国考察' });
    cityPending = await askLeave(api, {
      userid: 'ZhangSan',
      session: `${CITY}第七次会议`,
      reason: '外出学习',
    });
    item = await fileSuggestion(api, { deputy: 'ZhangSan', content: '新建北路的路灯坏了好几个月了' });
    await assignSuggestion(api, item, '市住建局');
    phoneItem = await fileSuggestion(api, { deputy: 'ZhouShi', content: '御河东路的积水井盖松动' });
    await assignSuggestion(api, phoneItem, '市住建局');
    clock.set('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
  });

  describe('the decision a forwarded request came back with', () => {
    const path = () => `/console/leave/${forwarded}/returned-decision`;
    const form = (csrf: string, o: Record<string, string>) => ({ _csrf: csrf, ...o });

    it('is offered on a forwarded request only, to staff, with the deciding body and a written date', async () => {
      expect((await leaveRow(forwarded)).status).toBe('forwarded');
      const b = await ConsoleBrowser.signedIn(app.url, provStaff);
      const page = await b.get(`/console/leave/${forwarded}`);
      expect(page.status).toBe(200);
      const text = plain(page.text);
      expect(text).toContain('记录送回的决定');
      expect(text).toContain('这项请假已转呈省人大常委会，由其决定，本机构不审批。');
      expect(text).toContain('省人大常委会的决定');
      expect(text).toContain('决定日期（省人大常委会作出决定的日期）');
      expect(text).toContain(DATE_HINT);
      expect(page.text).toContain(`action="/console/leave/${forwarded}/returned-decision"`);
      expect(page.text).toContain('<input type="text" id="decidedOn" name="decidedOn" value=""');
      expect(page.text).not.toContain('type="date"');
      // Nothing preselected.
      expect(page.text).not.toMatch(/name="decision" value="\w+" required checked/);

      // A request waiting here is not one that comes back: no such form, for staff or for approvers.
      const city = await ConsoleBrowser.signedIn(app.url, cityStaff);
      const pending = await city.get(`/console/leave/${cityPending}`);
      expect(pending.status).toBe(200);
      expect(pending.text).not.toContain('returned-decision');
      expect(plain(pending.text)).toContain('待主任会议决定。决定由审批人记录。');
    });

    it('refuses bad input in Chinese, keeping the form, and records nothing', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, provStaff);
      const csrf = await b.csrf(`/console/leave/${forwarded}`);
      const before = await auditCount();
      const cases: [Record<string, string>, string][] = [
        [{ reason: '会议期间须出席', decidedOn: '2026-12-02' }, '请选择「批准」或「不批准」，再提交。'],
        [{ decision: 'rejected', reason: '', decidedOn: '2026/12/2' }, '请填写不批准的理由。'],
        [{ decision: 'approved', reason: '', decidedOn: '' }, '请填写「决定日期」，例如 2026-12-03。'],
        [
          { decision: 'approved', reason: '', decidedOn: '2026-11-31' },
          '「决定日期」填的 2026-11-31 这一天不存在：2026 年 11 月只有 30 天，请重新填写。',
        ],
        [{ decision: 'approved', reason: '', decidedOn: '昨天' }, '「决定日期」填的「昨天」不是日期'],
        [{ decision: 'approved', reason: '', decidedOn: '2026-12-03' }, '决定日期不能晚于今天。'],
        [
          { decision: 'approved', reason: '', decidedOn: '2026-11-29' },
          '决定日期不能早于提出请假的日期（2026-11-30（星期一））。',
        ],
      ];
      for (const [values, message] of cases) {
        const res = await b.post(path(), form(csrf, values));
        expect(res.status, message).toBe(400);
        const text = plain(res.text);
        expect(text, message).toContain(message);
        // The form again, as filled in.
        expect(res.text).toContain(`action="/console/leave/${forwarded}/returned-decision"`);
        if (values.reason) expect(res.text).toContain(`>${values.reason}</textarea>`);
        if (values.decidedOn) expect(res.text).toContain(`value="${values.decidedOn}"`);
        if (values.decision)
          expect(res.text).toContain(`name="decision" value="${values.decision}" required checked`);
      }
      expect(await leaveRow(forwarded)).toMatchObject({ status: 'forwarded', decided_on: null });
      expect(await auditCount()).toBe(before);
    });

    it('checks the form’s origin, the role and the congress before anything is read', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, provStaff);
      const values = { decision: 'approved', reason: '', decidedOn: '2026-12-02', confirm: 'yes' };
      const noCsrf = await b.post(path(), values);
      expect(noCsrf.status).toBe(403);
      expect(plain(noCsrf.text)).toContain('表单已过期或来源不明');
      // Staff of another congress: no such request.
      const city = await ConsoleBrowser.signedIn(app.url, cityStaff);
      const elsewhere = await city.post(path(), form(await city.csrf('/console'), values));
      expect(elsewhere.status).toBe(404);
      expect((await city.get(`/console/leave/${forwarded}`)).status).toBe(404);
      // An organ's contact: not staff.
      const o = await ConsoleBrowser.signedIn(app.url, organ);
      const refused = await o.post(path(), form(csrfOf((await o.get('/console/organ')).text), values));
      expect(refused.status).toBe(403);
      expect(plain(refused.text)).toContain('您的角色无权进行此操作');
      expect(await leaveRow(forwarded)).toMatchObject({ status: 'forwarded', decided_on: null });
      expect(await auditRows(forwarded)).toEqual([]);
    });

    it('shows what it will record, records nothing before 确认, and one audit row after', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, provStaff);
      const csrf = await b.csrf(`/console/leave/${forwarded}`);
      const values = { decision: 'rejected', reason: '会议期间须出席', decidedOn: '2026年12月1日' };
      const first = await b.post(path(), form(csrf, values));
      expect(first.status).toBe(200);
      const text = plain(first.text);
      expect(text).toContain('确认后，省人大常委会送回的决定即被记录，钱七会立即收到通知，不能撤回。');
      for (const fact of [
        '钱七',
        SESSION,
        '省人大常委会',
        '不批准',
        '会议期间须出席',
        '2026-12-01（星期二）',
      ])
        expect(text).toContain(fact);
      expect(first.text).toContain('name="confirm" value="yes">确认不批准</button>');
      expect(first.text).toContain('返回修改');
      expect(await leaveRow(forwarded)).toMatchObject({ status: 'forwarded', decided_on: null });
      expect(await auditRows(forwarded)).toEqual([]);

      // 返回修改: the form again as filled in (the date as read), nothing recorded.
      const carried = { decision: 'rejected', reason: '会议期间须出席', decidedOn: '2026-12-01' };
      const back = await b.post(path(), form(csrf, { ...carried, step: 'back' }));
      expect(back.status).toBe(200);
      expect(back.text).toContain('name="decision" value="rejected" required checked');
      expect(back.text).toContain('>会议期间须出席</textarea>');
      expect(back.text).toContain('value="2026-12-01"');
      expect(await leaveRow(forwarded)).toMatchObject({ status: 'forwarded' });
      expect(await auditRows(forwarded)).toEqual([]);

      const done = await b.post(path(), form(csrf, { ...carried, confirm: 'yes' }));
      expect(done.status, done.text).toBe(303);
      expect(done.headers.get('location')).toBe(`/console/leave/${forwarded}?done=returnedDecision`);
      expect(await leaveRow(forwarded)).toMatchObject({
        status: 'rejected',
        decided_on: '2026-12-01',
        decision_reason: '会议期间须出席',
        recorded_by: expect.stringMatching(/^token:\d+$/),
      });
      const rows = await auditRows(forwarded);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'leave.record_decision',
        actor: expect.stringMatching(/^token:\d+$/),
        detail: {
          code: forwarded,
          via: 'console',
          decision: 'rejected',
          decidedOn: '2026-12-01',
          decidingBody: 'provincial_standing_committee',
        },
        before: { code: forwarded, status: 'forwarded', decidedOn: null },
        after: { code: forwarded, status: 'rejected', decidedOn: '2026-12-01' },
      });
      // The deputy is told.
      expect(await messagesWith(`您的请假 ${forwarded}`)).toHaveLength(1);

      const shown = await b.get(`/console/leave/${forwarded}?done=returnedDecision`);
      const after = plain(shown.text);
      expect(after).toContain('送回的决定已记录，已通知代表本人。');
      expect(after).toContain('未批准');
      expect(after).toContain('2026-12-01（星期二）');
      expect(shown.text).not.toContain('returned-decision');

      // Sent again (a second tab): refused, saying who recorded what; still one row.
      const again = await b.post(path(), form(csrf, { ...carried, decision: 'approved', confirm: 'yes' }));
      expect(again.status).toBe(409);
      expect(plain(again.text)).toMatch(
        /这项请假在您提交之前已由「省联络处孙五」于 .+ 记录为「未批准」，决定日期 2026-12-01（星期二）。您提交的「批准」没有记录；如需更改，请与该记录人联系。/,
      );
      expect(await auditRows(forwarded)).toHaveLength(1);
      expect((await leaveRow(forwarded)).status).toBe('rejected');
    });
  });

  describe('督办 from the item’s page', () => {
    const supervisionEvents = () =>
      app.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.action', 'e.reason'])
        .where('s.code', '=', item)
        .where('e.action', '=', 'supervised')
        .execute();

    it('sends the note to the organs still handling the item, with one audit row; an empty note is refused', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, cityStaff);
      const page = await b.get(`/console/suggestions/${item}`);
      expect(plain(page.text)).toContain('督办意见会发给正在办理的市住建局（承办）的联系人');
      const csrf = csrfOf(page.text);
      const before = await auditCount();
      const empty = await b.post(`/console/suggestions/${item}/supervise`, { _csrf: csrf, note: '  ' });
      expect(empty.status).toBe(400);
      expect(plain(empty.text)).toContain('请填写督办意见，再发出督办。');
      expect(empty.text).toContain('action="/console/suggestions/');
      expect(await supervisionEvents()).toEqual([]);
      expect(await auditCount()).toBe(before);

      const note = '请于本月底前答复代表，并报送办理进展。';
      const sent = await b.post(`/console/suggestions/${item}/supervise`, { _csrf: csrf, note });
      expect(sent.status, sent.text).toBe(303);
      expect(sent.headers.get('location')).toBe(`/console/suggestions/${item}?done=supervised`);
      expect(await supervisionEvents()).toEqual([{ action: 'supervised', reason: note }]);
      expect(await messagesWith(`督办意见：${note}`)).toHaveLength(1);
      expect(await auditCount()).toBe(before + 1);
      const shown = plain((await b.get(`/console/suggestions/${item}?done=supervised`)).text);
      expect(shown).toContain('督办已发出，正在办理的单位的联系人会收到督办意见。');
      // In the item's history, with the note.
      expect(shown).toContain('督办：市住建局');
      expect(shown).toContain(note);

      // Another congress's staff: no such item, nothing sent.
      const prov = await ConsoleBrowser.signedIn(app.url, provStaff);
      const elsewhere = await prov.post(`/console/suggestions/${item}/supervise`, {
        _csrf: await prov.csrf('/console'),
        note,
      });
      expect(elsewhere.status).toBe(404);
      expect(await supervisionEvents()).toHaveLength(1);
    });
  });

  describe('涉密 marked and lifted from the item’s page', () => {
    const secretOf = async (code: string) =>
      (
        await app.db
          .selectFrom('suggestions')
          .select('secret')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).secret;
    const secretEvents = (code: string) =>
      app.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.action', 'e.reason'])
        .where('s.code', '=', code)
        .where('e.action', 'in', ['marked_secret', 'unmarked_secret'])
        .orderBy('e.id')
        .execute();

    it('marks an item 涉密 with a reason and lifts it again, each once in the history and the audit', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, cityStaff);
      const page = await b.get(`/console/suggestions/${item}`);
      expect(page.text).toContain(`action="/console/suggestions/${item}/secret"`);
      expect(plain(page.text)).toContain('标为涉密后，内容只在本页显示');
      const csrf = csrfOf(page.text);
      const before = await auditCount();

      const empty = await b.post(`/console/suggestions/${item}/secret`, {
        _csrf: csrf,
        secret: 'true',
        reason: '',
      });
      expect(empty.status).toBe(400);
      expect(plain(empty.text)).toContain('「涉密标记」没有办成：请填写理由，再保存涉密标记。');
      const forged = await b.post(`/console/suggestions/${item}/secret`, {
        _csrf: csrf,
        secret: 'yes',
        reason: '涉及未公开的规划',
      });
      expect(forged.status).toBe(400);
      expect(await secretOf(item)).toBe(false);
      expect(await auditCount()).toBe(before);

      const reason = '涉及尚未公开的道路规划';
      const marked = await b.post(`/console/suggestions/${item}/secret`, {
        _csrf: csrf,
        secret: 'true',
        reason,
      });
      expect(marked.status, marked.text).toBe(303);
      expect(marked.headers.get('location')).toBe(`/console/suggestions/${item}?done=markedSecret`);
      expect(await secretOf(item)).toBe(true);
      expect(await secretEvents(item)).toEqual([{ action: 'marked_secret', reason }]);
      expect(await auditCount()).toBe(before + 1);
      const shown = plain((await b.get(`/console/suggestions/${item}?done=markedSecret`)).text);
      expect(shown).toContain('已标为涉密：内容只在本页显示');
      expect(shown).toContain('取消涉密标记');
      // Not in the list's words any more.
      const list = plain((await b.get('/console/suggestions')).text);
      expect(list).toContain(item);
      expect(list).not.toContain('新建北路的路灯坏了好几个月了');

      // Another congress's staff: no such item, nothing changed.
      const prov = await ConsoleBrowser.signedIn(app.url, provStaff);
      const elsewhere = await prov.post(`/console/suggestions/${item}/secret`, {
        _csrf: await prov.csrf('/console'),
        secret: 'false',
        reason: '不涉密',
      });
      expect(elsewhere.status).toBe(404);
      expect(await secretOf(item)).toBe(true);

      const lifted = await b.post(`/console/suggestions/${item}/secret`, {
        _csrf: csrf,
        secret: 'false',
        reason: '规划已经公布',
      });
      expect(lifted.headers.get('location')).toBe(`/console/suggestions/${item}?done=unmarkedSecret`);
      expect(await secretOf(item)).toBe(false);
      expect(await secretEvents(item)).toEqual([
        { action: 'marked_secret', reason },
        { action: 'unmarked_secret', reason: '规划已经公布' },
      ]);
      expect(await auditCount()).toBe(before + 2);
    });
  });

  describe.skipIf(!hasChromium)('on a 390 px phone', () => {
    let page: Page;
    /** A fresh English browser without script, at phone width, signed in with `token`. */
    const phone = async (token: string) => {
      const context = await app.browser.newContext({
        viewport: { width: WIDTH, height: 844 },
        locale: 'en-US',
        javaScriptEnabled: false,
      });
      page = await context.newPage();
      await signIn(page, app.url, token);
    };
    const submit = (selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);
    const look = (shot: string) => lookAt(page, shots, shot, WIDTH);

    it('records a forwarded request’s decision in two steps', async () => {
      await phone(provStaff);
      await page.goto(`${app.url}/console/leave/${phoneForwarded}`);
      expect(await look('01-forwarded-request')).toContain('记录送回的决定');
      for (const field of ['#decidedOn', 'form.box button[type=submit]'])
        expect((await boxOf(page, field)).height, field).toBeGreaterThanOrEqual(40);
      await page.check('input[name=decision][value=rejected]');
      await page.fill('#decidedOn', '2026/12/2');
      await submit('form.box button[type=submit]');
      expect(await look('02-refused-no-reason')).toContain('请填写不批准的理由。');
      // Said where the page opens, with a way down to the form.
      expect((await boxOf(page, '#refused')).y).toBeLessThan(300);
      expect(await page.textContent('#refused')).toContain(
        '「记录送回的决定」没有办成：请填写不批准的理由。',
      );
      expect(await page.getAttribute('#refused a', 'href')).toBe('#decide');
      expect(await page.inputValue('#decidedOn')).toBe('2026/12/2');
      expect(await page.isChecked('input[name=decision][value=rejected]')).toBe(true);
      await page.fill('#reason', '请按时出席会议');
      await submit('form.box button[type=submit]');
      const confirm = await look('03-confirm');
      expect(confirm).toContain('省人大常委会送回的决定即被记录');
      expect(confirm).toContain('2026-12-02（星期三）');
      expect((await leaveRow(phoneForwarded)).status).toBe('forwarded');
      await submit('button[name=confirm]');
      expect(page.url()).toContain(`/console/leave/${phoneForwarded}?done=returnedDecision`);
      expect(await look('04-recorded')).toContain('送回的决定已记录');
      expect(await leaveRow(phoneForwarded)).toMatchObject({
        status: 'rejected',
        decided_on: '2026-12-02',
        decision_reason: '请按时出席会议',
      });
      expect((await auditRows(phoneForwarded)).map((r) => r.action)).toEqual(['leave.record_decision']);
    });

    it('sends a 督办 from an item’s page', async () => {
      await phone(cityStaff);
      await page.goto(`${app.url}/console/suggestions/${phoneItem}#supervise`);
      expect(await look('05-item-supervise')).toContain('督办意见会发给正在办理的');
      // What the phone shows where the jump link 督办 leads: the form, its note box and its button.
      await shots.screenshot(page, `05-item-supervise-screen-${WIDTH}`, false);
      for (const field of ['#supervise-note', 'form[action$="/supervise"] button[type=submit]'])
        expect((await boxOf(page, field)).height, field).toBeGreaterThanOrEqual(40);
      await page.fill('#supervise-note', '请尽快答复代表。');
      await submit('form[action$="/supervise"] button[type=submit]');
      expect(page.url()).toContain(`/console/suggestions/${phoneItem}?done=supervised`);
      expect(await look('06-supervised')).toContain('督办已发出');
      await shots.screenshot(page, `06-supervised-screen-${WIDTH}`, false);
    });

    it('marks an item 涉密 from its page', async () => {
      await phone(cityStaff);
      await page.goto(`${app.url}/console/suggestions/${phoneItem}#secret`);
      expect(await look('07-item-secret')).toContain('标为涉密后，内容只在本页显示');
      await shots.screenshot(page, `07-item-secret-screen-${WIDTH}`, false);
      for (const field of ['#secret-reason', 'form[action$="/secret"] button[type=submit]'])
        expect((await boxOf(page, field)).height, field).toBeGreaterThanOrEqual(40);
      await page.fill('#secret-reason', '涉及个人隐私');
      await submit('form[action$="/secret"] button[type=submit]');
      expect(page.url()).toContain(`/console/suggestions/${phoneItem}?done=markedSecret`);
      expect(await look('08-marked-secret')).toContain('已标为涉密');
      await shots.screenshot(page, `08-marked-secret-screen-${WIDTH}`, false);
    });
  });
});
