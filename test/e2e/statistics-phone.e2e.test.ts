import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPage, signIn } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedFailedMessages, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// 统计 and 概览 in Debian's Chromium at 390 px (a phone) and 1280 px (a desktop), inside the second quarter:
// the suggestions table fits its box at 1280 px (no column cut off behind a sideways scroll) and the page
// never scrolls sideways at 390 px; the chart's words are at least 12 px as drawn; a running quarter reads
// 进行中; the overview's channel warning has links a thumb can hit. Screenshots under
// test/artifacts/statistics/ for a person to look at.

const shots = new Artifacts('test/artifacts/statistics');
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

describe.skipIf(!hasChromium)('statistics and the overview at 390 px and 1280 px', () => {
  let token = '';
  const clock = new FixedClock('2026-05-20T02:00:00Z'); // Wednesday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
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
        await seedOrgan(deps.db, organ, { name: '联系人', mobile: '13800000000' }, clock.now());
    },
  });
  const api = createApi(() => app.url);

  const open = async (path: string, width: number): Promise<Page> =>
    (await openPage(app.browser, app.url, path, { width, height: 900, locale: 'zh-CN', token })).page;
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
    token = await issueToken(api, { name: '马红梅', role: 'staff' });
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
        const code = await fileSuggestion(api, { deputy: 'WangPC', content: `${organ}办理事项${k + 1}` });
        await assignSuggestion(api, code, organ);
        if (k % 2 === 0) {
          const answer = await api('POST', `/suggestions/${code}/answers`, { organ, done: '已办理' });
          expect(answer.status, answer.text).toBeLessThan(300);
        }
      }
    }
  }, 240_000);

  it('fits the suggestions table into its box at 1280 px, every column in sight', async () => {
    const page = await open('/console/statistics?from=2026-01-01&to=2026-05-20', 1280);
    await shots.screenshot(page, 'statistics-1280');
    expect(await documentWidth(page)).toBeLessThanOrEqual(1280);
    const box = await page.evaluate(() => {
      const el = (globalThis as unknown as Doc).document.querySelector('div.scroll:has(> table.stats)');
      return el && { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    });
    expect(box).not.toBeNull();
    expect(box!.scrollWidth).toBeLessThanOrEqual(box!.clientWidth);
    await page.locator('div.scroll:has(> table.stats)').screenshot({ path: shots.path('table-1280.png') });
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
    await page
      .locator('h2:has-text("小组活动") + div')
      .screenshot({ path: shots.path('compliance-1280.png') });
    const compliance = (await page.locator('h2:has-text("小组活动") + div table').textContent()) ?? '';
    expect(compliance).not.toContain('进行中，目前 1/1');
    expect(compliance).toContain('进行中，目前 0/1');
    expect(compliance.match(/未达标/g)?.length).toBe(2);
  });

  it('at 390 px nothing scrolls sideways and the chart’s words are at least 12 px', async () => {
    const page = await open('/console/statistics?from=2026-01-01&to=2026-05-20', 390);
    await shots.screenshot(page, 'statistics-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    const sizes = await chartTextSizes(page);
    // Only the narrow chart is drawn, every word of it.
    expect(sizes.length).toBe(3 + ORGANS.length * 4);
    for (const px of sizes) expect(px).toBeGreaterThanOrEqual(12);
    const chart = await page.locator('figure.chart').boundingBox();
    expect(chart!.x + chart!.width).toBeLessThanOrEqual(390);
    await page.locator('figure.chart').screenshot({ path: shots.path('chart-390.png') });
    await shots.screenshot(page, 'statistics-390-top', false);
    const compliance = page.locator('h2:has-text("小组活动") + div');
    await compliance.screenshot({ path: shots.path('compliance-390.png') });
    expect(await compliance.textContent()).toContain('进行中，目前 0/1');
  });

  it('shows the printable report of the running year as such on a phone', async () => {
    const page = await open('/console/statistics/report?year=2026', 390);
    await shots.screenshot(page, 'report-390');
    expect(await page.textContent('h1')).toContain('年度进行中，截至 2026-05-20（星期三）');
    for (const px of await chartTextSizes(page)) expect(px).toBeGreaterThanOrEqual(12);
  });

  it('leaves the zero counts out of the overview’s warning, its links 40 px tall', async () => {
    await seedFailedMessages(app.db, clock.now(), 'statistics-phone:failed:');
    for (const width of [390, 1280]) {
      const context = await app.browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await signIn(page, app.url, TEST_ADMIN_TOKEN);
      await shots.screenshot(page, `overview-${width}`);
      expect(await documentWidth(page)).toBeLessThanOrEqual(width);
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
