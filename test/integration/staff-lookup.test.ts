import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson, seedSessionAhead } from '../helpers/seed.ts';

// Staff on the phone with a deputy look up that deputy's items by name (“查询 张三”, “王二请假了吗”), only
// within the congresses they work for; a deputy's own 查询 is never about someone else.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff look up a deputy's items by name on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      const city = await seedCongress(db);
      const county = await seedCongress(db, '云冈区第五届人民代表大会', 'county');
      await seedPerson(db, { name: '张三', wecom: 'ZhangSan', congressId: city });
      await seedPerson(db, { name: '王二', wecom: 'WangEr', congressId: city });
      await seedPerson(db, { name: '刘芳', wecom: 'LiuFang1', congressId: city });
      await seedPerson(db, { name: '刘芳', wecom: 'LiuFang2', congressId: city });
      // Another congress's deputy of the same name, whose items the city's staff never see.
      await seedPerson(db, { name: '张三', wecom: 'ZhangSanCounty', congressId: county });
      await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' });
      await seedSessionAhead(chat.deps);
      expect(await chat.say('ZhangSan', '建议 府西街路灯不亮已经一个月了')).toContain('JY-2026-0001');
      expect(await chat.say('WangEr', '建议 菜市场门口占道经营')).toContain('JY-2026-0002');
      expect(await chat.say('WangEr', '请假 第七次会议 住院做手术')).toContain('QJ-2026-0001');
      expect(await chat.say('ZhangSanCounty', '建议 乡道坑洼需要修补')).toContain('JY-2026-0003');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it("lists the named deputy's items of the staff member's congress only", async () => {
      const r = await chat.send('LiSi', { kind: 'text', text: '查询 张三' });
      expect(r?.text).toMatch(/^张三代表的事项（共 1 项）/);
      expect(r?.text).toContain('JY-2026-0001 建议「府西街路灯不亮已经一个月了」');
      expect(r?.text).not.toContain('JY-2026-0003');
      expect(r?.text).not.toContain('乡道');
      expect(r?.buttons?.map((b) => b.command)).toEqual(['查询 JY-2026-0001']);
    });

    it('lists only the kind asked about, as staff ask it', async () => {
      const leave = await chat.say('LiSi', '王二请假了吗');
      expect(leave).toMatch(/^王二代表的请假记录（共 1 项）/);
      expect(leave).toContain('QJ-2026-0001');
      expect(leave).not.toContain('JY-2026-0002');
      const suggestions = await chat.say('LiSi', '查一下王二提的建议');
      expect(suggestions).toContain('JY-2026-0002 建议「菜市场门口占道经营」');
      expect(suggestions).not.toContain('QJ-2026-0001');
      expect(await chat.say('LiSi', '张三有没有请假')).toBe(
        '张三代表目前没有请假记录。发“查询 张三”可查看全部事项（共 1 项）。',
      );
    });

    it('asks for a code when two deputies share the name, and for a name or code when none is given', async () => {
      expect(await chat.say('LiSi', '查询 刘芳')).toContain('有 2 位代表叫“刘芳”');
      expect(await chat.say('LiSi', '查询')).toContain('请发要查的编号或代表姓名');
      // Nothing was created or changed by looking.
      const items = await chat.deps.db.selectFrom('suggestions').select('code').execute();
      expect(items.map((i) => i.code).sort()).toEqual(['JY-2026-0001', 'JY-2026-0002', 'JY-2026-0003']);
    });

    it("never shows a deputy someone else's items when they name them", async () => {
      const own = await chat.say('ZhangSan', '查询 王二');
      expect(own).toMatch(/^您的事项（共 1 项）/);
      expect(own).toContain('JY-2026-0001');
      expect(own).not.toContain('菜市场');
    });
  });
}
