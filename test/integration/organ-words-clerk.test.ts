import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import type { ChatMessage } from '../../src/channels/types.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A clerk at an organ writing on WeCom as clerks do: 收到, codes typed without dashes, an answer told in
// two messages, a photo of the repair, thanks in the middle, 撤回 what was sent. Each test is one clerk of
// one organ with its own items, and asserts what the clerk reads and what the database holds.

const DEPUTY = 'ZhangSan';
const ORGANS = [
  '市住建局',
  '市城管局',
  '市交通局',
  '市水务局',
  '市园林局',
  '市市政局',
  '市环卫局',
  '市公安局',
  '市民政局',
  '市文旅局',
  '市商务局',
  '市卫健局',
  '市教育局',
];
const STAFF = 'LiSi';

interface Desk {
  clerk: string;
  organ: string;
  /** The organ's items, in the order they were handed over (the desk lists the newest first). */
  codes: string[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`a clerk's plain words at the organ desk on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let chat: ChatHarness;
    let server: RunningServer;
    const api = createApi<AnyJson>(() => server.url);
    let organs = 0;

    /** A new organ with its clerk on WeCom, and items handed to it (their words given). */
    const desk = async (...items: string[]): Promise<Desk> => {
      const organ = ORGANS[organs]!;
      organs += 1;
      const clerk = `Clerk${organs}`;
      await upsertOrgan(
        chat.deps.db,
        organ,
        { contactName: `${organ}周科长`, contactMobile: null, contactWecom: clerk, contactDingtalk: null },
        clock.now(),
      );
      const codes: string[] = [];
      for (const words of items) {
        const code = /JY-\d{4}-\d{4}/.exec(await chat.say(DEPUTY, `建议 ${words}`))![0];
        expect(await chat.say(STAFF, `交办 ${code} ${organ}`)).toContain('已交办');
        codes.push(code);
      }
      return { clerk, organ, codes };
    };
    const send = (d: Desk, msg: string | Partial<ChatMessage>) =>
      chat.send(d.clerk, typeof msg === 'string' ? { kind: 'text', text: msg } : msg);
    const say = async (d: Desk, text: string) => (await send(d, text))?.text ?? '';
    const answersOf = (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select([
          'a.id',
          'a.status',
          'a.fields',
          'a.result_class',
          'a.contact',
          'a.attachments',
          'a.review_note',
        ])
        .where('s.code', '=', code)
        .orderBy('a.id')
        .execute();
    const assignmentOf = (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.signed_at', 'a.return_requested_at', 'a.return_request_reason'])
        .where('s.code', '=', code)
        .executeTakeFirstOrThrow();
    /** Class A and a signer, answering the two questions that follow what was done. */
    const classAndSigner = async (d: Desk) => {
      expect(await say(d, 'A')).toContain('签发人是谁');
      return say(d, '张局长');
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      await seedCityRoster(chat.deps, { deputies: [DEPUTY] }); // 李四 is STAFF
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('reads what was done told in words, with the item they point to, and keeps every word', async () => {
      const d = await desk('府西街路灯不亮已经一个月', '和平街小区外墙瓷砖脱落有危险');
      const [lamp, wall] = d.codes as [string, string];
      // Before: the list of commands, the words lost.
      const r = await say(d, '这个事情我们已经派人去修了，路灯换好了');
      expect(r).toContain(`${lamp}「府西街路灯不亮已经一个月」 的办理结果属于哪一类？`);
      expect(await classAndSigner(d)).toContain(`已收到 ${lamp} 的答复`);
      expect((await answersOf(lamp))[0]!.fields).toMatchObject({ done: '我们已经派人去修了，路灯换好了' });
      // 已办结 with the contact written without its colon: the contact is the contact.
      expect(await say(d, '外墙那个已办结 联系人王科长 电话13912345678')).toContain(`${wall}「和平街`);
      expect(await classAndSigner(d)).toContain(`已收到 ${wall} 的答复`);
      expect((await answersOf(wall))[0]).toMatchObject({
        contact: '王科长 电话13912345678',
        fields: expect.objectContaining({ done: '已办结' }),
      });
    });

    it('reads a code typed without dashes, with spaces, in full width, or before the word', async () => {
      const d = await desk('迎泽街井盖缺失', '新建路绿化带缺株');
      const [first, second] = d.codes as [string, string];
      const compact = first.replace(/-/g, '');
      const spaced = second.replace(/-/g, ' ');
      // Before: the list of commands (code first), or "which item?" and then "A" taken as an item.
      expect(await say(d, `${compact.slice(0, 6)} ${compact.slice(6)} 答复：已补齐井盖`)).toContain(
        `${first}「迎泽街井盖缺失」 的办理结果属于哪一类？`,
      );
      expect(await classAndSigner(d)).toContain(`已收到 ${first} 的答复`);
      expect(await say(d, `答复 ${spaced} 已补种`)).toContain(`${second}「新建路绿化带缺株」 的办理结果`);
      expect(await say(d, '不答了')).toContain('答复没有提交');
      const wide = second.replace(/[A-Z0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      expect(await say(d, `签收　${wide}`)).toBe(`已签收 ${second}，请按期办理。`);
      expect((await assignmentOf(second)).signed_at).not.toBeNull();
      // 回复 is 答复; 退回 is 申请退回, its reason without the word.
      const d2 = await desk('东关街积水');
      const [flood] = d2.codes as [string];
      expect(await say(d2, `回复 ${flood} 已疏通`)).toContain('的办理结果属于哪一类？');
      expect(await say(d2, '取消')).toContain('答复没有提交');
      expect(await say(d2, `退回 ${flood} 不归我们管`)).toContain('已提出退回申请');
      expect((await assignmentOf(flood)).return_request_reason).toBe('不归我们管');
    });

    it('signs on 收到 and 是 without losing the list, and signs all on 都签收', async () => {
      const d = await desk('南关街路面塌陷', '北关街路灯不亮', '西关街垃圾清运不及时');
      const [a, b, c] = d.codes as [string, string, string];
      const listed = await send(d, '收到了，谢谢');
      expect(listed?.text).toContain('本单位还有 3 项待签收');
      // Before: 是 to a list of three signed nothing and showed the commands, the list gone.
      expect(await say(d, '是')).toBe('请回复数字（1–3）选择其中一项，或点选上面的按钮。');
      expect(await say(d, '3')).toBe(`已签收 ${a}，请按期办理。`);
      // 收到 with a code offers that one.
      expect(await say(d, `收到，${b}`)).toContain(`要签收 ${b}「北关街路灯不亮」吗？`);
      expect(await say(d, '已阅')).toContain('本单位还有 2 项待签收');
      expect(await say(d, '都签收')).toBe(`已签收 2 项：${c}、${b}，请按期办理。`);
      for (const code of d.codes) expect((await assignmentOf(code)).signed_at).not.toBeNull();
    });

    it('takes an answer told in two messages, thanks in the middle, and a signer with a phone number', async () => {
      const d = await desk('青年路人行道砖松动');
      const [code] = d.codes as [string];
      expect(await say(d, `答复 ${code} 已更换松动地砖120块`)).toContain('的办理结果属于哪一类？');
      // Before: "没看懂是哪一类", the words lost (or, longer, the answer dropped and the commands shown).
      expect(await say(d, '另外把周边的井盖也全部检查了一遍')).toContain(
        '已补充：“另外把周边的井盖也全部检查了一遍”',
      );
      // Before: thanks let the answer go; "A" then showed the commands.
      expect(await say(d, '谢谢')).toMatch(/^不客气。这份答复还没有提交，.*的办理结果属于哪一类？/s);
      expect(await say(d, '已经解决了')).toContain('签发人是谁');
      // Before: "好的谢谢" was taken as the signer and the answer submitted.
      expect(await say(d, '好的谢谢')).toContain('这份答复还没有提交，请问这份答复的签发人是谁？');
      expect(await answersOf(code)).toEqual([]);
      // Before: a name with a number was no name, and the answer was dropped.
      const done = await say(d, '王局长 电话13912345678');
      expect(done).toContain(`已收到 ${code} 的答复`);
      expect(done).toContain('签发人：王局长');
      expect(await answersOf(code)).toEqual([
        expect.objectContaining({
          status: 'pending_review',
          result_class: 'A',
          contact: '王局长 电话13912345678',
          fields: expect.objectContaining({
            done: '已更换松动地砖120块；把周边的井盖也全部检查了一遍',
            signedBy: '王局长',
          }),
        }),
      ]);
    });

    it('files what was done and what is planned, told in one breath, each in its field', async () => {
      const d = await desk('府东街路灯老化');
      const [code] = d.codes as [string];
      await say(
        d,
        `答复 ${code} 已于11月20日更换路灯12盏，并对线路进行了全面检修，计划明年3月底前完成全街路灯改造。签发人：王局长`,
      );
      expect(await say(d, 'B')).toContain(`已收到 ${code} 的答复`);
      // Before: all of it was filed as 计划 (the deputy would read the work done as a mere plan).
      expect((await answersOf(code))[0]!.fields).toMatchObject({
        done: '已于11月20日更换路灯12盏，并对线路进行了全面检修',
        planned: '计划明年3月底前完成全街路灯改造',
        signedBy: '王局长',
      });
    });

    it('keeps a photo of the repair with the answer, sent during it, alone, or just after it', async () => {
      const d = await desk('文兴路路灯杆倾斜', '站东街井盖破损');
      const [pole] = d.codes as [string];
      chat.wecom.serveMedia('PHOTO-POLE', Buffer.from('jpeg of the pole'));
      chat.wecom.serveMedia('PHOTO-RAIL', Buffer.from('jpeg of the rail'));
      chat.wecom.serveMedia('PHOTO-MORE', Buffer.from('jpeg of more'));
      expect(await say(d, `答复 ${pole} 已扶正灯杆并加固基础`)).toContain('的办理结果属于哪一类？');
      // Before: "没看懂是哪一类", and the photo was never kept.
      const during = await send(d, { kind: 'image', media: { mediaId: 'PHOTO-POLE' } });
      expect(during?.text).toMatch(/^收到照片，会和答复一起提交（共 1 个）。.*的办理结果属于哪一类？/s);
      expect(await classAndSigner(d)).toContain(`已收到 ${pole} 的答复（附照片或文件 1 个）`);
      // Just after the answer: the photo goes with it while it waits for review.
      expect((await send(d, { kind: 'image', media: { mediaId: 'PHOTO-MORE' } }))?.text).toBe(
        `已补充到 ${pole} 的答复（正等待审核），这份答复现有照片或文件 2 个。`,
      );
      // A photo alone (before: offered to sign the items) begins the answer of the item it shows.
      const d2 = await desk('御河西路护栏缺失', '魏都大道隔离栏损坏');
      const rail = d2.codes[1]!;
      const alone = await send(d2, { kind: 'image', media: { mediaId: 'PHOTO-RAIL' } });
      expect(alone?.text).toContain('收到照片，会和答复一起提交（共 1 个）。请问答复的是哪一项？');
      expect(await say(d2, rail)).toContain('办得怎么样了');
      expect(await say(d2, '隔离栏已更换')).toContain('的办理结果属于哪一类？');
      expect(await classAndSigner(d2)).toContain(`已收到 ${rail} 的答复（附照片或文件 1 个）`);
      expect((await answersOf(rail))[0]!.attachments).toEqual([
        expect.objectContaining({ mediaId: 'PHOTO-RAIL', stored: expect.any(Number) }),
      ]);

      expect((await answersOf(pole))[0]!.attachments).toEqual([
        expect.objectContaining({ mediaId: 'PHOTO-POLE', stored: expect.any(Number) }),
        expect.objectContaining({ mediaId: 'PHOTO-MORE', stored: expect.any(Number) }),
      ]);
      // Fetched into our own storage, the office reads the photos with the answer under review.
      await chat.runtime.media.runOnce();
      const item = await api('GET', `/suggestions/${pole}`);
      const answer = item.json.answers[0];
      expect(answer.files).toEqual([
        expect.objectContaining({ index: 1, name: '照片1.jpg', contentType: 'image/jpeg' }),
        expect.objectContaining({ index: 2, name: '照片2.jpg' }),
      ]);
      const file = await fetch(`${server.url}/api/suggestions/${pole}/answers/${answer.id}/files/1`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('jpeg of the pole');
    });

    it('takes back an answer waiting for review, and a return request, and adds words said after', async () => {
      const d = await desk('永泰街下水道返味');
      const [code] = d.codes as [string];
      await say(d, `答复 ${code} 分类：A；已办理：已疏通；签发人：张局长`);
      // Before: the commands; the words lost.
      const more = await send(d, '还有管道也做了除臭处理');
      expect(more?.buttons).toEqual([
        { label: `补充到 ${code} 的答复`, command: `补充 ${code} 还有管道也做了除臭处理` },
      ]);
      expect(await say(d, '是')).toBe(`已补充到 ${code} 的答复（正等待审核）。`);
      // Before: the commands; the answer stayed on its way to the deputy.
      expect(await say(d, '撤回刚才的答复')).toContain(`已撤回 ${code} 的答复，它不会发给代表。请问`);
      expect(await answersOf(code)).toEqual([
        expect.objectContaining({
          status: 'returned',
          review_note: '承办单位撤回',
          fields: expect.objectContaining({ done: '已疏通；管道也做了除臭处理' }),
        }),
      ]);
      expect(await say(d, '已疏通并做了除臭处理，经回访居民反映已无异味')).toContain(
        '的办理结果属于哪一类？',
      );
      expect(await classAndSigner(d)).toContain(`已收到 ${code} 的答复`);
      expect((await answersOf(code)).map((a) => a.status)).toEqual(['returned', 'pending_review']);
      // 撤回 with nothing waiting says so.
      const d2 = await desk('云中路占道经营');
      const [other] = d2.codes as [string];
      expect(await say(d2, '撤回刚才的答复')).toContain('本单位目前没有等待审核的答复可以撤回');
      expect(await say(d2, `申请退回 ${other} 应由城管局负责`)).toContain('已提出退回申请');
      // Before: the class and the signer were asked, and the answer sent beside the return request.
      const blocked = await send(d2, `答复 ${other} 已清理占道摊点`);
      expect(blocked?.text).toContain(
        `${other} 已申请退回，正等待人大常委会代表工作机构决定，决定前不能答复。`,
      );
      expect(blocked?.buttons).toEqual([
        { label: `撤回退回申请 ${other}`, command: `撤回退回申请 ${other}` },
      ]);
      expect(await answersOf(other)).toEqual([]);
      expect(await say(d2, '撤回退回申请')).toBe(`已撤回 ${other} 的退回申请，请继续办理，期限不变。`);
      expect((await assignmentOf(other)).return_requested_at).toBeNull();
    });

    it('answers a code alone, asks about due dates, and offers unread words as an answer', async () => {
      const d = await desk('开源街公厕无人保洁', '华严寺周边停车难');
      const [toilet, parking] = d.codes as [string, string];
      // Before: the commands.
      const card = await send(d, toilet.replace(/-/g, ''));
      expect(card?.text).toContain(`${toilet}「开源街公厕无人保洁」\n本单位承办，答复期限 `);
      expect(card?.text).toContain('还没有签收。');
      expect(card?.buttons?.map((b) => b.command)).toEqual([`签收 ${toilet}`, `答复 ${toilet}`]);
      expect(await say(d, '什么时候到期')).toContain(`${parking}「华严寺周边停车难」承办，期限 `);
      expect(await say(d, '查一下')).toContain(`${toilet}「开源街公厕无人保洁」承办，期限 `);
      // Before: the commands, the words lost. Now they ride in a button for each item; nothing is sent.
      const unread = await send(d, '这个路段情况比较复杂需要协调');
      expect(unread?.text).toContain('没看懂“这个路段情况比较复杂需要协调”要办什么');
      expect(unread?.buttons).toEqual([
        { label: `作为 ${parking} 的答复`, command: `答复 ${parking} 这个路段情况比较复杂需要协调` },
        { label: `作为 ${toilet} 的答复`, command: `答复 ${toilet} 这个路段情况比较复杂需要协调` },
      ]);
      // A return told in words that point at no item: a button for each, carrying the reason.
      const ret = await send(d, '这个不归我们管，应该是水务局的');
      expect(ret?.buttons?.map((b) => b.command)).toEqual([
        `申请退回 ${parking} 这个不归我们管，应该是水务局的`,
        `申请退回 ${toilet} 这个不归我们管，应该是水务局的`,
      ]);
      expect(await answersOf(toilet)).toEqual([]);
      expect((await assignmentOf(toilet)).return_requested_at).toBeNull();
    });

    it('keeps a half-told answer through another command, and says so', async () => {
      const d = await desk('恒安街路口信号灯不亮', '永和路违章搭建');
      const [light, shed] = d.codes as [string, string];
      expect(await say(d, `答复 ${light} 已修复信号灯`)).toContain('的办理结果属于哪一类？');
      // Before: 签收 let the half-told answer go.
      const signed = await say(d, `签收 ${shed}`);
      expect(signed).toBe(
        `已签收 ${shed}，请按期办理。\n（${light} 的答复还没有提交，回复上面问的内容即可继续；发“取消”不再答复。）`,
      );
      expect(await classAndSigner(d)).toContain(`已收到 ${light} 的答复`);
      expect((await answersOf(light))[0]!.fields).toMatchObject({ done: '已修复信号灯', signedBy: '张局长' });
    });

    it('lists the organ’s items when asked what there is to do, and signs for or returns the one named in words', async () => {
      const d = await desk('村里的自来水经常停，老人挑水困难', '学校门口的红绿灯坏了，孩子过马路危险');
      const [water, light] = d.codes as [string, string];
      // Before: the list of commands.
      for (const asked of ['有什么要我们办的', '我们单位有几件', '有啥要我们办的？']) {
        const listed = await say(d, asked);
        expect(listed).toContain(`${water}「村里的自来水经常停`);
        expect(listed).toContain(`${light}「学校门口的红绿灯坏了`);
        expect(listed).not.toContain('承办单位可以发');
      }
      // Before: "没看懂"; now the item the words name is signed for, the other not.
      expect(await say(d, '自来水那个我们签收了')).toBe(`已签收 ${water}，请按期办理。`);
      expect((await assignmentOf(water)).signed_at).not.toBeNull();
      expect((await assignmentOf(light)).signed_at).toBeNull();
      // Before: the list of open items to pick from; now the one whose words are named, asked about first.
      const offered = await say(d, '红绿灯不归我们管，应该是交警');
      expect(offered).toContain(`是要申请退回 ${light}「学校门口的红绿灯坏了`);
      expect((await assignmentOf(light)).return_requested_at).toBeNull();
      expect(await say(d, '是')).toContain(`已提出退回申请（${light}）`);
      expect(await assignmentOf(light)).toMatchObject({
        return_request_reason: '红绿灯不归我们管，应该是交警',
      });
      expect((await assignmentOf(water)).return_requested_at).toBeNull();
    });
  });
}
