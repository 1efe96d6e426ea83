import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimNextOutbox,
  markOutboxEnded,
  withdrawPendingByKeyPrefix,
} from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { finishBroadcasts } from '../../src/services/notices/index.ts';
import { createApi } from '../helpers/api.ts';
import { createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedGroup } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 消息发送 and a notice's page on a phone in Debian's Chromium: failed, withdrawn and unknown messages with
// long texts and errors, a notice finished with a message of unknown outcome. Nothing scrolls sideways at
// 390 px, 重新发送 is a button a thumb can hit, and a withdrawn message offers none. Screenshots under
// test/artifacts/outbox/.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts/outbox';
const WIDTH = 390;

describe.skipIf(!existsSync(CHROMIUM))('the outbox and a notice on a phone', () => {
  let deps: TestDeps;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let notice = 0;
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const api = createApi(() => server.url);

  const scrollWidth = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
  const look = async (path: string, shot: string) => {
    const r = await page.goto(`${server.url}${path}`);
    expect(r?.status(), path).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/${shot}-${WIDTH}.png`, fullPage: true });
    expect(await scrollWidth(), path).toBeLessThanOrEqual(WIDTH);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    deps = await createTestDeps('pglite+memory', { clock });
    server = await startServer(deps);
    const congressId = await seedCongress(deps.db);
    await seedGroup(deps.db, { congressId, name: '城区代表小组', robotKey: 'k1' });
    const sent = await api('POST', '/broadcasts', {
      targets: ['城区代表小组'],
      text: `请各位代表于本周五前报送年度履职情况。${'附：填报说明见工作群文件。'.repeat(12)}`,
    });
    notice = sent.json.id as number;
    const now = clock.now();
    const claimed = (await claimNextOutbox(deps.db, now, new Date(now.getTime() + 60_000), 't'))!;
    await markOutboxEnded(deps.db, claimed.id, 't', 'unknown', 'timeout: 请求超时', now);
    await finishBroadcasts(deps);
    // A failure with a long platform error, a withdrawn reminder with a long text.
    const dead = (await enqueue(deps.db, {
      channel: 'wecom',
      targetKind: 'user',
      targetAddress: 'ZhangSanFeng_Datong_Chengqu_0001',
      payload: { text: '您的建议 JY-2026-0012 已交办给市住房和城乡建设局，请留意办理进度。' },
      idempotencyKey: 'phone:dead',
    }))!;
    await deps.db
      .updateTable('outbox')
      .set({
        status: 'dead',
        attempts: 48,
        first_tried_at: now,
        last_error: `invalid_recipient: userid not found ${'x'.repeat(160)}`,
      })
      .where('id', '=', dead)
      .execute();
    await enqueue(deps.db, {
      channel: 'wecom',
      targetKind: 'user',
      targetAddress: 'LiSi',
      payload: { text: `缺席提醒：${'常委会第二十次会议定于下周二上午召开，请按时出席。'.repeat(4)}` },
      idempotencyKey: 'leave-warning:phone:1',
    });
    await withdrawPendingByKeyPrefix(deps.db, 'leave-warning:phone:', '请假已获批准，缺席提醒撤回');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: WIDTH, height: 844 } });
    await page.goto(`${server.url}/console`);
    await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  it('shows every outbox view without sideways scrolling, 重新发送 a thumb can hit', async () => {
    await look('/console', 'overview');
    await look('/console/outbox', 'outbox-all');
    await look('/console/outbox?status=dead', 'outbox-dead');
    const requeue = await page.locator('form[action^="/console/outbox/"][action*="/requeue"] button').first();
    expect((await requeue.boundingBox())!.height).toBeGreaterThanOrEqual(40);
    await look('/console/outbox?status=withdrawn', 'outbox-withdrawn');
    expect(await page.locator('form[action*="/requeue"] button').count()).toBe(0);
    await look('/console/outbox?status=unknown', 'outbox-unknown');
  });

  it('shows a notice finished with a message of unknown outcome', async () => {
    await look('/console/broadcasts', 'broadcasts');
    await look(`/console/broadcasts/${notice}`, 'broadcast-unknown');
    expect(await page.textContent('main')).toContain('已发出（1 条结果不明）');
  });
});
