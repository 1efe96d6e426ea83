import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { broadcastProgress, planBroadcast } from '../../src/services/notices/broadcast.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { seedCongress, seedGroup, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A notice (通知, 大同 第八条) to a group bound both to a group chat of WeCom's intelligent robot and to a
// chat the app created, while the service has no intelligent robot: it goes to the app chat, and none of
// its members is written to privately. A group bound to the robot's chat alone hears it member by member.
// The previews (console and chat) name the same way the sending takes; with the robot configured, its
// chat is the way.

const TEXT = '本周五下午三点召开代表小组活动';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a notice to a group of two WeCom chats on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const db = () => chat.deps.db;
    const bind = (groupId: number, kind: 'wecom_bot' | 'wecom_appchat', address: string) =>
      db()
        .insertInto('group_bindings')
        .values({ group_id: groupId, channel: 'wecom', kind, address })
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock, appchats: ['wrAPP01'] });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(db());
      await seedPerson(db(), { name: '工作人员甲', wecom: 'StaffA', congressId, role: 'staff' });
      const both = await seedGroup(db(), { congressId, name: '城区小组' });
      await bind(both, 'wecom_bot', 'wrBOT01');
      await bind(both, 'wecom_appchat', 'wrAPP01');
      const botOnly = await seedGroup(db(), { congressId, name: '矿区小组' });
      await bind(botOnly, 'wecom_bot', 'wrBOT02');
      await seedPerson(db(), { name: '代表一', wecom: 'Deputy1', congressId, smallGroupId: both });
      await seedPerson(db(), { name: '代表二', wecom: 'Deputy2', congressId, smallGroupId: both });
      await seedPerson(db(), { name: '代表三', wecom: 'Deputy3', congressId, smallGroupId: botOnly });
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('previews in the console the app chat for one group and the members for the other', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const form = new URLSearchParams({ _csrf: await b.csrf('/console/broadcasts'), text: TEXT });
      form.append('target', 'all');
      form.append('action', 'preview');
      const page = await b.post('/console/broadcasts', form);
      expect(page.status).toBe(200);
      const items = [
        ...page.text.matchAll(/<li class="wb-item"><h3>([^<]+)<\/h3>\s*<p>(.*?)<\/p><\/li>/gs),
      ].map((m) => `${m[1]}：${m[2]!.replace(/<[^>]+>/g, '')}`);
      expect(items).toEqual([
        '城区小组：2 位成员 · 经企业微信应用群聊发到群里',
        '矿区小组：1 位成员 · 逐个发送 企业微信智能机器人所在的群发不到（本系统尚未接入智能机器人），逐个发给 1 位成员',
      ]);
      expect(page.text).toContain(
        '共 2 个代表群：1 个由群机器人或应用群聊发到群里，1 个没有能发到的群聊，逐个发给群成员（每人一条个人消息）',
      );
    });

    it('previews in chat the members of the group its robot’s chat cannot reach, then sends that way', async () => {
      const preview = await chat.say('StaffA', `通知 全体 ${TEXT}`);
      expect(preview).toContain('将向 2 个群发送通知');
      expect(preview).toContain('其中 矿区小组 没有能发到的群聊，将逐个发给群里的 1 位代表');
      expect(await chat.say('StaffA', '确认')).toContain('已开始发送到 2 个群');

      const queued = await db()
        .selectFrom('outbox')
        .select(['target_kind', 'target_address'])
        .where('cause', 'like', 'broadcast:%')
        .orderBy('id')
        .execute();
      expect(queued).toEqual([
        { target_kind: 'wecom_appchat', target_address: 'wrAPP01' },
        { target_kind: 'user', target_address: 'Deputy3' },
      ]);

      await chat.flush();
      expect(chat.wecom.appchatDelivered.map((d) => [d.chatid, d.text])).toEqual([
        ['wrAPP01', `【通知】${TEXT}`],
      ]);
      for (const member of ['Deputy1', 'Deputy2'])
        expect((await chat.inbox(member)).filter((t) => t.includes('本周五'))).toEqual([]);
      expect((await chat.inbox('Deputy3')).filter((t) => t.includes('本周五'))).toEqual([
        `【通知】（矿区小组）${TEXT}`,
      ]);
      const { id } = await db().selectFrom('broadcasts').select('id').executeTakeFirstOrThrow();
      const progress = await broadcastProgress(db(), id, null);
      expect(progress.groups.map((g) => `${g.name}:${g.status}`).sort()).toEqual([
        '城区小组:sent',
        '矿区小组:sent',
      ]);
    });

    it('takes the robot’s chat once the service has the intelligent robot', async () => {
      const withBot = {
        ...chat.deps.config,
        wecomBot: { botId: 'bot', secret: 'secret', wsUrl: 'ws://127.0.0.1:1' },
      };
      const plan = await planBroadcast(db(), null, { all: true }, withBot);
      expect(plan.groups.map((g) => [g.name, g.route, g.members])).toEqual([
        ['城区小组', ['wecom_bot'], 0],
        ['矿区小组', ['wecom_bot'], 0],
      ]);
      const without = await planBroadcast(db(), null, { all: true }, chat.deps.config);
      expect(without.groups.map((g) => [g.name, g.route, g.members])).toEqual([
        ['城区小组', ['wecom_appchat'], 0],
        ['矿区小组', [], 1],
      ]);
    });
  });
}
