import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { openPage } from '../helpers/console-page.ts';
import { documentWidth } from '../helpers/page-layout.ts';
import { seedCongress, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// The public pages in Debian's Chromium at phone width (no login, every text escaped, no sideways
// scroll), and the 交办函 an organ's contact prints: an A4 PDF.

const artifacts = new Artifacts('test/artifacts/organ-public');

describe.skipIf(!hasChromium)('public results and the 交办函 in Chromium', () => {
  let organToken = '';
  const codes: Record<string, string> = {};
  const clock = new FixedClock('2026-11-23T02:00:00Z');
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
      await seedOrgan(deps.db, '市住建局', { name: '周科长', wecom: 'ZhujianZhou' }, clock.now());
    },
  });
  const api = createApi<AnyJson>(() => app.url);

  beforeAll(async () => {
    organToken = await issueToken(api, { name: '住建局联系人', role: 'organ', organ: '市住建局' });
    const own = createApi<AnyJson>(
      () => app.url,
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
      const code = await fileSuggestion(api, { deputy: 'WangWu', content, secret });
      codes[key] = code;
      await assignSuggestion(api, code, '市住建局');
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
  }, 180_000);

  const open = async (path: string, width: number, token?: string): Promise<Page> =>
    (await openPage(app.browser, app.url, path, { width, token })).page;

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
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await artifacts.screenshot(page, 'public-390');
  });

  it('shows the yearly handling report with the statistics by organ, readable on a phone', async () => {
    const page = await open('/public/reports/2026', 390);
    expect(await page.textContent('h1')).toContain('2026年代表建议、批评和意见办理情况报告');
    expect(await page.textContent('body')).toContain('市住建局');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await artifacts.screenshot(page, 'report-390');
  });

  it('prints the 交办函 the organ’s contact opens to an A4 PDF, with the kept content', async () => {
    const page = await open(`/console/organ/items/${codes.open}`, 794, organToken);
    expect(await page.textContent('h1')).toContain('交 办 函');
    expect(await page.textContent('body')).toContain('府西街路灯不亮<script>alert(1)</script>');
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync(artifacts.path('letter.pdf'), pdf);
    await artifacts.screenshot(page, 'letter');
    const list = await open('/console/organ', 390, organToken);
    expect(await list.textContent('body')).toContain(codes.secret);
    await artifacts.screenshot(list, 'organ-list-390');
  });
});
