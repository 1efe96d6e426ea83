import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { boxOf, lookAt } from '../helpers/page-layout.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { addActivity, addSession, issueToken } from '../helpers/seed-api.ts';

// The workbench pages a staff member opens on a 390 px phone — 小组, 会议, 活动, 提醒记录, 令牌, 人大设置 —
// with a group whose long name holds markup, deputies with Chinese names and an activity organised by a
// staff member's account: no page scrolls sideways, every tick and choice is a 40 px row, a long group
// name is not squeezed into a narrow column, dates keep their weekday on one line, and what the pages
// say is in words (a person's name, a rule's meaning) rather than ids. Screenshots under
// test/artifacts/console-pages-phone/.

const shots = new Artifacts('test/artifacts/console-pages-phone');
const WIDTH = 390;
const CONGRESS = '大同市第十六届人民代表大会';
const GROUP = '平城区第一代表小组（含开发区、御东新区片区联络站）<b>';
const SESSION = '大同市第十六届人民代表大会第五次会议';
const DEPUTIES: [name: string, wecom: string][] = [
  ['王平城', 'WangPingCheng'],
  ['赵云冈', 'ZhaoYunGang'],
  ['李晋阳', 'LiJinYang'],
  ['欧阳慕容雪', 'OuYangMuRongXue'],
];

describe.skipIf(!hasChromium)('the workbench pages on a phone', () => {
  let page: Page;
  let congressId = 0;
  let groupId = 0;
  let sessionId = 0;
  let activity = '';
  const people: number[] = [];
  const app = useBrowserApp({
    clock: new FixedClock('2026-11-23T02:00:00Z'),
    seed: async (deps) => {
      congressId = await seedCongress(deps.db, CONGRESS, 'city');
      groupId = await seedGroup(deps.db, {
        congressId,
        name: GROUP,
        robotKey: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7f2c-4bc4-97a0-0ec2b1fa5aaa',
      });
      for (const [i, [name, wecom]] of DEPUTIES.entries()) {
        const mobile = `1390000000${i + 1}`;
        const seated = await seedPerson(deps.db, { name, wecom, mobile, congressId, smallGroupId: groupId });
        people.push(seated.personId);
      }
      // What the reminder jobs leave in the ledger: a reception day, a group's quarter, the holiday notice.
      await deps.db
        .insertInto('reminder_ledger')
        .values([
          {
            rule: 'S2',
            period: '2026-12#before',
            target: `person:${people[0]}`,
            job: 'reception-day',
            due_on: '2026-11-30',
          },
          {
            rule: 'S1',
            period: `2026-Q4#group:${groupId}`,
            target: `group:${groupId}`,
            job: 'group-activity',
            due_on: '2026-12-15',
          },
          {
            rule: 'calendar',
            period: `holidays:2027#congress:${congressId}`,
            target: `person:${people[1]}`,
            job: 'holiday-arrangement',
            due_on: '2026-11-20',
          },
        ])
        .execute();
    },
  });
  const api = createApi(() => app.url);

  beforeAll(async () => {
    await issueToken(api, { name: '代表工委 马红梅（负责建议交办和办理跟踪）', role: 'staff' });
    sessionId = await addSession(api, {
      congress: CONGRESS,
      name: SESSION,
      startsOn: '2026-12-20',
      endsOn: '2026-12-22',
    });
    // Organised by a staff member named by their WeCom account, as chat and the API allow.
    activity = await addActivity(api, {
      kind: 'inspection',
      title: '城区冬季供暖保障情况专题视察（平城区、云冈区、新荣区）',
      organiser: 'WangPingCheng',
      congress: CONGRESS,
      startsAt: '2026-12-02T01:00:00Z',
      endsAt: '2026-12-02T04:00:00Z',
      invitees: DEPUTIES.map(([, wecom]) => wecom),
    });
    page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 } });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 120_000);

  const open = async (shot: string, path: string): Promise<string> => {
    const res = await page.goto(`${app.url}${path}`);
    expect(res?.status(), path).toBe(200);
    return lookAt(page, shots, shot, WIDTH);
  };
  /** The heights of what `selector` finds, as laid out (typed without the browser's DOM). */
  const heights = (selector: string): Promise<number[]> =>
    page
      .locator(selector)
      .evaluateAll((found) =>
        found.map(
          (e) =>
            (e as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height,
        ),
      );
  /** The rows a thumb taps for the checkboxes or radios named `names`: their labels. */
  const tickRows = (...names: string[]) =>
    heights(names.map((n) => `label:has(> input[name=${n}])`).join(', '));

  it('fits every page on the screen and shows a long group name with its markup as text', async () => {
    const groups = await open('01-groups', '/console/groups');
    expect(groups).toContain(GROUP);
    expect(await page.locator('main b').count()).toBe(0);
    await open('02-group', `/console/groups/${groupId}`);
    await open('03-sessions', '/console/sessions');
    await open('04-session', `/console/sessions/${sessionId}`);
    await open('05-activities', '/console/activities');
    await open('06-activity', `/console/activities/${activity}`);
    await open('07-activity-new', '/console/activities/new?template=small_group');
    await open('08-tokens', '/console/tokens');
    await open('09-congresses', '/console/congresses');
    await open('10-congress', `/console/congresses/${congressId}`);
    expect(await open('11-reminders', '/console/reminders')).toContain('共 3 条');
  });

  it('makes every tick, choice and template a row a thumb can hit', async () => {
    const pages: [path: string, inputs: string[], count: number][] = [
      [`/console/sessions/${sessionId}`, ['userid'], DEPUTIES.length],
      [`/console/activities/${activity}`, ['userid'], DEPUTIES.length],
      ['/console/activities/new?template=small_group', ['invite'], 4],
      [`/console/congresses/${congressId}`, ['whoMayBook', 'bookGroup'], 4],
      [`/console/groups/${groupId}`, ['clear'], 1],
    ];
    for (const [path, inputs, count] of pages) {
      await page.goto(`${app.url}${path}`);
      const rows = await tickRows(...inputs);
      expect(rows.length, path).toBe(count);
      for (const h of rows) expect(h, path).toBeGreaterThanOrEqual(40);
    }
    await page.goto(`${app.url}/console/activities`);
    const chips = await heights('.wb-templates a');
    expect(chips.length).toBe(7);
    for (const h of chips) expect(h).toBeGreaterThanOrEqual(40);
  });

  it('lists the groups who may book the reception day under that choice, each name on the full width', async () => {
    await page.goto(`${app.url}/console/congresses/${congressId}`);
    const only = await boxOf(page, 'label:has(input[name=whoMayBook][value=groups])');
    const none = await boxOf(page, 'label:has(input[name=whoMayBook][value=none])');
    const group = await boxOf(page, 'label:has(input[name=bookGroup])');
    expect(group.y).toBeGreaterThan(only.y);
    expect(group.y).toBeLessThan(none.y);
    // Squeezed into half the form, the name took four lines; now it takes the width of the form.
    expect(group.width).toBeGreaterThan(250);
    expect(group.height).toBeLessThan(80);
  });

  it('keeps a date with its weekday on one line and leads from a group to its members', async () => {
    await page.goto(`${app.url}/console/sessions`);
    const dates = page.locator('.wb-item .nowrap', { hasText: '2026-12-22（星期二）' });
    expect(await dates.count()).toBe(1);
    expect((await dates.boundingBox())!.height).toBeLessThan(30);

    await page.goto(`${app.url}/console/groups/${groupId}`);
    await Promise.all([page.waitForEvent('load'), page.click('text=查看本组 4 位成员的名单')]);
    const roster = await lookAt(page, shots, '12-group-members', WIDTH);
    expect(roster).toContain('共 4 条');
    for (const [name] of DEPUTIES) expect(roster).toContain(name);
  });

  it('names an organiser entered by account as the person, on the list and on the activity', async () => {
    for (const path of ['/console/activities', `/console/activities/${activity}`]) {
      await page.goto(`${app.url}${path}`);
      const main = (await page.textContent('main')) ?? '';
      expect(main, path).toContain('王平城');
      expect(main, path).not.toContain('WangPingCheng');
    }
  });

  it('says in words what each reminder was, when it was for and whom it reached', async () => {
    await page.goto(`${app.url}/console/reminders`);
    const main = (await page.textContent('main')) ?? '';
    // The rule's meaning beside its number; the filter gives an example in words.
    expect(main).toContain('S2 每月5日为主任或副主任接待代表日');
    expect(main).toContain('国务院公布下一年放假安排后，提醒载入工作日历');
    // The filter offers each rule by what it requires.
    expect(await page.locator('select[name=rule] option[value=S2]').textContent()).toBe(
      'S2 每月5日为主任或副主任接待代表日，遇节假日推至休息后的第一天',
    );
    // Periods, people, groups and jobs by name, not by the ledger's keys.
    for (const words of ['2026年12月 接待日前', '2026年第4季度', '2027年放假安排', '王平城', '赵云冈', GROUP])
      expect(main).toContain(words);
    expect(main).toContain('接待代表日提醒');
    for (const key of ['person:', 'group:', 'holidays:', 'reception-day', 'calendar'])
      expect(main).not.toContain(key);
    await page.selectOption('select[name=rule]', 'S1');
    await Promise.all([page.waitForEvent('load'), page.click('form.filters button')]);
    expect(await lookAt(page, shots, '13-reminders-S1', WIDTH)).toContain('共 1 条');
  });
});
