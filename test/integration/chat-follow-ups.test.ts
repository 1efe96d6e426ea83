import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedGroup } from '../helpers/seed.ts';

// What people send next, and what the database then holds: the same suggestion sent twice is filed once;
// 取消 just after filing says how it is taken back; long thanks are thanks; "啥时候能修好啊" is about the item
// just filed; a 通知 to groups nothing reaches is never queued, a group's name written short is offered in
// full, and the groups that cannot receive are named when it is sent.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`follow-ups on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;
    const count = (table: 'suggestions' | 'broadcasts') => rowCount(db(), table);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr'],
      });
      await seedGroup(db(), { congressId: city, name: '城区代表小组', robotKey: 'robot-key-1' });
      // No robot and nobody registered in it: nothing reaches it.
      await seedGroup(db(), { congressId: city, name: '矿区代表小组' });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('files the same suggestion sent twice once', async () => {
      const first = await chat.say('ZhangSan', '建议 幸福路井盖缺失很危险');
      const code = /JY-2026-\d{4}/.exec(first)![0];
      const before = await count('suggestions');
      expect(await chat.say('ZhangSan', '建议 幸福路井盖缺失很危险')).toBe(
        `您刚才已经提交过相同的内容（${code}），这次没有重复提交。要补充什么，直接说补充的内容即可。`,
      );
      expect(await count('suggestions')).toBe(before);
    });

    it('asks again for the matter when 是的 answers “请讲讲您的建议内容”, and files what follows alone', async () => {
      await chat.say('WangEr', '建议');
      expect(await chat.say('WangEr', '是的')).toContain('请直接说要反映的问题');
      expect(await chat.say('WangEr', '东关街路灯坏了')).toContain('已收到您的建议');
      const filed = await db()
        .selectFrom('suggestions')
        .select('content')
        .where('content', 'like', '%东关街%')
        .execute();
      expect(filed).toEqual([{ content: '东关街路灯坏了' }]);
    });

    it('says how to take back what was just filed when 取消 comes after it', async () => {
      const r = await chat.say('ZhangSan', '取消');
      expect(r).toMatch(
        /^当前没有进行中的操作。刚才的 JY-2026-\d{4} 已经提交了；如果不想提了，请回复“撤回 JY-2026-\d{4}”/,
      );
      expect(
        await db().selectFrom('suggestions').select('code').where('withdrawn_at', 'is not', null).execute(),
      ).toEqual([]);
    });

    it('takes long thanks as thanks, and "啥时候能修好啊" as a question about the item just filed', async () => {
      expect(await chat.say('ZhangSan', '谢谢你啊小同志 辛苦了')).toBe('不客气，有事随时找我。');
      const r = await chat.say('ZhangSan', '啥时候能修好啊');
      expect(r).toMatch(/^建议 JY-2026-\d{4}\n内容：幸福路井盖缺失很危险/);
      expect(r).toContain('状态：已提交，待交办');
    });

    it('books the day just given in plain words, and moves it when another month is decided on', async () => {
      expect(await chat.say('WangEr', '接待日是哪天')).toContain('2026-12-07');
      const booked = await chat.say('WangEr', '俺想去那天 说说垃圾站的事');
      expect(booked).toMatch(/^已预约接待日 JD-2026-\d{4}：2026-12-07（星期一），话题：垃圾站的事。/);
      expect(await chat.say('WangEr', '下个月的呢')).toContain('2027-01');
      const moved = await chat.say('WangEr', '那就下个月吧');
      expect(moved).toMatch(/^已预约接待日 JD-2027-\d{4}：2027-01-/);
      expect(moved).toContain('原来的');
      const bookings = await db()
        .selectFrom('reception_bookings')
        .select(['month', 'status', 'topic'])
        .orderBy('id')
        .execute();
      expect(bookings).toEqual([
        { month: '2026-12', status: 'cancelled', topic: '垃圾站的事' },
        { month: '2027-01', status: 'booked', topic: '垃圾站的事' },
      ]);
    });

    it('never queues a 通知 nothing would reach, and offers the full name of a group written short', async () => {
      const none = await chat.say('LiSi', '通知 矿区代表小组 后天开会');
      expect(none).toContain('矿区代表小组 还没有绑定群机器人，也没有登记成员，收不到通知');
      expect(await chat.say('LiSi', '确认')).toBe('当前没有需要确认的操作。');
      expect(await count('broadcasts')).toBe(0);
      const short = await chat.say('LiSi', '通知 城区小组 后天开会');
      expect(short).toContain('没有这些代表群：城区小组（是不是指：城区代表小组？');
      expect(await count('broadcasts')).toBe(0);
    });

    it('names the groups that cannot receive when a 通知 goes out to the others', async () => {
      const preview = await chat.say('LiSi', '通知 全体 后天上午九点开会');
      expect(preview).toContain('将向 1 个群发送通知');
      expect(preview).toContain('收不到：矿区代表小组');
      const sent = await chat.say('LiSi', '确认');
      expect(sent).toContain('已开始发送到 1 个群');
      expect(sent).toContain('矿区代表小组 收不到');
      expect(await count('broadcasts')).toBe(1);
    });
  });
}
