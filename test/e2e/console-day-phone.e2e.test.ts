import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, lookAt } from '../helpers/page-layout.ts';
import { seedCongress, seedGroup, seedOrgan, seedPerson } from '../helpers/seed.ts';
import { addSession, askLeave, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// A district congress's staff member's day on a 390 px phone in Debian's Chromium: sign in, the overview,
// a deputy found in the roster, a roster file with bad lines, two leave decisions, a suggestion handed to
// an organ and its deadline extended, a notice to two groups watched, a spreadsheet downloaded, signing
// out. On every page nothing scrolls sideways and the buttons and standalone links a thumb needs are at
// least 40 px tall. Screenshots under test/artifacts/day/ for a person to look at.

const shots = new Artifacts('test/artifacts/day');
const WIDTH = 390;
// A long but real congress name: it used to sit in a header cell that never wraps on the overview.
const CONGRESS = '山西省大同市云冈区第十七届人民代表大会';

describe.skipIf(!hasChromium)('a staff member’s day on a phone', () => {
  let page: Page;
  let token = '';
  let suggestion = '';
  const leave: string[] = [];
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db, CONGRESS, 'county');
      await seedGroup(deps.db, { congressId, name: '城区代表小组', robotKey: 'k1' });
      await seedGroup(deps.db, { congressId, name: '云冈区第二代表小组', robotKey: 'k2' });
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', mobile: '13835200041', congressId });
      await seedPerson(deps.db, { name: '赵云冈', wecom: 'ZhaoYG', mobile: '13900000002', congressId });
      await seedOrgan(deps.db, '云冈区住房和城乡建设局', { name: '周科长', wecom: 'Zhou' }, clock.now());
    },
  });
  const api = createApi(() => app.url);

  /** The page as it stands: screenshot, no sideways scrolling, the main text. */
  const look = (shot: string) => lookAt(page, shots, shot, WIDTH);
  const height = async (selector: string): Promise<number> => (await boxOf(page, selector)).height;
  const submit = async (selector: string) => {
    await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
  };

  beforeAll(async () => {
    token = await issueToken(api, { name: '马红梅', role: 'approver' });
    suggestion = await fileSuggestion(api, {
      deputy: 'WangPC',
      content: '迎宾街人行道破损，雨天积水，行人只能走机动车道',
    });
    await addSession(api, {
      congress: CONGRESS,
      name: '第五次会议',
      startsOn: '2026-12-20',
      endsOn: '2026-12-22',
    });
    for (const userid of ['WangPC', 'ZhaoYG']) {
      leave.push(await askLeave(api, { userid, session: '第五次会议', reason: '因公出差' }));
    }
    page = await app.browser.newPage({
      viewport: { width: WIDTH, height: 844 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
  }, 240_000);

  it('signs in and reads the overview: counts with units, the long congress name inside the screen', async () => {
    await signIn(page, app.url, token);
    const main = await look('01-overview');
    expect(main).toContain('2 件待决定的请假');
    expect(main).toContain('1 件办理中的建议');
    expect(main).toContain(`${CONGRESS}2026-12-07（星期一）`);
    expect(await height('main>p>a[href="/console/reception"]')).toBeGreaterThanOrEqual(40);
  });

  it('finds a deputy in the roster and opens them, with a way back a thumb can hit', async () => {
    await page.goto(`${app.url}/console/deputies?q=${encodeURIComponent('王平')}`);
    const list = await look('02-deputies');
    expect(list).toContain('13835200041');
    // An empty cell of a card reads「—」, not a label with nothing beside it.
    const unit = await page
      .locator('td[data-label="选举单位"] div')
      .first()
      .evaluate(
        (el) =>
          (
            globalThis as unknown as {
              getComputedStyle(e: unknown, pseudo: string): { content: string };
            }
          ).getComputedStyle(el, '::after').content,
      );
    expect(unit).toBe('"—"');
    await submit('td[data-label="姓名"] a');
    await look('03-deputy');
    expect(await height('main>p>a[href="/console/deputies"]')).toBeGreaterThanOrEqual(40);
  });

  it('imports a roster with bad lines: each refused line named in Chinese, the good one written', async () => {
    await page.goto(`${app.url}/console/roster`);
    const csv = [
      '姓名,企业微信账号,手机,代表小组,状态',
      '李晋阳,LiJY,13900000011,城区代表小组,正常',
      '刘大同,LiuDT,2026-13-45,城区代表小组,正常',
      'NUL\u0000人,NulRen,13900000012,城区代表小组,正常',
      '=1+1,Formula,13900000013,城区代表小组,正常',
      '李晋阳二,LiJY,13900000014,城区代表小组,正常',
      `${'很长的名字'.repeat(30)},LongName,13900000015,城区代表小组,正常`,
    ].join('\n');
    await page.setInputFiles('input[name=file]', {
      name: '名册.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await submit('form.box button[type=submit]');
    const preview = await look('04-roster-preview');
    expect(preview).toContain('第 3 行：手机「2026-13-45」');
    expect(preview).toContain('第 4 行：姓名「NUL人」中含有无法保存的字符');
    expect(preview).toContain('第 5 行：姓名「=1+1」像是 Excel 公式');
    expect(preview).toContain('第 6 行：与第 2 行是同一人');
    expect(preview).toContain('第 7 行：姓名过长（不超过 50 字）');
    expect(await height('button:text-is("确认导入")')).toBeGreaterThanOrEqual(40);
    expect(await height('main>p>a[href="/console/roster"]')).toBeGreaterThanOrEqual(40);
    await submit('button:text-is("确认导入")');
    const done = await look('05-roster-applied');
    expect(done).toContain('新增 1 行');
    const names = (await app.db.selectFrom('people').select('name').execute()).map((p) => p.name);
    expect(names).toContain('李晋阳');
    expect(names).not.toContain('=1+1');
  });

  it('decides two leave requests; the decided date reads plainly', async () => {
    await page.goto(`${app.url}/console/leave/${leave[0]}`);
    await page.click('label.check:has(input[value=rejected])');
    await submit('form[action$="/decision"] button[type=submit]');
    // Refused without a reason: the choice kept, the reason asked for in Chinese.
    expect(await look('06-leave-no-reason')).toContain('请填写不批准的理由');
    expect(await page.isChecked('input[value=rejected]')).toBe(true);
    await page.fill('textarea[name=reason]', '会议期间无法准假');
    expect(await height('form[action$="/decision"] button[type=submit]')).toBeGreaterThanOrEqual(40);
    await submit('form[action$="/decision"] button[type=submit]');
    // One step more before it is recorded: 确认 records it.
    expect(await look('07a-leave-confirm')).toContain('确认不批准');
    await submit('button[name=confirm]');
    const rejected = await look('07-leave-rejected');
    expect(rejected).toContain('决定已记录');
    expect(rejected).toContain('决定日期2026-11-23（星期一）');
    expect(await height('main>p>a[href="/console/leave"]')).toBeGreaterThanOrEqual(40);
    await page.goto(`${app.url}/console/leave/${leave[1]}`);
    await page.click('label.check:has(input[value=approved])');
    await submit('form[action$="/decision"] button[type=submit]');
    await submit('button[name=confirm]');
    expect(await look('08-leave-approved')).toContain('已批准');
  });

  it('hands the suggestion to an organ and extends its deadline, a refused date kept in the form', async () => {
    await page.goto(`${app.url}/console/suggestions/${suggestion}`);
    await page.selectOption('#lead', '云冈区住房和城乡建设局');
    await submit('form[action$="/assign"] button[type=submit]');
    expect(await look('09-assigned')).toContain('已交办');
    await page.fill('#extend-date', '2027-12-01');
    await page.fill('#extend-reason', '需要协调多个部门');
    await submit('form[action$="/extend"] button[type=submit]');
    expect(await look('10-extend-refused')).toContain('延期不得超过自交办之日起6个月');
    expect(await page.inputValue('#extend-reason')).toBe('需要协调多个部门');
    // A real day refused for the rule: the message says why; the field itself is not marked.
    expect(await page.getAttribute('#extend-date', 'aria-invalid')).toBeNull();
    // A day no calendar has: the field is marked and the cursor is in it, ready for the right day.
    await page.fill('#extend-date', '2027-02-30');
    await submit('form[action$="/extend"] button[type=submit]');
    expect(await look('10b-extend-no-such-day')).toContain('2027 年 2 月只有 28 天');
    expect(await page.getAttribute('#extend-date', 'aria-invalid')).toBe('true');
    await page.locator('form[action$="/extend"]').screenshot({ path: shots.path('10c-extend-form-390.png') });
    expect(
      await page.evaluate(
        () => (globalThis as { document?: { activeElement?: { id?: string } } }).document?.activeElement?.id,
      ),
    ).toBe('extend-date');
    expect(await page.inputValue('#extend-reason')).toBe('需要协调多个部门');
    await page.fill('#extend-date', '2027-04-01');
    await submit('form[action$="/extend"] button[type=submit]');
    const extended = await look('11-extended');
    expect(extended).toContain('已延期');
    expect(extended).toContain('2027-04-01（星期四）');
    expect(await height('main>p>a[href="/console/suggestions"]')).toBeGreaterThanOrEqual(40);
  });

  it('sends a notice to two groups and watches it, with links back a thumb can hit', async () => {
    await page.goto(`${app.url}/console/broadcasts`);
    await page.fill('#broadcast-text', '请各位代表于本周五前报送年度履职情况。');
    await page.check('input[value="城区代表小组"]');
    await page.check('input[value="云冈区第二代表小组"]');
    await submit('form[action="/console/broadcasts"] button[type=submit]');
    expect(await look('12-broadcast-preview')).toContain('共 2 个代表群');
    expect(await height('button[value=send]')).toBeGreaterThanOrEqual(40);
    await submit('button[value=send]');
    const progress = await look('13-broadcast-progress');
    expect(progress).toContain('等待 2 个');
    expect(await height('main>p>a:text-is("刷新进度")')).toBeGreaterThanOrEqual(40);
    expect(await height('main>p>a:text-is("返回群发通知")')).toBeGreaterThanOrEqual(40);
  });

  it('reads the statistics, is shown a wrong period again, and downloads a spreadsheet named in Chinese', async () => {
    await page.goto(`${app.url}/console/statistics`);
    await look('14-statistics');
    // A rate's fraction sits beside its label's value, not under the label.
    const rate = page.locator('td[data-label="答复率"]').first();
    const label = await rate.evaluate(
      (el) => (el as unknown as { getBoundingClientRect(): { left: number } }).getBoundingClientRect().left,
    );
    const fraction = await rate
      .locator('span.muted')
      .evaluate(
        (el) => (el as unknown as { getBoundingClientRect(): { left: number } }).getBoundingClientRect().left,
      );
    expect(fraction - label).toBeGreaterThan(80);
    expect(await height('main>p>a:text-is("下载 Excel")')).toBeGreaterThanOrEqual(40);
    await page.fill('input[name=from]', '2026-12-01');
    await page.fill('input[name=to]', '2026-01-01');
    await submit('form.filters button[type=submit]');
    const wrong = await look('15-statistics-wrong-period');
    expect(wrong).toContain('开始日期 2026-12-01（星期二） 晚于结束日期');
    expect(await page.inputValue('input[name=from]')).toBe('2026-12-01');
    await page.goto(`${app.url}/console/statistics`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('main>p>a:text-is("下载 Excel") >> nth=0'),
    ]);
    expect(download.suggestedFilename()).toBe('建议办理统计_2026-01-01至2026-11-23.xlsx');
    const path = shots.path('statistics.xlsx');
    await download.saveAs(path);
    // No cell of the workbook is a formula.
    const { execFileSync } = await import('node:child_process');
    const sheet = execFileSync('unzip', ['-p', path, 'xl/worksheets/sheet1.xml']).toString();
    expect(sheet).toContain('<sheetData>');
    expect(sheet).not.toContain('<f>');
    writeFileSync(shots.path('statistics-sheet1.xml'), sheet);
  });

  it('signs out and is told so', async () => {
    await page.goto(`${app.url}/console`);
    expect(await height('button.link')).toBeGreaterThanOrEqual(40);
    await submit('button.link');
    const out = await look('16-signed-out');
    expect(out).toContain('您已退出登录。');
    expect(await page.isVisible('input[name=token]')).toBe(true);
  });
});
