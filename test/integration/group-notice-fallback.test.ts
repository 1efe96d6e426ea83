import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { broadcastProgress, finishBroadcasts } from '../../src/services/notices/broadcast.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// 通知 (大同 第八条, S18) to a deputy group no robot or connection reaches: the preview says its members
// hear it one by one, and each member receives it once, privately, through the outbox's budgets — even a
// member of two such groups, and both groups count as reached. A group chat bound to WeCom's intelligent
// robot while the robot is not configured counts as unreached.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a notice to a group without a robot on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, robotKeys: ['key-bound'] });
      const { db } = chat.deps;
      const congressId = await seedCongress(db);
      await seedPerson(db, { name: '工作人员甲', wecom: 'StaffA', congressId, role: 'staff' });
      const group = async (name: string, kind: 'small' | 'large') =>
        (
          await db
            .insertInto('groups')
            .values({ congress_id: congressId, name, kind })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const bound = await group('城区小组', 'small');
      const bare = await group('新荣小组', 'small');
      const large = await group('第一大组', 'large');
      await db
        .insertInto('group_bindings')
        .values({
          group_id: bound,
          channel: 'wecom',
          kind: 'wecom_robot',
          address: 'key-bound',
          secret: null,
        })
        .execute();
      // The robot's group chat, but no robot connection configured: not a way to reach it.
      await db
        .insertInto('group_bindings')
        .values({ group_id: large, channel: 'wecom', kind: 'wecom_bot', address: 'wrLARGE01', secret: null })
        .execute();
      const seat = (name: string, wecom: string, smallGroupId: number, largeGroupId: number | null) =>
        seedPerson(db, { name, wecom, congressId, smallGroupId, largeGroupId });
      await seat('代表一', 'Deputy1', bare, large);
      await seat('代表二', 'Deputy2', bare, large);
      await seat('代表三', 'Deputy3', bare, null);
      await seat('代表四', 'Deputy4', bound, null);
    });
    afterAll(async () => {
      await chat.close();
    });

    it('says in the preview that the members hear it one by one, then reaches each member once', async () => {
      const preview = await chat.say('StaffA', '通知 全体 本周五下午三点召开代表小组活动。');
      expect(preview).toContain('将向 3 个群发送通知');
      // 第一大组's only chat is the intelligent robot's, which the service lacks: its members too, each once.
      expect(preview).toMatch(
        /其中 (新荣小组、第一大组|第一大组、新荣小组) 没有能发到的群聊，将逐个发给群里的 3 位代表/,
      );
      expect(await chat.say('StaffA', '确认')).toContain('已开始发送到 3 个群');
      await chat.flush();
      for (const member of ['Deputy1', 'Deputy2', 'Deputy3']) {
        const got = (await chat.inbox(member)).filter((t) => t.includes('本周五下午三点'));
        expect(got).toHaveLength(1);
        expect(got[0]).toMatch(/^【通知】（(新荣小组|第一大组)）本周五下午三点召开代表小组活动/);
      }
      // The bound group hears it in its chat; its member is not written to privately.
      expect(chat.wecom.robotDelivered.map((d) => d.key)).toEqual(['key-bound']);
      expect((await chat.inbox('Deputy4')).filter((t) => t.includes('本周五'))).toHaveLength(0);
      // Both groups of the members heard once count as reached, and the sender is told so.
      const b = await chat.deps.db.selectFrom('broadcasts').select('id').executeTakeFirstOrThrow();
      const progress = await broadcastProgress(chat.deps.db, b.id, null);
      expect(progress.groups.map((g) => `${g.name}:${g.status}`).sort()).toEqual(
        ['城区小组:sent', '新荣小组:sent', '第一大组:sent'].sort(),
      );
      await finishBroadcasts(chat.deps);
      await chat.flush();
      expect((await chat.inbox('StaffA')).join('\n')).toContain(
        `通知（编号 ${b.id}）已发送完毕：3 个群已送达。`,
      );
    });
  });
}
