import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';

// 全部重新发送 on a phone in Debian's Chromium with scripts off: the list's button opens the confirm page,
// which fits 390 px, whose box and button a thumb can hit; the browser itself refuses the form until the box
// is ticked, and then the messages are sent again. Screenshots under test/artifacts/outbox/.

const artifacts = new Artifacts('test/artifacts/outbox');
const WIDTH = 390;

describe.skipIf(!hasChromium)('confirming 全部重新发送 on a phone', () => {
  let page: Page;
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({ clock });
  const ids: number[] = [];

  const statuses = async () =>
    (await app.db.selectFrom('outbox').select('status').where('id', 'in', ids).execute()).map(
      (r) => r.status,
    );

  beforeAll(async () => {
    for (const n of [1, 2, 3]) {
      const id = (await enqueue(app.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: `Deputy_Datong_Chengqu_000${n}`,
        payload: { text: `您的建议 JY-2026-000${n} 已交办，请留意办理进度。` },
        idempotencyKey: `phone-confirm:${n}`,
      }))!;
      await app.db
        .updateTable('outbox')
        .set({
          status: 'dead',
          attempts: 3,
          first_tried_at: clock.now(),
          last_error: 'server_error: HTTP 502',
        })
        .where('id', '=', id)
        .execute();
      ids.push(id);
    }
    page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 240_000);

  it('asks on a page that fits the phone, and sends only once the box is ticked', async () => {
    await page.goto(`${app.url}/console/outbox?status=dead`);
    await Promise.all([
      page.waitForURL(/\/console\/outbox\/requeue-dead\??$/),
      page.click('form[action="/console/outbox/requeue-dead"] button'),
    ]);
    expect(await page.textContent('main')).toContain('将把 3 条发送失败的消息重新排队发送');
    await artifacts.screenshot(page, `requeue-confirm-${WIDTH}`);
    expect(await documentWidth(page)).toBeLessThanOrEqual(WIDTH);
    const box = (await page.locator('label.check').boundingBox())!;
    const button = (await page
      .locator('form[method="post"][action="/console/outbox/requeue-dead"] button[type=submit]')
      .boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(40);
    expect(button.height).toBeGreaterThanOrEqual(40);
    expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);

    // Unticked: the browser keeps the form (required), nothing is sent.
    await page.click('form[method="post"][action="/console/outbox/requeue-dead"] button[type=submit]');
    expect(page.url()).toMatch(/\/console\/outbox\/requeue-dead\??$/);
    expect(await statuses()).toEqual(['dead', 'dead', 'dead']);

    await page.check('input[name="confirm"]');
    await Promise.all([
      page.waitForURL(/\/console\/outbox\?status=dead&done=requeued$/),
      page.click('form[method="post"][action="/console/outbox/requeue-dead"] button[type=submit]'),
    ]);
    await artifacts.screenshot(page, `requeue-done-${WIDTH}`);
    expect(await statuses()).toEqual(['pending', 'pending', 'pending']);
  });
});
