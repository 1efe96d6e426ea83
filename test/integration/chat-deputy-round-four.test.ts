import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import {
  bookingsOf as bookingsOfRow,
  leaveOf as leaveOfRow,
  ROUND_SESSION,
  seedDeputyRound,
  suggestionsOf as suggestionsOfRow,
} from '../helpers/deputy-round.ts';

// The fourth round, as an elderly, a busy and a careless deputy wrote it: "我想反映个事情，…" filed without
// the 情 of 事情 cut off into the item; the code forgotten and asked for; going to the reception day said in
// so many words ("我下个月想去接待日跟代表们说说养老的事", "我想参加下个月的接待日", "约 1月 停车") booked, and the
// hour, the place and what to bring asked after it answered with the day and whom to ask; a withdrawal
// declined as people decline it ("算了不撤了", "保留"); "那我还需要写请假条吗" answered, never a new request;
// "修好了吗" answered with where the item stands; "新的" to "补充…还是另提一条？" files a new one; "谢谢你们了
// 办得挺快" is thanks, never offered as a suggestion.

const MENU = /回复数字|发对应的数字/;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the fourth round of chat defects on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai: next month's reception day is Tuesday 2027-01-05.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedDeputyRound(chat, ['ZhangDaYe', 'WangMang', 'LiMaHu', 'QianDaJie', 'ZhaoLaoShi']);
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('files "我想反映个事情，…" with the matter whole, and tells a forgotten code', async () => {
      const filed = await chat.say(
        'ZhangDaYe',
        '我想反映个事情，我们小区门口那个路灯坏了三个多月了，晚上老人出门很不方便',
      );
      const code = /JY-2026-\d{4}/.exec(filed)?.[0];
      expect(code).toBeDefined();
      const [item] = await suggestionsOfRow(db(), 'ZhangDaYe');
      expect(item?.content).toBe('我们小区门口那个路灯坏了三个多月了，晚上老人出门很不方便');

      const told = await chat.say('ZhangDaYe', '我忘了刚才那个编号是多少了');
      expect(told).toContain(code);
      expect(told).toContain('「我们小区门口那个路灯坏了');
      expect(told).not.toMatch(MENU);
      // Whether it is done, asked in a few words: where it stands.
      for (const asked of ['修好了吗', '那个事办了没']) {
        const answer = await chat.say('ZhangDaYe', asked);
        expect(answer).toContain(`${code} 意见「我们小区门口那个路灯坏了`);
        expect(answer).toContain('已提交，待交办');
      }
    });

    it('books the reception day said in words, and answers the hour and the place with whom to ask', async () => {
      const booked = await chat.say('ZhangDaYe', '我下个月想去接待日跟代表们说说养老的事');
      const code = /JD-2027-\d{4}/.exec(booked)?.[0];
      expect(code).toBeDefined();
      expect(await bookingsOfRow(db(), 'ZhangDaYe')).toEqual([
        { code, month: '2027-01', topic: '养老的事', status: 'booked' },
      ]);

      for (const asked of ['几点开始啊？在哪里？', '我到时候要带什么材料吗']) {
        const answer = await chat.say('ZhangDaYe', asked);
        expect(answer).toContain(`您预约的接待日（${code}）是 2027-01-05（星期二）`);
        expect(answer).toContain('以代表工作机构的通知为准');
        expect(answer).not.toMatch(MENU);
      }
      // Asked about, never booked again.
      expect(await bookingsOfRow(db(), 'ZhangDaYe')).toHaveLength(1);

      expect(await chat.say('WangMang', '我想参加下个月的接待日')).toContain('已预约接待日');
      const terse = await chat.say('QianDaJie', '约 1月 停车');
      expect(terse).toContain('话题：停车');
      expect((await bookingsOfRow(db(), 'WangMang')).map((b) => [b.month, b.topic])).toEqual([
        ['2027-01', null],
      ]);
      expect((await bookingsOfRow(db(), 'QianDaJie')).map((b) => [b.month, b.topic])).toEqual([
        ['2027-01', '停车'],
      ]);
    });

    it('keeps a suggestion when its withdrawal is declined as people decline it', async () => {
      const filed = await chat.say('LiMaHu', '建意 小区停车位太少');
      const code = /JY-2026-\d{4}/.exec(filed)![0];
      for (const no of ['算了不撤了', '保留', '别撤']) {
        expect(await chat.say('LiMaHu', '撤回')).toContain(`确定撤回 ${code} 吗`);
        expect(await chat.say('LiMaHu', no)).toBe('好的，没有撤回。');
      }
      expect((await suggestionsOfRow(db(), 'LiMaHu')).map((s) => s.withdrawn_at)).toEqual([null]);
      // The yes still withdraws.
      await chat.say('LiMaHu', '撤回');
      expect(await chat.say('LiMaHu', '是')).toContain(`已撤回 ${code}`);
      expect((await suggestionsOfRow(db(), 'LiMaHu'))[0]?.withdrawn_at).not.toBeNull();
    });

    it('files more words as a new suggestion on "新的", and takes thanks with praise as thanks', async () => {
      await chat.say('WangMang', '建议 小区停车位太少了');
      const offered = await chat.say('WangMang', '还有健身器材也坏了');
      expect(offered).toContain('要补充到刚提交的');
      expect(await chat.say('WangMang', '新的')).toContain('已收到您的建议');
      expect((await suggestionsOfRow(db(), 'WangMang')).map((s) => s.content)).toEqual([
        '小区停车位太少了',
        '还有健身器材也坏了',
      ]);

      expect(await chat.say('WangMang', '我那个停车的事谢谢你们了办得挺快')).toBe('不客气，有事随时找我。');
      expect(await suggestionsOfRow(db(), 'WangMang')).toHaveLength(2);
      // Thanks with something still wrong is no thanks only.
      expect(await chat.say('WangMang', '谢谢，但是健身器材还是没修好')).not.toBe('不客气，有事随时找我。');
    });

    it('follows an elderly deputy from nothing on record to a corrected suggestion and a booking moved', async () => {
      // Not to be named before anything was filed: how to ask for it, never a code asked for.
      const unnamed = await chat.say('ZhaoLaoShi', '我不想公开名字');
      expect(unnamed).toContain('您还没有提交过建议。提建议时加一句“不公开姓名”就行');
      expect(unnamed).not.toContain('请发建议编号');
      // Asked about a matter raised elsewhere: nothing here, and how to raise it now.
      const nothing = await chat.say('ZhaoLaoShi', '我是赵老师 我想问问我上次说的那个路灯的事有人管没有');
      expect(nothing).toContain('我这里没有查到您提交过的事项');
      expect(await suggestionsOfRow(db(), 'ZhaoLaoShi')).toEqual([]);

      const filed = await chat.say('ZhaoLaoShi', '建议 村口的路灯坏了');
      const code = /JY-2026-(\d{4})/.exec(filed)!;
      const fixed = await chat.say('ZhaoLaoShi', '我要改一下刚才说的 不是村口是村西头');
      expect(fixed).toContain(`已把您的更正加到 ${code[0]}：“不是村口是村西头”`);
      expect((await suggestionsOfRow(db(), 'ZhaoLaoShi')).map((s) => s.content)).toEqual([
        expect.stringContaining('不是村口是村西头'),
      ]);
      // When it will be answered: the clock starts at 交办 (代表法 第五十一条).
      expect(await chat.say('ZhaoLaoShi', '那啥时候能有结果')).toContain(
        '承办单位一般自交办之日起三个月内答复',
      );
      // The code typed with no dash at all.
      const typed = `jy2026${Number(code[1])}`;
      expect(await chat.say('ZhaoLaoShi', `查询 ${typed}`)).toContain(`建议 ${code[0]}`);

      // Booked with no month, then the month meant: the booking moves there.
      expect(await chat.say('ZhaoLaoShi', '预约接待日')).toContain('2026-12-07');
      const moved = await chat.say('ZhaoLaoShi', '下下个月');
      expect(moved).toContain('已预约接待日');
      expect(moved).toContain('已取消');
      expect((await bookingsOfRow(db(), 'ZhaoLaoShi')).map((b) => [b.month, b.status])).toEqual([
        ['2026-12', 'cancelled'],
        ['2027-02', 'booked'],
      ]);
    });

    it('answers whether a written request is needed, and keeps 请假条 in a reason', async () => {
      await chat.say('QianDaJie', '请假');
      await chat.say('QianDaJie', '家里老人住院了');
      const filed = await chat.say('QianDaJie', '1');
      const code = /QJ-2026-\d{4}/.exec(filed)?.[0];
      expect(code).toBeDefined();
      const answer = await chat.say('QianDaJie', '那我还需要写请假条吗');
      expect(answer).toContain(`不用另写请假条：您的请假 ${code} 已经生成了书面请假单`);
      expect(await leaveOfRow(db(), 'QianDaJie')).toHaveLength(1);

      // Asked before any leave: how it is done.
      expect(await chat.say('WangMang', '请假条怎么写')).toContain('不用另写请假条。在这里请假');
      expect(await leaveOfRow(db(), 'WangMang')).toEqual([]);

      // A meeting nothing ahead is called: said with what there is before the reason is asked for.
      const unknown = await chat.say('LiMaHu', '请假 党校培训');
      expect(unknown).toContain(
        '没有找到与“党校培训”相符的会议或活动。请问您要请假的是哪个会议或活动？近期有：',
      );
      expect(unknown).toContain(`1. ${ROUND_SESSION}`);
      expect(unknown).not.toContain('事由');
      expect(await chat.say('LiMaHu', '1')).toContain('请问请假的事由是什么？');
      expect(await chat.say('LiMaHu', '出差')).toContain('已提交请假');
      expect(await leaveOfRow(db(), 'LiMaHu')).toEqual([
        expect.objectContaining({ session: ROUND_SESSION, reason: '出差' }),
      ]);

      // Said in a request, the form is part of the reason.
      const said = await chat.say('WangMang', '请假 人代会 身体不好 需要请假条的话我再写');
      expect(said).toContain('已提交请假');
      expect(await leaveOfRow(db(), 'WangMang')).toEqual([
        expect.objectContaining({ session: ROUND_SESSION, reason: '身体不好，需要请假条的话我再写' }),
      ]);
    });
  });
}
