import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import {
  leaveOf as leaveOfRow,
  ROUND_SESSION as SESSION,
  ROUND_STANDING as STANDING,
  seedDeputyRound,
  suggestionsOf as suggestionsOfRow,
} from '../helpers/deputy-round.ts';

// The second round of deputy defects, each met through the real callback path (dispatcher, router,
// handlers, database) and each also written the way an elderly (dialect, no punctuation), a busy (three
// words) and a careless (slips) deputy would write it: a leave reason that keeps the words before it
// ("那天俺"); "下礼拜二的视察住院" asked about twice; "建议 路灯 不要公开我的名字" filed as 「路灯」; the spoken
// forms of 不公开姓名 ("名字别公开", "匿名"); and an item's short title that opens with 您好.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the second round of deputy defects on ${backend.name}`, () => {
    let chat: ChatHarness;
    // Wednesday 2026-12-02, 10:00 in Shanghai. Next week runs Monday 12-07 to Sunday 12-13.
    const clock = new FixedClock('2026-12-02T02:00:00Z');
    const db = () => chat.deps.db;
    let inspection = '';
    const suggestionsOf = (wecom: string) => suggestionsOfRow(db(), wecom);
    const leaveOf = (wecom: string) => leaveOfRow(db(), wecom);

    const deputies = [
      ...['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12'],
      ...['W1', 'W2', 'W3', 'W4', 'W5'],
      ...['S1', 'S2', 'S3', 'S4', 'S5'],
      ...['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'N10'],
      ...['T1', 'T2', 'T3', 'T4', 'T5'],
    ];

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      inspection = (await seedDeputyRound(chat, deputies)).inspection;
    });
    afterAll(async () => {
      await chat?.close();
    });

    describe('1. a leave reason without the words before it', () => {
      // Read with no 请假 said: asked 是 / 否 first, the reason shown as it will be filed.
      const asked = [
        ['R1', '人代会那天俺要做手术', SESSION, /^要?做手术$/],
        ['R2', '常委会那几天俺在外地出差', STANDING, /^(?:在外地出差|外地出差)$/],
        ['R3', '人代会当天我得去医院复查', SESSION, /^得?去医院复查$/],
        ['R4', '常委会开会时候我住院', STANDING, /^住院$/],
        ['R10', '人代会那天俺要做个手术', SESSION, /^要?做个?手术$/],
        ['R11', '俺常委会那天要去外地出差', STANDING, /^要?去外地出差$/],
        ['R12', '常委会那天我得到太原开会', STANDING, /^得?到太原开会$/],
      ] as const;
      for (const [who, said, session, reason] of asked) {
        it(`files "${said}" with the reason alone`, async () => {
          const r = await chat.say(who, said);
          expect(r).toContain(`您是要为${session}`);
          const shown = /事由：([^。]*)。/.exec(r)?.[1];
          expect(shown, r).toMatch(reason);
          expect(await leaveOf(who)).toEqual([]);
          expect(await chat.say(who, '是')).toMatch(/QJ-\d{4}-\d{4,}/);
          const rows = await leaveOf(who);
          expect(rows).toEqual([expect.objectContaining({ session })]);
          expect(rows[0]!.reason).toMatch(reason);
        });
      }

      // With 请假 said: filed at once.
      const filed = [
        ['R5', '请假 人代会 当天我得去医院复查', SESSION, /^得?去医院复查$/],
        ['R6', '请假 常委会 那几天俺在外地出差', STANDING, /^(?:在外地出差|外地出差)$/],
        ['R7', '请个假 常委会开会时候我住院', STANDING, /^住院$/],
      ] as const;
      for (const [who, said, session, reason] of filed) {
        it(`files "${said}" with the reason alone`, async () => {
          const r = await chat.say(who, said);
          expect(r).toMatch(/QJ-\d{4}-\d{4,}/);
          const rows = await leaveOf(who);
          expect(rows).toEqual([expect.objectContaining({ session })]);
          expect(rows[0]!.reason).toMatch(reason);
        });
      }

      it('keeps the reason words when the reason is told on its own, after being asked', async () => {
        expect(await chat.say('R8', '请假 人代会')).toContain('事由');
        expect(await chat.say('R8', '那天俺要做手术')).toMatch(/QJ-\d{4}-\d{4,}/);
        expect((await leaveOf('R8'))[0]!.reason).toMatch(/^要?做手术$/);
      });

      it('never drops the reason itself: "那天孙子结婚", "当天有事" asked about', async () => {
        expect(await chat.say('R9', '请假 常委会 那天孙子结婚')).toMatch(/QJ-\d{4}-\d{4,}/);
        expect((await leaveOf('R9'))[0]!.reason).toBe('孙子结婚');
        // A reason that says nothing once the day is gone is still asked about, not filed.
        const r = await chat.say('R9', '请假 人代会 当天我有事');
        expect(r).toContain('原因');
        expect(await leaveOf('R9')).toHaveLength(1);
      });
    });

    describe('2. "下礼拜二的视察住院": one question, naming the inspection of that week', () => {
      const scenes = [
        ['W1', '下礼拜二的视察住院', '住院'],
        ['W2', '下礼拜二的视察俺住院了', '住院'],
        ['W3', '下周二视察 住院', '住院'],
        ['W4', '下礼拜二视察那天我住院', '住院'],
      ] as const;
      for (const [who, said, reason] of scenes) {
        it(`asks once for "${said}", and 是 files leave from the inspection`, async () => {
          const r = await chat.send(who, { kind: 'text', text: said });
          expect(r?.text).toContain('12月8日（星期二）没有视察');
          expect(r?.text).toContain('下周的视察是星期三（12月9日）');
          expect(r?.text).toContain('是这个吗');
          expect(r?.text).toContain(reason);
          expect(r?.text).not.toContain('您是要为“');
          expect(r?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
          expect(await leaveOf(who)).toEqual([]);
          const filed = await chat.say(who, '是');
          expect(filed).toContain(inspection);
          expect(filed).not.toContain('是这个吗');
          const rows = await leaveOf(who);
          expect(rows).toEqual([expect.objectContaining({ activity: inspection })]);
          expect(rows[0]!.reason).toContain(reason);
        });
      }

      it('files nothing on 否, and names the inspection at once when the weekday is right', async () => {
        await chat.say('W5', '下礼拜二的视察住院');
        expect(await chat.say('W5', '否')).toContain('没有请假');
        expect(await leaveOf('W5')).toEqual([]);
        const r = await chat.say('W5', '下礼拜三的视察住院');
        expect(r).toContain('视察老旧小区改造工作');
        expect(r).not.toContain('没有视察');
        expect(await chat.say('W5', '是')).toContain(inspection);
        expect(await leaveOf('W5')).toEqual([expect.objectContaining({ activity: inspection })]);
      });
    });

    describe('3. "建议 路灯 不要公开我的名字": too few words, the request kept', () => {
      const scenes = [
        ['S1', '建议 路灯 不要公开我的名字', '村口那个坏了半个月了 晚上很黑'],
        ['S2', '俺有个建议 路灯 别公开俺名字', '俺们村口的坏了半个月了黑咕隆咚的'],
        ['S3', '建议 路灯 匿名', '村口的坏了'],
        ['S4', '建意 路灯 名字别公开', '村口的路登坏了半个月'],
      ] as const;
      for (const [who, first, rest] of scenes) {
        it(`asks about "${first}" and files it with "${rest}", the name withheld`, async () => {
          const asked = await chat.say(who, first);
          expect(asked).toContain('公开时不写您的姓名');
          expect(asked).toContain('“路灯”');
          expect(asked).toContain('请再说具体些');
          expect(asked).not.toMatch(/JY-\d{4}/);
          expect(await suggestionsOf(who)).toEqual([]);
          const filed = await chat.say(who, rest);
          const code = /JY-\d{4}-\d{4,}/.exec(filed)?.[0];
          expect(code, filed).toBeDefined();
          expect(filed).toContain('在网上公开时不写您的姓名');
          const rows = await suggestionsOf(who);
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ code, withhold_name: true });
          expect(rows[0]!.content).toMatch(/^路灯/);
          expect(rows[0]!.content).toContain('坏了');
          expect(rows[0]!.content).not.toMatch(/公开|名字|姓名|匿名/);
        });
      }

      it('files a whole matter with the request at once', async () => {
        const filed = await chat.say('S5', '建议 村口路灯坏了半个月了 不要公开我的名字');
        expect(filed).toMatch(/JY-\d{4}-\d{4,}/);
        expect(await suggestionsOf('S5')).toEqual([
          expect.objectContaining({ content: '村口路灯坏了半个月了', withhold_name: true }),
        ]);
      });
    });

    describe('4. the spoken forms of 不公开姓名', () => {
      const withMatter = [
        ['N1', '建议 村口路灯坏了半个月了 名字别公开'],
        ['N2', '俺提个意见 村口路灯坏了半个月了 别公开俺名字'],
        ['N3', '建议 村口路灯坏了半个月了，不要把我名字公开'],
        ['N4', '建议 村口路灯坏了半个月了 匿名'],
        ['N5', '建议 村口路灯坏了半个月了 姓名不要公开'],
        ['N10', '建议 村口路灯坏了半个月了 俺不想公开名字'],
      ] as const;
      for (const [who, said] of withMatter) {
        it(`reads "${said}" as the matter with the name withheld`, async () => {
          const filed = await chat.say(who, said);
          expect(filed).toMatch(/JY-\d{4}-\d{4,}/);
          expect(filed).toContain('在网上公开时不写您的姓名');
          const rows = await suggestionsOf(who);
          expect(rows).toHaveLength(1);
          expect(rows[0]!.withhold_name).toBe(true);
          expect(rows[0]!.content).toBe('村口路灯坏了半个月了');
        });
      }

      const afterwards = [
        ['N1', '名字别公开'],
        ['N2', '别公开俺名字'],
        ['N3', '不要把我名字公开'],
        ['N4', '匿名'],
        ['N5', '我要匿名'],
      ] as const;
      for (const [who, said] of afterwards) {
        it(`reads "${said}" after an item as the request on it`, async () => {
          await chat.say(who, '建议 菜市场门口占道经营 晚上收摊后垃圾满地');
          const code = (await suggestionsOf(who)).at(-1)!.code;
          const r = await chat.say(who, said);
          expect(r).toContain(code);
          expect(r).toContain('不会写您的姓名');
          expect((await suggestionsOf(who)).at(-1)).toMatchObject({ code, withhold_name: true });
        });
      }

      it('never reads a complaint about a name as the request', async () => {
        const filed = await chat.say('N6', '建议 村务公开栏里没有我的名字 应该补上');
        expect(filed).toMatch(/JY-\d{4}-\d{4,}/);
        expect(filed).not.toContain('不写您的姓名');
        expect(await suggestionsOf('N6')).toEqual([
          expect.objectContaining({ content: '村务公开栏里没有我的名字 应该补上', withhold_name: false }),
        ]);
        // Not done as the request: at most offered among the nearest commands, as any unclear words are.
        const r = await chat.say('N6', '公开栏里没有我的名字');
        expect(r).not.toContain('不会写您的姓名');
        expect(r).not.toContain('公开时不写您的姓名。');
        expect((await suggestionsOf('N6')).every((s) => !s.withhold_name)).toBe(true);
      });

      it('never reads other words with 名字 and 公开 as the request', async () => {
        for (const [who, said] of [
          ['N7', '建议 候选人名字公开太晚了 应该早点公布'],
          ['N8', '建议 不要把低保户名字公开贴在村口 侵犯隐私'],
          ['N9', '建议 匿名举报电话打不通'],
        ] as const) {
          const filed = await chat.say(who, said);
          expect(filed, said).toMatch(/JY-\d{4}-\d{4,}/);
          expect(filed, said).not.toContain('不写您的姓名');
          const rows = await suggestionsOf(who);
          expect(rows, said).toHaveLength(1);
          expect(rows[0]!.withhold_name, said).toBe(false);
          expect(rows[0]!.content, said).toBe(said.slice(3));
        }
      });
    });

    describe('5. courtesy words: kept in the content, left out of the short title', () => {
      // [who, said, the content kept (from the greeting on), the short title]
      const scenes = [
        [
          'T1',
          '建议 您好，我想反映个问题：村口路灯坏了半个月了，谢谢！',
          '您好，我想反映个问题：村口路灯坏了半个月了',
          '村口路灯坏了半个月了',
        ],
        [
          'T2',
          '建议 你好 俺想反映个事 俺们村口路灯坏了半个月了 谢谢了',
          '你好 俺想反映个事 俺们村口路灯坏了半个月了',
          '俺们村口路灯坏了半个月了',
        ],
        ['T3', '建议 你好 路灯坏了', '你好 路灯坏了', '路灯坏了'],
        [
          'T4',
          '建议 麻烦问一下，村口路登坏了半个月了咋没人管',
          '麻烦问一下，村口路登坏了半个月了咋没人管',
          '村口路登坏了半个月了咋没人管',
        ],
      ] as const;
      for (const [who, said, content, title] of scenes) {
        it(`keeps "${content}" and lists it as 「${title}」`, async () => {
          const filed = await chat.say(who, said);
          const code = /JY-\d{4}-\d{4,}/.exec(filed)?.[0];
          expect(code, filed).toBeDefined();
          const rows = await suggestionsOf(who);
          expect(rows).toEqual([expect.objectContaining({ code })]);
          expect(rows[0]!.content.startsWith(content), rows[0]!.content).toBe(true);
          const listed = await chat.say(who, '查询');
          expect(listed).toContain(`${code} 建议「${title}`);
          expect(listed).not.toMatch(/「(?:您好|你好|我想|俺想|麻烦)/);
          // What staff read about it: the 【待交办】 notice.
          const notices = await db()
            .selectFrom('outbox')
            .select('payload')
            .where(sql<string>`payload::text`, 'like', `%待交办%${code}%`)
            .execute();
          expect(notices.length).toBeGreaterThan(0);
          expect(JSON.stringify(notices[0]!.payload)).toContain(`${code}「${title}`);
        });
      }

      it('titles a matter told with no command word at the matter too', async () => {
        const filed = await chat.say('T5', '你好 我想反映个问题 村口路灯坏了半个月了 谢谢');
        const code = /JY-\d{4}-\d{4,}/.exec(filed)?.[0];
        expect(code, filed).toBeDefined();
        const rows = await suggestionsOf('T5');
        expect(rows).toEqual([expect.objectContaining({ code })]);
        expect(rows[0]!.content).toContain('村口路灯坏了半个月了');
        expect(await chat.say('T5', '查询')).toContain(`${code} 意见「村口路灯坏了半个月了`);
      });
    });
  });
}
