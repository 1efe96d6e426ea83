import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobByName } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { bookReception } from '../../src/services/reception/index.ts';
import { createApi } from '../helpers/api.ts';
import { Artifacts } from '../helpers/artifacts.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { useBrowserApp } from '../helpers/browser-app.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { signIn } from '../helpers/console-page.ts';
import { lookAt } from '../helpers/page-layout.ts';
import { seedCongress, seedPerson, setCongressSettings } from '../helpers/seed.ts';

// 提醒记录 on a 390 px phone in Debian's Chromium: the reception day's own reminders — the booked topics to
// the host and the booker's reminder the working day before, sent by the scheduler's jobs — show the job
// that sent each, the day it fell due (a catch-up marked 补发) and what became of its message, as
// GET /api/reminders does. Screenshots under SHOTS_DIR, else test/artifacts/reception-reminder-log/.

const shots = new Artifacts(process.env.SHOTS_DIR ?? 'test/artifacts/reception-reminder-log');
const WIDTH = 390;
const DATONG = '大同市第十六届人民代表大会';

describe.skipIf(!hasChromium)('the reception day’s reminders in 提醒记录 on a phone', () => {
  let page: Page;
  let hostId = 0;
  let booking = '';
  const app = useBrowserApp({
    clock: new FixedClock('2026-11-23T02:00:00Z'), // Monday 10:00 in Shanghai
    seed: async (deps) => {
      const datong = await seedCongress(deps.db, DATONG, 'city');
      await setCongressSettings(deps.db, datong, { receptionHosts: ['李主任'], agendaLeadWorkingDays: 3 });
      const deputy = await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId: datong });
      hostId = (
        await seedPerson(deps.db, { name: '李主任', wecom: 'LiZR', congressId: datong, role: 'staff' })
      ).personId;
      // 王平城 books December's reception day (Monday 12-07; the 5th is a Saturday).
      const booked = await bookReception(deps, {
        personId: deputy.personId,
        month: '2026-12',
        topic: '老旧小区加装电梯',
        today: '2026-11-23',
      });
      expect(booked.ok).toBe(true);
      booking = booked.code ?? '';
      // The host's topics go out on time, three working days before (Wednesday 12-02); the booker's
      // reminder, due Friday 12-04, is sent by a run on Saturday 12-05: late.
      const run = async (job: string, at: string) => {
        const report = await runJob(deps, jobByName(job)!, new Date(at));
        expect(report.outcome, job).toBe('ok');
      };
      await run('reception-agendas', '2026-12-02T02:00:00Z');
      await run('booking-reminders', '2026-12-05T02:00:00Z');
    },
  });
  const api = createApi(() => app.url);

  beforeAll(async () => {
    page = await app.browser.newPage({ viewport: { width: WIDTH, height: 844 }, javaScriptEnabled: false });
    await signIn(page, app.url, TEST_ADMIN_TOKEN);
  }, 120_000);

  /** A row of the list, by words of its 周期, as label → text. */
  const rowOf = async (words: string): Promise<Record<string, string>> => {
    const row = page.locator('table.list tbody tr', { hasText: words });
    expect(await row.count(), words).toBe(1);
    const cells = row.locator('td');
    const out: Record<string, string> = {};
    for (let i = 0; i < (await cells.count()); i++) {
      const cell = cells.nth(i);
      out[(await cell.getAttribute('data-label')) ?? ''] = ((await cell.textContent()) ?? '').trim();
    }
    return out;
  };

  it('shows the job that sent each reminder, the day it fell due (a catch-up marked 补发) and its message', async () => {
    await page.goto(`${app.url}/console/reminders`);
    await lookAt(page, shots, '01-reminders-reception', WIDTH);
    expect(await rowOf('预约话题送接待人')).toMatchObject({
      周期: '接待日 2026-12-07（星期一）：预约话题送接待人',
      对象: '李主任',
      任务: '接待日前把预约话题送接待人',
      应提醒日: '2026-12-02（星期三）',
      排入时间: '2026-12-02 10:00',
      发送情况: '待发送',
    });
    expect(await rowOf('前一个工作日提醒预约的代表')).toMatchObject({
      周期: '接待日 2026-12-07（星期一）：前一个工作日提醒预约的代表',
      对象: `王平城（预约 ${booking}）`,
      任务: '接待日前一个工作日提醒预约的代表',
      应提醒日: '2026-12-04（星期五） 补发',
      排入时间: '2026-12-05 10:00',
      发送情况: '待发送',
    });
  });

  it('GET /api/reminders gives the same job, due day and reception day', async () => {
    const res = await api('GET', '/reminders?rule=S2');
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(2);
    expect(res.json.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          period: '2026-12:2026-12-07:agenda',
          target: `person:${hostId}`,
          job: 'reception-agendas',
          dueOn: '2026-12-02',
          eventOn: '2026-12-07',
          late: false,
          outboxStatus: 'pending',
        }),
        expect.objectContaining({
          period: '2026-12:2026-12-07:reminder',
          target: `booking:${booking}`,
          job: 'booking-reminders',
          dueOn: '2026-12-04',
          eventOn: '2026-12-07',
          late: true,
          outboxStatus: 'pending',
        }),
      ]),
    );
  });
});
