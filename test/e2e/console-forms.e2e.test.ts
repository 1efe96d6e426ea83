import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { requestInspection } from '../../src/services/activities/index.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';

// The workbench forms as a staff member uses them in Debian's Chromium: each form once end to end with
// what the database holds afterwards, a refused form keeping what was typed, the .xlsx roster through
// its preview, and every page at desk and phone width (screenshots in test/artifacts/, and no page that
// scrolls sideways at 390 px).

const artifacts = new Artifacts('test/artifacts');
const DATONG = '大同市第十六届人民代表大会';

describe.skipIf(!hasChromium)('the workbench forms in Chromium', () => {
  let page: Page;
  // 08:00 in Beijing on a Tuesday.
  const clock = new FixedClock('2026-12-01T00:00:00Z');
  const app = useBrowserApp({ clock });

  const go = async (path: string) => {
    await page.goto(`${app.url}${path}`);
  };
  /** Clicks a submit button and waits for the page it leads to. */
  const submit = async (selector: string) => {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  };
  const body = async () => (await page.textContent('main')) ?? '';

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 60_000);

  it('previews an .xlsx roster line by line, then applies it', async () => {
    // A file with bad lines: each refused line with its reason, in the preview.
    await go('/console/roster');
    await page.setInputFiles('#roster-file', 'test/fixtures/roster-bad.csv');
    await submit('form.box button[type=submit]');
    const bad = await body();
    expect(bad).toContain('第 2 行');
    expect(bad).toContain('层级「国」无效');
    expect(bad).toContain('缺少姓名');
    await go('/console/roster');
    await page.setInputFiles('#roster-file', 'test/fixtures/roster-zh.xlsx');
    await submit('form.box button[type=submit]');
    const preview = await body();
    expect(preview).toContain('第 2 行 · 张三');
    expect(preview).toContain('新建代表小组「第一小组」');
    expect(preview).toContain('Excel 工作簿');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await artifacts.screenshot(page, `workbench-roster-preview-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // Nothing is written before the confirmation.
    expect((await app.db.selectFrom('people').select('id').execute()).length).toBe(0);
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('名册已导入');
    const names = (await app.db.selectFrom('people').select('name').orderBy('name').execute()).map(
      (p) => p.name,
    );
    expect(names).toContain('张三');
    expect(names).toContain('王五');
  });

  it('registers an organ; a refused form keeps what was typed', async () => {
    await go('/console/organs');
    await page.fill('#organ-name', '市住房和城乡建设局');
    await page.fill('#organ-contact', '王科长');
    await page.fill('#organ-mobile', '电话号码');
    await submit('form.box button[type=submit]');
    expect(await page.textContent('form.box .error')).toContain('联系电话');
    expect(await page.inputValue('#organ-name')).toBe('市住房和城乡建设局');
    expect(await page.inputValue('#organ-contact')).toBe('王科长');
    await page.fill('#organ-mobile', '0352-1234567');
    await page.fill('#organ-wecom', 'wangke');
    await submit('form.box button[type=submit]');
    const organ = await app.db
      .selectFrom('organs')
      .select(['name', 'contact_name', 'contact_mobile', 'contact_wecom'])
      .executeTakeFirstOrThrow();
    expect(organ).toEqual({
      name: '市住房和城乡建设局',
      contact_name: '王科长',
      contact_mobile: '0352-1234567',
      contact_wecom: 'wangke',
    });
    const audit = await app.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'organ.create')
      .execute();
    expect(audit.length).toBe(1);
  });

  it('binds a group robot and a leader', async () => {
    const g = await app.db
      .selectFrom('groups')
      .select('id')
      .where('name', '=', '第一小组')
      .executeTakeFirstOrThrow();
    await go(`/console/groups/${g.id}`);
    await page.fill('#g-wecomWebhookKey', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-1');
    await page.selectOption('#g-leader', { label: '张三' });
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('小组设置已保存');
    const binding = await app.db
      .selectFrom('group_bindings')
      .select(['kind', 'address'])
      .where('group_id', '=', g.id)
      .executeTakeFirstOrThrow();
    expect(binding).toEqual({ kind: 'wecom_robot', address: 'robot-key-1' });
    const group = await app.db
      .selectFrom('groups')
      .select('leader_person_id')
      .where('id', '=', g.id)
      .executeTakeFirstOrThrow();
    expect(group.leader_person_id).not.toBeNull();
    // The key is never shown back.
    expect(await page.content()).not.toContain('robot-key-1');
  });

  it('changes a congress’s reception day and hosts', async () => {
    const c = await app.db
      .selectFrom('congresses')
      .select('id')
      .where('name', '=', DATONG)
      .executeTakeFirstOrThrow();
    await go(`/console/congresses/${c.id}`);
    await page.fill('#cs-receptionDayOfMonth', '10');
    await page.fill('#cs-hosts', '王主任\n李副主任');
    await page.check('input[name=whoMayBook][value=groups]');
    await submit('form.box button[type=submit]');
    expect(await page.textContent('form.box .error')).toContain('请勾选至少一个小组');
    expect(await page.inputValue('#cs-hosts')).toBe('王主任\n李副主任');
    expect(await page.inputValue('#cs-receptionDayOfMonth')).toBe('10');
    await page.check('input[name=whoMayBook][value=all]');
    await submit('form.box button[type=submit]');
    const row = await app.db
      .selectFrom('congresses')
      .select('settings')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    const settings = (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) as {
      receptionDayOfMonth: number;
      receptionHosts: string[];
    };
    expect(settings.receptionDayOfMonth).toBe(10);
    expect(settings.receptionHosts).toEqual(['王主任', '李副主任']);
  });

  it('creates a token shown once, and revokes it', async () => {
    await go('/console/tokens');
    await page.fill('#token-name', '代表工委 赵六');
    await submit('form.box button[type=submit]');
    const token = (await page.textContent('#new-token'))?.trim() ?? '';
    expect(token).toMatch(/^rdt_/);
    const row = await app.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'revoked_at'])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '代表工委 赵六', role: 'staff', revoked_at: null });
    await go('/console/tokens');
    expect(await page.content()).not.toContain(token);
    // 撤销 asks first; nothing is revoked before 确认撤销.
    await submit(`form[action="/console/tokens/${row.id}/revoke"] button`);
    expect(await body()).toContain('撤销后，代表工委 赵六用这个令牌将无法再登录控制台');
    const asked = await app.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(asked.revoked_at).toBeNull();
    await submit('form.confirm-step button[name=confirm]');
    const after = await app.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.revoked_at).not.toBeNull();
  });

  it('creates an activity from a template, refuses attendance before it starts, then records it', async () => {
    await go('/console/activities/new?template=small_group');
    // Two congresses: choosing one lists its groups and stations.
    await page.selectOption('#activity-congress-pick', DATONG);
    await submit('form.filters button');
    // No group chosen for a group activity: refused, keeping what was typed.
    await page.fill('#activity-place', '市人大三楼会议室');
    await submit('form.box button[type=submit]');
    expect(await page.textContent('form.box .error')).toContain('请选择是哪个组');
    expect(await page.inputValue('#activity-place')).toBe('市人大三楼会议室');
    await page.selectOption('#activity-group', '第一小组');
    await page.fill('#activity-date', '2026-12-01');
    await page.fill('#activity-from', '10:00');
    await page.fill('#activity-to', '11:30');
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('活动已登记');
    const a = await app.db
      .selectFrom('activities')
      .select(['id', 'code', 'kind', 'place'])
      .executeTakeFirstOrThrow();
    expect(a).toMatchObject({ kind: 'small_group', place: '市人大三楼会议室' });
    const invited = await app.db
      .selectFrom('activity_participants')
      .select('mandate_id')
      .where('activity_id', '=', a.id)
      .execute();
    expect(invited.length).toBe(1); // 张三 of 第一小组

    await page.check('input[name=userid][value=ZhangSan]');
    await submit('form.box button[type=submit]');
    expect(await page.textContent('form.box .error')).toContain('尚未开始');
    expect(await page.isChecked('input[name=userid][value=ZhangSan]')).toBe(true);

    clock.advance(3 * 3600_000);
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('出席情况已登记');
    const attended = await app.db
      .selectFrom('activity_participants')
      .select('attended')
      .where('activity_id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(attended.attended).toBe(true);
  });

  it('records a session and who did not attend', async () => {
    await go('/console/sessions');
    await page.selectOption('#session-congress', DATONG);
    await page.fill('#session-name', '市十六届人大四次会议');
    await page.fill('#session-start', '2027-01-12');
    await page.fill('#session-end', '2027-01-10');
    await submit('form.box button[type=submit]');
    expect(await page.textContent('form.box .error')).toContain('闭幕日期不能早于开幕日期');
    expect(await page.inputValue('#session-name')).toBe('市十六届人大四次会议');
    await page.fill('#session-end', '2027-01-15');
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('会议已登记');
    await page.check('input[name=userid][value=lisi]');
    await submit('form.box button[type=submit]');
    const absences = await app.db
      .selectFrom('session_absences as a')
      .innerJoin('mandates as m', 'm.id', 'a.mandate_id')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['p.name', 'a.excused'])
      .execute();
    expect(absences).toEqual([{ name: '李四', excused: false }]);
  });

  it('previews a broadcast with how each group receives it, then sends it', async () => {
    await go('/console/broadcasts');
    await page.fill('#broadcast-text', '《人大工作信息》第12期已印发。');
    await page.check('input[name=target][value="第一小组"]');
    await page.check('input[name=target][value="第二小组"]');
    await submit('form.box button[type=submit]');
    const preview = await body();
    expect(preview).toContain('经企业微信群机器人发到群里');
    expect(preview).toContain('没有绑定群聊，逐个发给 1 位成员');
    expect((await app.db.selectFrom('broadcasts').select('id').execute()).length).toBe(0);
    // The preview's form as it was, to press 确认发送 a second time after it went (a double tap, or Back).
    // (Evaluated in the page, written as text: the tests are typed without the browser's DOM.)
    const form = (await page.evaluate(
      `[...document.querySelectorAll('form.box input[type=hidden]')].map((e) => [e.name, e.value])`,
    )) as [string, string][];
    await submit('button[value=send]');
    expect(await body()).toContain('通知已排队发送');
    await Promise.all([
      page.waitForEvent('load'),
      page.evaluate(`{
        const f = document.createElement('form');
        f.method = 'post';
        f.action = '/console/broadcasts';
        for (const [name, value] of ${JSON.stringify([...form, ['action', 'send']])}) {
          const i = document.createElement('input');
          i.type = 'hidden';
          i.name = name;
          i.value = value;
          f.append(i);
        }
        document.body.append(f);
        f.submit();
      }`),
    ]);
    expect(await body()).toContain('这份通知刚才已经发出，没有再发第二次');
    expect((await app.db.selectFrom('broadcasts').select('id').execute()).length).toBe(1);
    await go('/console/broadcasts');
    expect(await body()).toContain('· 管理员');
    const groups = await app.db
      .selectFrom('broadcast_groups')
      .select('group_name')
      .orderBy('group_name')
      .execute();
    expect(groups.map((g) => g.group_name).sort()).toEqual(['第一小组', '第二小组'].sort());
    const queued = await app.db
      .selectFrom('outbox')
      .select(['target_kind', 'target_address'])
      .where('cause', 'like', 'broadcast:%')
      .execute();
    // 第一小组 through its robot; 第二小组 (no robot) member by member: 李四 by WeCom.
    expect(queued).toEqual(
      expect.arrayContaining([
        { target_kind: 'wecom_robot', target_address: 'robot-key-1' },
        { target_kind: 'user', target_address: 'lisi' },
      ]),
    );
    expect(queued.length).toBe(2);
  });

  it('files an inspection report from a deputy’s request', async () => {
    const zhang = await app.db
      .selectFrom('people')
      .select('id')
      .where('name', '=', '张三')
      .executeTakeFirstOrThrow();
    const r = await requestInspection(app.deps, {
      personId: zhang.id,
      content: '平城区老旧小区改造进度',
      today: '2026-12-01',
      enteredByStaff: false,
    });
    expect(r.ok).toBe(true);
    await go('/console/inspections');
    await submit('a[href^="/console/inspections/report?request="]');
    await page.selectOption('#report-congress', DATONG);
    await page.fill('#report-title', '关于老旧小区改造的视察报告');
    await page.fill('#report-content', '小区管网老化，建议加快改造。');
    await page.selectOption('#report-lead', '市住房和城乡建设局');
    await submit('form.box button[type=submit]');
    expect(await body()).toContain('报告已登记并转交承办单位');
    const item = await app.db
      .selectFrom('suggestions')
      .select(['code', 'kind', 'status'])
      .where('kind', '=', '视察报告')
      .executeTakeFirstOrThrow();
    expect(item.status).toBe('assigned');
    const req = await app.db
      .selectFrom('inspection_requests')
      .select(['report_ref', 'status'])
      .executeTakeFirstOrThrow();
    expect(req).toEqual({ report_ref: item.code, status: 'reported' });
  });

  it('requeues every dead message, but not a withdrawn one', async () => {
    const [dead] = await app.db.selectFrom('outbox').select('id').orderBy('id').limit(1).execute();
    await app.db
      .updateTable('outbox')
      .set({ status: 'dead', first_tried_at: clock.now(), last_error: '发送失败' })
      .where('id', '=', dead!.id)
      .execute();
    await go('/console/outbox?status=dead');
    // 全部重新发送 asks first: the confirm page, its box ticked, then sent.
    await submit('form[action="/console/outbox/requeue-dead"] button');
    await page.check('input[name="confirm"]');
    await submit('form[action="/console/outbox/requeue-dead"] button');
    const row = await app.db
      .selectFrom('outbox')
      .select('status')
      .where('id', '=', dead!.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });

  it('shows every workbench page at 1280 and 390 px without sideways scrolling', async () => {
    const a = await app.db.selectFrom('activities').select('code').executeTakeFirstOrThrow();
    const s = await app.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow();
    const b = await app.db.selectFrom('broadcasts').select('id').executeTakeFirstOrThrow();
    const g = await app.db
      .selectFrom('groups')
      .select('id')
      .where('name', '=', '第一小组')
      .executeTakeFirstOrThrow();
    const o = await app.db.selectFrom('organs').select('id').executeTakeFirstOrThrow();
    const c = await app.db
      .selectFrom('congresses')
      .select('id')
      .where('name', '=', DATONG)
      .executeTakeFirstOrThrow();
    const pages: [string, string][] = [
      ['activities', '/console/activities'],
      ['activity-new', '/console/activities/new?template=station'],
      ['activity', `/console/activities/${a.code}`],
      ['inspections', '/console/inspections'],
      ['inspection-report', '/console/inspections/report'],
      ['sessions', '/console/sessions'],
      ['session', `/console/sessions/${s.id}`],
      ['broadcasts', '/console/broadcasts'],
      ['broadcast', `/console/broadcasts/${b.id}`],
      ['roster', '/console/roster'],
      ['organs', '/console/organs'],
      ['organ', `/console/organs/${o.id}`],
      ['groups', '/console/groups'],
      ['group', `/console/groups/${g.id}`],
      ['congresses', '/console/congresses'],
      ['congress', `/console/congresses/${c.id}`],
      ['tokens', '/console/tokens'],
      ['outbox', '/console/outbox'],
    ];
    const wide: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, path] of pages) {
        const res = await page.goto(`${app.url}${path}`);
        expect(res?.status(), path).toBe(200);
        await artifacts.screenshot(page, `workbench-${name}-${width}`);
        if (width === 390) {
          const sw = await documentWidth(page);
          if (sw > 390) wide.push(`${path}: ${sw}`);
        }
      }
    }
    expect(wide).toEqual([]);
  }, 120_000);
});
