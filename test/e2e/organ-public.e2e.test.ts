import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The public pages in Debian's Chromium at phone width (no login, every text escaped, no sideways
// scroll), and the 交办函 an organ's contact prints: an A4 PDF.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts/organ-public';

describe.skipIf(!existsSync(CHROMIUM))('public results and the 交办函 in Chromium', () => {
  let deps: TestDeps;
  let server: RunningServer;
  let browser: Browser;
  let organToken = '';
  const codes: Record<string, string> = {};
  const clock = new FixedClock('2026-11-23T02:00:00Z');
  const api = createApi<AnyJson>(() => server.url);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    deps = await createTestDeps('pglite+memory', { clock });
    const congressId = await seedCongress(deps.db);
    await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
    await upsertOrgan(
      deps.db,
      '市住建局',
      { contactName: '周科长', contactMobile: null, contactWecom: 'ZhujianZhou', contactDingtalk: null },
      clock.now(),
    );
    server = await startServer(deps);
    organToken = (await api('POST', '/tokens', { name: '住建局联系人', role: 'organ', organ: '市住建局' }))
      .json.token;
    const own = createApi<AnyJson>(
      () => server.url,
      () => organToken,
    );
    for (const [key, content, secret] of [
      [
        'open',
        '府西街路灯不亮<script>alert(1)</script>，晚上老人孩子出行不便，请尽快修复并定期巡查，同时检查周边小区照明设施的维护责任',
        false,
      ],
      ['secret', '某涉密工程选址意见', true],
    ] as const) {
      const s = await api('POST', '/suggestions', { deputy: 'WangWu', content, secret });
      codes[key] = s.json.code;
      expect(
        (await api('POST', `/suggestions/${s.json.code}/assignments`, { lead: '市住建局' })).status,
      ).toBe(200);
    }
    const a = await own('POST', `/suggestions/${codes.open}/answers`, {
      done: '已更换路灯 12 盏 <b>每周巡查</b>',
      signedBy: '张局长',
      resultClass: 'A',
    });
    expect(a.status, a.text).toBe(202);
    expect(
      (
        await api('POST', `/suggestions/${codes.open}/answers/${a.json.answerId}/review`, {
          decision: 'approve',
        })
      ).status,
    ).toBe(200);
    expect(
      (await api('POST', `/suggestions/${codes.open}/publication`, { publish: true, withholdName: true }))
        .status,
    ).toBe(200);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  const open = async (path: string, width: number, token?: string): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width, height: 844 },
      ...(token ? { extraHTTPHeaders: { authorization: `Bearer ${token}` } } : {}),
    });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}${path}`);
    expect(res?.status(), path).toBe(200);
    return page;
  };
  const scrollWidth = (page: Page) =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );

  it('shows the published item on a phone without login, escaped, with no 涉密 item nor withheld name', async () => {
    const page = await open('/public', 390);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(codes.open);
    expect(text).toContain('市住建局（承办）');
    expect(text).toContain('A类 已解决或采纳');
    expect(text).toContain('已更换路灯 12 盏 <b>每周巡查</b>');
    expect(text).toContain('代表（应本人要求不公开姓名）');
    expect(text).not.toContain('王五');
    expect(text).not.toContain(codes.secret);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('b').count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/public-390.png`, fullPage: true });
  });

  it('shows the yearly handling report with the statistics by organ, readable on a phone', async () => {
    const page = await open('/public/reports/2026', 390);
    expect(await page.textContent('h1')).toContain('2026年代表建议、批评和意见办理情况报告');
    expect(await page.textContent('body')).toContain('市住建局');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/report-390.png`, fullPage: true });
  });

  it('prints the 交办函 the organ’s contact opens to an A4 PDF, with the kept content', async () => {
    const page = await open(`/console/organ/items/${codes.open}`, 794, organToken);
    expect(await page.textContent('h1')).toContain('交 办 函');
    expect(await page.textContent('body')).toContain('府西街路灯不亮<script>alert(1)</script>');
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync(`${ARTIFACTS}/letter.pdf`, pdf);
    await page.screenshot({ path: `${ARTIFACTS}/letter.png`, fullPage: true });
    const list = await open('/console/organ', 390, organToken);
    expect(await list.textContent('body')).toContain(codes.secret);
    await list.screenshot({ path: `${ARTIFACTS}/organ-list-390.png`, fullPage: true });
  });
});
