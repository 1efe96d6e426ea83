import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
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
import { addSession, askLeave, assignSuggestion, fileSuggestion, issueToken } from '../helpers/seed-api.ts';

// What testers saw at phone width (390 px) in Chromium: an organ's list as cards with whole codes, the
// item's page with the suggestion's line breaks and what waits for the office, the answer under review
// wrapped, and the printable pages (交办函, 请假单, 出勤证明, the yearly report) at the phone's width with
// their pictures and tables inside the screen — and still A4 on paper, their inline style allowed by hash.

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/organ-phone');
const PHONE = 390;

/** A real PNG, `w`×`h`, one colour: the kept photo of the 交办函 (wider than a phone). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x6a)]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!hasChromium)('an organ’s pages and the printable pages at phone width', () => {
  let organToken = '';
  let mandateId = 0;
  let leaveCode = '';
  const codes: Record<string, string> = {};
  const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const app = useBrowserApp({
    clock,
    seed: async (deps) => {
      const congressId = await seedCongress(deps.db);
      ({ mandateId } = await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId }));
      await seedPerson(deps.db, { name: '李四', wecom: 'LiSi', congressId, role: 'staff' });
      await seedOrgan(deps.db, '市住房和城乡建设局', { name: '周科长', wecom: 'ZhujianZhou' }, clock.now());
    },
  });
  const api = createApi<AnyJson>(() => app.url);
  const own = createApi<AnyJson>(
    () => app.url,
    () => organToken,
  );

  beforeAll(async () => {
    organToken = await issueToken(api, { name: '住建局联系人', role: 'organ', organ: '市住房和城乡建设局' });
    const item = async (key: string, content: string) => {
      const code = await fileSuggestion(api, { deputy: 'WangWu', content });
      await assignSuggestion(api, code, '市住房和城乡建设局');
      codes[key] = code;
    };
    await item(
      'lamp',
      '府西街路灯不亮已经一个月。\n晚上老人孩子出行不便，<b>请尽快修复</b>。\n并请定期巡查周边小区照明设施。',
    );
    await item('noise', '广场舞噪音扰民，晚上九点后仍在播放音乐');
    await item('drain', '南关街下水道堵塞，雨后积水严重');
    await item('fresh', '迎宾街人行道破损');
    // The lamp item keeps a photo 1200 px wide (kept by the service, as when fetched from the platform).
    const photo = png(1200, 500);
    const sha = createHash('sha256').update(photo).digest('hex');
    await app.db
      .insertInto('media_contents')
      .values({
        sha256: sha,
        size: photo.length,
        content_type: 'image/png',
        content: photo,
        created_at: clock.now(),
      })
      .execute();
    const m = await app.db
      .insertInto('media')
      .values({
        channel: 'wecom',
        platform_id: 'MEDIA-LAMP',
        kind: 'image',
        status: 'fetched',
        next_attempt_at: clock.now(),
        last_error: null,
        sha256: sha,
        size: photo.length,
        content_type: 'image/png',
        inbound_id: null,
        received_at: clock.now(),
        fetched_at: clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await app.db
      .updateTable('suggestions')
      .set({ photos: JSON.stringify([{ mediaId: 'MEDIA-LAMP', stored: m.id }]) })
      .where('code', '=', codes.lamp!)
      .execute();
    // The lamp's answer waits for review (with a long unbroken line); the noise item waits for a return
    // decision; the drain item was answered and approved.
    const lampAnswer = await own('POST', `/suggestions/${codes.lamp}/answers`, {
      done: `已更换路灯 12 盏，详见 https://zjj.example.gov.cn/notices/2026/streetlights/${'x'.repeat(80)}\n已安排每周巡查`,
      signedBy: '张局长',
      resultClass: 'A',
    });
    expect(lampAnswer.status, lampAnswer.text).toBe(202);
    expect(
      (await own('POST', `/suggestions/${codes.noise}/return-request`, { reason: '噪音管理属于环保局职责' }))
        .status,
    ).toBe(200);
    const drain = await own('POST', `/suggestions/${codes.drain}/answers`, {
      done: '已疏通',
      signedBy: '张局长',
      resultClass: 'A',
    });
    expect(
      (
        await api('POST', `/suggestions/${codes.drain}/answers/${drain.json.answerId}/review`, {
          decision: 'approve',
        })
      ).status,
    ).toBe(200);
    // A leave request and an activity attended, for the 请假单 and the 出勤证明.
    await addSession(api, {
      congress: '大同市第十六届人民代表大会',
      name: '第五次会议',
      startsOn: '2026-12-20',
      endsOn: '2026-12-22',
    });
    leaveCode = await askLeave(api, {
      userid: 'WangWu',
      session: '第五次会议',
      reason: '因公出差外地，参加省里组织的城市更新项目评审会议',
    });
    const act = await api('POST', '/activities', {
      kind: 'study',
      title: '代表履职集体学习暨城市更新专题调研座谈会',
      organiser: 'LiSi',
      startsAt: '2026-11-24T01:00:00Z',
      endsAt: '2026-11-24T04:00:00Z',
      place: '市人大常委会三楼会议室',
      invitees: ['WangWu'],
    });
    expect(act.status, act.text).toBe(201);
    clock.set('2026-11-24T06:00:00Z'); // the activity has ended: attendance may be recorded
    const att = await api('POST', `/activities/${act.json.code}/attendance`, { userids: ['WangWu'] });
    expect(att.status, att.text).toBe(200);
  }, 180_000);

  /** A page at phone size; the CSP refusals Chromium reports are collected. */
  const open = (path: string, token: string | null, width = PHONE) =>
    openPage(app.browser, app.url, path, { width, token });
  const right = async (page: Page, selector: string) =>
    Math.max(
      0,
      ...(await page
        .locator(selector)
        .evaluateAll((els) =>
          els.map(
            (el) =>
              (el as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right,
          ),
        )),
    );
  const shot = (page: Page, name: string) => shots.screenshot(page, name);

  it('shows the organ’s list as cards: whole codes, the due date on its own, the real state of each item', async () => {
    const { page } = await open('/console/organ', organToken);
    await shot(page, 'organ-list-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
    expect(await page.locator('table.list thead').isVisible()).toBe(false);
    // Every code on one line: one line box, as wide as the code needs.
    for (const key of ['lamp', 'noise', 'drain', 'fresh']) {
      const link = page.locator(`a.code:text-is("${codes[key]}")`);
      const lines = await link.evaluate(
        (el) => (el as unknown as { getClientRects(): unknown[] }).getClientRects().length,
      );
      expect(lines, codes[key]).toBe(1);
    }
    const card = (key: string) =>
      page.locator('table.list tr', { has: page.locator(`a:text-is("${codes[key]}")`) });
    expect(await card('lamp').textContent()).toContain('答复已提交，等待代表工作机构审核');
    expect(await card('noise').textContent()).toContain('已申请退回，等待代表工作机构决定');
    expect(await card('drain').textContent()).toContain('已答复');
    expect(await card('fresh').textContent()).toContain('待签收，办理中');
    // The due date stays readable: its cell is as wide as the card allows, not one character wide.
    const dueWidth = await card('fresh')
      .locator('td[data-label="期限"] .due')
      .evaluate(
        (el) =>
          (el as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width,
      );
    expect(dueWidth).toBeGreaterThan(120);
  });

  it('shows the item with its line breaks, and what waits for the office instead of the forms', async () => {
    const { page } = await open(`/console/organ/items/${codes.lamp}/handle`, organToken);
    await shot(page, 'organ-handle-waiting-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
    // Three lines as written (each short enough for one line at 390 px), shown as text, not markup.
    const content = page.locator('p.pre').first();
    expect(await content.textContent()).toBe(
      '府西街路灯不亮已经一个月。\n晚上老人孩子出行不便，<b>请尽快修复</b>。\n并请定期巡查周边小区照明设施。',
    );
    const lines = await content.evaluate((el) => {
      const style = (
        globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string } }
      ).getComputedStyle(el);
      const box = (el as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect();
      return Math.round(box.height / Number.parseFloat(style.lineHeight));
    });
    expect(lines).toBe(3);
    expect(await page.locator('b').count()).toBe(0);
    const body = await page.locator('main').textContent();
    expect(body).toContain('正等待人大常委会代表工作机构审核');
    expect(body).toContain('已安排每周巡查');
    expect(await page.locator('form[action$="/answer"]').count()).toBe(0);
    expect(await page.locator('form[action$="/return-request"]').count()).toBe(0);

    const open2 = await open(`/console/organ/items/${codes.fresh}/handle`, organToken);
    await shot(open2.page, 'organ-handle-open-390');
    expect(await documentWidth(open2.page)).toBeLessThanOrEqual(PHONE);
    expect(await open2.page.locator('form[action$="/answer"]').count()).toBe(1);
  });

  it('brings a refused answer back in the browser with what was typed', async () => {
    const { page } = await open(`/console/organ/items/${codes.fresh}/handle`, organToken);
    await page.selectOption('#rc', 'B');
    await page.fill('#done', '已修补人行道 200 米\n其余路段列入明年计划');
    await page.fill('#planned', '明年修补其余路段');
    await page.fill('#plannedBy', '2026-11-20');
    await page.fill('#signedBy', '张局长');
    await page.fill('#contact', '周科长 0352-1234567');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action$="/answer"] button[type=submit]'),
    ]);
    await shot(page, 'organ-answer-refused-390');
    expect(await page.locator('p.error').textContent()).toContain('落实时限 2026-11-20 早于今天');
    expect(await page.inputValue('#rc')).toBe('B');
    expect(await page.inputValue('#done')).toBe('已修补人行道 200 米\n其余路段列入明年计划');
    expect(await page.inputValue('#planned')).toBe('明年修补其余路段');
    expect(await page.inputValue('#plannedBy')).toBe('2026-11-20');
    expect(await page.inputValue('#signedBy')).toBe('张局长');
    expect(await page.inputValue('#contact')).toBe('周科长 0352-1234567');
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
  });

  it('wraps the answer under review on a phone', async () => {
    const { page } = await open('/console/reviews', TEST_ADMIN_TOKEN);
    await shot(page, 'reviews-390');
    expect(await page.locator('pre.answer').first().textContent()).toContain('已安排每周巡查');
    expect(await right(page, 'pre.answer')).toBeLessThanOrEqual(PHONE);
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
  });

  it('brings an answer sent back for revision as a form filled with it, under the office’s note', async () => {
    const [pending] = await app.db
      .selectFrom('suggestion_answers')
      .select('id')
      .where('status', '=', 'pending_review')
      .orderBy('id')
      .execute();
    const back = await api('POST', `/suggestions/${codes.lamp}/answers/${pending!.id}/review`, {
      decision: 'return',
      note: '请写明巡查的责任科室和联系电话',
    });
    expect(back.status, back.text).toBe(200);
    const { page } = await open(`/console/organ/items/${codes.lamp}/handle`, organToken);
    await shot(page, 'organ-handle-returned-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
    expect(await page.locator('main').textContent()).toContain('请写明巡查的责任科室和联系电话');
    expect(await page.inputValue('#done')).toContain('已安排每周巡查');
    expect(await page.inputValue('#rc')).toBe('A');
    expect(await page.inputValue('#signedBy')).toBe('张局长');
  });

  const printable = [
    ['letter', () => `/console/organ/items/${codes.lamp}`, () => organToken, '交 办 函'],
    ['leave-form', () => `/console/leave/${leaveCode}/form`, () => TEST_ADMIN_TOKEN, '请假单'],
    [
      'certificate',
      () => `/console/deputies/${mandateId}/certificate?from=2026-11-01&to=2026-11-30`,
      () => TEST_ADMIN_TOKEN,
      '出勤证明',
    ],
    ['report', () => '/console/statistics/report?year=2026', () => TEST_ADMIN_TOKEN, '办理情况报告'],
  ] as const;
  for (const [name, path, token, title] of printable) {
    it(`shows the printable ${name} at the phone’s width, and prints it on A4 as before`, async () => {
      const { page, refused } = await open(path(), token());
      await shot(page, `print-${name}-390`);
      expect(await page.textContent('h1')).toContain(title);
      expect(await page.locator('meta[name=viewport]').getAttribute('content')).toBe(
        'width=device-width, initial-scale=1',
      );
      // At the phone's own width (not 980 px scaled down), with readable text, nothing wider than the screen.
      expect(await page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(
        PHONE,
      );
      expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
      expect(await right(page, 'img')).toBeLessThanOrEqual(PHONE);
      expect(await right(page, 'p')).toBeLessThanOrEqual(PHONE);
      const fontSize = await page
        .locator('body')
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
            ).getComputedStyle(el).fontSize,
        );
      expect(fontSize).toBe('15px');
      if (name === 'letter') expect(await page.locator('img').count()).toBe(1);
      if (name === 'report') {
        // The wide table scrolls inside its own box; its last column is there.
        const t = page.locator('table.stats').first();
        expect(await t.locator('th').last().textContent()).toBe('超期未答复');
        const box = await t.evaluate((el) => {
          const e = el as unknown as { scrollWidth: number; clientWidth: number };
          return { scroll: e.scrollWidth, client: e.clientWidth };
        });
        expect(box.client).toBeLessThanOrEqual(PHONE);
        expect(box.scroll).toBeGreaterThan(box.client);
        expect(await page.locator('.swipe').first().isVisible()).toBe(true);
      }
      // The inline A4 style sheet is applied (allowed by its hash): nothing refused.
      expect(refused).toEqual([]);
      // On paper: the A4 style as before (16 px, 170 mm), the phone rules not applied.
      await page.emulateMedia({ media: 'print' });
      const printed = await page
        .locator('body')
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
            ).getComputedStyle(el).fontSize,
        );
      expect(printed).toBe('16px');
      expect(await page.locator('.swipe').first().isVisible()).toBe(false);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });
  }

  it('keeps the public yearly report’s table inside the screen, scrolling in its own box', async () => {
    const { page, refused } = await open('/public/reports/2026', null);
    await shot(page, 'public-report-390');
    expect(await documentWidth(page)).toBeLessThanOrEqual(PHONE);
    expect(await page.locator('meta[name=viewport]').count()).toBe(1);
    const t = page.locator('table.stats').first();
    expect(await right(page, 'table.stats')).toBeLessThanOrEqual(PHONE);
    expect(await t.locator('th').last().textContent()).toBe('超期未答复');
    // It says it scrolls, and the organs' names are not crushed to a character a line.
    expect(await page.locator('.swipe').first().isVisible()).toBe(true);
    const firstColumn = await t
      .locator('td')
      .first()
      .evaluate(
        (el) =>
          (el as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width,
      );
    expect(firstColumn).toBeGreaterThanOrEqual(80);
    // Scrolled to its end, the last column is inside the screen.
    await t.evaluate((el) => {
      const e = el as unknown as { scrollLeft: number; scrollWidth: number };
      e.scrollLeft = e.scrollWidth;
    });
    expect(await right(page, 'table.stats >> nth=0 >> th >> nth=-1')).toBeLessThanOrEqual(PHONE);
    await shot(page, 'public-report-390-scrolled');
    expect(refused).toEqual([]);
  });
});
