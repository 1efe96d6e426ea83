import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// One suggestion's console page as staff use it: a refused form says so at the top of the page with a
// link down to the form, and keeps what was typed; an organ's answer waiting for review is shown and not
// answered a second time; 网上公开 from the item's page (and 答复审核) needs its confirmation, never for a
// 涉密 item; the page's words; and the sort control the lists offer on a phone.

const LAMP = '府西街路灯不亮已经一个月';

/** The page's text without its markup, for what a reader sees. */
const textOf = (page: string) =>
  page
    .replace(/<option[^>]*>[^<]*<\/option>/g, ' ')
    .replace(/<\/?(?:strong|a|span|b)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a suggestion's console page on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let staff = '';
    let organ = '';
    const codes: Record<string, string> = {};
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi<AnyJson>(() => server.url);
    const own = createApi<AnyJson>(
      () => server.url,
      () => organ,
    );

    /** A console request as a script would send it: the staff token in the header, no CSRF needed. */
    const consoleCall = async (method: string, path: string, form?: [string, string][]) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${staff}`,
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const get = (path: string) => consoleCall('GET', path);
    const post = (path: string, form: [string, string][]) => consoleCall('POST', path, form);
    const item = (code: string) =>
      deps.db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
      for (const [name, id] of [
        ['市住房和城乡建设局', 'ZhujianZhou'],
        ['市交通局', 'JiaotongLiu'],
      ] as const) {
        await upsertOrgan(
          deps.db,
          name,
          { contactName: '周科长', contactMobile: null, contactWecom: id, contactDingtalk: null },
          clock.now(),
        );
      }
      server = await startServer(deps);
      staff = (await api('POST', '/tokens', { name: '马红梅', role: 'staff' })).json.token;
      organ = (
        await api('POST', '/tokens', { name: '住建局联系人', role: 'organ', organ: '市住房和城乡建设局' })
      ).json.token;
      const submit = async (key: string, content: string, extra: Record<string, unknown> = {}) => {
        const s = await api('POST', '/suggestions', { deputy: 'WangWu', content, ...extra }, staff);
        expect(s.status, s.text).toBe(201);
        codes[key] = s.json.code;
        return s.json.code as string;
      };
      await submit('fresh', '迎宾街人行道破损');
      for (const key of ['lamp', 'drain']) {
        const code = await submit(key, key === 'lamp' ? LAMP : '南关街下水道堵塞');
        const a = await api('POST', `/suggestions/${code}/assignments`, { lead: '市住房和城乡建设局' });
        expect(a.status, a.text).toBe(200);
      }
      await submit('secret', '某单位内部安全问题', { secret: true });
      const road = await submit('road', '迎泽街人行道坑洼');
      const a = await api('POST', `/suggestions/${road}/assignments`, {
        lead: '市住房和城乡建设局',
        assisting: ['市交通局'],
      });
      expect(a.status, a.text).toBe(200);
      // The lamp's and the road's answers wait for review; the drain's was approved, with 文号 and 联系人.
      for (const code of [codes.lamp, road]) {
        const pending = await own('POST', `/suggestions/${code}/answers`, {
          done: '已更换路灯 12 盏',
          signedBy: '张局长',
          resultClass: 'A',
        });
        expect(pending.status, pending.text).toBe(202);
      }
      const drain = await own('POST', `/suggestions/${codes.drain}/answers`, {
        done: '已疏通',
        signedBy: '张局长',
        resultClass: 'B',
        docNo: '并建函〔2026〕13号',
        contact: '周科长 0352-1234567',
      });
      expect(drain.status, drain.text).toBe(202);
      const ok = await api('POST', `/suggestions/${codes.drain}/answers/${drain.json.answerId}/review`, {
        decision: 'approve',
      });
      expect(ok.status, ok.text).toBe(200);
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('shows a refused 交办 at the top of the page, naming the form with a link to it, and keeps the choices', async () => {
      const r = await post(`/console/suggestions/${codes.fresh}/assign`, [
        ['lead', '市交通局'],
        ['assisting', '市交通局'],
        ['assisting', '市住房和城乡建设局'],
      ]);
      expect(r.status).toBe(400);
      const main = r.text.slice(r.text.indexOf('<main>'));
      // The block opens the page, before the facts and the forms, with a same-page link to the form.
      const top = main.indexOf('id="refused"');
      expect(top).toBeGreaterThan(0);
      expect(top).toBeLessThan(main.indexOf('<dl class="facts">'));
      const block = main.slice(top, main.indexOf('</div>', top));
      expect(textOf(block)).toContain('「交办」没有办成：承办单位不必同时选为协办单位');
      expect(block).toContain('href="#assign"');
      expect(main).toContain('<h2 id="assign">交办</h2>');
      // What was chosen is still chosen.
      const lead = main.slice(
        main.indexOf('id="lead"'),
        main.indexOf('</select>', main.indexOf('id="lead"')),
      );
      expect(lead).toMatch(/<option value="市交通局" selected>/);
      const assisting = main.slice(
        main.indexOf('id="assisting"'),
        main.indexOf('</select>', main.indexOf('id="assisting"')),
      );
      expect(assisting).toMatch(/<option value="市交通局" selected>/);
      expect(assisting).toMatch(/<option value="市住房和城乡建设局" selected>/);
      // Nothing changed.
      expect((await item(codes.fresh!)).status).toBe('submitted');
    });

    it('shows a refused 延期 at the top too, its date without brackets inside brackets, and keeps the typed values', async () => {
      const r = await post(`/console/suggestions/${codes.road}/extend`, [
        ['organ', ''],
        ['date', '2027-12-31'],
        ['reason', '需协调多个部门'],
        ['approvedBy', '李主任'],
      ]);
      expect(r.status).toBe(400);
      const text = textOf(r.text);
      expect(text).toContain('「延期」没有办成：延期不得超过自交办之日起');
      expect(text).not.toMatch(/（[^（）]*（/);
      expect(r.text).toContain('href="#extend"');
      expect(r.text).toContain('>需协调多个部门</textarea>');
      expect(r.text).toMatch(/id="extend-approved"[^>]*value="李主任"/);
      expect(r.text).toMatch(/id="extend-date"[^>]*value="2027-12-31"/);
    });

    it('shows an answer waiting for review, links to 答复审核 and does not take a second answer', async () => {
      const page = await get(`/console/suggestions/${codes.lamp}`);
      expect(page.status).toBe(200);
      const text = textOf(page.text);
      expect(text).toContain('答复待审核');
      expect(text).toContain('市住房和城乡建设局（承办）已于 2026-11-23 提交答复，正等待审核');
      expect(text).toContain('已办理的情况：已更换路灯 12 盏');
      expect(page.text).toContain('href="/console/reviews"');
      // The only organ handling it waits for review: no 记录答复 form.
      expect(page.text).not.toContain(`action="/console/suggestions/${codes.lamp}/answer"`);
      expect(text).toContain('这期间不能再记录答复');
      // A form posted anyway is refused, and nothing is recorded.
      const r = await post(`/console/suggestions/${codes.lamp}/answer`, [
        ['organ', '市住房和城乡建设局'],
        ['done', '工作人员又录了一份'],
      ]);
      expect(r.status).toBe(409);
      expect(textOf(r.text)).toContain('「答复」没有办成：市住房和城乡建设局的答复已提交，正等待审核');
      const a = await deps.db
        .selectFrom('suggestion_assignments')
        .innerJoin('suggestions', 'suggestions.id', 'suggestion_assignments.suggestion_id')
        .select(['suggestion_assignments.status', 'suggestion_assignments.answer_done'])
        .where('suggestions.code', '=', codes.lamp!)
        .executeTakeFirstOrThrow();
      expect(a).toEqual({ status: 'open', answer_done: null });
      expect((await item(codes.lamp!)).status).toBe('assigned');
    });

    it('shows an approved answer with its result class, 文号 and 联系人, in the organ form’s words', async () => {
      const page = await get(`/console/suggestions/${codes.drain}`);
      const text = textOf(page.text);
      expect(text).toContain('已办理的情况：已疏通');
      expect(text).toContain('办理结果分类：B 类，正在解决或列入计划');
      expect(text).toContain('文号：并建函〔2026〕13号');
      expect(text).toContain('联系人：周科长 0352-1234567');
      expect(text).not.toContain('答复待审核');
    });

    it('offers 记录答复 only for the organs whose answer does not wait for review, in the organ form’s words', async () => {
      const page = await get(`/console/suggestions/${codes.road}`);
      const text = textOf(page.text);
      const form = page.text.slice(
        page.text.indexOf(`action="/console/suggestions/${codes.road}/answer"`),
        page.text.indexOf('</form>', page.text.indexOf(`action="/console/suggestions/${codes.road}/answer"`)),
      );
      expect(form).toContain('<option value="市交通局">');
      expect(form).not.toContain('<option value="市住房和城乡建设局"');
      expect(textOf(form)).toContain('市住房和城乡建设局（承办）已于 2026-11-23 提交答复，正等待审核');
      for (const label of [
        '已办理的情况',
        '计划办理的事项',
        '落实时限',
        '不能办理的事项',
        '不能办理的原因',
        '签发人',
      ])
        expect(form).toContain(`>${label}</label>`);
      expect(text).not.toContain('暂不能办理');
      // 改办 says what it asks.
      expect(page.text).toContain('<label for="transfer-to">改由哪个单位办理</label>');
      // No brackets inside brackets anywhere on the page (due dates carry 暂定日历 in theirs).
      expect(text).not.toMatch(/（[^（）]*（/);
      expect(text).toContain('2027-02-23（星期二） 暂定日历');
      // The assisting organ's answer may still be recorded.
      const r = await post(`/console/suggestions/${codes.road}/answer`, [
        ['organ', '市交通局'],
        ['done', '已配合完成路面修补'],
      ]);
      expect(r.status).toBe(303);
    });

    it('lists each history entry once, without repeating who did it or an empty reason', async () => {
      const page = await get(`/console/suggestions/${codes.fresh}`);
      const history = page.text.slice(page.text.indexOf('<h2>办理记录</h2>'));
      const entries = history.match(/<li class="wb-item">[\s\S]*?<\/li>/g) ?? [];
      expect(entries).toHaveLength(1);
      expect(textOf(entries[0]!)).toMatch(/^ ?2026-11-23 10:00 马红梅代录建议 ?$/);
      expect(history).not.toContain('理由');
      // Entries by someone the words do not name say who.
      const lamp = await get(`/console/suggestions/${codes.lamp}`);
      expect(textOf(lamp.text)).toContain('经办：住建局联系人 市住房和城乡建设局（承办）提交答复，待审核');
    });

    it('publishes from the item’s page only once 确认公开到网上 is ticked, and shows that it is published', async () => {
      const before = await get(`/console/suggestions/${codes.drain}`);
      expect(textOf(before.text)).toContain('网上公开 未公开。');
      expect(before.text).toContain('确认公开到网上');
      const unticked = await post(`/console/suggestions/${codes.drain}/publication`, [
        ['withholdName', '1'],
        ['publish', '1'],
      ]);
      expect(unticked.status).toBe(400);
      expect(textOf(unticked.text)).toContain('「网上公开」没有办成：请先勾选「确认公开到网上」');
      expect(unticked.text).toContain('href="#publication"');
      expect(unticked.text).toMatch(/name="withholdName" value="1" checked/);
      expect((await item(codes.drain!)).published_at).toBeNull();

      const done = await post(`/console/suggestions/${codes.drain}/publication`, [
        ['withholdName', '1'],
        ['confirm', '1'],
        ['publish', '1'],
      ]);
      expect(done.status).toBe(303);
      expect(done.location).toBe(`/console/suggestions/${codes.drain}?done=published`);
      const row = await item(codes.drain!);
      expect(row.published_at).not.toBeNull();
      expect(row.withhold_name).toBe(true);
      const after = await get(done.location!);
      const text = textOf(after.text);
      expect(text).toContain('已公开到网上');
      expect(text).toContain('网上公开 已公开 不公开代表姓名。');
      expect(after.text).toContain('>撤下</button>');
      const pub = await fetch(`${server.url}/public`);
      expect(await pub.text()).toContain(codes.drain!);

      // 撤下 keeps the names withheld.
      const down = await post(`/console/suggestions/${codes.drain}/publication`, [['publish', '0']]);
      expect(down.status).toBe(303);
      const gone = await item(codes.drain!);
      expect(gone.published_at).toBeNull();
      expect(gone.withhold_name).toBe(true);
      expect(textOf((await get(down.location!)).text)).toContain('已从公开页面撤下');
    });

    it('never publishes a 涉密 item, from its page or from 答复审核', async () => {
      const page = await get(`/console/suggestions/${codes.secret}`);
      expect(textOf(page.text)).toContain('涉密事项，不能公开。');
      expect(page.text).not.toContain(`action="/console/suggestions/${codes.secret}/publication"`);
      const r = await post(`/console/suggestions/${codes.secret}/publication`, [
        ['confirm', '1'],
        ['publish', '1'],
      ]);
      expect(r.status).toBe(409);
      expect(textOf(r.text)).toContain('是涉密事项，不能公开');
      const viaReview = await post('/console/publication', [
        ['code', codes.secret!],
        ['confirm', '1'],
        ['publish', '1'],
      ]);
      expect(viaReview.status).toBe(409);
      expect((await item(codes.secret!)).published_at).toBeNull();
    });

    it('asks for the same confirmation on 答复审核, keeping what was typed', async () => {
      const r = await post('/console/publication', [
        ['code', codes.lamp!.toLowerCase()],
        ['withholdName', '1'],
        ['publish', '1'],
      ]);
      expect(r.status).toBe(400);
      const text = textOf(r.text);
      expect(text).toContain('「网上公开」没有办成：请先勾选「确认公开到网上」');
      expect(r.text).toContain('href="#publication"');
      expect(r.text).toMatch(new RegExp(`id="pub-code"[^>]*value="${codes.lamp}"`));
      expect(r.text).toMatch(/name="withholdName" value="1" checked/);
      expect((await item(codes.lamp!)).published_at).toBeNull();
      const ok = await post('/console/publication', [
        ['code', codes.lamp!],
        ['confirm', '1'],
        ['publish', '1'],
      ]);
      expect(ok.status).toBe(303);
      expect((await item(codes.lamp!)).published_at).not.toBeNull();
      expect(textOf((await get(`/console/suggestions/${codes.lamp}`)).text)).toContain(
        '网上公开 已公开 公开代表姓名。',
      );
    });

    it('offers the list orders as a sort control (for phones) that keeps the filters', async () => {
      const page = await get('/console/suggestions?q=%E8%A1%97&order=submitted-asc');
      expect(page.status).toBe(200);
      const form = page.text.slice(
        page.text.indexOf('class="phone-sort"'),
        page.text.indexOf('</form>', page.text.indexOf('class="phone-sort"')),
      );
      expect(form).toContain('<input type="hidden" name="q" value="街">');
      expect(form).toContain('<option value="submitted-asc" selected>提交日期：最早的在前</option>');
      expect(form).toContain('<button type="submit" class="secondary">排序</button>');
      const order = (t: string) =>
        [...t.matchAll(/<a class="code" href="\/console\/suggestions\/([^"]+)"/g)].map((m) => m[1]);
      const all = [codes.fresh, codes.lamp, codes.drain, codes.road];
      expect(order(page.text)).toEqual(all);
      const desc = await get('/console/suggestions?q=%E8%A1%97&order=code-desc');
      expect(order(desc.text)).toEqual([...all].reverse());
      // The header links still sort as before.
      const byHeader = await get('/console/suggestions?q=%E8%A1%97&sort=code&dir=asc');
      expect(order(byHeader.text)).toEqual(all);
    });
  });
}
