import { describe, expect, it } from 'vitest';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf } from '../helpers/page-layout.ts';
import { seedCongress, seedFailedMessages, seedPerson } from '../helpers/seed.ts';

// The console on a 390×844 phone in Chromium: tap targets of at least 20px (checkboxes, radios) and
// about 40px (buttons, 退出, links in lists, the menu's button and entries), the overview's warning that
// WeCom is not set up, 终止 refused until confirmed. Screenshots go to /tmp/h6/ for a person to look at.

const shots = new Artifacts('/tmp/h6');

describe.skipIf(!hasChromium)('the staff console on a phone', () => {
  let mandateId: number;
  const app = useBrowserApp({
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      ({ mandateId } = await seedPerson(deps.db, {
        name: '王平城',
        wecom: 'WangPC',
        mobile: '13835200041',
        congressId,
      }));
      await seedPerson(deps.db, { name: '赵云冈', wecom: 'ZhaoYG', mobile: '13900000002', congressId });
      await seedFailedMessages(deps.db, new Date(), 'phone:');
    },
  });

  it('has big enough tap targets, a one-row menu, and says WeCom is not set up', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
    expect(await page.textContent('main')).toContain('企业微信还没有配置，消息发不出去');
    await shots.screenshot(page, 'overview');

    // The menu is one 菜单 button until tapped, so the whole header stays short; opened, its entries
    // are tap-sized (console-nav-phone.e2e.test.ts checks each is whole and inside the screen).
    const header = await boxOf(page, 'header');
    expect(header.height).toBeLessThan(110);
    expect((await boxOf(page, 'header .menu-button')).height).toBeGreaterThanOrEqual(40);
    await page.click('header .menu-button');
    expect((await boxOf(page, 'header nav a')).height).toBeGreaterThanOrEqual(40);
    expect((await boxOf(page, 'button.link')).height).toBeGreaterThanOrEqual(40);

    await page.goto(`${app.url}/console/outbox?status=failed`);
    expect(await page.textContent('main')).toContain('企业微信还没有配置，这条消息发不出去');
    await shots.screenshot(page, 'outbox');

    await page.goto(`${app.url}/console/deputies`);
    expect((await boxOf(page, 'table.list td a')).height).toBeGreaterThanOrEqual(40);
    expect(await page.textContent('main')).toContain('13835200041');
    await shots.screenshot(page, 'deputies');

    // 终止 without the confirmation: refused, the form kept; ticked (by tapping its label): recorded.
    await page.goto(`${app.url}/console/deputies/${mandateId}`);
    const check = await boxOf(page, 'input[name=confirmTerminate]');
    expect(check.width).toBeGreaterThanOrEqual(20);
    expect(check.height).toBeGreaterThanOrEqual(20);
    expect((await boxOf(page, 'label.check')).height).toBeGreaterThanOrEqual(40);
    await page.selectOption('select[name=status]', 'terminated');
    await page.fill('textarea[name=reason]', '已调离本行政区域');
    await Promise.all([page.waitForLoadState('load'), page.click('form.box button[type=submit]')]);
    expect(await page.textContent('.error')).toContain('我已核实，确认终止其代表资格');
    expect(await page.inputValue('textarea[name=reason]')).toBe('已调离本行政区域');
    await shots.screenshot(page, 'terminate-refused');
    const status = async () =>
      (
        await app.db
          .selectFrom('mandates')
          .select('status')
          .where('id', '=', mandateId)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe('active');
    await page.click('label.check:has(input[name=confirmTerminate])');
    expect(await page.isChecked('input[name=confirmTerminate]')).toBe(true);
    await Promise.all([page.waitForURL(/done=status/), page.click('form.box button[type=submit]')]);
    expect(await status()).toBe('terminated');
  });
});
