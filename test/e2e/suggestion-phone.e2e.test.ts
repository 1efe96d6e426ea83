import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPage } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { addSession, askLeave, assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// What testers saw on the staff's suggestion pages at phone width (390 px) in Chromium: a refused form's
// message where the page opens, with a link down to the form that still holds what was chosen; an answer
// waiting for review on the item's own page; 网上公开 from the item's page; and a sort control for the
// lists shown as cards (whose sortable column headers are hidden on a phone).

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/suggestion-phone');
const PHONE = 390;
const HEIGHT = 844;

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

describe.skipIf(!hasChromium)('the staff’s suggestion pages at phone width', () => {
  let staff = '';
  let organ = '';
  const codes: Record<string, string> = {};
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
      await seedPerson(deps.db, { name: '赵六', wecom: 'ZhaoLiu', congressId });
      for (const [name, wecom] of [
        ['市住房和城乡建设局', 'ZhujianZhou'],
        ['市交通局', 'JiaotongLiu'],
      ] as const) {
        await seedOrgan(deps.db, name, { name: '周科长', wecom }, clock.now());
      }
    },
  });
  const api = createApi<AnyJson>(() => app.url);
  const own = createApi<AnyJson>(
    () => app.url,
    () => organ,
  );

  beforeAll(async () => {
    staff = await issueToken(api, { name: '马红梅', role: 'staff' });
    organ = await issueToken(api, { name: '住建局联系人', role: 'organ', organ: '市住房和城乡建设局' });
    for (const [key, content] of [
      ['fresh', '迎宾街人行道破损，雨天积水，行人只能走机动车道'],
      ['lamp', '府西街路灯不亮已经一个月'],
      ['drain', '南关街下水道堵塞'],
    ] as const) {
      codes[key] = await fileSuggestion(api, { deputy: 'WangWu', content }, staff);
    }
    for (const key of ['lamp', 'drain']) {
      await assignSuggestion(api, codes[key]!, '市住房和城乡建设局');
    }
    const pending = await own('POST', `/suggestions/${codes.lamp}/answers`, {
      done: '已更换路灯 12 盏',
      signedBy: '张局长',
      resultClass: 'A',
      docNo: '并建函〔2026〕12号',
    });
    expect(pending.status, pending.text).toBe(202);
    // Two leave requests, for the leave list's sort control.
    await addSession(api, {
      congress: '大同市第十六届人民代表大会',
      name: '第五次会议',
      startsOn: '2026-12-20',
      endsOn: '2026-12-22',
    });
    for (const userid of ['WangWu', 'ZhaoLiu']) {
      codes[`leave${userid}`] = await askLeave(api, { userid, session: '第五次会议', reason: '因公出差' });
    }
  }, 180_000);

  /** A page at phone size signed in as staff (the header token; forms then need no CSRF field). */
  const open = (path: string, width = PHONE) =>
    openPage(app.browser, app.url, path, { width, height: HEIGHT, token: staff });
  /** Where an element is in the viewport now (after any scrolling). */
  const box = (page: Page, selector: string): Promise<Box> =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => {
        const r = (el as unknown as { getBoundingClientRect(): Box }).getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      });
  const shot = (page: Page, name: string, fullPage = false) => shots.screenshot(page, name, fullPage);

  it('shows a refused 交办 where the page opens, links down to the form, and keeps what was chosen', async () => {
    const { page, refused } = await open(`/console/suggestions/${codes.fresh}`);
    const form = page.locator(`form[action="/console/suggestions/${codes.fresh}/assign"]`);
    // The same organ as 承办 and 协办.
    await form.locator('#lead').selectOption('市交通局');
    await form.locator('#assisting').selectOption(['市交通局', '市住房和城乡建设局']);
    await Promise.all([page.waitForURL(/\/assign$/), form.locator('button[type=submit]').click()]);
    await shot(page, 'assign-refused-390');
    // The message is on the first screen, inside the phone's width, naming the form.
    const alert = page.locator('#refused');
    expect(await alert.isVisible()).toBe(true);
    expect(await alert.textContent()).toContain('「交办」没有办成：承办单位不必同时选为协办单位');
    const at = await box(page, '#refused');
    expect(at.top).toBeGreaterThanOrEqual(0);
    expect(at.bottom).toBeLessThanOrEqual(HEIGHT);
    expect(at.right).toBeLessThanOrEqual(PHONE);
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
    // Its link goes down to the form, which still holds the choices and says why beside them too.
    const before = await box(page, '#assign');
    expect(before.top).toBeGreaterThan(HEIGHT);
    await page.locator('#refused a[href="#assign"]').click();
    const after = await box(page, '#assign');
    expect(after.top).toBeGreaterThanOrEqual(-1);
    expect(after.top).toBeLessThan(HEIGHT / 2);
    await shot(page, 'assign-form-after-link-390');
    expect(await page.locator('#lead').inputValue()).toBe('市交通局');
    const chosen = await page
      .locator('#assisting option:checked')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(chosen.sort()).toEqual(['市交通局', '市住房和城乡建设局'].sort());
    expect(await page.locator(`form[action$="/assign"] .error`).textContent()).toContain(
      '承办单位不必同时选为协办单位',
    );
    expect(refused).toEqual([]);
    // Nothing was handed over.
    const row = await app.db
      .selectFrom('suggestions')
      .select('status')
      .where('code', '=', codes.fresh!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
  });

  it('shows on the item’s first screen that an answer waits for review, and offers no second answer', async () => {
    const { page } = await open(`/console/suggestions/${codes.lamp}`);
    await shot(page, 'answer-pending-390', true);
    const facts = page.locator('dl.facts');
    expect(await facts.textContent()).toContain('答复待审核');
    const waiting = page.locator('dl.facts a[href="/console/reviews"]');
    expect(await waiting.isVisible()).toBe(true);
    const at = await box(page, 'dl.facts a[href="/console/reviews"]');
    expect(at.bottom).toBeLessThanOrEqual(HEIGHT);
    expect(await page.locator('button:text-is("记录答复")').count()).toBe(0);
    const answer = await page.locator('td[data-label="答复"]').first().textContent();
    expect(answer).toContain('已提交，待审核');
    expect(answer).toContain('文号：并建函〔2026〕12号');
    // The history: each entry once, no empty rows.
    const entries = page.locator('ol.wb-list > li');
    expect(await entries.count()).toBe(3);
    expect(await entries.first().locator('p').allTextContents()).toEqual([
      '2026-11-23 10:00',
      '马红梅代录建议',
    ]);
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
  });

  it('publishes from the item’s page once 确认公开到网上 is ticked', async () => {
    const { page } = await open(`/console/suggestions/${codes.drain}`);
    expect(await page.locator('dl.facts').textContent()).toContain('未公开');
    const form = page.locator(`form[action="/console/suggestions/${codes.drain}/publication"]`);
    await Promise.all([page.waitForURL(/\/publication$/), form.locator('button[value="1"]').click()]);
    expect(await page.locator('#refused').textContent()).toContain('请先勾选「确认公开到网上」');
    expect((await box(page, '#refused')).bottom).toBeLessThanOrEqual(HEIGHT);
    await shot(page, 'publish-refused-390');
    await page.locator('#refused a[href="#publication"]').click();
    await page.locator('input[name="confirm"]').check();
    await Promise.all([page.waitForURL(/done=published/), form.locator('button[value="1"]').click()]);
    await shot(page, 'published-390');
    expect(await page.locator('p.notice').textContent()).toContain('已公开到网上');
    expect(await page.locator('dl.facts').textContent()).toContain('已公开');
    const row = await app.db
      .selectFrom('suggestions')
      .select('published_at')
      .where('code', '=', codes.drain!)
      .executeTakeFirstOrThrow();
    expect(row.published_at).not.toBeNull();
  });

  it('offers a sort control on a phone for the suggestion and leave lists, and none on a wide screen', async () => {
    const { page } = await open('/console/suggestions');
    expect(await page.locator('table.list thead').isVisible()).toBe(false);
    const control = page.locator('form.phone-sort');
    expect(await control.isVisible()).toBe(true);
    const c = await box(page, 'form.phone-sort');
    expect(c.right).toBeLessThanOrEqual(PHONE);
    await shot(page, 'suggestions-sort-390');
    await control.locator('select').selectOption({ label: '编号：从小到大' });
    await Promise.all([page.waitForURL(/order=code-asc/), control.locator('button').click()]);
    const codesShown = await page.locator('a.code').allInnerTexts();
    expect(codesShown).toEqual([codes.fresh, codes.lamp, codes.drain]);
    expect(await page.locator('form.phone-sort select').inputValue()).toBe('code-asc');
    await control.locator('select').selectOption({ label: '编号：从大到小' });
    await Promise.all([page.waitForURL(/order=code-desc/), control.locator('button').click()]);
    expect(await page.locator('a.code').allInnerTexts()).toEqual([codes.drain, codes.lamp, codes.fresh]);

    const leave = (await open('/console/leave')).page;
    expect(await leave.locator('form.phone-sort').isVisible()).toBe(true);
    await leave.locator('form.phone-sort select').selectOption('code-asc');
    await Promise.all([leave.waitForURL(/order=code-asc/), leave.locator('form.phone-sort button').click()]);
    await shot(leave, 'leave-sort-390');
    expect(await leave.locator('a.code').allInnerTexts()).toEqual([codes.leaveWangWu, codes.leaveZhaoLiu]);

    const wide = (await open('/console/suggestions', 1024)).page;
    expect(await wide.locator('table.list thead').isVisible()).toBe(true);
    expect(await wide.locator('form.phone-sort').isVisible()).toBe(false);
  });
});
