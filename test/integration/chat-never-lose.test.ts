import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Never lose a word: a problem written without a command word is offered back as a suggestion and filed
// with its own text; the earlier text fills the command that follows; photos and places sent first go
// with the suggestion; small talk is answered in kind; 批评 and 意见 are called so; 帮助 shows examples.

const STREETLIGHT = '我们小区门口的路灯坏了快两个月了，希望有关部门尽快修理一下';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`never lose a word on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let n = 0;
    const deputy = async (name: string) => {
      const wecom = `Deputy${++n}`;
      await seedPerson(chat.deps.db, { name, wecom, congressId });
      return wecom;
    };
    let congressId = 0;
    const items = (wecom: string) =>
      chat.deps.db
        .selectFrom('suggestions')
        .innerJoin('suggestion_deputies as sd', 'sd.suggestion_id', 'suggestions.id')
        .innerJoin('person_identities as pi', 'pi.person_id', 'sd.person_id')
        .select([
          'suggestions.code',
          'suggestions.content',
          'suggestions.kind',
          'suggestions.photos',
          'suggestions.location',
        ])
        .where('pi.external_id', '=', wecom)
        .orderBy('suggestions.id')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      congressId = await seedCongress(chat.deps.db);
    });
    afterAll(async () => {
      await chat.close();
    });

    it('offers a problem written without a command word back as a suggestion, and 是 files that exact text', async () => {
      const who = await deputy('孙大爷');
      const offer = await chat.send(who, { kind: 'text', text: STREETLIGHT });
      expect(offer?.text).toContain('要把这段话作为建议提交吗？');
      expect(offer?.text).not.toContain('没太明白');
      expect(offer?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
      expect(await items(who)).toEqual([]);
      const filed = await chat.say(who, '是');
      expect(filed).toMatch(/JY-2026-\d{4}/);
      const rows = await items(who);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.content).toBe(STREETLIGHT);
      expect(rows[0]!.kind).toBe('建议');
    });

    it('files nothing on 否, and the words fill the 建议 that follows instead of being asked again', async () => {
      const who = await deputy('钱阿姨');
      await chat.say(who, STREETLIGHT);
      const no = await chat.say(who, '否');
      expect(no).toContain('没有提交');
      expect(await items(who)).toEqual([]);
      const filed = await chat.say(who, '建议');
      expect(filed).not.toContain('请讲讲');
      expect(filed).toMatch(/JY-2026-\d{4}/);
      expect((await items(who)).map((r) => r.content)).toEqual([STREETLIGHT]);
    });

    it('never makes “我刚才不是说了吗” the text of a suggestion', async () => {
      const who = await deputy('周老师');
      await chat.say(who, STREETLIGHT);
      // The deputy does not answer the question and, irritated, points back at what they wrote.
      const again = await chat.say(who, '我刚才不是说了吗');
      expect(again).toContain('要把这段话作为建议提交吗？');
      expect(again).toContain('路灯坏了');
      await chat.say(who, '对');
      expect((await items(who)).map((r) => r.content)).toEqual([STREETLIGHT]);

      // In a dialog with nothing said before, it is asked for again rather than filed.
      const other = await deputy('吴师傅');
      expect(await chat.say(other, '建议')).toContain('请讲讲您的建议内容');
      const back = await chat.say(other, '我刚才不是说了吗');
      expect(back).toContain('再说一次');
      expect(await items(other)).toEqual([]);
      expect(await chat.say(other, '取消')).toContain('已取消');
    });

    it('lets a numbered choice after an unclear message take its words', async () => {
      const who = await deputy('郑主任');
      const menu = await chat.say(who, '关于学校门口接送车辆乱停乱放');
      // Either offered as a suggestion or as a menu: the words are kept both ways.
      if (menu.includes('要把这段话')) {
        await chat.say(who, '1');
      } else {
        const lines = menu.split('\n');
        const n = lines.find((l) => /^\d\. 建议/.test(l))![0]!;
        await chat.say(who, n);
      }
      expect((await items(who)).map((r) => r.content)).toEqual(['关于学校门口接送车辆乱停乱放']);
    });

    it('keeps a photo and a place sent first for 30 minutes and files them with the suggestion', async () => {
      const who = await deputy('冯大姐');
      const photo = await chat.send(who, {
        kind: 'image',
        media: { mediaId: 'M-1', url: 'https://p/1.jpg' },
      });
      expect(photo?.text).toContain('已收到照片');
      expect(photo?.text).not.toContain('请先发送');
      const place = await chat.send(who, {
        kind: 'location',
        location: { latitude: 40.08, longitude: 113.3, label: '新建北路与迎宾街路口' },
      });
      expect(place?.text).toContain('已收到位置');
      const filed = await chat.say(who, '建议 路口积水严重，希望疏通下水道');
      expect(filed).toContain('附照片 1 张');
      expect(filed).toContain('新建北路与迎宾街路口');
      const [row] = await items(who);
      expect(row!.photos).toEqual([expect.objectContaining({ mediaId: 'M-1' })]);
      expect(row!.location).toEqual(expect.objectContaining({ label: '新建北路与迎宾街路口' }));

      // Sent first and then left for more than 30 minutes: not attached to a later suggestion.
      await chat.send(who, { kind: 'image', media: { mediaId: 'M-2', url: 'https://p/2.jpg' } });
      clock.advance(31 * 60_000);
      const later = await chat.say(who, '建议 公交站台没有遮阳棚');
      expect(later).not.toContain('附照片');
      const rows = await items(who);
      expect(rows[1]!.photos).toEqual([]);
    });

    it('answers small talk politely', async () => {
      const who = await deputy('陈代表');
      expect(await chat.say(who, '谢谢你们')).toContain('不客气');
      expect(await chat.say(who, '在吗')).toContain('在');
      expect(await chat.say(who, '好的')).toContain('好的');
      for (const t of ['谢谢你们', '在吗', '好的']) expect(await chat.say(who, t)).not.toContain('没太明白');
    });

    it('calls a 批评 a 批评 and an 意见 an 意见', async () => {
      const who = await deputy('褚代表');
      expect(await chat.say(who, '批评')).toContain('批评内容');
      const filed = await chat.say(who, '窗口办事效率太低，排队两个小时');
      expect(filed).toContain('批评');
      expect(await chat.say(who, '意见')).toContain('意见内容');
      expect(await chat.say(who, '取消')).toContain('已取消');
      expect((await items(who)).map((r) => r.kind)).toEqual(['批评']);
    });

    it('shows examples in 帮助, never notation', async () => {
      const who = await deputy('卫代表');
      const help = await chat.say(who, '帮助');
      expect(help).toContain('例如');
      for (const jargon of ['<', '>', '[', 'YYYY', 'JY编号', '必填', '可省略'])
        expect(help).not.toContain(jargon);
      expect(Buffer.byteLength(help, 'utf8')).toBeLessThanOrEqual(2048);
    });
  });
}
