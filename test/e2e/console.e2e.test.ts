import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The console as a staff member meets it: a real Chromium (Debian's), a phone-sized window, sign-in by
// token, a page with hostile text, and a form that changes a deputy's status (S16). Playwright runs the
// browser with a fresh profile of its own.

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

describe.skipIf(!existsSync(CHROMIUM))('the console in Chromium', () => {
  let deps: TestDeps;
  let server: RunningServer;
  let browser: Browser;
  let mandateId: number;

  beforeAll(async () => {
    deps = await createTestDeps('pglite+memory');
    const congressId = await seedCongress(deps.db);
    ({ mandateId } = await seedPerson(deps.db, { name: HOSTILE, wecom: 'Hostile', congressId }));
    server = await startServer(deps);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  it('signs in, shows hostile text as text, and changes a status through the form', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    await page.goto(`${server.url}/console`);
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    // Refused: the sign-in form again, and no session.
    expect(await page.locator('input[name=token]').count()).toBe(1);
    expect(await page.context().cookies()).toEqual([]);

    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toContain('概览');

    await page.goto(`${server.url}/console/deputies/${mandateId}`);
    expect(await page.textContent('body')).toContain(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.selectOption(`select[name=status]`, 'suspended');
    await page.fill('textarea[name=reason]', '依法暂停执行代表职务');
    await Promise.all([page.waitForLoadState('load'), page.click('form.box button[type=submit]')]);
    const mandate = await deps.db
      .selectFrom('mandates')
      .select(['status', 'status_reason'])
      .where('id', '=', mandateId)
      .executeTakeFirstOrThrow();
    expect(mandate).toEqual({ status: 'suspended', status_reason: '依法暂停执行代表职务' });
    expect(dialogs).toEqual([]);
  });
});
