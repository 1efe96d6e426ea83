import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, serveApp } from '../../src/app.ts';
import { FixedClock } from '../../src/clock.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createApi } from '../helpers/api.ts';
import { createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// On a phone in Debian's Chromium: a notice queued in the evening is withdrawn from its page (the tick is
// asked for first, what was sent is not recalled), nothing scrolling sideways at 390 px; the search boxes
// stop at 100 characters; a search pasted into the address bar far past that gets a page in Chinese.
// Screenshots under test/artifacts/withdraw/.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts/withdraw';

describe.skipIf(!existsSync(CHROMIUM))('withdrawing a notice and long searches on a phone', () => {
  let deps: TestDeps;
  let runtime: Runtime;
  let server: Server;
  let url = '';
  let browser: Browser;
  let page: Page;
  const clock = new FixedClock('2026-11-23T11:00:00Z'); // Monday 19:00 in Shanghai: notices wait for 09:00
  const api = createApi(() => url);

  const scrollWidth = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
  const submit = async (selector: string) => {
    const nav = page.waitForEvent('framenavigated');
    await page.click(selector);
    await nav;
    await page.waitForLoadState('load');
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    deps = await createTestDeps('pglite+memory', { clock });
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
    runtime = createRuntime(deps);
    server = await new Promise<Server>((resolve) => {
      const s = serveApp(createApp(deps, runtime), 0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/console`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await runtime?.outbox.stop();
    await new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server ? server.close(() => resolve()) : resolve();
    });
    await deps?.cleanup();
  });

  it('withdraws a queued notice from its page on a phone', async () => {
    const sent = await api('POST', '/broadcasts', {
      targets: ['新荣区代表小组'],
      text: '明天上午九点在三楼会议室开会，请准时参加。',
    });
    expect(sent.status).toBe(202);
    const id = sent.json.id as number;
    await page.goto(`${url}/console/broadcasts/${id}`);
    const form = `form[action="/console/broadcasts/${id}/withdraw"]`;
    expect(await page.textContent(form)).toContain(
      '还有 2 条消息没有发出。撤回后它们不再发出；已经发出的消息不会撤回。',
    );
    await page.screenshot({ path: `${ARTIFACTS}/broadcast-waiting-390.png`, fullPage: true });
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    // The tick box is a tap target a thumb can hit.
    const tick = await page.locator(`${form} label.check`).boundingBox();
    expect(tick!.height).toBeGreaterThanOrEqual(40);

    await submit(`${form} button[type=submit]`);
    expect(await page.textContent(`${form} p.error`)).toContain('撤回前请勾选');
    expect(
      (await deps.db.selectFrom('outbox').select('status').execute()).every((r) => r.status === 'pending'),
    ).toBe(true);

    await page.check(`${form} input[name=confirmWithdraw]`);
    await submit(`${form} button[type=submit]`);
    expect(await page.textContent('p.notice')).toContain('未发出的消息已撤回，不会再发出。');
    const main = await page.textContent('main');
    expect(main).toContain('已撤回的 2 条没有发出。已经发出的消息不会撤回');
    expect(main).toContain('已撤回，未发出');
    expect(await page.locator(form).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/broadcast-withdrawn-390.png`, fullPage: true });
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    expect((await deps.db.selectFrom('outbox').select('status').execute()).map((r) => r.status)).toEqual([
      'dead',
      'dead',
    ]);
  });

  it('search boxes stop at 100 characters; a search far longer in the address bar gets a page in Chinese', async () => {
    for (const path of ['/console/suggestions', '/console/leave', '/console/deputies']) {
      await page.goto(`${url}${path}`);
      await page.locator('input[name=q]').pressSequentially('路灯'.repeat(60));
      expect((await page.inputValue('input[name=q]')).length, path).toBe(100);
    }
    const r = await page.goto(`${url}/console/suggestions?q=${encodeURIComponent('路灯'.repeat(1500))}`);
    expect(r?.status()).toBe(431);
    expect(await page.textContent('h1')).toBe('搜索的内容太长了，请缩短后再试。');
    await page.screenshot({ path: `${ARTIFACTS}/too-long-390.png`, fullPage: true });
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
  });
});
