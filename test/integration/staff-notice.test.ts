import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { loadWorkCalendar } from '../../src/services/calendar/calendar.ts';
import { noticeToStaff } from '../../src/services/suggestions/records.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// A new suggestion tells every staff member of its congress on every chat account they have, in one
// statement: each message keyed by the item, the notice and the person, so a repeat queues nothing. A
// staff member whose mandate is suspended, and staff of another congress, are not told.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the staff notice of a new suggestion on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock(at('2026-07-03T10:00:00')); // Friday, working hours
    const staff: Record<string, number> = {};

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      const congressId = await seedCongress(db);
      const county = await seedCongress(db, '阳高县第十八届人民代表大会', 'county');
      await seedPerson(db, { name: '张三', wecom: 'ZhangSan', congressId });
      for (const [name, p] of Object.entries({
        李四: { wecom: 'LiSi', dingtalk: 'lisi01', congressId, role: 'staff' as const },
        赵六: { wecom: 'ZhaoLiu', congressId, role: 'approver' as const },
        钱七: { wecom: 'QianQi', congressId, role: 'staff' as const, status: 'suspended' as const },
        孙八: { wecom: 'SunBa', congressId: county, role: 'staff' as const },
      })) {
        staff[name] = (await seedPerson(db, { name, ...p })).personId;
      }
    });
    afterAll(async () => {
      await chat.close();
    });

    const noticeRows = () =>
      chat.deps.db
        .selectFrom('outbox')
        .select(['idempotency_key', 'channel', 'target_address', 'payload'])
        .where('cause', '=', 'suggestion:JY-2026-0001')
        .orderBy('idempotency_key')
        .execute();

    it('tells each active staff member of the congress once on each of their accounts', async () => {
      expect(await chat.say('ZhangSan', '建议 新建北路的路灯坏了很久，请尽快修复')).toContain('JY-2026-0001');
      const rows = await noticeRows();
      const key = (name: string, channel: string) =>
        `suggestion:JY-2026-0001:submitted:staff${staff[name]}:${channel}`;
      expect(rows.map((r) => [r.idempotency_key, r.target_address])).toEqual(
        [
          [key('李四', 'dingtalk'), 'lisi01'],
          [key('李四', 'wecom'), 'LiSi'],
          [key('赵六', 'wecom'), 'ZhaoLiu'],
        ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
      for (const r of rows) expect((r.payload as { text: string }).text).toContain('JY-2026-0001');
    });

    it('queues nothing more when the same notice is asked for again', async () => {
      const before = await noticeRows();
      const item = await chat.deps.db
        .selectFrom('suggestions')
        .selectAll()
        .where('code', '=', 'JY-2026-0001')
        .executeTakeFirstOrThrow();
      const cal = await loadWorkCalendar(chat.deps.db);
      const queued = await noticeToStaff(
        chat.deps.db,
        cal,
        item,
        'submitted',
        '又一次',
        clock.now(),
        chat.deps.config.timezone,
      );
      expect(queued).toBe(0);
      expect(await noticeRows()).toEqual(before);
    });
  });
}
