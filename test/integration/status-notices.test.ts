import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 山西 第四十五条 (S16): a suspension is told to the deputy, the electoral unit's contact and staff; the bot then
// refuses the suspended deputy's duties and says why.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`status notices on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    let zhang = { personId: 0, mandateId: 0 };
    const clock = new FixedClock('2026-11-23T02:00:00Z');

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCongress(db);
      zhang = await seedPerson(db, { name: '张三', wecom: 'ZhangSan', congressId: city });
      const contact = await seedPerson(db, {
        name: '联络员',
        wecom: 'UnitContact',
        congressId: city,
        role: 'staff',
      });
      await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' });
      await db
        .updateTable('mandates')
        .set({ electoral_unit: '平城区' })
        .where('id', 'in', [zhang.mandateId, contact.mandateId])
        .execute();
      await db
        .insertInto('sessions')
        .values({
          congress_id: city,
          name: '大同市第十六届人民代表大会第七次会议',
          starts_on: '2026-12-10',
          ends_on: '2026-12-13',
        })
        .execute();
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('tells the deputy, the electoral unit’s contact and staff, then refuses the deputy’s leave with the reason', async () => {
      const res = await fetch(`${api.url}/api/deputies/${zhang.mandateId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'suspended', reason: '因刑事案件被羁押' }),
      });
      expect(res.status).toBe(200);
      expect((await chat.inbox('ZhangSan')).join('\n')).toContain('暂时停止执行代表职务');
      const unit = (await chat.inbox('UnitContact')).join('\n');
      expect(unit).toContain('原选举单位');
      expect(unit).toContain('因刑事案件被羁押');
      expect((await chat.inbox('LiSi')).join('\n')).toContain('工作单位');
      const refused = await chat.say('ZhangSan', '请假 第七次会议 出差');
      expect(refused).toContain('暂停执行');
      expect(refused).toContain('因刑事案件被羁押');
      expect(await chat.deps.db.selectFrom('leave_requests').select('id').execute()).toHaveLength(0);
      // What stays open to them: their duty record.
      expect(await chat.say('ZhangSan', '我的履职')).toContain('履职记录');
    });
  });
}
