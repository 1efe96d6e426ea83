import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster, seedTrafficAndPolice } from '../helpers/city-roster.ts';
import { assignmentsOf, everyRecord } from '../helpers/rows.ts';
import { seedActivity, seedCongress, seedPerson, seedSessionAhead } from '../helpers/seed.ts';

// Staff writing to the bot as colleagues talk, about the office's work rather than a command: an organ's
// items not yet answered ("住建局有几件没答复的"), a deputy's items asked in words ("王二最近提了啥建议"), the
// meetings ahead with who replied ("下周的会有几个人请假"). Each is answered from what stands, within the
// congresses the staff member works for, and changes nothing. A 延期 to a month without its day ("推迟到明年
// 10月") asks which day of it, or, the month wholly past six months from 交办, says where the limit falls;
// one to a festival ("延到五一以后") is to the first working day after its rest.

const CITY = '大同市第十六届人民代表大会';
const SESSION = `${CITY}第七次会议`;
/** A date of a year whose holiday arrangement may not be published yet (marked so). */
const day = (date: string) => `${date}（星期[一二三四五六日]）(?:（暂定日历）)?`;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff asking about the office's work on ${backend.name}`, () => {
    let chat: ChatHarness;
    // The first item is handed over on Monday 2026-08-03, the rest on Wednesday 2026-12-02, 10:00 in Shanghai.
    const clock = new FixedClock('2026-08-03T02:00:00Z');
    const dueOf = async (code: string) => (await assignmentsOf(chat.deps.db, code)).map((a) => a.due_on);
    /** Asks, and checks that asking changed nothing. */
    const ask = async (userid: string, text: string): Promise<string> => {
      const before = await everyRecord(chat.deps.db);
      const answer = await chat.say(userid, text);
      expect(await everyRecord(chat.deps.db), `“${text}” changed a record`).toBe(before);
      return answer;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      await seedCityRoster(chat.deps, {
        deputies: ['WangEr', 'ZhangDaYe', 'ZhangSan', 'LiXiuYing'],
        zhujian: true,
      });
      await seedTrafficAndPolice(db, clock.now());
      // A county congress whose items go to the same organ; the city's staff never see them.
      const county = await seedCongress(db, '云冈区第五届人民代表大会', 'county');
      await seedPerson(db, { name: '赵乡亲', wecom: 'CountyDeputy', congressId: county });
      await seedPerson(db, { name: '孙干事', wecom: 'CountyStaff', congressId: county, role: 'staff' });

      expect(await chat.say('ZhangSan', '建议 北街下水道堵了')).toContain('JY-2026-0001');
      expect(await chat.say('LiSi', '交办 JY-2026-0001 市住建局')).toContain('已交办');
      clock.set('2026-12-02T02:00:00Z');
      await seedSessionAhead(chat.deps);
      expect(await chat.say('WangEr', '建议 城南路灯不亮')).toContain('JY-2026-0002');
      expect(await chat.say('LiSi', '交办 JY-2026-0002 市住建局')).toContain('已交办');
      expect(await chat.say('ZhuJian', '签收 JY-2026-0002')).toContain('签收');
      expect(await chat.say('ZhangDaYe', '建议 村口的桥塌了一半')).toContain('JY-2026-0003');
      expect(await chat.say('LiSi', '交办 JY-2026-0003 市住建局')).toContain('已交办');
      expect(await chat.say('LiXiuYing', '建议 学校门口红绿灯坏了')).toContain('JY-2026-0004');
      expect(await chat.say('LiSi', '交办 JY-2026-0004 市交通局')).toContain('已交办');
      expect(await chat.say('WangEr', '建议 菜市场门口占道经营')).toContain('JY-2026-0005');
      expect(await chat.say('LiSi', '交办 JY-2026-0005 市住建局')).toContain('已交办');
      // 市住建局 answers the fifth; the answer waits for the office's review.
      await chat.say('ZhuJian', '答复 JY-2026-0005 已清理门口占道摊位');
      await chat.say('ZhuJian', 'A');
      expect(await chat.say('ZhuJian', '签发人是张局长')).toContain('已收到 JY-2026-0005 的答复');
      expect(await chat.say('CountyDeputy', '建议 乡道坑洼需要修补')).toContain('JY-2026-0006');
      expect(await chat.say('CountyStaff', '交办 JY-2026-0006 市住建局')).toContain('已交办');

      // An inspection on Friday: 王二 comes, 张大爷 asks leave, 张三 has not answered.
      await seedActivity(chat.deps, {
        kind: 'inspection',
        title: '城区供暖情况视察',
        organiser: '人大常委会代表工作委员会',
        congress: CITY,
        startsAt: '2026-12-04T01:00:00Z',
        endsAt: '2026-12-04T03:30:00Z',
        place: '市人大三楼会议室',
        invitees: ['WangEr', 'ZhangDaYe', 'ZhangSan'],
      });
      expect(await chat.say('WangEr', '参加 HD-2026-0001')).toContain('HD-2026-0001');
      expect(await chat.say('ZhangDaYe', '请假 HD-2026-0001 住院复查')).toContain('QJ-2026-0001');
      expect(await chat.say('LiXiuYing', '请假 人代会 出差')).toContain('QJ-2026-0002');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it("answers an organ's open items however staff ask it, within their congresses, changing nothing", async () => {
      for (const asked of [
        '住建局有几件没答复的',
        '住建局还有哪些没办完',
        '市住建局手上的建议',
        '交给住建局的都答复了吗',
        '住建局 几件没答付？',
        '住建局还有几个没回的',
        '看看住建局那边还有多少没办完',
      ]) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toContain('市住建局还有 3 件建议没有答复（其中 1 件已超期）：');
        expect(r, asked).toContain(
          '1. JY-2026-0001「北街下水道堵了」承办，未签收，期限 2026-11-03（星期二），已超期 29 天',
        );
        expect(r, asked).toMatch(
          new RegExp(`2\\. JY-2026-0002「城南路灯不亮」承办，已签收，期限 ${day('2027-03-02')}，还有 90 天`),
        );
        expect(r, asked).toMatch(
          new RegExp(
            `3\\. JY-2026-0003「村口的桥塌了一半」承办，未签收，期限 ${day('2027-03-02')}，还有 90 天`,
          ),
        );
        // The answer in review is named apart; another organ's item and another congress's are not there.
        expect(r, asked).toContain(
          '另有 1 件市住建局已答复、等待审核：JY-2026-0005（在「工作平台 → 答复审核」处理）。',
        );
        expect(r, asked).not.toContain('JY-2026-0004');
        expect(r, asked).not.toContain('JY-2026-0006');
        expect(r, asked).not.toContain('没太明白');
      }
      // "第一个": that line, looked up.
      expect(await ask('LiSi', '第一个')).toContain('建议 JY-2026-0001\n内容：北街下水道堵了');
    });

    it('says so of an organ with none, names the organ meant, and refuses one not registered', async () => {
      expect(await ask('LiSi', '公安局有几件没答复的')).toBe('市公安局目前没有未答复的建议。');
      expect(await ask('LiSi', '交通局手上的建议')).toContain(
        '市交通局还有 1 件建议没有答复：\n1. JY-2026-0004',
      );
      expect(await ask('LiSi', '水务局还有几件没答复')).toContain('没有登记的单位：水务局。');
      // The county's staff see the county's item only.
      const county = await ask('CountyStaff', '住建局有几件没答复的');
      expect(county).toContain('市住建局还有 1 件建议没有答复：\n1. JY-2026-0006');
      expect(county).not.toContain('JY-2026-0002');
    });

    it('answers while a 延期 waits for its date, and the 延期 goes on', async () => {
      const before = await everyRecord(chat.deps.db);
      expect(await chat.say('LiSi', '延期 JY-2026-0004')).toContain('请问延期到哪一天？');
      const aside = await ask('LiSi', '住建局有几件没答复的');
      expect(aside).toContain('市住建局还有 3 件建议没有答复');
      expect(aside).toContain('（“延期”还没办完）JY-2026-0004：请问延期到哪一天？');
      expect(await chat.say('LiSi', '2027年4月30日')).toContain('请问延期的理由是什么？');
      expect(await chat.say('LiSi', '等学校放假后施工')).toContain('JY-2026-0004 已延期');
      // What the questions are checked with sees a step that writes.
      expect(await everyRecord(chat.deps.db)).not.toBe(before);
    });

    it("never shows a deputy the organ's list", async () => {
      const r = await ask('WangEr', '住建局有几件没答复的');
      expect(r).not.toContain('件建议没有答复');
      expect(r).not.toContain('JY-2026-0003');
    });

    it("answers a deputy's items asked in words, the kind asked only", async () => {
      for (const asked of [
        '王二最近提了啥建议',
        '王二的建议都办得咋样了',
        '王二提过几条建议',
        '王二最近提了啥建意',
      ]) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toMatch(/^王二代表的建议、批评或意见（共 2 项）/);
        expect(r, asked).toContain('JY-2026-0002 建议「城南路灯不亮」');
        expect(r, asked).toContain('JY-2026-0005 建议「菜市场门口占道经营」');
      }
      for (const asked of ['张大爷请了几次假', '张大爷这个月请假几次了']) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toMatch(/^张大爷代表的请假记录（共 1 项）/);
        expect(r, asked).toContain('QJ-2026-0001');
        expect(r, asked).not.toContain('JY-2026-0003');
      }
      expect(await ask('LiSi', '李秀英有几条建议')).toMatch(
        /^李秀英代表的建议、批评或意见（共 1 项）：\nJY-2026-0004/,
      );
      // Another congress's deputy is not shown to the city's staff.
      expect(await ask('LiSi', '赵乡亲最近提了啥建议')).not.toContain('乡道');
    });

    it('lists the meetings ahead with who replied, for the days asked', async () => {
      const week = new RegExp(
        '1\\. HD-2026-0001 视察「城区供暖情况视察」（2026-12-04（星期五）09:00–11:30，市人大三楼会议室）：' +
          '邀请 3 人，答复参加 1 人，请假 1 人（1 件待决定），未答复 1 人',
      );
      for (const asked of ['这周有什么会', '这礼拜有啥会', '这周有活动吗']) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toContain('这周（12月2日至12月6日）的会议和活动：');
        expect(r, asked).toMatch(week);
        expect(r, asked).not.toContain(SESSION);
        expect(r, asked).toContain('「工作平台 → 活动」');
      }
      const soon = await ask('LiSi', '最近有什么活动');
      expect(soon).toContain('今后30天（12月2日至1月1日）的会议和活动：');
      expect(soon).toMatch(week);
      expect(soon).toContain(
        `2. ${SESSION}（2027-01-01（星期五）至2027-01-04（星期一））：应出席 4 人，请假 1 人（1 件待决定）`,
      );
      expect(soon).toContain('待决定的请假可发“待办”查看。');
      for (const asked of [
        '下周的会有几个人请假',
        '下礼拜的会几个人请假？',
        '下周谁请假了',
        '下周有几个人请假',
      ]) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toContain('下周（12月7日至12月13日）没有会议或活动。之后的有：');
        expect(r, asked).toContain(
          `1. ${SESSION}（2027-01-01（星期五）至2027-01-04（星期一））：应出席 4 人，请假 1 人（1 件待决定）`,
        );
        expect(r, asked).not.toContain('请假”不在您可以使用的命令中');
      }
      expect(await ask('LiSi', '下个月的会都谁请假了')).toContain('下个月（1月1日至1月31日）的会议和活动：');
      // No meeting named, only the days: never read as the staff member asking leave.
      for (const asked of ['今天谁请假了', '今天有谁请假', '最近谁请假了']) {
        const r = await ask('LiSi', asked);
        expect(r, asked).toContain(
          `${SESSION}（2027-01-01（星期五）至2027-01-04（星期一））：应出席 4 人，请假 1 人`,
        );
        expect(r, asked).not.toContain('请假”不在您可以使用的命令中');
      }
      // A deputy asking the same is told of their own meetings, never who replied.
      const own = await ask('WangEr', '这周有什么会');
      expect(own).toContain('城区供暖情况视察');
      expect(own).not.toContain('邀请 3 人');
    });

    it('asks which day of a month said without its day, and says where the limit falls past it', async () => {
      const due = await dueOf('JY-2026-0002');
      const past = await chat.say('LiSi', 'JY-2026-0002 推迟到明年10月');
      expect(past).toMatch(new RegExp(`延期不得超过自交办之日起6个月，最迟 ${day('2027-06-02')}；`));
      expect(past).toContain(
        '2027年10月整个月都在这之后，没有延期。要延到最迟那天，请发“延期 JY-2026-0002 2027-06-02 理由”。',
      );
      expect(past).not.toContain('哪一天');
      // Nothing was asked: a day said next extends nothing.
      await chat.say('LiSi', '15号');
      expect(await dueOf('JY-2026-0002')).toEqual(due);

      const which = await chat.say('LiSi', 'JY-2026-0002 延到3月');
      expect(which).toMatch(
        new RegExp(
          `JY-2026-0002：请问延到2027年3月的哪一天？（如“15号”“月底”；须晚于现在的期限 ${day('2027-03-02')}）`,
        ),
      );
      expect(await dueOf('JY-2026-0002')).toEqual(due);
      expect(await chat.say('LiSi', '15号')).toContain('JY-2026-0002：请问延期的理由是什么？');
      expect(await chat.say('LiSi', '施工队冬季停工')).toContain('JY-2026-0002 已延期');
      expect(await dueOf('JY-2026-0002')).toEqual(['2027-03-15']);
      expect((await chat.inbox('ZhuJian')).join('\n')).toContain('施工队冬季停工');

      // The reason said with the month is kept: the day is all that is asked.
      expect(await chat.say('LiSi', 'jy-2026-3 延到3月份 桥梁设计要重新论证')).toContain('哪一天？');
      expect(await chat.say('LiSi', '月底')).toContain('JY-2026-0003 已延期');
      expect(await dueOf('JY-2026-0003')).toEqual(['2027-03-31']);
    });

    it('names the limit within the month, and asks again for a day past it or one the month lacks', async () => {
      const due = await dueOf('JY-2026-0001');
      expect(await chat.say('LiSi', '延期 JY-2026-0001 明年2月 管网改造')).toMatch(
        new RegExp(`请问延到2027年2月的哪一天？（如“15号”“月底”；最迟 ${day('2027-02-03')}）`),
      );
      const late = await chat.say('LiSi', '10号');
      expect(late).toMatch(new RegExp(`延期不得超过自交办之日起6个月，最迟 ${day('2027-02-03')}`));
      expect(late).toContain('请问延期到哪一天？');
      expect(await chat.say('LiSi', '取消')).toBe('好的，已取消“延期”。');
      expect(await chat.say('LiSi', 'JY-2026-0001 延到2月 管网改造')).toContain('2027年2月的哪一天？');
      expect(await chat.say('LiSi', '30号')).toContain('2027年2月没有30日');
      expect(await chat.say('LiSi', '取消')).toBe('好的，已取消“延期”。');
      expect(await dueOf('JY-2026-0001')).toEqual(due);
      // A month wholly before the deadline there is: said, and the date asked again.
      const early = await chat.say('LiSi', '延期 JY-2026-0002 下个月');
      expect(early).toContain('2027年1月整个月都不晚于现在的期限 2027-03-15（星期一），没有延期。');
      expect(early).toContain('请问延期到哪一天？');
      expect(await chat.say('LiSi', '取消')).toBe('好的，已取消“延期”。');
      expect(await dueOf('JY-2026-0002')).toEqual(['2027-03-15']);
    });

    it('reads a festival as the first working day after its rest', async () => {
      // On the calendar as published, or as the law fixes it for a year not yet published.
      const mayDay = new WorkCalendar().firstWorkdayAfterFestival('劳动节', '2026-12-02');
      expect(mayDay.ok && mayDay.value.startsWith('2027-05-')).toBe(true);
      expect(await chat.say('LiSi', 'JY-2026-0002 延到五一以后')).toContain('请问延期的理由是什么？');
      expect(await chat.say('LiSi', '五一前施工队进不了场')).toContain('JY-2026-0002 已延期');
      expect(await dueOf('JY-2026-0002')).toEqual([mayDay.ok ? mayDay.value : '']);
      // After 春节 is past six months from 交办 of the first: said, and the date asked again.
      const due = await dueOf('JY-2026-0001');
      const late = await chat.say('LiSi', '延期到春节后 JY-2026-0001 管网改造');
      expect(late).toMatch(new RegExp(`延期不得超过自交办之日起6个月，最迟 ${day('2027-02-03')}`));
      expect(late).toContain('请问延期到哪一天？');
      expect(await chat.say('LiSi', '取消')).toBe('好的，已取消“延期”。');
      expect(await dueOf('JY-2026-0001')).toEqual(due);
    });
  });
}
