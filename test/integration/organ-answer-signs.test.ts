import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { remindUnsignedLeads } from '../../src/services/suggestions/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';

// An organ that answers an item it never signed for has received it: the answer signs for it, so the
// reminder to sign (3 working days after 交办) never reaches an organ about what it already answered.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an answer signs for its item on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Monday 2026-11-23, 10:00 in Shanghai.
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    const signedAt = async () =>
      (await chat.deps.db.selectFrom('suggestion_assignments').select('signed_at').executeTakeFirstOrThrow())
        .signed_at;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangDaYe'], zhujian: true });
      await chat.say('ZhangDaYe', '建议 村口的路灯坏了半个月了');
      await chat.say('LiSi', '交办 JY-2026-0001 市住建局');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('signs with the answer, and no reminder to sign follows', async () => {
      expect(await signedAt()).toBeNull();
      expect(await chat.say('ZhuJian', '路灯已经修好了，换了新的LED灯')).toContain('的办理结果属于哪一类？');
      expect(await chat.say('ZhuJian', 'A')).toContain('签发人');
      expect(await chat.say('ZhuJian', '王科长')).toContain('已收到 JY-2026-0001 的答复');
      expect(await signedAt()).not.toBeNull();
      // A week later, past the 3 working days: nothing to remind of.
      clock.advance(7 * 86_400_000);
      expect(await remindUnsignedLeads(chat.deps)).toEqual([]);
      expect((await chat.inbox('ZhuJian')).join('\n')).not.toContain('【签收提醒】');
    });
  });
}
