import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { addSession, assignSuggestion, fileSuggestion } from '../helpers/seed-api.ts';

// The suggestion and leave work of the console as staff do it in Debian's Chromium: 代录, 立案审查
// (不予立案 reaching the deputy, a merge, accept), a new organ on the spot, 交办 from the pick-list, 延期,
// a structured 答复, 退回, 改办, 代录请假; a refused form that keeps what was typed; then every page at desk
// and phone width, saved as screenshots under test/artifacts/, none scrolling sideways at 390 px.

const artifacts = new Artifacts('test/artifacts/workbench');
const CONGRESS = '大同市第十六届人民代表大会';
const SESSION = '大同市第十六届人民代表大会第五次会议';

describe.skipIf(!hasChromium)('the staff workbench in Chromium', () => {
  let page: Page;
  let mandateId: number;
  let deputyPerson: number;
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      ({ mandateId, personId: deputyPerson } = await seedPerson(deps.db, {
        name: '王五',
        wecom: 'WangWu',
        mobile: '13800000005',
        congressId,
      }));
      await seedPerson(deps.db, { name: '赵六', wecom: 'ZhaoLiu', congressId });
      for (const [name, wecom] of [
        ['市住建局', 'ZhujianZhou'],
        ['市交通运输局', 'JiaotongLiu'],
      ] as const) {
        await seedOrgan(deps.db, name, { name: '联系人', wecom }, clock.now());
      }
    },
  });
  const api = createApi<Record<string, unknown>>(() => app.url);
  const codes: Record<string, string> = {};

  const item = (code: string) =>
    app.db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
  const assignmentsOf = async (code: string) =>
    app.db
      .selectFrom('suggestion_assignments as a')
      .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
      .innerJoin('organs as o', 'o.id', 'a.organ_id')
      .leftJoin('deadlines as d', 'd.id', 'a.deadline_id')
      .select([
        'o.name',
        'a.role',
        'a.status',
        'a.ended_reason',
        'a.answer_done',
        'a.answer_signed_by',
        'd.due_on',
      ])
      .where('s.code', '=', code)
      .orderBy('a.id')
      .execute();
  const go = async (path: string) => {
    const r = await page.goto(`${app.url}${path}`);
    expect(r?.status(), path).toBe(200);
  };
  /** Clicks a form's button and waits for the page it leads to (the redirect, or the form again). */
  const submit = async (form: string) => {
    const nav = page.waitForEvent('framenavigated');
    await page.click(`${form} button[type=submit]`);
    await nav;
    await page.waitForLoadState('load');
  };
  const notice = () => page.textContent('p.notice');

  beforeAll(async () => {
    const mk = async (key: string, deputy: string, content: string) => {
      codes[key] = await fileSuggestion(api, { deputy, content });
    };
    await mk('declined', 'WangWu', '建议在小区门口设置彩票销售点\n便于群众购买');
    await mk('duplicate', 'ZhaoLiu', '府西街路灯坏了，请尽快修复');
    await mk('kept', 'WangWu', '府西街路灯不亮，晚上出行不便\n附近居民反映强烈，已持续两周');
    await mk('returned', 'ZhaoLiu', '新建北路人行道破损，雨天积水');
    await mk('transferred', 'WangWu', '公交 12 路末班车太早');
    for (const code of [codes.returned!, codes.transferred!]) {
      await assignSuggestion(api, code, '市住建局');
    }
    await addSession(api, {
      congress: CONGRESS,
      name: SESSION,
      startsOn: '2026-12-10',
      endsOn: '2026-12-12',
    });

    page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('dialog', (d) => void d.dismiss());
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 240_000);

  it('代录: a refused form keeps what was typed; then the item is entered for the deputy', async () => {
    await go('/console/suggestions/new');
    const content = '建议在御河西路增设人行横道\n学生上下学过马路危险';
    await page.fill('input[name=deputy]', '没有这个人');
    await page.selectOption('select[name=kind]', '意见');
    await page.fill('textarea[name=content]', content);
    await submit('form.box');
    expect(await page.textContent('p.error')).toContain('没有找到在任代表');
    expect(await page.inputValue('input[name=deputy]')).toBe('没有这个人');
    expect(await page.inputValue('select[name=kind]')).toBe('意见');
    expect(await page.inputValue('textarea[name=content]')).toBe(content);
    expect(
      await app.db.selectFrom('suggestions').select('id').where('content', '=', content).execute(),
    ).toEqual([]);

    await page.fill('input[name=deputy]', '13800000005');
    await submit('form.box');
    expect(await notice()).toContain('已代录');
    const row = await app.db
      .selectFrom('suggestions')
      .selectAll()
      .where('content', '=', content)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: '意见', status: 'submitted', entered_by_name: '管理员' });
    codes.entered = row.code;
    await go('/console/suggestions');
    expect(await page.textContent('main')).toContain('建议在御河西路增设人行横道');
  });

  it('立案审查: 不予立案 reaches the deputy with its reason', async () => {
    await go(`/console/suggestions/${codes.declined}`);
    await page.check('input[name=decision][value=not_accepted]');
    await submit('form[action$="/review"]');
    expect(await page.textContent('p.error')).toContain('请填写不予立案的理由');
    expect(await page.isChecked('input[name=decision][value=not_accepted]')).toBe(true);
    const reason = '彩票销售点的设置不属于本级人大常委会交办范围';
    await page.fill('textarea[name=reason]', reason);
    await submit('form[action$="/review"]');
    expect(await notice()).toContain('不予立案');
    expect(await item(codes.declined!)).toMatchObject({ status: 'closed', review_state: 'not_accepted' });
    const told = await app.db
      .selectFrom('outbox')
      .select(['target_address', 'payload'])
      .where('target_address', '=', 'WangWu')
      .execute();
    expect(
      told.some((m) => {
        const text = String((m.payload as { text?: unknown }).text);
        return text.includes(codes.declined!) && text.includes('不予立案') && text.includes(reason);
      }),
    ).toBe(true);
  });

  it('立案审查: a duplicate merged, the other accepted with title, category and 重点督办', async () => {
    await go(`/console/suggestions/${codes.duplicate}`);
    await page.check('input[name=decision][value=merge]');
    await page.fill('input[name=into]', codes.kept!);
    await page.fill('textarea[name=reason]', '与府西街路灯问题相同，合并办理');
    await submit('form[action$="/review"]');
    expect(await notice()).toContain('已合并办理');
    const kept = await item(codes.kept!);
    expect(await item(codes.duplicate!)).toMatchObject({ review_state: 'merged', merged_into_id: kept.id });

    await go(`/console/suggestions/${codes.kept}`);
    await page.fill('form[action$="/review"] input[name=title]', '府西街路灯维修');
    await page.fill('form[action$="/review"] input[name=category]', '城乡建设');
    await page.check('form[action$="/review"] input[name=key]');
    await submit('form[action$="/review"]');
    expect(await notice()).toContain('已立案');
    expect(await item(codes.kept!)).toMatchObject({
      review_state: 'accepted',
      title: '府西街路灯维修',
      category: '城乡建设',
      key_supervision: true,
    });
  });

  it('登记新单位 on the spot, then 交办 from the pick-list, 延期 and a structured 答复', async () => {
    await go(`/console/suggestions/${codes.kept}`);
    await page.click('details.box summary');
    await page.fill('input[name=name]', '市城市管理局');
    await page.fill('input[name=contactName]', '孙科长');
    await page.fill('input[name=contactMobile]', '0352-1234567');
    await submit('form[action$="/organs"]');
    expect(await notice()).toContain('单位已登记');
    expect(
      await app.db
        .selectFrom('organs')
        .select(['contact_name', 'contact_mobile'])
        .where('name', '=', '市城市管理局')
        .executeTakeFirst(),
    ).toEqual({ contact_name: '孙科长', contact_mobile: '0352-1234567' });
    // The new organ is chosen already.
    expect(await page.inputValue('select[name=lead]')).toBe('市城市管理局');
    await page.selectOption('select[name=assisting]', ['市交通运输局']);
    await submit('form[action$="/assign"]');
    expect(await notice()).toContain('已交办');
    const assigned = await assignmentsOf(codes.kept!);
    expect(assigned.map((a) => [a.name, a.role, a.status])).toEqual([
      ['市城市管理局', 'lead', 'open'],
      ['市交通运输局', 'assist', 'open'],
    ]);

    await page.selectOption('form[action$="/extend"] select[name=organ]', '市城市管理局');
    await page.fill('input[name=date]', '2027-04-30');
    await page.fill('form[action$="/extend"] textarea[name=reason]', '涉及多个部门，需协调');
    await submit('form[action$="/extend"]');
    expect(await notice()).toContain('已发给提出建议的代表和各承办单位的联系人');
    expect((await assignmentsOf(codes.kept!))[0]!.due_on).toBe('2027-04-30');

    await page.selectOption('form[action$="/answer"] select[name=organ]', '市城市管理局');
    await page.fill('textarea[name=done]', '已更换府西街路灯 12 盏');
    await page.fill('input[name=signedBy]', '李局长');
    await submit('form[action$="/answer"]');
    expect(await notice()).toContain('答复已记录');
    expect((await assignmentsOf(codes.kept!))[0]).toMatchObject({
      status: 'answered',
      answer_done: '已更换府西街路灯 12 盏',
      answer_signed_by: '李局长',
    });
  });

  it('退回 and 改办 with their reasons', async () => {
    await go(`/console/suggestions/${codes.returned}`);
    await page.fill('form[action$="/return"] textarea[name=reason]', '人行道维护属于市政部门职责');
    await submit('form[action$="/return"]');
    expect(await notice()).toContain('已退回');
    expect(await assignmentsOf(codes.returned!)).toMatchObject([
      { name: '市住建局', status: 'returned', ended_reason: '人行道维护属于市政部门职责' },
    ]);
    expect((await item(codes.returned!)).status).toBe('submitted');

    await go(`/console/suggestions/${codes.transferred}`);
    await page.selectOption('select[name=to]', '市交通运输局');
    await page.fill('form[action$="/transfer"] textarea[name=reason]', '公交线路由交通部门管理');
    await submit('form[action$="/transfer"]');
    expect(await notice()).toContain('已改办');
    expect((await assignmentsOf(codes.transferred!)).map((a) => [a.name, a.status])).toEqual([
      ['市住建局', 'transferred'],
      ['市交通运输局', 'open'],
    ]);
  });

  it('代录请假 for a session', async () => {
    await go('/console/leave/new');
    await page.fill('input[name=deputy]', '王五');
    await page.selectOption('select[name=session]', SESSION);
    await page.fill('textarea[name=reason]', '因公出差外地');
    await submit('form.box');
    expect(await notice()).toContain('已代录请假');
    const leave = await app.db
      .selectFrom('leave_requests as l')
      .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
      .select(['m.person_id', 'l.reason', 'l.entered_by_staff', 'l.status'])
      .executeTakeFirstOrThrow();
    expect(leave).toMatchObject({ person_id: deputyPerson, reason: '因公出差外地', status: 'pending' });
    expect(leave.entered_by_staff).toBeTruthy();
  });

  it('shows every page at desk and phone width, none scrolling sideways on a phone', async () => {
    const leaveCode = (await app.db.selectFrom('leave_requests').select('code').executeTakeFirstOrThrow())
      .code;
    const pages: [string, string][] = [
      ['overview', '/console'],
      ['deputies', '/console/deputies?sort=name&dir=asc'],
      ['deputy', `/console/deputies/${mandateId}`],
      ['suggestions', '/console/suggestions'],
      ['suggestions-sorted', '/console/suggestions?sort=due&dir=asc&q=路灯'],
      ['suggestion-new', '/console/suggestions/new'],
      ['suggestion-submitted', `/console/suggestions/${codes.entered}`],
      ['suggestion-handling', `/console/suggestions/${codes.transferred}`],
      ['suggestion-answered', `/console/suggestions/${codes.kept}`],
      ['suggestion-declined', `/console/suggestions/${codes.declined}`],
      ['leave', '/console/leave'],
      ['leave-new', '/console/leave/new'],
      ['leave-one', `/console/leave/${leaveCode}`],
      ['outbox', '/console/outbox'],
      ['reminders', '/console/reminders'],
      ['calendar', '/console/calendar'],
    ];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, path] of pages) {
        await go(path);
        await artifacts.screenshot(page, `${name}-${width}`);
        if (width === 390) {
          expect(await documentWidth(page), path).toBeLessThanOrEqual(390);
        }
      }
    }
    // A deputy's page: their items and leave, and the certificate for their employer.
    await go(`/console/deputies/${mandateId}`);
    const deputyPage = await page.textContent('main');
    expect(deputyPage).toContain(codes.declined!);
    expect(deputyPage).toContain(leaveCode);
    await Promise.all([page.waitForEvent('framenavigated'), page.click('a[href*="/certificate"]')]);
    expect(await page.textContent('h1')).toContain('出勤证明');
    // The calendar is a month grid, not a year of rows.
    await go('/console/calendar?year=2026&month=10');
    expect(await page.locator('table.grid-month td:not(.blank)').count()).toBe(31);
  }, 240_000);
});
