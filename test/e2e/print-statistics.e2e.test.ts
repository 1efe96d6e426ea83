import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPage } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { addSession, askLeave, assignSuggestion, fileSuggestion } from '../helpers/seed-api.ts';

// The printable documents (请假单, 出勤证明 (S19), the yearly 建议办理情况报告 of 《代表法》第五十一条第三款)
// rendered to A4 PDF by Debian's Chromium, and the statistics page: its chart drawn on the server as SVG,
// each figure a link to as many items as it says.

const artifacts = new Artifacts('test/artifacts/print');
const at = (shanghai: string) => new Date(`${shanghai}T10:00:00+08:00`);

describe.skipIf(!hasChromium)('print pages and statistics in Chromium', () => {
  let mandateId = 0;
  let leaveCode = '';
  const clock = new FixedClock(at('2026-03-02'));
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      ({ mandateId } = await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId }));
    },
  });
  const api = createApi<AnyJson>(() => app.url);

  beforeAll(async () => {
    for (const organ of ['市交通局', '市公安局']) {
      await seedOrgan(app.db, organ, { name: '联系人', mobile: '13800000000' }, clock.now());
    }
    for (const [content, lead] of [
      ['新建北路路灯坏了', '市交通局'],
      ['公交站台没有遮雨棚', '市交通局'],
      ['小区门口积水', '市公安局'],
    ] as const) {
      await assignSuggestion(api, await fileSuggestion(api, { deputy: '张三', content }), lead);
    }
    await addSession(api, {
      congress: '大同市第十六届人民代表大会',
      name: '第五次会议',
      startsOn: '2026-03-20',
      endsOn: '2026-03-22',
    });
    leaveCode = await askLeave(api, { userid: 'ZhangSan', session: '第五次会议', reason: '<b>出差</b>在外' });
  }, 180_000);

  /** A page at A4's width (or `width`), signed in as the admin by the header. */
  const open = async (path: string, width = 794): Promise<Page> =>
    (await openPage(app.browser, app.url, path, { width, height: 1123, token: TEST_ADMIN_TOKEN })).page;

  /** A4 PDF: its bytes start %PDF and it has at least one page; one page kept as PNG to look at. */
  const pdfOf = async (page: Page, name: string) => {
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    writeFileSync(artifacts.path(`${name}.pdf`), pdf);
    await page.emulateMedia({ media: 'print' });
    await artifacts.screenshot(page, name);
    return pages.length;
  };

  it('renders the 请假单 to an A4 PDF, with the deputy’s text as text', async () => {
    const page = await open(`/api/leave-requests/${leaveCode}/form`);
    expect(await page.textContent('h1')).toContain('请假单');
    expect(await page.textContent('body')).toContain('<b>出差</b>在外');
    await pdfOf(page, 'leave-form');
  });

  it('renders the 出勤证明 to an A4 PDF', async () => {
    const page = await open(
      `/api/deputies/${mandateId}/attendance-certificate?from=2026-01-01&to=2026-06-30`,
    );
    expect(await page.textContent('h1')).toContain('出勤证明');
    await pdfOf(page, 'attendance-certificate');
  });

  it('renders the yearly 建议办理情况报告 with its table, chart and definitions to an A4 PDF', async () => {
    const page = await open('/console/statistics/report?year=2026');
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('2026年代表建议、批评和意见办理情况报告');
    expect(text).toContain('第五十一条第三款');
    expect(text).toContain('按期答复率');
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(3);
    const rows = await page.locator('table.stats').first().locator('tr').allTextContents();
    expect(rows.some((r) => r.startsWith('市交通局2'))).toBe(true);
    await pdfOf(page, 'handling-report');
  });

  it('shows the statistics page with every figure linking to as many items as it says', async () => {
    const page = await open('/console/statistics?from=2026-01-01&to=2026-12-31');
    expect(await page.locator('svg.chart a rect').count()).toBeGreaterThan(0);
    expect(await page.textContent('body')).toContain('答复日期不晚于当时有效的答复期限');
    const links = page.locator('table.stats td a');
    const n = await links.count();
    expect(n).toBeGreaterThan(10);
    const targets: { href: string; figure: number }[] = [];
    for (let i = 0; i < n; i++) {
      const a = links.nth(i);
      targets.push({ href: (await a.getAttribute('href'))!, figure: Number(await a.textContent()) });
    }
    for (const t of targets.filter((x, i) => i % 3 === 0 || x.figure > 0)) {
      await page.goto(`${app.url}${t.href}`);
      expect(Number(await page.textContent('strong.figure')), t.href).toBe(t.figure);
      expect(await page.locator('table tbody tr').count(), t.href).toBe(t.figure);
    }
    const phone = await open('/console/statistics?from=2026-01-01&to=2026-12-31', 390);
    await artifacts.screenshot(phone, 'statistics-390');
    expect(await documentWidth(phone)).toBeLessThanOrEqual(390);
  });
});
