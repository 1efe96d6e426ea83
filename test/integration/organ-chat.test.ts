import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { decideReturnRequest, setItemPublication } from '../../src/services/suggestions/index.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedOrgan, seedPerson } from '../helpers/seed.ts';
import { startServer } from '../helpers/server.ts';

// An organ's contact in chat (not on the roster): the 交办函 arrives with its buttons, 签收 and
// 申请退回 are answered and recorded, 答复 is held for the office's review, another organ's contact is
// told the item does not exist, and a stranger still gets the roster answer.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ's contact in chat on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan'] });
      for (const [organ, wecom] of [
        ['市住建局', 'ZhujianZhou'],
        ['市公安局', 'GonganMa'],
      ] as const)
        await seedOrgan(chat.deps.db, organ, { name: `${organ}联系人`, wecom }, clock.now());
      expect(await chat.say('ZhangSan', '建议 府西街路灯不亮已经一个月')).toContain('JY-2026-0001');
      expect(await chat.say('LiSi', '交办 JY-2026-0001 市住建局')).toContain('市住建局（承办）');
    });
    afterAll(async () => {
      await chat?.close();
    });

    it('receives the whole 交办函 and signs for it', async () => {
      const letter = (await chat.inbox('ZhujianZhou')).join('\n');
      expect(letter).toContain('府西街路灯不亮已经一个月');
      expect(letter).toContain('提出代表：张三');
      // A number or a yes with no list shown signs nothing, and says so in a line.
      expect(await chat.say('ZhujianZhou', '1')).toContain(
        '现在没有等您回答的问题，这条“1”没有办理任何事项。',
      );
      expect(await chat.say('ZhujianZhou', '是')).toContain(
        '现在没有等您回答的问题，这条“是”没有办理任何事项。',
      );
      expect(await chat.say('ZhujianZhou', '你好')).toMatch(/^市住建局联系人，您好。承办单位可以发/);
      // 收到 offers the one item for signing; words about something else let the offer lapse.
      expect(await chat.say('ZhujianZhou', '收到')).toContain('要签收 JY-2026-0001「');
      expect(await chat.say('ZhujianZhou', '查询')).toContain('JY-2026-0001');
      expect(await chat.say('ZhujianZhou', '是')).toContain('现在没有等您回答的问题');
      expect(
        (
          await chat.deps.db
            .selectFrom('suggestion_assignments')
            .select('signed_at')
            .executeTakeFirstOrThrow()
        ).signed_at,
      ).toBeNull();
      // 签收 alone with one item to sign for: that one (the numbered list is for several, as a clerk's).
      expect(await chat.say('ZhujianZhou', '签收')).toBe('已签收 JY-2026-0001，请按期办理。');
      expect(await chat.say('ZhujianZhou', '签收 JY-2026-0001')).toBe('JY-2026-0001 已签收过。');
      expect(await chat.say('ZhujianZhou', '签收')).toBe('本单位目前没有待签收的事项。');
      const a = await chat.deps.db
        .selectFrom('suggestion_assignments')
        .select(['signed_at', 'signed_by'])
        .executeTakeFirstOrThrow();
      expect(a.signed_at).not.toBeNull();
      expect(a.signed_by).toBe('organ:wecom:ZhujianZhou');
    });

    it('asks for the code and the reason of a return request, then records it', async () => {
      // No code: the example to copy names the organ's own item and keeps the reason given.
      const noCode = await chat.say('ZhujianZhou', '申请退回 路灯由城管局负责');
      expect(noCode).toContain('申请退回 JY-2026-0001 路灯由城管局负责');
      expect(noCode).toContain('JY-2026-0001「');
      expect(await chat.say('ZhujianZhou', '申请退回 JY-2026-0001')).toContain('请写明理由');
      expect(await chat.say('ZhujianZhou', '申请退回 JY-2026-0001 路灯由城管局负责')).toContain(
        '已提出退回申请',
      );
      expect((await chat.inbox('LiSi')).join('\n')).toContain('【退回申请】市住建局申请退回');
      // Staff looking the item up in chat see what waits for them.
      expect(await chat.say('LiSi', '查询 JY-2026-0001')).toContain(
        '市住建局申请退回（路灯由城管局负责），待决定：在「工作平台 → 答复审核」处理。',
      );
    });

    it('takes an answer told in plain words, asks for the class and the signer a part at a time, and holds it for review', async () => {
      // The return request of the test before is decided first (no answer while the office decides it).
      const staff = { id: 'staff:test', name: '李四' };
      await decideReturnRequest(chat.deps, {
        code: 'JY-2026-0001',
        organ: '市住建局',
        decision: 'keep',
        actor: staff,
        scope: null,
      });
      const none = async () =>
        expect(await chat.deps.db.selectFrom('suggestion_answers').selectAll().execute()).toEqual([]);
      // Plain words are what was done; the class is asked for with a button for each.
      const cls = await chat.send('ZhujianZhou', {
        kind: 'text',
        text: '答复 JY-2026-0001 已更换路灯 12 盏；联系人：周科长；文号：同住建函〔2026〕88号',
      });
      expect(cls?.text).toContain('JY-2026-0001「府西街路灯不亮已经一个月」 的办理结果属于哪一类？');
      expect(cls?.buttons?.map((b) => b.command)).toEqual(['A', 'B', 'C', 'D']);
      expect(cls?.buttons?.[0]?.label).toBe('A 已解决或采纳');
      await none();
      // A slip is asked again; a letter in lower case with 类 is read.
      expect(await chat.say('ZhujianZhou', 'E')).toContain('没看懂是哪一类。');
      expect(await chat.say('ZhujianZhou', 'a类')).toContain('签发人是谁');
      // A sentence is no signer's name.
      expect(await chat.say('ZhujianZhou', '局长出差了')).toContain('签发人请只写姓名或职务');
      await none();
      const r = await chat.say('ZhujianZhou', '签发人是张局长');
      expect(r).toContain('已收到 JY-2026-0001 的答复，经人大常委会代表工作机构审核后发给代表。');
      expect(r).toContain('分类：A 已解决或采纳；签发人：张局长');
      const row = await chat.deps.db.selectFrom('suggestion_answers').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'pending_review',
        result_class: 'A',
        doc_no: '同住建函〔2026〕88号',
        contact: '周科长',
      });
      expect(row.fields).toMatchObject({ done: '已更换路灯 12 盏', signedBy: '张局长' });
      // The answer told, the steps are over: a name said again is no part of anything.
      expect(await chat.say('ZhujianZhou', '张局长')).not.toContain('已收到');
      expect((await chat.inbox('ZhangSan')).join('\n')).not.toContain('已更换路灯');
      // Staff who say 审核 are shown what waits and where answers are reviewed.
      expect(await chat.say('LiSi', '审核')).toContain('待审核的答复 1 件：在「工作平台 → 答复审核」处理。');
      // "审核通过", "通过" as if the answer could be passed in chat: the same, and nothing is approved.
      for (const said of ['审核通过', '通过'])
        expect(await chat.say('LiSi', said), said).toContain(
          '待审核的答复 1 件：在「工作平台 → 答复审核」处理。',
        );
      expect(
        (await chat.deps.db.selectFrom('suggestion_answers').select('status').executeTakeFirstOrThrow())
          .status,
      ).toBe('pending_review');
      const staffView = await chat.say('LiSi', '查询 JY-2026-0001');
      expect(staffView).toContain('市住建局已提交答复，待审核');
      // 催办 is the deputy's word: staff are not told to send it.
      expect(staffView).not.toContain('催办');
      expect(await chat.say('ZhangSan', '查询 JY-2026-0001')).not.toContain('待审核');
    });

    it('tells another organ’s contact the item does not exist, and a stranger the roster answer', async () => {
      expect(await chat.say('GonganMa', '签收 JY-2026-0001')).toContain('没有找到编号为 JY-2026-0001 的事项');
      expect(await chat.say('SomeoneElse', '签收 JY-2026-0001')).not.toContain('签收');
    });

    it('records a deputy’s wish that the public page leave their name off', async () => {
      const item = () =>
        chat.deps.db
          .selectFrom('suggestions')
          .select(['id', 'withhold_name'])
          .where('code', '=', 'JY-2026-0001')
          .executeTakeFirstOrThrow();
      // Someone else's item: not found, nothing recorded.
      expect(await chat.say('LiSi', '不公开姓名 JY-2026-0001')).not.toContain('不会写您的姓名');
      expect((await item()).withhold_name).toBe(false);
      expect(await chat.say('ZhangSan', 'JY-2026-0001 公开时不要写我的名字')).toBe(
        '好的，JY-2026-0001 在网上公开时不会写您的姓名。',
      );
      expect((await item()).withhold_name).toBe(true);
      const events = await chat.deps.db
        .selectFrom('suggestion_events')
        .select(['action', 'summary'])
        .where('suggestion_id', '=', (await item()).id)
        .where('action', '=', 'withhold_name')
        .execute();
      expect(events).toEqual([{ action: 'withhold_name', summary: '代表要求网上公开时不公开其姓名' }]);
      // Said again without the code: the item is the deputy's only one.
      expect(await chat.say('ZhangSan', '不公开姓名')).toContain('已记下公开时不写您的姓名');

      await setItemPublication(chat.deps, {
        code: 'JY-2026-0001',
        publish: true,
        actor: { id: 'staff:test', name: '李四' },
        scope: null,
      });
      const server = await startServer(chat.deps, chat.runtime);
      try {
        const page = await (await fetch(`${server.url}/public`)).text();
        expect(page).toContain('JY-2026-0001');
        expect(page).toContain('府西街路灯不亮');
        expect(page).not.toContain('张三');
      } finally {
        await server.close();
      }
    });

    it('reaches a deputy and a staff member who are also organs’ contacts, leaving them their own commands', async () => {
      const congressId = (await chat.deps.db.selectFrom('congresses').select('id').executeTakeFirstOrThrow())
        .id;
      await seedPerson(chat.deps.db, { name: '王五', wecom: 'WangWu', congressId });
      await seedPerson(chat.deps.db, { name: '赵六', wecom: 'ZhaoLiu', congressId, role: 'staff' });
      for (const [organ, wecom] of [
        ['市交通局', 'WangWu'],
        ['市水务局', 'ZhaoLiu'],
      ] as const)
        await upsertOrgan(
          chat.deps.db,
          organ,
          { contactName: `${organ}联系人`, contactMobile: null, contactWecom: wecom, contactDingtalk: null },
          clock.now(),
        );
      expect(await chat.say('ZhangSan', '建议 和平路公交站没有遮雨棚')).toContain('JY-2026-0002');
      expect(await chat.say('LiSi', '交办 JY-2026-0002 市交通局')).toContain('市交通局（承办）');
      expect(await chat.say('ZhangSan', '建议 御河东岸排水口堵塞')).toContain('JY-2026-0003');
      expect(await chat.say('LiSi', '交办 JY-2026-0003 市水务局')).toContain('市水务局（承办）');

      // The deputy signs for and answers for their organ; their 查询 is still a deputy's own items.
      expect(await chat.say('WangWu', '签收 JY-2026-0002')).toBe('已签收 JY-2026-0002，请按期办理。');
      expect(await chat.say('WangWu', '答复 JY-2026-0002 分类：B；计划：明年加装；签发人：刘局长')).toContain(
        '审核后发给代表',
      );
      expect(await chat.say('WangWu', '查询')).not.toContain('本单位');
      // The staff member signs for their organ; 答复 stays the staff command it is.
      expect(await chat.say('ZhaoLiu', '签收 JY-2026-0003')).toBe('已签收 JY-2026-0003，请按期办理。');
      expect(await chat.say('ZhaoLiu', '答复 JY-2026-0003 分类：A；已办理：已疏通')).not.toContain(
        '审核后发给代表',
      );
      const signed = await chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['s.code', 'a.signed_by'])
        .where('s.code', 'in', ['JY-2026-0002', 'JY-2026-0003'])
        .orderBy('s.code')
        .execute();
      expect(signed).toEqual([
        { code: 'JY-2026-0002', signed_by: 'organ:wecom:WangWu' },
        { code: 'JY-2026-0003', signed_by: 'organ:wecom:ZhaoLiu' },
      ]);
      const held = await chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['s.code', 'a.status'])
        .where('s.code', '=', 'JY-2026-0002')
        .execute();
      expect(held).toEqual([{ code: 'JY-2026-0002', status: 'pending_review' }]);
    });
    it('reads a return or an answer told in words as the form to send, and submits nothing until it is sent', async () => {
      // Another item of the organ's, so the words must point at one.
      const code = /JY-\d{4}-\d{4}/.exec(await chat.say('ZhangSan', '建议 和平街小区外墙瓷砖脱落有危险'))![0];
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('已交办');
      const returns = () =>
        chat.deps.db
          .selectFrom('suggestion_assignments')
          .select(['id', 'return_requested_at'])
          .orderBy('id')
          .execute();
      const answers = () =>
        chat.deps.db.selectFrom('suggestion_answers').select('id').orderBy('id').execute();
      const [returnsBefore, answersBefore] = [await returns(), await answers()];
      const ret = await chat.send('ZhujianZhou', {
        kind: 'text',
        text: '外墙那个不归我们管，应该是物业的事',
      });
      expect(ret?.text).toContain(`是要申请退回 ${code}「`);
      expect(ret?.buttons).toEqual([
        { label: `申请退回 ${code}`, command: `申请退回 ${code} 外墙那个不归我们管，应该是物业的事` },
      ]);
      // Words that point at no one item: the open items and the form to copy.
      const which = await chat.say('ZhujianZhou', '这个不归我们管');
      expect(which).toContain('请写明要退回的编号');
      expect(which).toContain(`${code}「`);
      // Told in words: the item the words point to, then its class; "取消" ends it with nothing sent.
      const done = await chat.say('ZhujianZhou', '外墙那个已经修好了');
      expect(done).toContain(`${code}「和平街小区外墙瓷砖脱落有危险」 的办理结果属于哪一类？`);
      expect(await chat.say('ZhujianZhou', '取消')).toBe('好的，答复没有提交。需要时再告诉我办理情况即可。');
      // 答复 alone: which item (a number picks it), then what was done.
      const which2 = await chat.send('ZhujianZhou', { kind: 'text', text: '答复' });
      expect(which2?.text).toContain('请问答复的是哪一项？');
      expect(which2?.buttons?.map((b) => b.command)).toContain(code);
      expect(await chat.say('ZhujianZhou', code)).toContain('办得怎么样了');
      // A message of its own in the middle lets the answer go and is read as it is.
      expect(await chat.say('ZhujianZhou', '这个不归我们管')).toContain('请写明要退回的编号');
      expect(await returns()).toEqual(returnsBefore);
      expect(await answers()).toEqual(answersBefore);
      // Thanks are answered briefly, not with the whole list of commands.
      expect(await chat.say('ZhujianZhou', '谢谢')).toBe(
        '不客气。需要时发“查询”可查看本单位正在办理的事项。',
      );
      // 收到 for a letter not yet signed for offers to sign it; "是" signs.
      const taken = await chat.send('ZhujianZhou', { kind: 'text', text: '收到，我们马上安排' });
      expect(taken?.text).toContain(`要签收 ${code}「和平街小区外墙瓷砖脱落有危险」吗？`);
      expect(taken?.buttons).toEqual([{ label: `签收 ${code}`, command: `签收 ${code}` }]);
      expect(await chat.say('ZhujianZhou', '是')).toBe(`已签收 ${code}，请按期办理。`);
      // Nothing left to sign: 收到 is answered briefly.
      expect(await chat.say('ZhujianZhou', '收到')).toBe('好的。需要时发“查询”可查看本单位正在办理的事项。');
    });
  });
}
