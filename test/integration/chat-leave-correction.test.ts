import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPeople, seedSession, seedSessionAhead } from '../helpers/seed.ts';

// A deputy who asked leave for the wrong meeting says so right after ("不对，是人代会", "搞错了 是下个月那个
// 会"): while no one has decided it, the same request moves to the meeting meant, and whoever decides is
// told of the right one; once decided it stays, and the deputy is told how to ask for the other meeting.

const CONGRESS = '大同市第十六届人民代表大会';
const STANDING = `${CONGRESS}常务委员会第三十次会议`;
const SESSION = `${CONGRESS}第七次会议`;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`leave asked for the wrong meeting on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string) => /QJ-2026-\d{4}/.exec(text)![0];
    const leave = (code: string) =>
      chat.deps.db
        .selectFrom('leave_requests as l')
        .innerJoin('sessions as s', 's.id', 'l.session_id')
        .select(['s.name as session', 'l.status', 'l.reason', 'l.deciding_body_label'])
        .where('l.code', '=', code)
        .executeTakeFirstOrThrow();
    const count = () => rowCount(chat.deps.db, 'leave_requests');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      const city = await seedCongress(db);
      await seedPeople(db, city, [
        ['张三', 'ZhangSan'],
        ['王二', 'WangEr'],
        ['赵六', 'ZhaoLiu'],
      ]);
      await seedPeople(db, city, [['刘主任', 'LiuZhuren']], 'approver');
      await seedSessionAhead(chat.deps);
      await seedSession(chat.deps, {
        congress: CONGRESS,
        name: STANDING,
        startsOn: '2026-12-10',
        endsOn: '2026-12-11',
      });
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('moves a request not yet decided to the meeting meant, and the approver reads the right one', async () => {
      const code = codeOf(await chat.say('ZhangSan', '请假 常委会 家里有事'));
      expect((await leave(code)).session).toBe(STANDING);
      await chat.flush();
      expect((await chat.inbox('LiuZhuren')).some((m) => m.includes(STANDING))).toBe(true);
      const before = await count();

      const r = await chat.say('ZhangSan', '不对，是人代会');
      expect(r).toContain(`已把请假 ${code} 改为：${SESSION}`);
      expect(r).toContain('事由：家里有事');
      expect(r).toContain(`原写的是${STANDING}`);
      expect(await count()).toBe(before);
      expect(await leave(code)).toEqual({
        session: SESSION,
        status: 'pending',
        reason: '家里有事',
        deciding_body_label: '主任会议',
      });

      await chat.flush();
      const told = await chat.inbox('LiuZhuren');
      const notice = told.findLast((m) => m.includes(`【请假申请】${code}`));
      expect(notice).toContain(`会议/活动：${SESSION}`);
      expect(notice).toContain(`原写的是${STANDING}`);
      // The approver decides the request on the meeting it now names.
      expect(await chat.say('LiuZhuren', `批准 ${code}`)).toContain(SESSION);
    });

    it('reads the meeting by its month, and withdraws the approver notice not yet sent', async () => {
      const code = codeOf(await chat.say('WangEr', '请假 常委会 出差'));
      const r = await chat.say('WangEr', '搞错了 是下个月那个会');
      expect(r).toContain(`已把请假 ${code} 改为：${SESSION}`);
      await chat.flush();
      const notices = (await chat.inbox('LiuZhuren')).filter((m) => m.includes(code));
      // Only the right meeting reaches the approver, once, and nothing is said of a notice never sent.
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain(`会议/活动：${SESSION}`);
      expect(notices[0]).not.toContain('原写的是');
    });

    it('says the request already names that meeting', async () => {
      const code = codeOf(await chat.say('ZhaoLiu', '请假 人代会 住院'));
      expect(await chat.say('ZhaoLiu', '不对，是人代会')).toContain(`请假 ${code} 就是对${SESSION}的请假`);
      expect((await leave(code)).session).toBe(SESSION);
    });

    it('leaves a decided request as it is, and offers to ask leave for the other meeting', async () => {
      const code = codeOf(await chat.say('ZhaoLiu', '请假 常委会 住院'));
      await chat.say('LiuZhuren', `批准 ${code}`);
      const r = await chat.send('ZhaoLiu', { text: '不对，是人代会' });
      expect(r?.text).toContain(`请假 ${code}（${STANDING}）已批准，不能再改会议`);
      expect(r?.buttons).toEqual([{ label: SESSION, command: `请假 ${SESSION} 住院` }]);
      expect(await leave(code)).toMatchObject({ session: STANDING, status: 'approved' });
    });

    it('decides every request an approver writes, and keeps a decision said to be wrong', async () => {
      const a = codeOf(await chat.say('WangEr', '请假 常委会 出差'));
      const b = codeOf(await chat.say('ZhaoLiu', '请假 人代会 出差'));
      const r = await chat.say('LiuZhuren', `批准 ${a}、${b}`);
      expect(r).toContain(`已记录：${a}`);
      expect(r).toContain(`已记录：${b}`);
      expect((await leave(a)).status).toBe('approved');
      expect((await leave(b)).status).toBe('approved');
      const kept = await chat.say('LiuZhuren', '不对，不批准');
      expect(kept).toContain('已记录为“已批准”');
      expect(kept).toContain('聊天中不能更改已记录的决定');
      expect((await leave(b)).status).toBe('approved');
    });

    it('asks which meeting when "说错了" names none', async () => {
      const code = codeOf(await chat.say('ZhangSan', '请假 常委会 出差'));
      expect(await chat.say('ZhangSan', '说错了')).toContain(
        `请假 ${code} 的会议写错了的话，请直接说是哪个会`,
      );
      expect((await leave(code)).session).toBe(STANDING);
    });
  });
}
