import { validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { JOBS, jobSchedule } from '../../jobs/job-list.ts';
import { jobsListLines } from '../../src/cli/jobs-command.ts';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { RULES, ruleById } from '../../src/statute/rules.ts';
import { instantAt, nextSendingTime } from '../../src/statute/working-hours.ts';

describe('the rule catalog', () => {
  it('has one entry for each of S1–S19 and S8a', () => {
    const ids = RULES.map((r) => r.id);
    const expected = [...Array.from({ length: 19 }, (_, i) => `S${i + 1}`), 'S8a'];
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cites a Chinese article for every rule and gives a valid cron schedule or none', () => {
    for (const r of RULES) {
      expect(r.article).toMatch(/第.+条/);
      expect(r.periods.length).toBeGreaterThan(0);
      if (r.schedule !== null)
        expect({ id: r.id, valid: validate(r.schedule) }).toEqual({ id: r.id, valid: true });
      if (r.status === 'not_built') expect(r.schedule).toBeNull();
    }
    expect(ruleById('S2')).toMatchObject({ article: '大同 第七条(九)', periods: ['month'], status: 'built' });
    expect(ruleById('S7')?.status).toBe('not_built');
    expect(ruleById('S99')).toBeUndefined();
  });
});

describe('the catalog states the schedules that run', () => {
  it("runs every job on its rule's schedule, and a job repeats none", () => {
    for (const job of JOBS) {
      const ruled = job.rules.map((id) => ruleById(id)?.schedule ?? null).filter((s) => s !== null);
      if (ruled.length > 0) {
        // The scheduler runs the catalog's string; the job writes no second copy of it.
        for (const s of ruled)
          expect({ job: job.name, cron: jobSchedule(job) }).toEqual({ job: job.name, cron: s });
        expect({ job: job.name, own: job.schedule }).toEqual({ job: job.name, own: undefined });
      } else {
        // No rule with a schedule (e.g. S18 polls, the holiday arrangement has no rule): its own, valid.
        expect({ job: job.name, own: job.schedule && validate(job.schedule) }).toEqual({
          job: job.name,
          own: true,
        });
        expect(jobSchedule(job)).toBe(job.schedule);
      }
    }
  });

  it('has no schedule that no job runs', () => {
    for (const r of RULES) {
      if (r.schedule === null) continue;
      expect({ id: r.id, served: JOBS.some((j) => j.rules.includes(r.id)) }).toEqual({
        id: r.id,
        served: true,
      });
    }
  });

  it('keeps the times that ran before the catalog was the source', () => {
    const ran: Record<string, string> = {
      'reception-day': '0 8 * * *',
      'group-activity': '0 8 * * *',
      'yearly-campaign': '0 8 * * *',
      'yearly-study': '0 8 * * *',
      'station-activity': '0 8 * * *',
      'station-reception': '0 8 * * *',
      'feedback-clock': '0 8 * * *',
      'session-leave': '0 8 * * *',
      'holiday-arrangement': '0 8 * * *',
      'reception-agendas': '0 8 * * *',
      'booking-reminders': '0 8 * * *',
      'close-unrated': '0 8 * * *',
      'follow-ups': '0 8 * * *',
      'organ-sign': '0 8 * * *',
      'organ-digest': '0 8 * * *',
      'broadcast-summary': '* * * * *',
    };
    expect(Object.fromEntries(JOBS.map((j) => [j.name, jobSchedule(j)]))).toEqual(ran);
    // `jobs list` shows the schedule that runs.
    const lines = jobsListLines();
    for (const j of JOBS)
      expect(lines).toContainEqual(expect.stringContaining(`${j.name} | ${jobSchedule(j)} |`));
  });

  it('calls the reception day’s host 接待人 in `jobs list`, as its pages and messages do', () => {
    const lines = jobsListLines();
    expect(lines.find((l) => l.startsWith('reception-agendas |'))).toMatch(/ \| 接待日前把预约话题送接待人$/);
    expect(lines.find((l) => l.startsWith('reception-day |'))).toMatch(/当天提醒预约代表和接待人）$/);
    expect(ruleById('S2')?.due).toBe('每月设定日（默认5日）或其后第一个工作日；议题提前若干个工作日送接待人');
    expect(lines.filter((l) => l.includes('主持人'))).toEqual([]);
  });

  it("refuses a job that repeats its rule's schedule or has none", () => {
    const base = { kind: 'task' as const, name: 'x', summary: '', run: async () => [] };
    expect(() => jobSchedule({ ...base, rules: ['S1'], schedule: '0 8 * * *' })).toThrow(/catalog/);
    expect(() => jobSchedule({ ...base, rules: ['S4'] })).toThrow(/no schedule/);
    expect(jobSchedule({ ...base, rules: ['S4'], schedule: '*/5 * * * *' })).toBe('*/5 * * * *');
  });
});

describe('working hours for notices (CONTRACT §4)', () => {
  const cal = new WorkCalendar();
  const tz = 'Asia/Shanghai';

  it('sends at once inside 09:00–18:00 of a working day', () => {
    const now = new Date('2026-10-09T02:30:00Z'); // 10:30 in Beijing, a Friday
    expect(nextSendingTime(cal, now, tz)).toEqual(now);
  });

  it('holds a notice from the evening before a holiday until 09:00 of the next working day', () => {
    // 2026-09-30 19:00 Beijing → National Day until 10-07 → 2026-10-08 09:00 Beijing
    expect(nextSendingTime(cal, new Date('2026-09-30T11:00:00Z'), tz).toISOString()).toBe(
      '2026-10-08T01:00:00.000Z',
    );
    // early morning of a working day waits for 09:00 that day
    expect(nextSendingTime(cal, new Date('2026-10-09T00:00:00Z'), tz).toISOString()).toBe(
      '2026-10-09T01:00:00.000Z',
    );
    // a make-up working Saturday counts
    expect(nextSendingTime(cal, new Date('2026-10-09T12:00:00Z'), tz).toISOString()).toBe(
      '2026-10-10T01:00:00.000Z',
    );
  });

  it('gives each zone, date and hour its own instant, asked once or many times', () => {
    // New York's clocks went forward on 2026-03-08: 09:00 is 14:00Z the day before and 13:00Z that day.
    const asks: [string, number, string, string][] = [
      ['2026-03-07', 9, 'America/New_York', '2026-03-07T14:00:00.000Z'],
      ['2026-03-08', 9, 'America/New_York', '2026-03-08T13:00:00.000Z'],
      ['2026-03-08', 9, tz, '2026-03-08T01:00:00.000Z'],
      ['2026-03-08', 18, tz, '2026-03-08T10:00:00.000Z'],
    ];
    for (let pass = 0; pass < 2; pass++) {
      for (const [date, hour, zone, want] of asks)
        expect(instantAt(date, hour, zone).toISOString()).toBe(want);
    }
    // A date the calendar does not know is refused each time it is asked.
    expect(() => instantAt('2026-02-30', 9, tz)).toThrow(RangeError);
    expect(() => instantAt('2026-02-30', 9, tz)).toThrow(RangeError);
  });
});
