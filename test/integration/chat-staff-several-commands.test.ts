import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedOrgan } from '../helpers/seed.ts';

// Staff who write several commands in one message (on one line or one a line) have each done in turn and
// read one answer naming each; a 答复 after another command reaches the deputy only once tapped. A 代录
// that ends "另外交办市住建局" files the deputy's words without the 交办, then hands the new item over.
// 交办 of a code that names no item says so first and plainly, with how to find the code.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff commands written together on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const codeOf = (text: string, prefix = 'JY') => new RegExp(`${prefix}-2026-\\d{4}`).exec(text)![0];
    const item = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status', 'entered_by'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const leave = (code: string) =>
      chat.deps.db
        .selectFrom('leave_requests')
        .select('status')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, {
        deputies: ['ZhangSan'],
        liSi: 'approver',
        sessionAhead: true,
      });
      for (const [name, wecom] of [
        ['市住建局', 'ZhujianWang'],
        ['市水务局', 'ShuiwuLi'],
      ] as const)
        await seedOrgan(chat.deps.db, name, { name: '联系人', wecom }, clock.now());
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('does 批准 and 交办 written on one line, one after the other, and says each', async () => {
      const jy = codeOf(await chat.say('ZhangSan', '建议 小区路灯坏了好几个月了'));
      const qj = codeOf(await chat.say('ZhangSan', '请假 人代会 家里有事要住院'), 'QJ');
      const reply = await chat.say('LiSi', `批准 ${qj} 交办 ${jy} 市住建局`);
      expect(reply).toContain('这条消息有 2 项命令');
      expect(reply).toContain(`1. 批准 ${qj}`);
      expect(reply).toContain('决定批准');
      expect(reply).toContain(`2. 交办 ${jy} 市住建局`);
      expect(reply).toContain('市住建局（承办）：2027-03-02（星期二）');
      expect((await leave(qj)).status).toBe('approved');
      expect((await item(jy)).status).toBe('assigned');
      const deputy = await chat.inbox('ZhangSan');
      expect(deputy.some((m) => m.includes(qj) && m.includes('批准'))).toBe(true);
      expect(deputy.some((m) => m.includes(`【建议 ${jy}】`) && m.includes('市住建局'))).toBe(true);
    });

    it('does two 交办 written one a line, and offers a 答复 after them as a button, not sent', async () => {
      const a = codeOf(await chat.say('ZhangSan', '建议 老街排水管道堵塞'));
      const b = codeOf(await chat.say('ZhangSan', '建议 菜市场门口占道经营'));
      const reply = await chat.send('LiSi', {
        text: `交办 ${a} 市水务局\n交办 ${b} 市住建局\n答复 ${a} 已疏通管道`,
      });
      expect(reply?.text).toContain('这条消息有 3 项命令');
      expect(reply?.text).toContain(`${a} 已交办`);
      expect(reply?.text).toContain(`${b} 已交办`);
      expect(reply?.text).toContain('还没有录入：答复会立即发给代表、不能撤回');
      expect(reply?.buttons).toContainEqual(expect.objectContaining({ command: `答复 ${a} 已疏通管道` }));
      expect((await item(a)).status).toBe('assigned');
      expect((await item(b)).status).toBe('assigned');
      // Tapped: recorded as any 答复.
      expect(await chat.say('LiSi', `答复 ${a} 已疏通管道`)).toContain(`已记录市水务局对 ${a} 的答复`);
      expect((await item(a)).status).toBe('answered');
    });

    it('stops at a question and offers what follows, never answering it with the next command', async () => {
      const a = codeOf(await chat.say('ZhangSan', '建议 公园健身器材损坏'));
      const b = codeOf(await chat.say('ZhangSan', '建议 学校门口缺少斑马线'));
      // 住建局 is a short name: asked about first; the second 交办 waits as a button.
      const reply = await chat.send('LiSi', { text: `交办 ${a} 住建局 交办 ${b} 市水务局` });
      expect(reply?.text).toContain('是要交办给市住建局（承办）吗？');
      expect(reply?.text).toContain('其余的命令还没有办理');
      expect(reply?.buttons).toContainEqual(expect.objectContaining({ command: `交办 ${b} 市水务局` }));
      expect((await item(b)).status).toBe('submitted');
      expect(await chat.say('LiSi', '是')).toContain(`${a} 已交办`);
      expect((await item(a)).status).toBe('assigned');
    });

    it('files a 代录 without its trailing 交办 words, then hands the new item over', async () => {
      const reply = await chat.say('LiSi', '代录 张三 建议 河道有异味，夏天尤其严重 另外交办市住建局');
      const code = codeOf(reply);
      expect(reply).toContain(`已代录建议，编号 ${code}`);
      expect(reply).toContain(`${code} 已交办`);
      expect(reply).toContain('市住建局（承办）');
      expect(reply).not.toContain('下一步请交办');
      const row = await item(code);
      expect(row.content).toBe('河道有异味，夏天尤其严重');
      expect(row.status).toBe('assigned');
      expect(row.entered_by).not.toBeNull();
      const letters = await chat.inbox('ZhujianWang');
      expect(letters.some((m) => m.includes(`【建议交办】${code}`) && !m.includes('另外交办'))).toBe(true);
    });

    it('keeps words that only mention handing over as the suggestion itself', async () => {
      const code = codeOf(await chat.say('LiSi', '代录 张三 建议 小区垃圾没人管，交给物业公司处理'));
      expect((await item(code)).content).toBe('小区垃圾没人管，交给物业公司处理');
      expect((await item(code)).status).toBe('submitted');
    });

    it('says first and plainly that a code names no item, with how to find it', async () => {
      for (const text of ['交办 JY-2026-0999', '交办 JY-2026-0999 市住建局', '交办 JY-2026-0999 住建局']) {
        const reply = await chat.say('LiSi', text);
        expect(reply, text).toMatch(/^没有编号为 JY-2026-0999 的建议/);
        expect(reply, text).toContain('发“交办”（不带编号）可列出等待交办的建议');
        expect(reply, text).toContain('发“查询 代表姓名”');
        expect(reply, text).not.toContain('承办单位是');
      }
      // Nothing waits: the next words are read afresh.
      expect(await chat.say('LiSi', '市住建局')).not.toContain('已交办');
    });
  });
}
