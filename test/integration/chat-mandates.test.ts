import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// A deputy with a city and a provincial mandate: asked once which congress where it matters, with buttons;
// the answer is remembered for the conversation; a message naming the congress ("省人大…") goes there.

const CITY = '大同市第十六届人民代表大会';
const PROV = '山西省第十四届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`several mandates on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let prov = 0;
    const filed = (code: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .innerJoin('congresses', 'congresses.id', 'suggestions.congress_id')
        .select(['congresses.name', 'suggestions.content'])
        .where('suggestions.code', '=', code)
        .executeTakeFirstOrThrow();
    const codeIn = (t: string) => /JY-\d{4}-\d{4,}/.exec(t)?.[0] ?? '';

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      const city = await seedCongress(db, CITY, 'city');
      prov = await seedCongress(db, PROV, 'province');
      for (const [name, wecom] of [
        ['双甲', 'BothA'],
        ['双乙', 'BothB'],
        ['双丙', 'BothC'],
      ] as const) {
        const seat = await seedPerson(db, { name, wecom, congressId: city });
        await db
          .insertInto('mandates')
          .values({ person_id: seat.personId, congress_id: prov, role: 'deputy' })
          .execute();
      }
      await seedPerson(db, { name: '单丁', wecom: 'OneD', congressId: city });
    });
    afterAll(async () => {
      await chat.close();
    });

    it('answers “省人大的代表接待日是哪天” with the province’s day', async () => {
      const text = await chat.say('BothA', '省人大的代表接待日是哪天');
      expect(text).toContain(PROV);
      expect(text).not.toContain(CITY);
      // The Datong measure sets the day for the city congress only; the province's is its own setting.
      expect(text).toContain('本人大设定每月5日');
      expect(text).not.toContain('大同 第七条(九)');
      expect(await chat.say('BothA', '市人大的接待日是哪天')).toContain('大同 第七条(九)：每月5日');
    });

    it('asks once which congress a suggestion goes to, with buttons, and remembers the answer', async () => {
      const ask = await chat.send('BothB', { kind: 'text', text: '建议 高速出口指示牌不清楚' });
      expect(ask?.text).toContain('哪个人大');
      expect(ask?.buttons?.map((b) => b.label)).toEqual([CITY, PROV]);
      const done = await chat.say('BothB', '2');
      const code = codeIn(done);
      expect(await filed(code)).toEqual({ name: PROV, content: '高速出口指示牌不清楚' });
      // Remembered: the next one goes there without asking, and so does the reception day.
      const next = await chat.say('BothB', '建议 服务区卫生条件差');
      expect(next).not.toContain('哪个人大');
      expect((await filed(codeIn(next))).name).toBe(PROV);
      expect(await chat.say('BothB', '接待日')).toContain(PROV);
    });

    it('files a suggestion naming the congress there without asking', async () => {
      const text = await chat.say('BothC', '建议 市里的公交线路太少，希望增加');
      expect(text).not.toContain('哪个人大');
      expect((await filed(codeIn(text))).name).toBe(CITY);
    });

    it('never asks a deputy with one mandate', async () => {
      const text = await chat.say('OneD', '建议 路口红绿灯时间太短');
      expect(text).not.toContain('哪个人大');
      expect(codeIn(text)).not.toBe('');
    });
  });
}
