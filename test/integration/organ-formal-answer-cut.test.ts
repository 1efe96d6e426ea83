import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedOrgan } from '../helpers/seed.ts';

// An organ clerk writes as offices do: a 公文-style statement that names its item ("关于JY-…号建议的办理
//情况：经研究，…") is that item's answer, asked for its class and signer before it is submitted; "联系人 王五
// 138…" without a colon is the contact; a message cut because it was too long is stored marked as cut where
// staff read it (the answer's words, the message record), and the clerk is told.

const DEPUTY = 'ZhangSan';
const STAFF = 'LiSi';
const CLERK = 'ZhujianZhou';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ clerk's 公文 and long messages on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let chat: ChatHarness;
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];
    const assigned = async (words: string) => {
      const code = codeOf(await chat.say(DEPUTY, `建议 ${words}`));
      expect(await chat.say(STAFF, `交办 ${code} 市住建局`)).toContain('市住建局（承办）');
      return code;
    };
    const answerOf = (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.fields', 'a.contact', 'a.result_class', 'a.status'])
        .where('s.code', '=', code)
        .orderBy('a.id', 'desc')
        .executeTakeFirst() as Promise<
        | {
            fields: Record<string, string | null>;
            contact: string | null;
            result_class: string;
            status: string;
          }
        | undefined
      >;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: [DEPUTY] }); // 李四 is STAFF
      await seedOrgan(chat.deps.db, '市住建局', { name: '周科长', wecom: CLERK }, clock.now());
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('takes a 公文-style statement as the answer to the item it names, asking before submitting', async () => {
      await assigned('河道有异味');
      const code = await assigned('小区路灯不亮');
      const first = await chat.say(
        CLERK,
        `关于${code}号建议的办理情况：经研究，我局将于明年三月完成路灯更换。`,
      );
      expect(first).toContain(`${code}「小区路灯不亮」 的办理结果属于哪一类？`);
      expect(first).not.toContain('没看懂');
      // Asked, nothing submitted yet.
      expect(await answerOf(code)).toBeUndefined();
      expect(await chat.say(CLERK, 'B')).toContain('签发人');
      const done = await chat.say(CLERK, '王局长 联系人 王五 13800000000');
      expect(done).toContain(`已收到 ${code} 的答复`);
      const a = (await answerOf(code))!;
      expect(a.status).toBe('pending_review');
      expect(a.result_class).toBe('B');
      expect(a.fields.planned).toBe('经研究，我局将于明年三月完成路灯更换。');
      expect(a.fields.done ?? '').not.toContain('关于');
      expect(a.fields.signedBy).toBe('王局长');
      expect(a.contact).toBe('王五 13800000000');
    });

    it('reads "联系人 王五 138…" without a colon as the contact in a whole answer', async () => {
      const code = await assigned('公园路面破损');
      await chat.say(CLERK, `答复 ${code} A类 已修补路面 联系人 王五 13800000000 签发人：王局长`);
      const a = (await answerOf(code))!;
      expect(a.fields.done).toBe('已修补路面');
      expect(a.contact).toBe('王五 13800000000');
      expect(a.fields.signedBy).toBe('王局长');
    });

    it('marks a clerk message cut for length where staff read it, and tells the clerk', async () => {
      const code = await assigned('老旧小区加装电梯');
      const long = `答复 ${code} 已办理：${'已逐户征求意见并完成设计方案，'.repeat(400)}`;
      const reply = await chat.say(CLERK, long);
      expect(reply).toMatch(/您这条消息有 \d+ 字，超过了每条消息 5000 字的上限，只收到了前 4980 字/);
      expect(await chat.say(CLERK, 'A')).toContain('签发人');
      expect(await chat.say(CLERK, '王局长')).toContain(`已收到 ${code} 的答复`);
      const a = (await answerOf(code))!;
      expect(a.fields.done).toMatch(/（内容过长，已截取前 4980 字）$/);
      const record = await chat.deps.db
        .selectFrom('inbound_messages')
        .select('content')
        .where('sender_id', '=', CLERK)
        .where(({ ref, eb }) => eb(ref('content', '->>').key('textCut' as never), '=', 'true'))
        .executeTakeFirstOrThrow();
      const content = record.content as { text: string; textLength: number };
      expect(content.textLength).toBe(Array.from(long).length);
      expect(content.text).toMatch(/（内容过长，已截取前 4980 字）$/);
    });
  });
}
