import { validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { RULES, ruleById } from '../../src/statute/rules.ts';
import { nextSendingTime } from '../../src/statute/working-hours.ts';

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
});
