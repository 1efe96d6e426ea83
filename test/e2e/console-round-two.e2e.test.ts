import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { TIME_HINT } from '../../src/console/date-field.ts';
import { readWrittenTime } from '../../src/statute/calendar-date.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, documentWidth } from '../helpers/page-layout.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';

// This round's console fixes, as a staff member meets them: an activity's times are text fields that say
// the form expected in Chinese (never the browser's time picker, "09:00 AM" in an English browser) and take
// 9点半, 下午2点半, full-width digits; an impossible time is refused naming the field, the rest of the form
// kept. The congress list writes a term's dates with their weekdays, as every date in the console is written.
// Then both on a 390 px phone in an English Chromium without script; screenshots under
// test/artifacts/round-two/.

const CONGRESS = '大同市第十六届人民代表大会';
const WIDTH = 390;
const shots = new Artifacts('test/artifacts/round-two');
const plain = (html: string) => html.replace(/<[^>]+>/g, '');

describe('console round two', () => {
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    browser: hasChromium,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db, CONGRESS, 'city');
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId });
    },
  });
  const api = createApi(() => app.url);
  let staff = '';
  let page: Page;
  beforeAll(async () => {
    staff = await issueToken(api, { name: '张工作', role: 'staff' });
    if (!hasChromium) return;
    // An English browser without script, at phone width: the times must not follow its locale.
    const context = await app.browser.newContext({
      viewport: { width: WIDTH, height: 844 },
      locale: 'en-US',
      javaScriptEnabled: false,
    });
    page = await context.newPage();
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  });

  /** The activity form as a staff member fills it in, with the times as typed. */
  const activityForm = (csrf: string, from: string, to: string): Record<string, string> => ({
    _csrf: csrf,
    kind: 'study',
    congress: CONGRESS,
    title: '学习代表法修正案',
    organiser: '人大常委会办公室',
    group: '',
    station: '',
    date: '2026/12/3',
    from,
    to,
    place: '市人大三楼会议室',
    invite: 'none',
  });
  const newActivity = `/console/activities/new?template=study&congress=${encodeURIComponent(CONGRESS)}`;
  const timesOf = (title: string) =>
    app.db
      .selectFrom('activities')
      .select(['starts_at', 'ends_at'])
      .where('title', '=', title)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  const activityCount = async () => rowCount(app.db, 'activities');

  describe('time fields', () => {
    it('read a time as people write it, and name what no clock shows', () => {
      for (const [typed, time] of [
        ['09:00', '09:00'],
        ['9:00', '09:00'],
        ['9点', '09:00'],
        ['9点半', '09:30'],
        ['9点30分', '09:30'],
        ['下午2点', '14:00'],
        ['下午2点半', '14:30'],
        ['下午两点半', '14:30'],
        ['晚上7点', '19:00'],
        ['14:30', '14:30'],
        ['１４：３０', '14:30'],
        ['９点半', '09:30'],
        [' 上午 9 点 ', '09:00'],
        ['2:30 PM', '14:30'],
      ] as const)
        expect(readWrittenTime(typed), typed).toEqual({ time });
      expect(readWrittenTime('25:00')).toEqual({ noSuchTime: { hour: 25, minute: 0 } });
      expect(readWrittenTime('9:75')).toEqual({ noSuchTime: { hour: 9, minute: 75 } });
      expect(readWrittenTime('2点半')).toEqual({ partOfDayUnsaid: { hour: 2, minute: 30 } });
      for (const typed of ['上午', '九点钟左右', '上午14点', '9', '9:5', '下午2点pm'])
        expect(readWrittenTime(typed), typed).toBeNull();
    });

    it('are text fields with the form expected, never the browser’s time picker', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, staff);
      const page = (await b.get(newActivity)).text;
      expect(page).not.toContain('type="time"');
      expect(page).toContain(
        '<input type="text" id="activity-from" name="from" value="09:00" placeholder="时:分"',
      );
      expect(page).toContain('<input type="text" id="activity-to" name="to" value="12:00"');
      // One hint under the two fields side by side, describing both.
      expect(plain(page).split(TIME_HINT)).toHaveLength(2);
      expect(page.match(/aria-describedby="activity-time-hint"/g)).toHaveLength(2);
      expect(page).toContain('<small class="field-hint" id="activity-time-hint">');
    });

    it('take 9点半 and 下午2点半, full-width digits too', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, staff);
      const csrf = await b.csrf(newActivity);
      const ok = await b.post('/console/activities', activityForm(csrf, '9点半', '下午2点半'));
      expect(ok.status, ok.text).toBe(303);
      // 2026-12-03 in Shanghai (UTC+8).
      expect(await timesOf('学习代表法修正案')).toEqual({
        starts_at: new Date('2026-12-03T01:30:00Z'),
        ends_at: new Date('2026-12-03T06:30:00Z'),
      });
      const wide = await b.post('/console/activities', {
        ...activityForm(csrf, '０９：００', '１１：３０'),
        title: '学习选举法',
      });
      expect(wide.status, wide.text).toBe(303);
      expect(await timesOf('学习选举法')).toEqual({
        starts_at: new Date('2026-12-03T01:00:00Z'),
        ends_at: new Date('2026-12-03T03:30:00Z'),
      });
    });

    it('refuse an impossible time in Chinese, naming the field and keeping the rest of the form', async () => {
      const b = await ConsoleBrowser.signedIn(app.url, staff);
      const csrf = await b.csrf(newActivity);
      const count = await activityCount();
      const hour = await b.post('/console/activities', activityForm(csrf, '25:00', '下午2点半'));
      expect(hour.status).toBe(400);
      expect(hour.text).toContain(
        '「开始时间」填的 25:00 这个时间不存在：一天只有 0 点到 23 点，请重新填写。',
      );
      for (const kept of [
        'value="学习代表法修正案"',
        'value="人大常委会办公室"',
        'value="市人大三楼会议室"',
        'value="25:00"',
        'value="下午2点半"',
        'value="2026-12-03"',
      ])
        expect(hour.text).toContain(kept);
      const minute = await b.post('/console/activities', activityForm(csrf, '9点', '9:75'));
      expect(minute.status).toBe(400);
      expect(minute.text).toContain(
        '「结束时间」填的 9:75 这个时间不存在：一小时只有 0 到 59 分，请重新填写。',
      );
      expect(minute.text).toContain('value="9:75"');
      const word = await b.post('/console/activities', activityForm(csrf, '上午', '11:30'));
      expect(word.status).toBe(400);
      expect(word.text).toContain('「开始时间」填的「上午」不是时间，请按 时:分 填写，例如 09:00。');
      // “2点半” alone: the afternoon as often as the night, so asked, not guessed.
      const unsaid = await b.post('/console/activities', activityForm(csrf, '2点半', '下午4点'));
      expect(unsaid.status).toBe(400);
      expect(unsaid.text).toContain(
        '「开始时间」填的 2点半 是凌晨还是下午？请写明，例如「下午2点半」或 14:30',
      );
      const backwards = await b.post('/console/activities', activityForm(csrf, '下午3点', '14:00'));
      expect(backwards.status).toBe(400);
      expect(backwards.text).toContain('「结束时间」14:00 应晚于「开始时间」15:00，请重新填写。');
      expect(await activityCount()).toBe(count);
    });
  });

  describe('the congress list', () => {
    it('writes a term’s dates with their weekdays', async () => {
      const admin = await ConsoleBrowser.signedIn(app.url, TEST_ADMIN_TOKEN);
      const list = await admin.get('/console/congresses');
      expect(list.status).toBe(200);
      expect(plain(list.text)).toContain('任期 2022-01-01（星期六） 至 2027-01-31（星期日）');
      expect(list.text).toContain('<span class="nowrap">2022-01-01（星期六）</span>');
    });
  });

  describe.skipIf(!hasChromium)('on a 390 px phone', () => {
    const look = async (shot: string): Promise<string> => {
      await shots.screenshot(page, `${shot}-${WIDTH}`);
      expect(await documentWidth(page), shot).toBeLessThanOrEqual(WIDTH);
      return (await page.textContent('main')) ?? '';
    };
    const submit = (selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

    it('fills an activity’s times in words, and keeps the form when one is impossible', async () => {
      await page.goto(`${app.url}${newActivity}`);
      expect(await page.locator('input[type=time]').count()).toBe(0);
      for (const field of ['#activity-from', '#activity-to'])
        expect((await boxOf(page, field)).height, field).toBeGreaterThanOrEqual(40);
      await page.fill('#activity-title', '学习监督法');
      await page.fill('#activity-from', '25:00');
      await page.fill('#activity-to', '下午4点半');
      expect(await look('01-activity-form')).toContain(TIME_HINT);
      // The hint on one line under both fields.
      const hint = await boxOf(page, '#activity-time-hint');
      expect(hint.y).toBeGreaterThan((await boxOf(page, '#activity-to')).y);
      expect(hint.height).toBeLessThan(30);
      await submit('form.box button[type=submit]');
      const refused = await look('02-activity-refused');
      expect(refused).toContain('「开始时间」填的 25:00 这个时间不存在');
      expect(await page.inputValue('#activity-title')).toBe('学习监督法');
      expect(await page.inputValue('#activity-to')).toBe('下午4点半');
      await page.fill('#activity-from', '下午2点半');
      await submit('form.box button[type=submit]');
      expect(page.url()).toMatch(/\/console\/activities\/HD-2026-\d{4}/);
      const shown = await look('03-activity-created');
      expect(shown).toContain('14:30–16:30');
      // The invited deputy's name stays whole beside the checkbox (its note may go under it).
      expect((await boxOf(page, '.wb-checks label .nowrap')).height).toBeLessThan(30);
    });

    it('shows the congress list’s term with weekdays, each date whole', async () => {
      await page.goto(`${app.url}/console/congresses`);
      const text = await look('04-congress-list');
      expect(text).toContain('2022-01-01（星期六）');
      expect(text).toContain('2027-01-31（星期日）');
      // Each date on one line: its box no taller than one line of the card's text.
      const date = await boxOf(page, '.wb-item .nowrap');
      expect(date.height).toBeLessThan(30);
    });
  });
});
