import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// What an organ's contact writes is kept where staff look for it: the message itself (not only its id),
// the item's history on the console and in staff's 查询 (escaped where shown), and each part of an answer
// in its own field, whether it is written in one message, in the form's parts in any order, or over two.

const DEPUTY = 'ZhangSan';
const STAFF = 'LiSi';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`an organ clerk's words kept on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let chat: ChatHarness;
    let server: RunningServer;
    let organs = 0;

    /** A new organ whose clerk is on WeCom, with one item handed to it; its clerk and the item's code. */
    const desk = async (words: string): Promise<{ clerk: string; code: string }> => {
      organs += 1;
      const organ = ['市住建局', '市水务局', '市城管局', '市交通局', '市园林局', '市环卫局'][organs - 1]!;
      const clerk = `Kept${organs}`;
      await upsertOrgan(
        chat.deps.db,
        organ,
        { contactName: `${organ}周科长`, contactMobile: null, contactWecom: clerk, contactDingtalk: null },
        clock.now(),
      );
      const code = /JY-\d{4}-\d{4}/.exec(await chat.say(DEPUTY, `建议 ${words}`))![0];
      expect(await chat.say(STAFF, `交办 ${code} ${organ}`)).toContain(`${organ}（承办）`);
      return { clerk, code };
    };

    const fieldsOf = async (code: string) =>
      (await chat.deps.db
        .selectFrom('suggestion_answers as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.fields', 'a.contact', 'a.doc_no', 'a.result_class'])
        .where('s.code', '=', code)
        .orderBy('a.id', 'desc')
        .executeTakeFirstOrThrow()) as {
        fields: Record<string, string | null>;
        contact: string | null;
        doc_no: string | null;
      };

    const historyOf = async (code: string) =>
      chat.deps.db
        .selectFrom('suggestion_events as e')
        .innerJoin('suggestions as s', 's.id', 'e.suggestion_id')
        .select(['e.action', 'e.summary', 'e.reason', 'e.detail'])
        .where('s.code', '=', code)
        .orderBy('e.id')
        .execute();

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      await seedCityRoster(chat.deps, { deputies: [DEPUTY] }); // 李四 is STAFF
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('keeps what a contact writes in the message record, not only its id; a stranger still leaves only the id', async () => {
      const { clerk } = await desk('河道有异味');
      await chat.say(clerk, '这个不归我们管，应该是物业的事');
      await chat.say('Nobody', '你好，我想问问');
      const rows = await chat.deps.db
        .selectFrom('inbound_messages')
        .select(['sender_id', 'msg_type', 'content'])
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      expect(rows[1]).toMatchObject({
        sender_id: clerk,
        msg_type: 'text',
        content: { text: '这个不归我们管，应该是物业的事' },
      });
      expect(rows[0]).toMatchObject({ sender_id: null, msg_type: null, content: null });
    });

    it('asks about a return in words and takes 是 for that question, not an earlier 签收 offer', async () => {
      const { clerk, code } = await desk('小区外墙脱落');
      expect(await chat.say(clerk, '收到')).toContain(`要签收 ${code}`);
      expect(await chat.say(clerk, '外墙那个不归我们管，应该是物业的事')).toContain(`是要申请退回 ${code}`);
      expect(await chat.say(clerk, '是')).toBe(
        `已提出退回申请（${code}），由人大常委会代表工作机构决定，决定前请继续办理。`,
      );
      const a = await chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.signed_at', 'a.return_request_reason'])
        .where('s.code', '=', code)
        .executeTakeFirstOrThrow();
      expect(a).toMatchObject({
        signed_at: null,
        return_request_reason: '外墙那个不归我们管，应该是物业的事',
      });
      // Taken back with words: the words are on the history row and the audit row.
      expect(await chat.say(clerk, '不退回了，我们来协调物业')).toContain(`已撤回 ${code} 的退回申请`);
      const back = (await historyOf(code)).find((e) => e.action === 'return_withdrawn')!;
      expect(back.summary).toContain('不退回了，我们来协调物业');
      expect(back.detail).toMatchObject({ said: '不退回了，我们来协调物业' });
      const audit = await chat.deps.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'assignment.return_withdraw')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.detail).toMatchObject({ said: '不退回了，我们来协调物业' });
    });

    it('files the form’s parts each in its field: full-width colons, 下一步计划, another order, ordinals, 联系人', async () => {
      const { clerk, code } = await desk('路灯坏了两个月');
      await chat.say(
        clerk,
        `${code.replace(/-/g, '')} 回复：一、下一步计划：明年3月底前完成全街改造。二、办理情况：已更换路灯12盏。三、联系人：王科长 13900000000；签发人：李局长；A类`,
      );
      const a = await fieldsOf(code);
      expect(a.fields).toMatchObject({
        done: '已更换路灯12盏',
        planned: '明年3月底前完成全街改造',
        signedBy: '李局长',
      });
      expect(a.contact).toBe('王科长 13900000000');
    });

    it('keeps an answer told over two messages, the plan first, and more words after it, in the history', async () => {
      const { clerk, code } = await desk('排水管道堵塞');
      expect(await chat.say(clerk, `答复 ${code} 下一步工作计划：明年汛期前完成管网改造`)).toContain(
        '属于哪一类',
      );
      // What was done, told while the class is asked: kept, never "没看懂" with the words dropped.
      const more = await chat.say(clerk, '已办理情况：已疏通管道300米');
      expect(more).toContain('已补充');
      expect(more).toContain('属于哪一类');
      expect(await chat.say(clerk, '分类：B；签发人：王局长；文号：城管函〔2026〕8号')).toContain(
        `已收到 ${code} 的答复`,
      );
      expect((await fieldsOf(code)).fields).toMatchObject({
        done: '已疏通管道300米',
        planned: '明年汛期前完成管网改造',
        signedBy: '王局长',
      });
      expect((await fieldsOf(code)).doc_no).toBe('城管函〔2026〕8号');
      // 补充 with <b> in it: kept in the answer and on the history row, escaped on the console.
      expect(await chat.say(clerk, '补充一下 下一步计划：<b>同步</b>更换井盖')).toContain('已补充到');
      expect((await fieldsOf(code)).fields.planned).toBe('明年汛期前完成管网改造；<b>同步</b>更换井盖');
      const history = await historyOf(code);
      expect(history.find((e) => e.action === 'answer_submitted')!.summary).toContain(
        '已办理：已疏通管道300米\n计划办理：明年汛期前完成管网改造',
      );
      const added = history.find((e) => e.action === 'answer_added')!;
      expect(added.summary).toContain('计划办理：<b>同步</b>更换井盖');
      expect(added.detail).toMatchObject({ added: { planned: '<b>同步</b>更换井盖' } });
      // Staff's 查询 shows the words waiting for review.
      const seen = await chat.say(STAFF, `查询 ${code}`);
      expect(seen).toContain('已提交答复，待审核');
      expect(seen).toContain('已办理：已疏通管道300米');
      // The console's history shows them, escaped.
      const login = await fetch(`${server.url}/console/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }).toString(),
      });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const page = await (
        await fetch(`${server.url}/console/suggestions/${code}`, { headers: { cookie } })
      ).text();
      expect(page).toContain('已疏通管道300米');
      expect(page).toContain('&lt;b&gt;同步&lt;/b&gt;更换井盖');
      expect(page).not.toContain('<b>同步</b>');
    });

    it('signs every code of one message, and offers a 公文-style statement as the answer of the item it names', async () => {
      const first = await desk('人行道砖松动');
      const { clerk } = first;
      // A second item of the same organ.
      const code2 = /JY-\d{4}-\d{4}/.exec(await chat.say(DEPUTY, '建议 人行道护栏缺失'))![0];
      const organ = (
        await chat.deps.db
          .selectFrom('organs')
          .select('name')
          .where('contact_wecom', '=', clerk)
          .executeTakeFirstOrThrow()
      ).name;
      await chat.say(STAFF, `交办 ${code2} ${organ}`);
      expect(await chat.say(clerk, `签收${first.code}、${code2}`)).toBe(
        `已签收 ${first.code}，请按期办理。\n已签收 ${code2}，请按期办理。`,
      );
      const said = `关于${first.code}号建议，我局已于11月30日组织人员完成人行道砖修补，特此函复。`;
      const r = await chat.send(clerk, { kind: 'text', text: said });
      expect(r?.buttons?.map((b) => b.command)).toEqual([`答复 ${first.code} ${said}`]);
    });

    it('files a staff 答复 in the form’s parts, and the contact reaches the deputy apart from the plan', async () => {
      const { code } = await desk('公园厕所无人保洁');
      await chat.flush();
      await chat.inbox(DEPUTY);
      expect(
        await chat.say(
          STAFF,
          `答复 ${code} 办理情况：已安排专人保洁；下一步计划：纳入日常考核；联系人：王科长`,
        ),
      ).toContain('已发给代表');
      const a = await chat.deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .select(['a.answer_done', 'a.answer_planned'])
        .where('s.code', '=', code)
        .executeTakeFirstOrThrow();
      expect(a).toEqual({ answer_done: '已安排专人保洁', answer_planned: '纳入日常考核' });
      await chat.flush();
      const told = (await chat.inbox(DEPUTY)).join('\n');
      expect(told).toContain('计划办理：纳入日常考核\n');
      expect(told).toContain('联系人：王科长');
    });
  });
}
