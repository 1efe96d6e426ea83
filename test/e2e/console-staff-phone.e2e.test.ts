import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The console on a 390×844 phone in Chromium: tap targets of at least 20px (checkboxes, radios) and
// about 40px (buttons, 退出, links in lists), the menu one scrollable row, the overview's warning that
// WeCom is not set up, 终止 refused until confirmed. Screenshots go to /tmp/h6/ for a person to look at.

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = '/tmp/h6';

describe.skipIf(!existsSync(CHROMIUM))('the staff console on a phone', () => {
  let deps: TestDeps;
  let server: RunningServer;
  let browser: Browser;
  let mandateId: number;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    deps = await createTestDeps('pglite+memory');
    const congressId = await seedCongress(deps.db);
    ({ mandateId } = await seedPerson(deps.db, {
      name: '王平城',
      wecom: 'WangPC',
      mobile: '13835200041',
      congressId,
    }));
    await seedPerson(deps.db, { name: '赵云冈', wecom: 'ZhaoYG', mobile: '13900000002', congressId });
    const now = new Date();
    await deps.db
      .insertInto('outbox')
      .values(
        Array.from({ length: 3 }, (_, i) => ({
          channel: 'wecom' as const,
          target_kind: 'user',
          target_address: `User${i}`,
          payload: JSON.stringify({ text: `通知 ${i}` }),
          idempotency_key: `phone:${i}`,
          status: 'failed' as const,
          attempts: 2,
          not_before: new Date(now.getTime() + 3600_000),
          last_error: 'channel_disabled: channel wecom is not configured',
          created_at: now,
          first_tried_at: now,
        })),
      )
      .execute();
    server = await startServer(deps);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  const box = async (page: Page, selector: string) => {
    const b = await page.locator(selector).first().boundingBox();
    expect(b, selector).not.toBeNull();
    return b!;
  };

  it('has big enough tap targets, a one-row menu, and says WeCom is not set up', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/console`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
    expect(await page.textContent('main')).toContain('企业微信还没有配置，消息发不出去');
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });

    // The menu is one row that scrolls sideways; the whole header stays short.
    const header = await box(page, 'header');
    expect(header.height).toBeLessThan(100);
    const nav = await box(page, 'header nav');
    expect(nav.height).toBeLessThan(50);
    expect(await page.locator('header nav').evaluate((n) => n.scrollWidth > n.clientWidth)).toBe(true);
    expect((await box(page, 'header nav a')).height).toBeGreaterThanOrEqual(40);
    expect((await box(page, 'button.link')).height).toBeGreaterThanOrEqual(40);

    await page.goto(`${server.url}/console/outbox?status=failed`);
    expect(await page.textContent('main')).toContain('企业微信还没有配置，这条消息发不出去');
    await page.screenshot({ path: `${SHOTS}/outbox.png`, fullPage: true });

    await page.goto(`${server.url}/console/deputies`);
    expect((await box(page, 'table.list td a')).height).toBeGreaterThanOrEqual(40);
    expect(await page.textContent('main')).toContain('13835200041');
    await page.screenshot({ path: `${SHOTS}/deputies.png`, fullPage: true });

    // 终止 without the confirmation: refused, the form kept; ticked (by tapping its label): recorded.
    await page.goto(`${server.url}/console/deputies/${mandateId}`);
    const check = await box(page, 'input[name=confirmTerminate]');
    expect(check.width).toBeGreaterThanOrEqual(20);
    expect(check.height).toBeGreaterThanOrEqual(20);
    expect((await box(page, 'label.check')).height).toBeGreaterThanOrEqual(40);
    await page.selectOption('select[name=status]', 'terminated');
    await page.fill('textarea[name=reason]', '已调离本行政区域');
    await Promise.all([page.waitForLoadState('load'), page.click('form.box button[type=submit]')]);
    expect(await page.textContent('.error')).toContain('我已核实，确认终止其代表资格');
    expect(await page.inputValue('textarea[name=reason]')).toBe('已调离本行政区域');
    await page.screenshot({ path: `${SHOTS}/terminate-refused.png`, fullPage: true });
    const status = async () =>
      (
        await deps.db
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
