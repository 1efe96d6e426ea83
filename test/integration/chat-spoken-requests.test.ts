import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createActivity } from '../../src/services/activities/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { leaveOf as leaveOfRow, suggestionsOf as suggestionsOfRow } from '../helpers/deputy-round.ts';
import { seedGroup } from '../helpers/seed.ts';

// Requests as people say them, each with what the database then holds: two requests in one spoken
// message (also while a dialog asks), a suggestion that goes on 另外 (one suggestion, 督促 no 催办), a
// withdrawal that names 这个建议, a correction to the offer of a suggestion, filler words before a
// suggestion's first words, and a 通知 corrected before 确认.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`spoken requests on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;
    const suggestionsOf = (wecom: string) => suggestionsOfRow(db(), wecom);
    const leaveOf = (wecom: string) => leaveOfRow(db(), wecom);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan', 'WangEr', 'LiXiuYing', 'ZhaoLiu', 'QianQi', 'SunBa', 'ZhouJiu', 'WuShi'],
        zhujian: true,
        sessionAhead: true,
      });
      await seedGroup(db(), { congressId: city, name: '城区代表小组', robotKey: 'robot-key-1' });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('answers a spoken leave request and the suggestion after 我还想 as two', async () => {
      const r = await chat.say('ZhangSan', '我想请个假 下个月开会去不了 腿疼 我还想提个建议 村口路灯坏了');
      expect(r).toContain('事由：腿疼。');
      expect(r).toContain('已收到您的建议');
      expect((await leaveOf('ZhangSan')).map((l) => l.reason)).toEqual(['腿疼']);
      expect((await suggestionsOf('ZhangSan')).map((s) => s.content)).toEqual(['村口路灯坏了']);
    });

    it('files a suggestion told after the leave reason the dialog asked for', async () => {
      await chat.say('WangEr', '请假');
      expect(await chat.say('WangEr', '人代会')).toContain('请问请假的事由是什么？');
      const r = await chat.say(
        'WangEr',
        '俺那几天要去省城看病 大夫说要住院观察 另外俺有个建议就是俺们村的路该修了',
      );
      expect(r).toContain('已收到您的建议');
      expect(r).toContain('已提交请假');
      expect((await leaveOf('WangEr')).map((l) => l.reason)).toEqual([
        '俺那几天要去省城看病 大夫说要住院观察',
      ]);
      expect((await suggestionsOf('WangEr')).map((s) => s.content)).toEqual(['俺们村的路该修了']);
    });

    it('takes the reason from the words said of a photo in the leave dialog, never the paper itself', async () => {
      await chat.say('SunBa', '请假');
      expect(await chat.say('SunBa', '人代会')).toContain('请问请假的事由是什么？');
      await chat.send('SunBa', { kind: 'image', media: { mediaId: 'P-31', url: 'https://p/31.jpg' } });
      expect(await chat.say('SunBa', '这是我的住院证明')).toContain('已提交请假');
      expect((await leaveOf('SunBa')).map((l) => l.reason)).toEqual(['住院']);
    });

    it('asks for the meeting when 请假 follows only 那…就', async () => {
      const r = await chat.say('ZhouJiu', '那俺就请个假吧');
      expect(r).toContain('请问您要请假的是哪个会议或活动？');
      expect(r).not.toContain('“那”');
      expect(await leaveOf('ZhouJiu')).toEqual([]);
    });

    it('keeps a suggestion that goes on 另外 whole, and urges nothing', async () => {
      const r = await chat.say('LiXiuYing', '建议 小区电梯经常坏，另外物业也不管，希望监管部门督促');
      expect(r).not.toContain('催办');
      expect((await suggestionsOf('LiXiuYing')).map((s) => s.content)).toEqual([
        '小区电梯经常坏，另外物业也不管，希望监管部门督促',
      ]);
    });

    it('answers both a withdrawal and a query in one message, and reads 这个建议…撤了吧 as a withdrawal', async () => {
      expect(await chat.say('ZhaoLiu', '建议 县医院挂号难排队时间长')).toContain('JY-2026-');
      const both = await chat.say('ZhaoLiu', '撤回 刚才的建议 另外查一下我请假批了没');
      expect(both).toContain('您的事项');
      expect(both).toMatch(/确定撤回 JY-2026-\d{4} 吗？/);
      expect(await chat.say('ZhaoLiu', '是')).toContain('已撤回');
      expect(await chat.say('ZhaoLiu', '建议 东关街菜市场占道经营')).toContain('JY-2026-');
      const code = (await suggestionsOf('ZhaoLiu')).at(-1)!.code;
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toBeTruthy();
      const before = (await suggestionsOf('ZhaoLiu')).length;
      const refused = await chat.say('ZhaoLiu', '这个建议我不提了 撤了吧');
      expect(refused).not.toContain('已收到您的建议');
      expect((await suggestionsOf('ZhaoLiu')).length).toBe(before);
      expect((await suggestionsOf('ZhaoLiu')).map((s) => s.withdrawn_at !== null)).toEqual([true, false]);
    });

    it('takes a correction into the suggestion it offered, said at once or after a bare 说错了', async () => {
      const offered = await chat.say(
        'QianQi',
        '俺们村西街那个路灯坏了好几个月了 晚上黑咕隆咚的 老人走路老摔跤',
      );
      expect(offered).toContain('要把这段话作为建议提交吗？');
      const fixed = await chat.say('QianQi', '刚才说错了是东街不是西街');
      expect(fixed).toContain('要把这段话作为建议提交吗？');
      expect(fixed).toContain('更正：“是东街不是西街”');
      expect(await chat.say('QianQi', '是')).toContain('已收到您的建议');
      expect((await suggestionsOf('QianQi')).map((s) => s.content)).toEqual([
        '俺们村西街那个路灯坏了好几个月了 晚上黑咕隆咚的 老人走路老摔跤（更正：是东街不是西街）',
      ]);

      await chat.say('SunBa', '俺们村西街的下水道堵了好几天了 臭得很');
      expect(await chat.say('SunBa', '说错了')).toContain('请直接说要更正的地方');
      expect(await chat.say('SunBa', '是东街不是西街')).toContain('更正：“是东街不是西街”');
      expect(await chat.say('SunBa', '是的')).toContain('已收到您的建议');
      expect((await suggestionsOf('SunBa')).map((s) => s.content)).toEqual([
        '俺们村西街的下水道堵了好几天了 臭得很（更正：是东街不是西街）',
      ]);
    });

    it('waits for more than filler words and a place before filing a suggestion', async () => {
      await chat.say('SunBa', '建议');
      const r = await chat.say('SunBa', '就是俺们村');
      expect(r).toContain('请再说具体些');
      expect((await suggestionsOf('SunBa')).length).toBe(1);
    });

    it('takes a bare 不满意 to "评价“基本满意”吗？" as the rating, never as a mere no', async () => {
      await chat.say('WuShi', '建议 菜市场门口的路面坑坑洼洼');
      const code = (await suggestionsOf('WuShi'))[0]!.code;
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      await chat.say('LiSi', `答复 ${code} 已安排修补路面`);
      expect(await chat.say('WuShi', '还行吧')).toContain('评价“基本满意”吗？');
      expect(await chat.say('WuShi', '不满意')).toContain(`评价“不满意”`);
      const rated = await db()
        .selectFrom('suggestions')
        .select(['status', 'rating'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(rated.rating).toBe('dissatisfied');
    });

    it('takes the rating said in a correction, and waits when the reason is still being looked for', async () => {
      expect(await chat.say('ZhouJiu', '建议 老年活动中心冬天没有暖气')).toContain('JY-2026-');
      const code = (await suggestionsOf('ZhouJiu'))[0]!.code;
      await chat.say('LiSi', `交办 ${code} 市住建局`);
      expect(await chat.say('LiSi', `答复 ${code} 已协调供热公司恢复供暖`)).toContain('请其评价');
      expect(await chat.say('ZhouJiu', '还行吧')).toContain('评价“基本满意”吗？');
      const r = await chat.say('ZhouJiu', '不对，我是说不满意');
      expect(r).toContain(`已记录您对 ${code}「老年活动中心冬天没有暖气」的评价“不满意”`);
      expect(await chat.say('ZhouJiu', '等一下我找找照片')).toContain('好的，不着急');
      const reasons = () =>
        db()
          .selectFrom('suggestion_events as e')
          .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
          .select('e.reason')
          .where('s.code', '=', code)
          .where('e.action', '=', 'rating_reason')
          .execute();
      expect(await reasons()).toEqual([]);
      expect(await chat.say('ZhouJiu', '暖气片还是冰凉的，屋里只有十度')).toContain('已把您说的原因记在');
      expect(await reasons()).toEqual([{ reason: '暖气片还是冰凉的，屋里只有十度' }]);
      expect(
        await db()
          .selectFrom('suggestions')
          .select('rating')
          .where('code', '=', code)
          .executeTakeFirstOrThrow(),
      ).toEqual({
        rating: 'dissatisfied',
      });
    });

    it('reads “视察我又能去了” as coming to the inspection invited to, never a request of one’s own', async () => {
      const act = await createActivity(
        chat.deps,
        {
          kind: 'inspection',
          title: '视察老旧小区改造工作',
          organiser: 'LiSi',
          startsAt: '2026-12-15T01:00:00Z',
          endsAt: '2026-12-15T04:00:00Z',
          invitees: ['ZhouJiu'],
        },
        { actor: 'test', tokenCongressId: null },
      );
      const r = await chat.say('ZhouJiu', '视察我又能去了');
      expect(r).toContain('已记录');
      expect(r).toContain(act.activity.code);
      expect(await db().selectFrom('inspection_requests').select('id').execute()).toEqual([]);
    });

    it('never sends a 通知 whose preview was corrected, and asks for the whole text again', async () => {
      expect(await chat.say('LiSi', '通知 全体 明天上午九点开会')).toContain('确认');
      const r = await chat.say('LiSi', '不对 改成下午三点');
      expect(r).toContain('这条通知没有发出');
      expect(r).toContain('明天上午九点开会');
      expect(await chat.say('LiSi', '确认')).toBe('当前没有需要确认的操作。');
      const sent = await db().selectFrom('broadcasts').select('id').execute();
      expect(sent).toEqual([]);
    });
  });
}
