import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_ON_ROSTER } from '../../src/bot/dispatch/fixed-replies.ts';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`chat dispatch on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const congressId = await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan'],
        liSi: 'approver',
        sessionAhead: true,
      });
      await seedPerson(chat.deps.db, {
        name: '王五',
        wecom: 'WangWu',
        congressId,
        status: 'suspended',
        statusReason: '因涉嫌犯罪被羁押',
      });
    });
    afterAll(async () => {
      await chat.close();
    });

    it('answers 帮助 with the commands a deputy may use, and no staff command', async () => {
      const text = await chat.say('zhangsan', '帮助');
      expect(text).toContain('请假');
      expect(text).toContain('建议');
      expect(text).not.toContain('批准');
      expect(text).not.toContain('交办');
    });

    it('shows an approver the staff commands', async () => {
      const text = await chat.say('LiSi', '帮助');
      expect(text).toContain('批准');
      expect(text).toContain('交办');
    });

    it('tells someone not on the roster so, and keeps only the id of their message', async () => {
      const text = await chat.say('Stranger', '我要请假');
      expect(text).toBe(NOT_ON_ROSTER);
      const row = await chat.deps.db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('person_id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(row.sender_id).toBeNull();
      expect(row.content).toBeNull();
      expect(row.person_id).toBeNull();
      expect(row.status).toBe('refused');
    });

    it('refuses a suspended deputy what they may no longer do, and says why', async () => {
      const text = await chat.say('WangWu', '建议 修一修新建北路的路灯');
      expect(text).toContain('暂停执行');
      expect(text).toContain('因涉嫌犯罪被羁押');
      expect(text).toContain('第四十五条');
    });

    it('offers the three nearest commands for an unclear message and takes a number', async () => {
      const text = await chat.say('ZhangSan', '这个东西怎么弄');
      const lines = text.split('\n').filter((l) => /^[123]\. /.test(l));
      expect(lines).toHaveLength(3);
      const second = lines[1]!.replace(/^2\. /, '').split('：')[0]!;
      const picked = await chat.say('ZhangSan', '2');
      expect(picked.length).toBeGreaterThan(0);
      expect(picked).not.toContain('没太明白');
      // Picking starts that command: either its dialog asks a question, or it answers.
      expect(second.length).toBeGreaterThan(0);
    });

    it('asks for what is missing, one part at a time, and 取消 ends the dialog', async () => {
      const first = await chat.say('ZhangSan', '我要请假');
      expect(first).toContain('哪个会议或活动');
      const cancelled = await chat.say('ZhangSan', '取消');
      expect(cancelled).toContain('已取消');
      expect(await chat.say('ZhangSan', '取消')).toContain('没有进行中的操作');
    });

    it('says at once when there is nothing ahead to ask leave from, and starts no dialog', async () => {
      const county = await seedCongress(chat.deps.db, '阳高县第十八届人民代表大会', 'county');
      await seedPerson(chat.deps.db, { name: '周九', wecom: 'ZhouJiu', congressId: county });
      expect(await chat.say('ZhouJiu', '我想请假')).toContain('您近期没有可以请假的会议或受邀活动');
      expect(await chat.say('ZhouJiu', '出差')).not.toContain('事由');
      expect(await chat.deps.db.selectFrom('leave_requests').select('id').execute()).toEqual([]);
    });

    it('times a dialog out after 30 minutes and says so', async () => {
      await chat.say('ZhangSan', '请假');
      clock.advance(31 * 60_000);
      const text = await chat.say('ZhangSan', '帮助');
      expect(text).toContain('已自动取消');
      // 帮助 shows examples, not notation.
      expect(text).toContain('例如');
      expect(text).not.toContain('<');
    });

    it('records every message from a known sender before acting on it', async () => {
      const before = await chat.deps.db.selectFrom('inbound_messages').select('id').execute();
      await chat.say('ZhangSan', '帮助');
      // Recorded before it was answered; its answer is stored right after the reply went out.
      await chat.runtime.dispatcher.drain();
      const after = await chat.deps.db
        .selectFrom('inbound_messages')
        .selectAll()
        .orderBy('id', 'desc')
        .execute();
      expect(after.length).toBe(before.length + 1);
      expect(after[0]!.status).toBe('handled');
      expect(after[0]!.content).toMatchObject({ kind: 'text', text: '帮助' });
    });
  });
}
