import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 统计 and 概览 in Debian's Chromium at 390 px (a phone) and 1280 px (a desktop), inside the second quarter:
// the suggestions table fits its box at 1280 px (no column cut off behind a sideways scroll) and the page
// never scrolls sideways at 390 px; the chart's words are at least 12 px as drawn; a running quarter reads
// 进行中; the overview's channel warning has links a thumb can hit. Screenshots under
// test/artifacts/statistics/ for a person to look at.

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test/artifacts/statistics';
const CONGRESS = '大同市第十六届人民代表大会';
// Real organ names, long enough to need wrapping.
const ORGANS = [
  '大同市住房和城乡建设局',
  '大同市交通运输局',
  '大同市公安局交通警察支队',
  '大同市城市管理综合行政执法局',
  '大同市教育局',
];

interface Doc {
  document: {
    documentElement: { scrollWidth: number };
    querySelector(s: string): { scrollWidth: number; clientWidth: number } | null;
    querySelectorAll(s: string): ArrayLike<unknown>;
  };
  getComputedStyle(e: unknown): { display: string; fontSize: string };
}

/** Where an SVG text is drawn: its font size in the chart's units, and the chart's screen scale. */
interface SvgText {
  getAttribute(n: string): string | null;
  ownerSVGElement: { getBoundingClientRect(): { width: number }; viewBox: { baseVal: { width: number } } };
}

describe.skipIf(!existsSync(CHROMIUM))('statistics and the overview at 390 px and 1280 px', () => {
  let deps: TestDeps;
  let server: RunningServer;
  let browser: Browser;
  let token = '';
  const clock = new FixedClock('2026-05-20T02:00:00Z'); // Wednesday 10:00 in Shanghai
  const api = createApi(() => server.url);

  const open = async (path: string, width: number): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      locale: 'zh-CN',
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}${path}`);
    expect(res?.status(), path).toBe(200);
    return page;
  };
  const pageWidth = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as Doc).document.documentElement.scrollWidth);
  /** The rendered size in px of every text of the chart shown at this width (the other one is hidden). */
  const chartTextSizes = (page: Page) =>
    page.evaluate(() => {
      const g = globalThis as unknown as Doc;
      const texts = Array.from(g.document.querySelectorAll('figure.chart svg text')) as SvgText[];
      return texts
        .filter((t) => g.getComputedStyle(t.ownerSVGElement).display !== 'none')
        .map((t) => {
          const svg = t.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return Number(t.getAttribute('font-size')) * scale;
        });
    });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    deps = await createTestDeps('pglite+memory', { clock });
    const congressId = await seedCongress(deps.db, CONGRESS);
    await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId });
    await deps.db
      .insertInto('groups')
      .values([
        { congress_id: congressId, name: '第一代表小组', kind: 'small' },
        { congress_id: congressId, name: '第二代表小组', kind: 'small' },
      ])
      .execute();
    for (const organ of ORGANS)
      await upsertOrgan(
        deps.db,
        organ,
        { contactName: '联系人', contactMobile: '13800000000', contactWecom: null, contactDingtalk: null },
        clock.now(),
      );
    server = await startServer(deps);
    token = (await api('POST', '/tokens', { name: '马红梅', role: 'staff' })).json.token;
    const activity = await api('POST', '/activities', {
      kind: 'small_group',
      group: '第一代表小组',
      title: '小组视察',
      organiser: '常委会代表工作室',
      invitees: [],
      startsAt: '2026-04-20T09:00:00+08:00',
      endsAt: '2026-04-20T11:00:00+08:00',
    });
    expect(activity.status, activity.text).toBe(201);
    // Each organ some items, some answered: every column of the table holds a figure.
    for (const [i, organ] of ORGANS.entries()) {
      for (let k = 0; k <= i; k++) {
        const s = await api('POST', '/suggestions', {
          deputy: 'WangPC',
          content: `${organ}办理事项${k + 1}`,
        });
        expect(s.status, s.text).toBe(201);
        const a = await api('POST', `/suggestions/${s.json.code}/assignments`, { lead: organ });
        expect(a.status, a.text).toBe(200);
        if (k % 2 === 0) {
          const answer = await api('POST', `/suggestions/${s.json.code}/answers`, { organ, done: '已办理' });
          expect(answer.status, answer.text).toBeLessThan(300);
        }
      }
    }
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
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  it('fits the suggestions table into its box at 1280 px, every column in sight', async () => {
    const page = await open('/console/statistics?from=2026-01-01&to=2026-05-20', 1280);
    await page.screenshot({ path: `${SHOTS}/statistics-1280.png`, fullPage: true });
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    const box = await page.evaluate(() => {
      const el = (globalThis as unknown as Doc).document.querySelector('div.scroll:has(> table.stats)');
      return el && { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    });
    expect(box).not.toBeNull();
    expect(box!.scrollWidth).toBeLessThanOrEqual(box!.clientWidth);
    await page.locator('div.scroll:has(> table.stats)').screenshot({ path: `${SHOTS}/table-1280.png` });
    // The last column is inside the screen, and the figures are still text-sized.
    const last = await page.locator('table.stats thead th').last().boundingBox();
    expect(last!.x + last!.width).toBeLessThanOrEqual(1280);
    const size = await page
      .locator('table.stats tbody td')
      .first()
      .evaluate((el) => Number.parseFloat((globalThis as unknown as Doc).getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(13);
    // One chart drawn (the wide one): legend, and a name and three figures per organ.
    const sizes = await chartTextSizes(page);
    expect(sizes.length).toBe(3 + ORGANS.length * 4);
    for (const px of sizes) expect(px).toBeGreaterThanOrEqual(12);
    // A running quarter is not judged; the first, over, is.
    await page.locator('h2:has-text("小组活动") + div').screenshot({ path: `${SHOTS}/compliance-1280.png` });
    const compliance = (await page.locator('h2:has-text("小组活动") + div table').textContent()) ?? '';
    expect(compliance).not.toContain('进行中，目前 1/1');
    expect(compliance).toContain('进行中，目前 0/1');
    expect(compliance.match(/未达标/g)?.length).toBe(2);
  });

  it('at 390 px nothing scrolls sideways and the chart’s words are at least 12 px', async () => {
    const page = await open('/console/statistics?from=2026-01-01&to=2026-05-20', 390);
    await page.screenshot({ path: `${SHOTS}/statistics-390.png`, fullPage: true });
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    const sizes = await chartTextSizes(page);
    // Only the narrow chart is drawn, every word of it.
    expect(sizes.length).toBe(3 + ORGANS.length * 4);
    for (const px of sizes) expect(px).toBeGreaterThanOrEqual(12);
    const chart = await page.locator('figure.chart').boundingBox();
    expect(chart!.x + chart!.width).toBeLessThanOrEqual(390);
    await page.locator('figure.chart').screenshot({ path: `${SHOTS}/chart-390.png` });
    await page.screenshot({ path: `${SHOTS}/statistics-390-top.png` });
    const compliance = page.locator('h2:has-text("小组活动") + div');
    await compliance.screenshot({ path: `${SHOTS}/compliance-390.png` });
    expect(await compliance.textContent()).toContain('进行中，目前 0/1');
  });

  it('shows the printable report of the running year as such on a phone', async () => {
    const page = await open('/console/statistics/report?year=2026', 390);
    await page.screenshot({ path: `${SHOTS}/report-390.png`, fullPage: true });
    expect(await page.textContent('h1')).toContain('年度进行中，截至 2026-05-20（星期三）');
    for (const px of await chartTextSizes(page)) expect(px).toBeGreaterThanOrEqual(12);
  });

  it('leaves the zero counts out of the overview’s warning, its links 40 px tall', async () => {
    const now = clock.now();
    await deps.db
      .insertInto('outbox')
      .values(
        [0, 1, 2].map((i) => ({
          channel: 'wecom' as const,
          target_kind: 'user',
          target_address: `User${i}`,
          payload: JSON.stringify({ text: `通知 ${i}` }),
          idempotency_key: `statistics-phone:failed:${i}`,
          status: 'failed' as const,
          attempts: 2,
          not_before: new Date(now.getTime() + 3600_000),
          last_error: 'channel_disabled: channel wecom is not configured',
          created_at: now,
          first_tried_at: now,
        })),
      )
      .execute();
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${server.url}/console`);
      await page.fill('input[name=token]', TEST_ADMIN_TOKEN);
      await Promise.all([page.waitForURL(/\/console\/?$/), page.click('button[type=submit]')]);
      await page.screenshot({ path: `${SHOTS}/overview-${width}.png`, fullPage: true });
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      const warning = (await page.locator('div.error[role=alert]').first().textContent()) ?? '';
      expect(warning).toContain('企业微信还没有配置');
      expect(warning).toContain('现有 3 条发送失败、正在重试，另有');
      expect(warning).not.toMatch(/(^|\D)0 条/);
      const links = page.locator('div.error[role=alert] .alert-links a');
      expect(await links.count()).toBe(2);
      for (let i = 0; i < 2; i++) {
        const b = await links.nth(i).boundingBox();
        expect(b!.height, `link ${i} at ${width}`).toBeGreaterThanOrEqual(40);
        expect(b!.x + b!.width).toBeLessThanOrEqual(width);
      }
      await context.close();
    }
  });
});
