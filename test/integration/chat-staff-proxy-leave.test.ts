import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { rowCount } from '../helpers/rows.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { addSession } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Staff entering leave for a deputy who phoned (代录 … 请假) and naming the meeting but not why: the reason
// is asked for, and the next words complete that entry — never lost, never filed as a suggestion.

const CITY = '大同市第十六届人民代表大会';
const SESSION = '大同市第十六届人民代表大会第七次会议';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`代录 leave without its reason on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const call = createApi(() => api.url);
    const leaves = () =>
      chat.deps.db
        .selectFrom('leave_requests as l')
        .innerJoin('mandates as m', 'm.id', 'l.mandate_id')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['p.name', 'l.reason', 'l.status', 'l.entered_by'])
        .orderBy('l.id')
        .execute();
    const suggestions = () => rowCount(chat.deps.db, 'suggestions');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const city = await seedCongress(chat.deps.db, CITY, 'city');
      await seedPerson(chat.deps.db, { name: '董建军', wecom: 'Dong', congressId: city });
      await seedPerson(chat.deps.db, { name: '周玉兰', wecom: 'Zhou', congressId: city });
      await seedPerson(chat.deps.db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' });
      await addSession(call, { congress: CITY, name: SESSION, startsOn: '2027-01-12', endsOn: '2027-01-15' });
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('asks why, and the next words complete the entry for that deputy', async () => {
      expect(await chat.say('LiSi', '代录 董建军 请假 人代会')).toBe(
        '请问董建军请假的事由是什么？例如：出差在外、住院治疗。\n（发“取消”可结束）',
      );
      const done = await chat.say('LiSi', '住院治疗');
      expect(done).toContain('已为董建军代录');
      expect(done).toContain(SESSION);
      expect(done).toContain('事由：住院治疗');
      expect(await leaves()).toMatchObject([{ name: '董建军', reason: '住院治疗', status: 'pending' }]);
      expect((await leaves())[0]!.entered_by).toMatch(/^person:\d+$/);
      expect(await suggestions()).toBe(0);
      // The deputy hears of it.
      expect((await chat.inbox('Dong')).some((t) => t.includes('代您请假') && t.includes('住院治疗'))).toBe(
        true,
      );
    });

    it('keeps the question open across another question, and 取消 enters nothing', async () => {
      await chat.say('LiSi', '代录 周玉兰 请假 人代会');
      expect(await chat.say('LiSi', '取消')).toBe('好的，已取消“代录”。');
      expect(await chat.say('LiSi', '身体不适')).not.toContain('已为周玉兰代录');
      expect((await leaves()).filter((l) => l.name === '周玉兰')).toEqual([]);

      await chat.say('LiSi', '代录 周玉兰 请假 人代会');
      const aside = await chat.say('LiSi', '帮助');
      expect(aside).toContain('（“代录”还没办完）请问周玉兰请假的事由是什么？');
      expect(await chat.say('LiSi', '家里老人病了')).toContain('已为周玉兰代录');
      expect((await leaves()).filter((l) => l.name === '周玉兰')).toMatchObject([
        { reason: '家里老人病了', status: 'pending' },
      ]);
      expect(await suggestions()).toBe(0);
    });
  });
}
