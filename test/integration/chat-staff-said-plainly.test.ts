import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf, rowCount } from '../helpers/rows.ts';
import { seedGroup } from '../helpers/seed.ts';

// Staff's everyday words for their work: "看看还有哪些建议没交办" is 待办 (never a suggestion of theirs);
// "自来水的交给住建局办" and "把JY-…交给住建局办" hand the item to 市住建局 (the 办 is what it is to do, not part
// of a name, while 市政府办 stays a name); "住建局回复说已经在修了 JY-…" records that organ's answer, asked first
// with the words that will be recorded; "给所有代表发个通知：…请准时参加" is 通知 (previewed); a deputy's 催办, booking or duty record asked for by staff says what
// the office does instead and where on the console it is seen; "张大爷打电话说…，帮他录一下" is offered as 代录, and
// "查一下张大爷" lists that deputy's items.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff's plain words on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const city = await seedCityRoster(chat.deps, {
        deputies: ['ZhangDaYe', 'LiMaHu'],
        liSi: 'staff',
        zhujian: true,
      });
      await seedGroup(chat.deps.db, { congressId: city, name: '第一代表小组', robotKey: 'key-first-group' });
      expect(await chat.say('ZhangDaYe', '建议 村里的自来水经常停，老人挑水困难')).toContain('JY-2026-0001');
      expect(await chat.say('LiMaHu', '建议 菜市场门口垃圾没人清理')).toContain('JY-2026-0002');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('shows what waits when asked which suggestions are not handed out yet', async () => {
      for (const asked of ['看看还有哪些建议没交办', '还有几条建议没交办']) {
        const answer = await chat.say('LiSi', asked);
        expect(answer).toContain('待交办的建议 2 件');
      }
      expect(await rowCount(chat.deps.db, 'suggestions')).toBe(2);
    });

    it('hands an item named by its words to the organ, the 办 after it no part of the name', async () => {
      const asked = await chat.say('LiSi', '自来水的交给住建局办');
      expect(asked).toContain('确定把 JY-2026-0001');
      expect(asked).toContain('交办给市住建局吗');
      expect(await assignmentsOf(chat.deps.db, 'JY-2026-0001')).toHaveLength(0);
      expect(await chat.say('LiSi', '是')).toContain('JY-2026-0001 已交办');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0001')).map((a) => a.name)).toEqual(['市住建局']);
    });

    it('reads 办 after the organ of a code the same way', async () => {
      expect(await chat.say('LiSi', '把JY-2026-0002交给住建局办')).toContain('交办给市住建局吗');
      expect(await chat.say('LiSi', '是')).toContain('JY-2026-0002 已交办');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0002')).map((a) => a.name)).toEqual(['市住建局']);
    });

    it('records what an organ answered, said as staff say it, once told yes', async () => {
      const asked = await chat.say('LiSi', '住建局回复说已经在修了 JY-2026-0001');
      expect(asked).toContain('确定把“住建局：已经在修了”录入为 JY-2026-0001 的答复');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0001'))[0]!.answer_done).toBeNull();
      expect(await chat.say('LiSi', '是')).toContain('已记录市住建局对 JY-2026-0001 的答复');
      // The organ's name is who answered, not part of what was done.
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0001'))[0]!.answer_done).toBe('已经在修了');
      expect((await chat.inbox('ZhangDaYe')).some((t) => t.includes('已经在修了'))).toBe(true);
    });

    it('says what the office does instead of a 催办, booking or duty record of a deputy, and where to look', async () => {
      const urged = await chat.say('LiSi', '催一下住建局');
      expect(urged).toContain('系统会自动提醒');
      expect(urged).not.toContain('不在您可以使用的命令中');
      expect(await chat.say('LiSi', '这个月接待日有谁预约了')).toContain('「工作平台 → 接待日」');
      expect(await chat.say('LiSi', '本月谁还没履职')).toContain('「工作平台 → 统计」');
      expect(await chat.say('LiSi', '人代会必须参加')).toContain('「工作平台 → 活动」');
      expect(await chat.say('LiSi', '这个月接待日是几号')).toContain('「工作平台 → 接待日」');
      expect(await rowCount(chat.deps.db, 'suggestion_urges')).toBe(0);
      expect(await rowCount(chat.deps.db, 'reception_bookings')).toBe(0);
    });

    it('previews a notice asked for as a colleague would ask, its "请准时参加" part of it', async () => {
      const preview = await chat.say(
        'LiSi',
        '给所有代表发个通知：12月10日上午9点在市人大三楼会议室召开代表小组会议，请准时参加',
      );
      expect(preview).toContain('将向 1 个群发送通知：第一代表小组');
      expect(preview).toContain('内容：12月10日上午9点在市人大三楼会议室召开代表小组会议，请准时参加');
      await chat.say('LiSi', '取消');
      const toGroup = await chat.say('LiSi', '帮我发个通知 第一代表小组 周五下午学习');
      expect(toGroup).toContain('内容：周五下午学习');
      await chat.say('LiSi', '取消');
      expect(await rowCount(chat.deps.db, 'broadcasts')).toBe(0);
    });

    it('offers a matter a deputy phoned in as 代录, and finds a deputy\'s items by "查一下" and the name', async () => {
      const offered = await chat.say('LiSi', '张大爷打电话说村里的桥塌了一半，帮他录一下');
      expect(offered).toContain('是要替张大爷代表录入吗');
      expect(offered).toContain('代录 张大爷 建议 村里的桥塌了一半');
      expect(await rowCount(chat.deps.db, 'suggestions')).toBe(2);
      expect(await chat.say('LiSi', '是')).toContain('已代录建议，编号 JY-2026-0003');
      const filed = await chat.deps.db
        .selectFrom('suggestions')
        .select('content')
        .where('code', '=', 'JY-2026-0003')
        .executeTakeFirstOrThrow();
      expect(filed.content).toBe('村里的桥塌了一半');
      const listed = await chat.say('LiSi', '查一下张大爷');
      expect(listed).toContain('张大爷代表的事项');
      expect(listed).toContain('JY-2026-0003');
      expect(listed).not.toContain('JY-2026-0002');
    });

    it('asks and records nothing when the answer is not confirmed', async () => {
      expect(await chat.say('LiSi', '市住建局反馈 JY-2026-0002 已经清理了')).toContain(
        '录入为 JY-2026-0002 的答复',
      );
      await chat.say('LiSi', '否');
      expect((await assignmentsOf(chat.deps.db, 'JY-2026-0002'))[0]!.answer_done).toBeNull();
    });
  });
}
