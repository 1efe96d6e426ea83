import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { correctDay } from '../../src/services/calendar/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// "元旦放几天", "春节哪天上班", "下周一上班吗" are answered from the working calendar the statutory clocks count
// on: a day staff corrected is what the deputy (and staff) are told. Asking changes nothing.

const PROVISIONAL = '国务院尚未公布这一年的放假安排，以上按法定节假日暂定，以正式通知为准。';
const CORRECTED = '（已按代表工作机构对工作日历的更正）';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`holiday questions on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const rows = async () => ({
      corrections: await chat.deps.db.selectFrom('calendar_corrections').selectAll().execute(),
      changes: (await chat.deps.db.selectFrom('date_changes').select('id').execute()).length,
      outbox: (await chat.deps.db.selectFrom('outbox').select('id').execute()).length,
      suggestions: (await chat.deps.db.selectFrom('suggestions').select('id').execute()).length,
    });
    const correct = (date: string, kind: 'holiday' | 'workday', note: string) =>
      correctDay(chat.deps, { date, kind, note, actor: 'test' });

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe', 'WangMang'] });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers from the calendar, and asking changes nothing', async () => {
      const before = await rows();
      expect(await chat.say('ZhangDaYe', '元旦放几天')).toBe(
        `2027年元旦：1月1日（星期五）至1月3日（星期日）放假，共3天，1月4日（星期一）上班。${PROVISIONAL}`,
      );
      expect(await chat.say('WangMang', '下周一上班吗')).toBe('12月7日（星期一）是工作日，正常上班。');
      expect(await chat.say('LiSi', '春节哪天上班')).toBe(
        `2027年春节：2月5日（星期五）至2月10日（星期三）放假，共6天，2月11日（星期四）上班。${PROVISIONAL}`,
      );
      // Told, not asked: a matter, never a holiday answer.
      expect(await chat.say('WangMang', '春节放假期间垃圾没人清')).not.toContain('上班');
      expect(await rows()).toEqual(before);
    });

    it('follows the staff’s corrections of the working calendar', async () => {
      await correct('2026-12-07', 'holiday', '大同市统一安排休息');
      await correct('2027-01-04', 'holiday', '元旦调休');
      await correct('2027-02-13', 'workday', '春节调休上班');
      const before = await rows();
      expect(before.corrections).toHaveLength(3);
      expect(await chat.say('WangMang', '下周一上班吗')).toBe(
        `12月7日（星期一）不上班：大同市统一安排休息。${CORRECTED}`,
      );
      expect(await chat.say('ZhangDaYe', '元旦放几天')).toBe(
        `2027年元旦：1月1日（星期五）至1月4日（星期一）放假，共4天，1月5日（星期二）上班。${CORRECTED}${PROVISIONAL}`,
      );
      expect(await chat.say('ZhangDaYe', '春节哪天上班')).toBe(
        `2027年春节：2月5日（星期五）至2月10日（星期三）放假，共6天，2月11日（星期四）上班。2月13日（星期六）调休上班。${CORRECTED}${PROVISIONAL}`,
      );
      expect(await rows()).toEqual(before);
    });
  });
}
