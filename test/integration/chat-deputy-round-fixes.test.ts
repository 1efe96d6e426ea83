import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import {
  leaveOf as leaveOfRow,
  ROUND_SESSION as SESSION,
  ROUND_STANDING as STANDING,
  seedCityGroupActivity,
  seedDeputyRound,
  suggestionsOf as suggestionsOfRow,
} from '../helpers/deputy-round.ts';
import { seedGroup } from '../helpers/seed.ts';

// The defects left open by the last round, each as a deputy meets it through the real callback path
// (dispatcher, router, handlers, database): 不公开姓名 said before the matter; a meeting and a reason with no
// 请假; two meetings in one leave message; 我的履职 counting a group activity still ahead as held; and
// "下礼拜二的视察" when the inspection is on the Wednesday of that week. Each is also written the way an
// elderly (dialect, no punctuation), a busy (three words) and a careless (slips) deputy would write it.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the last round's deputy defects on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai. Next week runs Monday 12-07 to Sunday 12-13.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;
    let inspection = '';
    let heldStudy = '';
    let plannedStudy = '';
    let cityGroup = 0;

    const suggestionsOf = (wecom: string) => suggestionsOfRow(db(), wecom);
    const leaveOf = (wecom: string) => leaveOfRow(db(), wecom);

    const inspectionRequests = () => db().selectFrom('inspection_requests').select('content').execute();

    const deputies = [
      'Old1',
      'Busy1',
      'Care1',
      'Old2',
      'Busy2',
      'Care2',
      'Old3',
      'Busy3',
      'Care3',
      'Old5',
      'Busy5',
      'Care5',
      'No5',
      'Bare5',
      'Bare6',
      'Group1',
      'Group2',
      'Word1',
    ];

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const scene = await seedDeputyRound(chat, deputies);
      inspection = scene.inspection;
      cityGroup = await seedGroup(db(), { congressId: scene.city, name: '城区代表小组' });
      // The group's quarter (Q4): one activity held in November, one planned for later in December.
      heldStudy = await seedCityGroupActivity(chat.deps, '城区小组调研活动', '2026-11-20', ['Group2']);
      plannedStudy = await seedCityGroupActivity(chat.deps, '城区小组学习活动', '2026-12-20', ['Group1']);
    });
    afterAll(async () => {
      await chat?.close();
    });

    describe('1. 不公开姓名 said before the matter', () => {
      const scenes = [
        ['Word1', '我想提个建议 不要公开我的名字', '村口的路灯坏了半个月了'],
        ['Old1', '俺有个意见 别公开俺名字', '俺们村口那个路灯坏了半个月了晚上黑咕隆咚的'],
        ['Busy1', '提个建议，不公开姓名', '村口路灯坏了'],
        ['Care1', '我想提个建意 公开的时候不要写我的名字', '村口的路登坏了半个月 晚上看不见'],
      ] as const;
      for (const [who, first, matter] of scenes) {
        it(`keeps "${first}" for the matter told next: "${matter}"`, async () => {
          const asked = await chat.say(who, first);
          expect(asked).toContain('公开时不写您的姓名');
          expect(asked).not.toContain('编号');
          expect(await suggestionsOf(who)).toEqual([]);
          const filed = await chat.say(who, matter);
          const code = /JY-\d{4}-\d{4,}/.exec(filed)?.[0];
          expect(code, filed).toBeDefined();
          expect(filed).toContain('在网上公开时不写您的姓名');
          const rows = await suggestionsOf(who);
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ code, withhold_name: true });
          // The matter is filed as told; the request is no part of it.
          expect(rows[0]!.content).not.toMatch(/公开|名字|姓名/);
          expect(rows[0]!.content).toContain('路');
        });
      }

      it('keeps it when the matter comes with 建议 said again', async () => {
        await chat.say('Word1', '我有个建议 不要公开我的名字');
        const filed = await chat.say('Word1', '建议 小区门口垃圾没人清理');
        expect(filed).toContain('在网上公开时不写您的姓名');
        const rows = await suggestionsOf('Word1');
        expect(rows.at(-1)).toMatchObject({ withhold_name: true, content: '小区门口垃圾没人清理' });
      });

      it('forgets it on 取消: the next suggestion keeps the name', async () => {
        await chat.say('Word1', '我想提个建议 不要公开我的名字');
        expect(await chat.say('Word1', '取消')).toContain('已取消');
        const filed = await chat.say('Word1', '建议 菜市场门口占道经营');
        expect(filed).not.toContain('不写您的姓名');
        expect((await suggestionsOf('Word1')).at(-1)).toMatchObject({ withhold_name: false });
      });

      it('still reads "那条建议不要公开我的名字" as the request on an item of theirs', async () => {
        const r = await chat.say('Old1', '那条建议不要公开我的名字');
        expect(r).not.toContain('请讲讲');
        expect(r).not.toContain('公开时不写您的姓名。请');
      });
    });

    describe('2. a meeting and a reason, no 请假', () => {
      const scenes = [
        ['Busy2', '下周人代会 住院', '住院'],
        ['Old2', '下礼拜人代会 俺住院了', '俺住院了'],
        ['Care2', '下周人代会住院', '住院'],
      ] as const;
      for (const [who, said, reason] of scenes) {
        it(`asks to confirm "${said}" as leave from the session, then files it`, async () => {
          const asked = await chat.send(who, { kind: 'text', text: said });
          expect(asked?.text).toContain(`您是要为${SESSION}（2026-12-08（星期二））请假吗`);
          expect(asked?.text).toContain(`事由：${reason}`);
          expect(asked?.text).not.toContain('没太明白');
          expect(asked?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
          expect(await leaveOf(who)).toEqual([]);
          const filed = await chat.say(who, '是');
          expect(filed).toMatch(/QJ-\d{4}-\d{4,}/);
          expect(await leaveOf(who)).toEqual([expect.objectContaining({ session: SESSION })]);
          expect((await leaveOf(who))[0]!.reason).toContain('住院');
        });
      }

      it('files nothing on 否', async () => {
        await chat.say('Busy3', '常委会 出差');
        expect(await chat.say('Busy3', '否')).toContain('没有请假');
        expect(await leaveOf('Busy3')).toEqual([]);
      });
    });

    describe('3. two meetings in one leave message', () => {
      it('asks the reason once, then files leave from both', async () => {
        const asked = await chat.say('Old3', '常委会和人代会俺都去不了');
        expect(asked).toContain('事由');
        const filed = await chat.say('Old3', '住院');
        const codes = filed.match(/QJ-\d{4}-\d{4,}/g) ?? [];
        expect(new Set(codes).size, filed).toBe(2);
        const rows = await leaveOf('Old3');
        expect(rows.map((r) => r.session).sort()).toEqual([SESSION, STANDING].sort());
        expect(rows.every((r) => r.reason === '住院')).toBe(true);
      });

      it('files both from one busy line with the reason in it', async () => {
        const filed = await chat.say('Care3', '请假 人代会和常委会 出差');
        expect(new Set(filed.match(/QJ-\d{4}-\d{4,}/g)).size, filed).toBe(2);
        expect((await leaveOf('Care3')).map((r) => r.session).sort()).toEqual([SESSION, STANDING].sort());
      });

      it('asks about the one it cannot find and files the other, losing neither', async () => {
        const r = await chat.say('Busy3', '请假 人代会和座谈会 出差');
        expect(r).toMatch(/QJ-\d{4}-\d{4,}/);
        expect(r).toContain('座谈会');
        expect((await leaveOf('Busy3')).map((x) => x.session)).toEqual([SESSION]);
      });
    });

    describe('4. 我的履职 counts only what has taken place', () => {
      it('says a planned activity is planned, not held', async () => {
        await db().updateTable('mandates').set({ small_group_id: cityGroup }).execute();
        // Only the planned activity this quarter: the November one moved out of it.
        await db()
          .updateTable('activities')
          .set({ starts_at: new Date('2026-09-20T01:00:00Z'), ends_at: new Date('2026-09-20T04:00:00Z') })
          .where('code', '=', heldStudy)
          .execute();
        const r = await chat.say('Group1', '我的履职');
        expect(r).toContain('「城区代表小组」本季度尚未开展活动');
        expect(r).not.toContain('本季度已开展活动');
        expect(r).toContain(`2026-12-20（星期日） 城区小组学习活动（${plannedStudy}）`);
        expect(r).toContain('尚未举行');
        // Said the way an elderly deputy asks.
        expect(await chat.say('Group1', '俺今年都干了啥')).not.toContain('本季度已开展活动');
      });

      it('counts it once its day has come', async () => {
        clock.set('2026-12-20T02:00:00Z');
        try {
          const r = await chat.say('Group1', '我的履职');
          expect(r).toContain('「城区代表小组」本季度已开展活动');
          expect(r).not.toContain('尚未举行');
        } finally {
          clock.set('2026-12-02T02:00:00Z');
        }
      });

      it('says held for an activity held earlier in the quarter, and lists the planned one', async () => {
        await db()
          .updateTable('activities')
          .set({ starts_at: new Date('2026-11-20T01:00:00Z'), ends_at: new Date('2026-11-20T04:00:00Z') })
          .where('code', '=', heldStudy)
          .execute();
        const r = await chat.say('Group2', '我的履职');
        expect(r).toContain('本季度已开展活动');
        expect(r).toContain(`城区小组学习活动（${plannedStudy}）`);
      });
    });

    describe('5. "下礼拜二的视察" when it is on the Wednesday', () => {
      const scenes = [
        ['Busy5', '请假 下礼拜二的视察 住院'],
        ['Old5', '下礼拜二的视察 俺去不了 俺住院了'],
        ['Care5', '下周二视察 去不了 住院'],
      ] as const;
      for (const [who, said] of scenes) {
        it(`offers the inspection of that week for "${said}", and 是 files leave from it`, async () => {
          const r = await chat.send(who, { kind: 'text', text: said });
          expect(r?.text).toContain('12月8日（星期二）没有视察');
          expect(r?.text).toContain('下周的视察是星期三（12月9日）');
          expect(r?.text).toContain('是这个吗');
          expect(r?.text).not.toContain('近期您可以请假的有');
          expect(await leaveOf(who)).toEqual([]);
          const filed = await chat.say(who, '是');
          expect(filed).toContain(inspection);
          expect(await leaveOf(who)).toEqual([expect.objectContaining({ activity: inspection })]);
          expect((await leaveOf(who))[0]!.reason).toContain('住院');
        });
      }

      it('says the invited inspection back for the bare words, never filing a 视察 request of a day', async () => {
        const r = await chat.send('Bare5', { kind: 'text', text: '下礼拜二的视察' });
        expect(r?.text).toContain('下周的视察是星期三（12月9日）');
        expect(r?.text).toContain(inspection);
        expect(r?.buttons?.map((b) => b.command)).toEqual([`参加 ${inspection}`, `请假 ${inspection}`]);
        expect(await inspectionRequests()).toEqual([]);
        expect(await chat.say('Bare5', '2')).toContain('事由');
        expect(await chat.say('Bare5', '住院')).toContain(inspection);
        expect(await leaveOf('Bare5')).toEqual([
          expect.objectContaining({ activity: inspection, reason: '住院' }),
        ]);
        // The right day, asked carelessly: that inspection, and "1" attends it.
        const asked = await chat.say('Bare6', '下周三视察 几点');
        expect(asked).toContain(`2026-12-09（星期三）的视察：视察老旧小区改造工作（${inspection}）`);
        expect(await chat.say('Bare6', '1')).toContain(`您将参加 ${inspection}`);
        expect(await inspectionRequests()).toEqual([]);
      });

      it('asks the reason first when none was given, then offers the inspection', async () => {
        expect(await chat.say('No5', '下礼拜二的视察俺去不了')).toContain('事由');
        const r = await chat.say('No5', '要去医院复查');
        expect(r).toContain('下周的视察是星期三（12月9日）');
        expect(await chat.say('No5', '否')).toContain('没有请假');
        expect(await leaveOf('No5')).toEqual([]);
      });
    });
  });
}
