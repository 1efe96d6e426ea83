import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// The console as a staff member meets it: a real Chromium (Debian's), a phone-sized window, sign-in by
// token, a page with hostile text, and a form that changes a deputy's status (S16). Playwright runs the
// browser with a fresh profile of its own.

const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

describe.skipIf(!hasChromium)('the console in Chromium', () => {
  let mandateId: number;
  const app = useBrowserApp({
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      ({ mandateId } = await seedPerson(deps.db, { name: HOSTILE, wecom: 'Hostile', congressId }));
    },
  });

  it('signs in, shows hostile text as text, and changes a status through the form', async () => {
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    await page.goto(`${app.url}/console`);
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    // Refused: the sign-in form again, and no session.
    expect(await page.locator('input[name=token]').count()).toBe(1);
    expect(await page.context().cookies()).toEqual([]);

    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toContain('概览');

    await page.goto(`${app.url}/console/deputies/${mandateId}`);
    expect(await page.textContent('body')).toContain(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();

    await page.selectOption(`select[name=status]`, 'suspended');
    await page.fill('textarea[name=reason]', '依法暂停执行代表职务');
    await Promise.all([page.waitForLoadState('load'), page.click('form.box button[type=submit]')]);
    const mandate = await app.db
      .selectFrom('mandates')
      .select(['status', 'status_reason'])
      .where('id', '=', mandateId)
      .executeTakeFirstOrThrow();
    expect(mandate).toEqual({ status: 'suspended', status_reason: '依法暂停执行代表职务' });
    expect(dialogs).toEqual([]);
  });
});
