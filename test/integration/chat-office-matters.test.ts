import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedGroup } from '../helpers/seed.ts';

// What only the office can do, asked in chat — a lost 代表证, a new phone number, a resignation (山西 第四十八条:
// in writing), a meeting's papers — is answered with what the office does, and the deputy's words go to its
// staff as written, once; nothing is filed as a suggestion. And a few ways deputies type: "催" alone, "我要
// 给市长写信反映问题" (the matter still to come), "电话线老断" (a matter).

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `what only the office can do, asked in chat, on ${backend.name}`,
    () => {
      let chat: ChatHarness;
      let city = 0;
      const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
      const personId = async (name: string) =>
        (
          await chat.deps.db
            .selectFrom('people')
            .select('id')
            .where('name', '=', name)
            .executeTakeFirstOrThrow()
        ).id;
      const items = async () =>
        (await chat.deps.db.selectFrom('suggestions').select('content').orderBy('id').execute()).map(
          (r) => r.content,
        );
      const toStaff = async () => (await chat.inbox('LiSi')).filter((t) => t.startsWith('【代表留言·'));

      beforeAll(async () => {
        chat = await createChatHarness(backend.name, { clock });
        city = await seedCityRoster(chat.deps, {
          deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'ZhaoLaoShi', 'QianDaJie'],
        });
      });
      afterAll(async () => {
        await chat?.close();
      });

      it('says what the office does and passes the words on, as deputies ask it', async () => {
        const asked: [string, string, string][] = [
          [
            'ZhangDaYe',
            '你好，我是城关镇的代表张大爷，我的代表证丢了咋办',
            '代表证的补办、更换由代表工作机构办理',
          ],
          ['ZhangDaYe', '我换手机号了 新号码是13912345678', '联系方式由代表工作机构登记'],
          ['QianDaJie', '我不想当代表了 太累了', '（山西 第四十八条）'],
          ['WangMang', '上次开会的材料我没收到', '会议材料由代表工作机构发放'],
        ];
        for (const [who, text, what] of asked) {
          const r = await chat.say(who, text);
          expect(r, text).toContain(what);
          expect(r, text).toContain('您的话已原样转告代表工作机构，他们会和您联系。');
        }
        expect(await items()).toEqual([]);
        expect(await toStaff()).toEqual([
          '【代表留言·代表证】张大爷（大同市第十六届人民代表大会）在对话中说：\n“你好，我是城关镇的代表张大爷，我的代表证丢了咋办”\n这件事需要工作人员办理，请与代表联系。',
          '【代表留言·联系方式】张大爷（大同市第十六届人民代表大会）在对话中说：\n“我换手机号了 新号码是13912345678”\n这件事需要工作人员办理，请与代表联系。',
          '【代表留言·辞去代表职务】钱大姐（大同市第十六届人民代表大会）在对话中说：\n“我不想当代表了 太累了”\n这件事需要工作人员办理，请与代表联系。',
          '【代表留言·会议材料】王忙（大同市第十六届人民代表大会）在对话中说：\n“上次开会的材料我没收到”\n这件事需要工作人员办理，请与代表联系。',
        ]);
      });

      it('passes a message on once when the platform delivers it twice', async () => {
        const msg = { kind: 'text' as const, text: '我搬家了', messageKey: '7312345678901234567' };
        const first = await chat.send('ZhaoLaoShi', msg);
        const again = await chat.send('ZhaoLaoShi', msg);
        expect(first?.text).toContain('联系方式由代表工作机构登记');
        expect(again?.text).toBe(first?.text);
        expect((await toStaff()).filter((t) => t.includes('赵老师'))).toHaveLength(1);
      });

      it('reads “催” alone as 催办, a letter to the mayor as a matter still to come, and “老断” as a matter', async () => {
        expect(await chat.say('WangMang', '催')).toContain('催办');
        const toMayor = await chat.say('ZhaoLaoShi', '我要给市长写信反映问题');
        expect(toMayor).toContain('请再说具体些');
        expect(await items()).toEqual([]);
        expect(await chat.say('ZhaoLaoShi', '学校门口的路太窄了，上下学堵得厉害')).toContain(
          '已收到您的意见',
        );
        expect(await items()).toEqual(['给市长写信，学校门口的路太窄了，上下学堵得厉害']);
        expect(await chat.say('LiMaHu', '我们村的电话线老断')).toContain('要把这段话作为建议提交吗？');
      });

      it('answers small talk as people send it: a thumbs up, a question announced, whether voice is heard', async () => {
        for (const ok of ['👍', '[强]', '好的👍'])
          expect(await chat.say('QianDaJie', ok), ok).toContain('好的。');
        expect(await chat.say('QianDaJie', '🙏')).toBe('不客气，有事随时找我。');
        expect(await chat.say('QianDaJie', '我有个事想问问')).toBe('您请说，我听着。打字或发语音都行。');
        const voice = await chat.say('ZhangDaYe', '小同志 俺不会打字 你能听语音不');
        expect(voice).toContain('可以直接发语音');
        // None of these is held: the matter told next is offered alone, with none of them in it.
        const offered = await chat.say('QianDaJie', '我们小区门口的垃圾站太臭了');
        expect(offered).toContain('“我们小区门口的垃圾站太臭了”');
        expect(offered).not.toContain('想问问');
      });

      it('tells a deputy which group and station they are in, and who leads them', async () => {
        const small = await seedGroup(chat.deps.db, { congressId: city, name: '城关代表小组' });
        await chat.deps.db
          .updateTable('groups')
          .set({ leader_person_id: await personId('王忙') })
          .where('id', '=', small)
          .execute();
        const station = await chat.deps.db
          .insertInto('stations')
          .values({ congress_id: city, name: '城关镇代表联络站', head_person_id: await personId('赵老师') })
          .returning('id')
          .executeTakeFirstOrThrow();
        await chat.deps.db
          .updateTable('mandates')
          .set({ small_group_id: small, station_id: station.id })
          .where('person_id', '=', await personId('张大爷'))
          .execute();
        for (const asked of ['我是哪个小组的', '我们组长是谁', '联络站在哪']) {
          const r = await chat.say('ZhangDaYe', asked);
          expect(r, asked).toBe(
            '您在大同市第十六届人民代表大会：\n代表小组：城关代表小组（组长：王忙）\n代表大组：还没有编入代表大组\n代表联络站：城关镇代表联络站（站长：赵老师）\n联络站的地址和开放时间以站里公布的为准，也可以问代表工作机构；编组有误请告诉代表工作机构。',
          );
        }
        expect(await chat.say('LiMaHu', '我在哪个联络站')).toContain('代表联络站：还没有编入代表联络站');
      });
    },
  );
}
