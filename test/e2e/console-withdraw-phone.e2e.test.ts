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
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// On a phone in Debian's Chromium: a notice queued in the evening is withdrawn from its page (the tick is
// asked for first, what was sent is not recalled), nothing scrolling sideways at 390 px; the search boxes
// stop at 100 characters; a search pasted into the address bar far past that gets a page in Chinese.
// Screenshots under test/artifacts/withdraw/.

const artifacts = new Artifacts('test/artifacts/withdraw');

describe.skipIf(!hasChromium)('withdrawing a notice and long searches on a phone', () => {
  let page: Page;
  const clock = new FixedClock('2026-11-23T11:00:00Z'); // Monday 19:00 in Shanghai: notices wait for 09:00
  // Served as src/main.ts serves it: the address too long to parse gets its page in Chinese.
  const app = useBrowserApp({
    clock,
    servedAsMain: true,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      const g = await deps.db
        .insertInto('groups')
        .values({ congress_id: congressId, name: '新荣区代表小组', kind: 'small' })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [name, wecom] of [
        ['代表甲', 'DeputyA'],
        ['代表乙', 'DeputyB'],
      ] as const) {
        const { mandateId } = await seedPerson(deps.db, { name, wecom, congressId });
        await deps.db
          .updateTable('mandates')
          .set({ small_group_id: g.id })
          .where('id', '=', mandateId)
          .execute();
      }
    },
  });
  const api = createApi(() => app.url);

  const submit = async (selector: string) => {
    const nav = page.waitForEvent('framenavigated');
    await page.click(selector);
    await nav;
    await page.waitForLoadState('load');
  };

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 240_000);

  it('withdraws a queued notice from its page on a phone', async () => {
    const sent = await api('POST', '/broadcasts', {
      targets: ['新荣区代表小组'],
      text: '明天上午九点在三楼会议室开会，请准时参加。',
    });
    expect(sent.status).toBe(202);
    const id = sent.json.id as number;
    await page.goto(`${app.url}/console/broadcasts/${id}`);
    const form = `form[action="/console/broadcasts/${id}/withdraw"]`;
    expect(await page.textContent(form)).toContain(
      '还有 2 条消息没有发出。撤回后它们不再发出；已经发出的消息不会撤回。',
    );
    await artifacts.screenshot(page, 'broadcast-waiting-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    // The tick box is a tap target a thumb can hit.
    const tick = await page.locator(`${form} label.check`).boundingBox();
    expect(tick!.height).toBeGreaterThanOrEqual(40);

    await submit(`${form} button[type=submit]`);
    expect(await page.textContent(`${form} p.error`)).toContain('撤回前请勾选');
    expect(
      (await app.db.selectFrom('outbox').select('status').execute()).every((r) => r.status === 'pending'),
    ).toBe(true);

    await page.check(`${form} input[name=confirmWithdraw]`);
    await submit(`${form} button[type=submit]`);
    expect(await page.textContent('p.notice')).toContain('未发出的消息已撤回，不会再发出。');
    const main = await page.textContent('main');
    expect(main).toContain('已撤回的 2 条没有发出。已经发出的消息不会撤回');
    expect(main).toContain('已撤回，未发出');
    expect(await page.locator(form).count()).toBe(0);
    await artifacts.screenshot(page, 'broadcast-withdrawn-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    expect((await app.db.selectFrom('outbox').select('status').execute()).map((r) => r.status)).toEqual([
      'dead',
      'dead',
    ]);
  });

  it('search boxes stop at 100 characters; a search far longer in the address bar gets a page in Chinese', async () => {
    for (const path of ['/console/suggestions', '/console/leave', '/console/deputies']) {
      await page.goto(`${app.url}${path}`);
      await page.locator('input[name=q]').pressSequentially('路灯'.repeat(60));
      expect((await page.inputValue('input[name=q]')).length, path).toBe(100);
    }
    const r = await page.goto(`${app.url}/console/suggestions?q=${encodeURIComponent('路灯'.repeat(1500))}`);
    expect(r?.status()).toBe(431);
    expect(await page.textContent('h1')).toBe('搜索的内容太长了，请缩短后再试。');
    await artifacts.screenshot(page, 'too-long-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
  });
});
