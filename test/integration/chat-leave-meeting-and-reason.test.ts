import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { leaveOf } from '../helpers/deputy-round.ts';

// 山西 第八条 (S5): a deputy asked which meeting the leave is for often answers with the meeting and the
// reason at once, the careless way ("1 出差") or pointing at the one meeting listed ("开会那天我要去医院复查",
// "那天我闺女结婚"). Both are kept; the reason is never lost and asked for again.

const SESSION = '大同市第十六届人民代表大会第七次会议';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the meeting and the reason in one answer on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'ZhaoLaoShi', 'QianDaJie'],
        sessionAhead: true,
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it.each([
      ['WangMang', '开会那天我要去医院复查', '要去医院复查'],
      ['LiMaHu', '那天我闺女结婚', '闺女结婚'],
      ['ZhangDaYe', '1 出差', '出差'],
    ])('%s answers “%s”: the leave is filed with both', async (who, said, reason) => {
      expect(await chat.say(who, '请假')).toContain(`1. ${SESSION}`);
      const r = await chat.say(who, said);
      expect(r).toContain('已提交请假');
      expect(r).toContain(`事由：${reason}`);
      expect(r).not.toContain('请问请假的事由是什么');
      expect(await leaveOf(chat.deps.db, who)).toEqual([
        expect.objectContaining({ reason, session: SESSION }),
      ]);
    });

    it('files a matter and the leave told after 另外 with no pause, each as its own', async () => {
      const r = await chat.say(
        'QianDaJie',
        '喂小同志你好俺想说个事就是俺们村那个桥还没修好娃娃们上学得绕好远的路你们给反映反映另外下个月的会俺可能去不了俺老伴住院了',
      );
      expect(r).toContain('已收到您的意见，编号 JY-');
      expect(r).toContain('已提交请假 QJ-');
      expect(r).toContain('事由：俺老伴住院了');
      expect(await leaveOf(chat.deps.db, 'QianDaJie')).toEqual([
        expect.objectContaining({ reason: '俺老伴住院了', session: SESSION }),
      ]);
      const items = await chat.deps.db.selectFrom('suggestions').select('content').execute();
      expect(items).toHaveLength(1);
      expect(items[0]!.content).toContain('桥还没修好');
      expect(items[0]!.content).not.toContain('去不了');
    });

    it('keeps the reason without a number no line has, and asks for the meeting again', async () => {
      await chat.say('ZhaoLaoShi', '请假');
      const r = await chat.say('ZhaoLaoShi', '2 出差');
      expect(r).toContain('事由“出差”已记下。列表里没有第 2 项');
      expect(r).toContain(`1. ${SESSION}`);
      expect(await leaveOf(chat.deps.db, 'ZhaoLaoShi')).toEqual([]);
      expect(await chat.say('ZhaoLaoShi', '1')).toContain('事由：出差');
      expect(await leaveOf(chat.deps.db, 'ZhaoLaoShi')).toEqual([
        expect.objectContaining({ reason: '出差', session: SESSION }),
      ]);
    });
  });
}
