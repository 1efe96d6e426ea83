import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster, seedTrafficAndPolice } from '../helpers/city-roster.ts';
import { everyRecord } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Staff asking the office's figures as colleagues ask ("这周的统计", "今年收到多少建议", "办结率多少", "哪个单位
// 超期最多"): answered from the statistics page's own figures (《代表法》第五十一条第三款), for the period said
// (none said: this year so far), within the congresses the staff member works for; never to a deputy, and
// asking changes nothing.

const WHERE = '详细数字在「工作平台 → 统计」查看，可导出表格。';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff asking the office's figures on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-03-10T02:00:00Z');
    /** Asks, and checks that asking changed nothing. */
    const ask = async (userid: string, text: string): Promise<string> => {
      const before = await everyRecord(chat.deps.db);
      const answer = await chat.say(userid, text);
      expect(await everyRecord(chat.deps.db), `“${text}” changed a record`).toBe(before);
      return answer;
    };
    const handOver = async (deputy: string, text: string, organ: string): Promise<string> => {
      const code = /JY-2026-\d{4}/.exec(await chat.say(deputy, `建议 ${text}`))?.[0];
      expect(code, text).toBeDefined();
      expect(await chat.say('LiSi', `交办 ${code} ${organ}`)).toContain('已交办');
      return code!;
    };
    const answer = async (code: string) =>
      expect(await chat.say('LiSi', `答复 ${code} 已经处理好了`)).toContain('已发给代表并请其评价');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan', 'WangEr', 'LiXiuYing'], zhujian: true });
      await seedTrafficAndPolice(chat.deps.db, clock.now());
      const county = await seedCongress(chat.deps.db, '云冈区第五届人民代表大会', 'county');
      await seedPerson(chat.deps.db, { name: '赵乡亲', wecom: 'CountyDeputy', congressId: county });
      await seedPerson(chat.deps.db, {
        name: '孙干事',
        wecom: 'CountyStaff',
        congressId: county,
        role: 'staff',
      });

      // Tuesday 2026-03-10: handed over, never answered; overdue by December.
      await handOver('ZhangSan', '北街下水道堵了', '市住建局');
      // Friday 2026-11-20: handed over, answered, rated 满意 (办结).
      clock.set('2026-11-20T02:00:00Z');
      await answer(await handOver('WangEr', '城南路灯不亮', '市交通局'));
      expect(await chat.say('WangEr', '满意')).toContain('该事项已办结');
      // Monday 2026-11-30 (this week): handed over and answered, not yet rated.
      clock.set('2026-11-30T02:00:00Z');
      await answer(await handOver('LiXiuYing', '学校门口红绿灯坏了', '市住建局'));
      // Wednesday 2026-12-02, today: one handed over, one filed and not handed over, one of the county.
      clock.set('2026-12-02T02:00:00Z');
      await handOver('ZhangSan', '菜市场门口占道经营', '市交通局');
      expect(await chat.say('WangEr', '建议 公园厕所没人打扫')).toContain('JY-2026-0005');
      expect(await chat.say('CountyDeputy', '建议 乡道坑洼需要修补')).toContain('JY-2026-0006');
      expect(await chat.say('CountyStaff', '交办 JY-2026-0006 市住建局')).toContain('已交办');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('reads this year so far, however staff ask it', async () => {
      const year =
        '交办的建议、批评和意见：交办件数 4 件，已答复 2 件，已办结 1 件；超期未答复 1 件（市住建局 1 件）。';
      for (const asked of ['本年的统计', '建议办结了多少', '今年答复了几件']) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toBe(`今年（1月1日至12月2日）${year}${WHERE}`);
      }
      for (const asked of ['今年收到多少建议', '今年提了多少建议']) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toBe(`今年（1月1日至12月2日）${year}统计按交办日期计算，尚未交办的不计入。${WHERE}`);
      }
      expect(await ask('LiSi', '办结率多少')).toBe(
        `今年（1月1日至12月2日）办结率 25.0%（已办结 1 件 ÷ 交办件数 4 件）。${WHERE}`,
      );
      for (const asked of ['哪个单位超期最多', '超期的有几件']) {
        expect(await ask('LiSi', asked), asked).toBe(
          `今年（1月1日至12月2日）交办的建议、批评和意见中，超期未答复 1 件（市住建局 1 件）。${WHERE}`,
        );
      }
    });

    it('reads the week (Monday to Sunday) and the month asked', async () => {
      const week =
        '交办的建议、批评和意见：交办件数 2 件，已答复 1 件，已办结 0 件；截至12月2日没有超期未答复的。';
      expect(await ask('LiSi', '这周的统计')).toBe(`这周（11月30日至12月6日）${week}${WHERE}`);
      expect(await ask('LiSi', '本周办结率多少')).toBe(
        `这周（11月30日至12月6日）办结率 0.0%（已办结 0 件 ÷ 交办件数 2 件）。${WHERE}`,
      );
      expect(await ask('LiSi', '这个礼拜的满意率是多少')).toBe(
        `这周（11月30日至12月6日）已评价 0 件，算不出满意率。${WHERE}`,
      );
      expect(await ask('LiSi', '上个月满意率')).toBe(
        `上个月（11月1日至11月30日）满意率 100.0%（满意 1 件 ÷ 已评价 1 件）。${WHERE}`,
      );
      expect(await ask('LiSi', '本月统计')).toBe(
        `本月（12月1日至12月31日）交办的建议、批评和意见：交办件数 1 件，已答复 0 件，已办结 0 件；截至12月2日没有超期未答复的。${WHERE}`,
      );
      expect(await ask('LiSi', '上个月的统计')).toBe(
        `上个月（11月1日至11月30日）交办的建议、批评和意见：交办件数 2 件，已答复 2 件，已办结 1 件；截至12月2日没有超期未答复的。${WHERE}`,
      );
      expect(await ask('LiSi', '去年的统计')).toBe(
        `去年（1月1日至12月31日）没有交办的建议、批评和意见。${WHERE}`,
      );
    });

    it("counts the county's staff member's own congress only", async () => {
      expect(await ask('CountyStaff', '今年的统计')).toBe(
        `今年（1月1日至12月2日）交办的建议、批评和意见：交办件数 1 件，已答复 0 件，已办结 0 件；截至12月2日没有超期未答复的。${WHERE}`,
      );
    });

    it('never gives a deputy the figures', async () => {
      for (const asked of ['这周的统计', '今年收到多少建议', '办结率多少', '哪个单位超期最多']) {
        const r = await ask('WangEr', asked);
        expect(r, asked).not.toContain('交办件数');
        expect(r, asked).not.toContain('「工作平台 → 统计」');
      }
    });
  });
}
