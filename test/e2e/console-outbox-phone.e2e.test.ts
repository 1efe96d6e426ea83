import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimNextOutbox,
  markOutboxEnded,
  withdrawPendingByKeyPrefix,
} from '../../db/repositories/outbox.ts';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { finishBroadcasts } from '../../src/services/notices/index.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedGroup } from '../helpers/seed.ts';

// 消息发送 and a notice's page on a phone in Debian's Chromium: failed, withdrawn and unknown messages with
// long texts and errors, a notice finished with a message of unknown outcome. Nothing scrolls sideways at
// 390 px, 重新发送 is a button a thumb can hit, and a withdrawn message offers none. Screenshots under
// test/artifacts/outbox/.

const artifacts = new Artifacts('test/artifacts/outbox');
const WIDTH = 390;

describe.skipIf(!hasChromium)('the outbox and a notice on a phone', () => {
  let page: Page;
  let notice = 0;
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({ clock });
  const api = createApi(() => app.url);

  const look = async (path: string, shot: string) => {
    const r = await page.goto(`${app.url}${path}`);
    expect(r?.status(), path).toBe(200);
    await artifacts.screenshot(page, `${shot}-${WIDTH}`);
    expect(await documentWidth(page), path).toBeLessThanOrEqual(WIDTH);
  };

  beforeAll(async () => {
    const { deps } = app;
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
    page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 } });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 240_000);

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
