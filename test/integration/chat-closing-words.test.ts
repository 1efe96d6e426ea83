import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedGroup } from '../helpers/seed.ts';

// Words people close or open a talk with, read as they mean them:
// - a deputy's "就这些", "没有了", "先这样吧" after a request is done is a polite close, not "没太明白";
//   "没有了" to which meeting, "就这些" to what the suggestion is, ends that request and files nothing; words
//   held for a suggestion ("关于路灯", asked for more) and then "就这些" are filed as they are;
// - "我不去开会了" names no meeting in particular: asked which (with the reason kept), never told that nothing
//   fits "开会";
// - staff's "今天还有啥", "还有事吗" show what waits; "群发"/"广播" are 通知; a notice written with no group
//   ("通知 明天上午9点开会，请各位代表准时参加") is kept whole and the groups are asked for.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`closing and opening words on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai; the session is on 2027-01-01.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const leaveRows = () => rowCount(chat.deps.db, 'leave_requests');
    const suggestions = () =>
      chat.deps.db.selectFrom('suggestions').select(['code', 'content']).orderBy('code').execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhaoLiu', 'QianQi', 'SunBa', 'ZhouJiu', 'ZhengYi', 'WangEr'],
        liSi: 'staff',
        sessionAhead: true,
      });
      await seedGroup(chat.deps.db, { congressId: city, name: '第一代表小组', robotKey: 'key-first-group' });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('closes politely after a request is done', async () => {
      expect(await chat.say('ZhaoLiu', '建议 小区电梯老坏，物业不管')).toContain('JY-2026-0001');
      for (const closing of ['就这些', '没有了', '先这样吧', '没别的了']) {
        const answer = await chat.say('ZhaoLiu', closing);
        expect(answer).toContain('还有需要随时告诉我');
        expect(answer).not.toContain('没太明白');
      }
      expect((await suggestions()).map((s) => s.code)).toEqual(['JY-2026-0001']);
    });

    it('ends a request when nothing is given to its question, filing nothing', async () => {
      expect(await chat.say('ZhouJiu', '请假')).toContain('请问您要请假的是哪个会议或活动');
      expect(await chat.say('ZhouJiu', '没有了')).toContain('已取消“请假”');
      expect(await chat.say('QianQi', '建议')).toContain('请讲讲您的建议内容');
      expect(await chat.say('QianQi', '就这些')).toContain('已取消“建议”');
      expect(await leaveRows()).toBe(0);
      expect((await suggestions()).map((s) => s.code)).toEqual(['JY-2026-0001']);
    });

    it('files the words held for a suggestion when the deputy says that is all', async () => {
      await chat.say('ZhengYi', '建议');
      expect(await chat.say('ZhengYi', '关于路灯')).toContain('请再说具体些');
      expect(await chat.say('ZhengYi', '就这些')).toContain('JY-2026-0002');
      expect((await suggestions()).at(-1)).toEqual({ code: 'JY-2026-0002', content: '关于路灯' });
    });

    it('asks which meeting when the words name none in particular, the reason kept', async () => {
      expect(await chat.say('WangEr', '我不去开会了')).toContain('请问请假的事由是什么');
      const asked = await chat.say('WangEr', '家里有事');
      expect(asked).toContain('请问您要请假的是哪个会议或活动');
      expect(asked).toContain('第七次会议');
      expect(asked).toContain('事由“家里有事”已记下');
      expect(asked).not.toContain('没有找到');
      expect(await leaveRows()).toBe(0);
      expect(await chat.say('WangEr', '是')).toContain('事由：家里有事');
      expect(await leaveRows()).toBe(1);
    });

    it('shows staff what waits when they ask what is left', async () => {
      for (const asked of ['今天还有啥', '还有事吗', '还有吗']) {
        const answer = await chat.say('LiSi', asked);
        expect(answer).toContain('等您处理的事项');
        expect(answer).toContain('待交办的建议 2 件');
      }
      // A deputy asking the same is not shown the office's queue.
      expect(await chat.say('SunBa', '还有啥')).not.toContain('待交办');
    });

    it('keeps a notice written without its groups and asks for them; 群发 and 广播 are 通知', async () => {
      const asked = await chat.say('LiSi', '通知 明天上午9点开会，请各位代表准时参加');
      expect(asked).toContain('请问发给哪些群');
      const preview = await chat.say('LiSi', '第一代表小组');
      expect(preview).toContain('将向 1 个群发送通知：第一代表小组');
      expect(preview).toContain('内容：明天上午9点开会，请各位代表准时参加');
      expect(await chat.say('LiSi', '取消')).toBeTruthy();
      for (const word of ['群发', '广播']) {
        const shown = await chat.say('LiSi', `${word} 第一代表小组 下周二学习`);
        expect(shown).toContain('将向 1 个群发送通知');
        expect(shown).toContain('内容：下周二学习');
        await chat.say('LiSi', '取消');
      }
      expect(await rowCount(chat.deps.db, 'broadcasts')).toBe(0);
    });
  });
}
