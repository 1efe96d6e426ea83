import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/console/layout.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, documentWidth, lookAt, notWhollyShown } from '../helpers/page-layout.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// The console's menu on a phone, in Debian's Chromium: at 390 px (and a small 320 px phone) a 菜单 button
// naming the page one is on opens every entry the administrator may open, each whole, inside the screen,
// at least 40 px tall; a tap on one opens its page, and the menu is closed there. On a desktop the entries
// stand in the header as before, with no button. Screenshots under SHOTS_DIR, else
// test/artifacts/console-nav-phone/.

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/console-nav-phone');
/** What the administrator's menu holds: every page but the organ contact's own. */
const ADMIN_MENU = SECTIONS.filter((s) => s.role !== 'organ').map((s) => s.label);
const PAGES: [path: string, label: string][] = [
  ['/console', '概览'],
  ['/console/outbox', '消息发送'],
  ['/console/reminders', '提醒记录'],
  ['/console/groups', '小组与群机器人'],
];

async function signedInAt(browser: Browser, url: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 844 } });
  await signIn(page, url, TEST_ADMIN_TOKEN);
  return page;
}

/** The smallest height among the elements `selector` finds. */
const lowest = (page: Page, selector: string): Promise<number> =>
  page
    .locator(selector)
    .evaluateAll((els) =>
      Math.min(
        ...(els as unknown as { getBoundingClientRect(): { height: number } }[]).map(
          (e) => e.getBoundingClientRect().height,
        ),
      ),
    );

describe.skipIf(!hasChromium)('the console menu on a phone', () => {
  const app = useBrowserApp({
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId });
    },
  });

  for (const width of [390, 320]) {
    it(`opens every entry whole and inside the screen at ${width} px`, async () => {
      expect(ADMIN_MENU).toContain('消息发送');
      expect(ADMIN_MENU).toContain('小组与群机器人');
      const page = await signedInAt(app.browser, app.url, width);
      for (const [path, label] of PAGES) {
        await page.goto(`${app.url}${path}`);
        expect(await documentWidth(page), path).toBeLessThanOrEqual(width);
        // Closed, the menu is one button that says where one is.
        expect(await page.locator('header nav a').first().isVisible(), path).toBe(false);
        expect(await notWhollyShown(page, 'header .menu-button'), path).toEqual([]);
        expect((await boxOf(page, 'header .menu-button')).height, path).toBeGreaterThanOrEqual(40);
        expect(await page.textContent('header .menu-button'), path).toContain(label);
        const closed = (await boxOf(page, 'header')).height;
        // The brand and who is signed in, then the button (a small phone puts who on a row of its own).
        expect(closed, path).toBeLessThan(width >= 390 ? 110 : 150);

        await page.click('header .menu-button');
        expect(await page.locator('header nav a').allTextContents(), path).toEqual(ADMIN_MENU);
        expect(await notWhollyShown(page, 'header nav a'), path).toEqual([]);
        expect(await lowest(page, 'header nav a'), path).toBeGreaterThanOrEqual(40);
        expect(await page.textContent('header nav a.active'), path).toBe(label);
        // Nothing of it scrolls sideways, and the page does not either.
        expect(await page.locator('header nav').evaluate((n) => n.scrollWidth <= n.clientWidth), path).toBe(
          true,
        );
        await lookAt(page, shots, `menu-open${path.replaceAll('/', '-')}`, width);

        // Tapped again, it closes.
        await page.click('header .menu-button');
        expect(await page.locator('header nav a').first().isVisible(), path).toBe(false);
        expect((await boxOf(page, 'header')).height, path).toBe(closed);
      }

      // An entry tapped opens its page, where the menu is closed again.
      await page.goto(`${app.url}/console`);
      await lookAt(page, shots, 'menu-closed-overview', width);
      await page.click('header .menu-button');
      await Promise.all([
        page.waitForURL(/\/console\/outbox$/),
        page.click('header nav a:text-is("消息发送")'),
      ]);
      expect(await page.textContent('main h1')).toBe('消息发送');
      expect(await page.locator('header nav a').first().isVisible()).toBe(false);
      expect(await page.textContent('header .menu-button')).toContain('消息发送');
      await page.close();
    });
  }

  it('keeps the entries in the header on a desktop, with no menu button', async () => {
    const page = await signedInAt(app.browser, app.url, 1280);
    await page.goto(`${app.url}/console/outbox`);
    expect(await page.locator('header .menu-button').isVisible()).toBe(false);
    expect(await page.locator('header nav a').allTextContents()).toEqual(ADMIN_MENU);
    expect(await notWhollyShown(page, 'header nav a')).toEqual([]);
    expect(await page.textContent('header nav a.active')).toBe('消息发送');
    await lookAt(page, shots, 'desktop-outbox', 1280);
    await page.close();
  });
});
