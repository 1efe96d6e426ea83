import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Items found by their words: 催办 the one being handled, 满意 the one just answered, without a code;
// asked only when several fit, with numbered buttons. A rating in plain words keeps its reason in the
// item's history and passes it to the organ. Staff look items up in chat.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`items by their words on ${backend.name}`, () => {
    let chat: ChatHarness;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const ELEVATOR = 'JY-2026-0001';
    const SCHOOL = 'JY-2026-0002';
    const codeOf = (text: string) => /JY-2026-\d{4}/.exec(text)![0];

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      const db = chat.deps.db;
      const city = await seedCongress(db);
      const other = await seedCongress(db, '阳高县第十八届人民代表大会', 'county');
      await seedPerson(db, { name: '张三', wecom: 'ZhangSan', congressId: city });
      await seedPerson(db, { name: '王五', wecom: 'WangWu', congressId: city });
      await seedPerson(db, { name: '赵六', wecom: 'ZhaoLiu', congressId: city });
      await seedPerson(db, { name: '钱七', wecom: 'QianQi', congressId: city });
      await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' });
      await seedPerson(db, { name: '外县员', wecom: 'OtherStaff', congressId: other, role: 'staff' });
      for (const [name, wecom] of [
        ['市住建局', 'ZhujianWang'],
        ['市交通局', 'JiaotongLiu'],
      ] as const) {
        await upsertOrgan(
          db,
          name,
          { contactName: '联系人', contactMobile: '13800000001', contactWecom: wecom, contactDingtalk: null },
          clock.now(),
        );
      }
    });
    afterAll(async () => {
      await chat.close();
    });

    it('says there is nothing to urge before 交办, and starts no dialog', async () => {
      expect(await chat.say('ZhangSan', '建议 加装电梯补贴政策迟迟不落实，老楼加装电梯推进缓慢')).toContain(
        ELEVATOR,
      );
      expect(await chat.say('ZhangSan', '建议 学校门口放学时段交通拥堵')).toContain(SCHOOL);
      const none = await chat.say('ZhangSan', '催办');
      expect(none).toContain('没有正在办理中的建议');
      expect(none).not.toContain('编号（如');
      // The next ordinary message is handled as such, not read as a code.
      expect(await chat.say('ZhangSan', '帮助')).toContain('例如');
    });

    it('urges “加装电梯的那个建议” with no code, and asks with buttons when several fit', async () => {
      expect(await chat.say('LiSi', `交办 ${ELEVATOR} 市住建局`)).toContain('已交办');
      expect(await chat.say('LiSi', `交办 ${SCHOOL} 市交通局`)).toContain('已交办');
      const urged = await chat.say('ZhangSan', '催办加装电梯的那个建议');
      expect(urged).toContain(`${ELEVATOR} 已催办`);
      const ask = await chat.send('ZhangSan', { kind: 'text', text: '催办' });
      expect(ask?.text).toContain('哪一项');
      expect(ask?.buttons?.map((b) => b.command)).toEqual([`催办 ${SCHOOL}`, `催办 ${ELEVATOR}`]);
      const n = ask!.buttons!.findIndex((b) => b.command.endsWith(SCHOOL)) + 1;
      expect(await chat.say('ZhangSan', String(n))).toContain(`${SCHOOL} 已催办`);
    });

    it('finds “上个月提的” by the day it was filed', async () => {
      await chat.deps.db
        .updateTable('suggestions')
        .set({ submitted_on: '2026-10-15' })
        .where('code', '=', ELEVATOR)
        .execute();
      // Urged this week already: the answer is about that one item, not a question.
      expect(await chat.say('ZhangSan', '上个月提的那个建议催办一下')).toContain(ELEVATOR);
    });

    it('rates the one just answered in plain words, keeping the reason and passing it to the organ', async () => {
      expect(await chat.say('LiSi', `答复 ${SCHOOL} 已在放学时段安排交警疏导`)).toContain('已记录');
      await chat.flush();
      const rating = async () =>
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select(['status', 'rating'])
            .where('code', '=', SCHOOL)
            .executeTakeFirstOrThrow()
        ).status;
      // "还行吧" only leans one way, and 基本满意 would close the item: it is asked about first.
      const vague = await chat.send('ZhangSan', { text: '还行吧' });
      expect(vague?.text).toContain(`是对 ${SCHOOL}「`);
      expect(vague?.text).toContain('评价“基本满意”吗？评价后该事项即办结。');
      expect(vague?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
      expect(await rating()).toBe('answered');
      const rated = await chat.say('ZhangSan', '交警疏导就早上有，下午放学没人管，不太满意');
      expect(rated).toContain(SCHOOL);
      expect(rated).toContain('不满意');
      const item = await chat.deps.db
        .selectFrom('suggestions')
        .selectAll()
        .where('code', '=', SCHOOL)
        .executeTakeFirstOrThrow();
      expect([item.status, item.rating]).toEqual(['rehandling', 'dissatisfied']);
      const event = await chat.deps.db
        .selectFrom('suggestion_events')
        .select(['action', 'reason'])
        .where('suggestion_id', '=', item.id)
        .where('action', '=', 'rated')
        .executeTakeFirstOrThrow();
      expect(event.reason).toContain('下午放学没人管');
      const organ = (await chat.inbox('JiaotongLiu')).join('\n');
      expect(organ).toContain('【重办】');
      expect(organ).toContain('下午放学没人管');
    });

    it('withdraws, amends and adds photos to an item not yet handed over, found by its words', async () => {
      const code = codeOf(await chat.say('ZhangSan', '建议 在幸福路增设公交站台'));
      const other = codeOf(await chat.say('ZhangSan', '建议 规范菜市场周边占道经营'));
      const amended = await chat.say('ZhangSan', '公交站台那个建议我想补充一句：最好设在幸福路与和平街路口');
      expect(amended).toContain(code);
      const photoAsk = await chat.say('ZhangSan', '给公交站台那个建议补充照片');
      expect(photoAsk).toContain('请发送照片');
      const added = await chat.send('ZhangSan', {
        kind: 'image',
        media: { mediaId: 'P-9', url: 'https://p/9.jpg' },
      });
      expect(added?.text).toContain(`加到 ${code}`);
      const row = () =>
        chat.deps.db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
      expect((await row()).content).toBe('在幸福路增设公交站台\n（补充）最好设在幸福路与和平街路口');
      expect((await row()).photos).toEqual([expect.objectContaining({ mediaId: 'P-9' })]);
      // The list names the item by its first words, not by the words added to it.
      const line = (await chat.say('ZhangSan', '我的建议')).split('\n').find((l) => l.includes(code));
      expect(line).toContain('在幸福路增设公交站台');
      expect(line).not.toContain('补充');

      // 撤回 with two not handed over: asked which, then confirmed.
      const which = await chat.send('ZhangSan', { kind: 'text', text: '撤回' });
      expect(which?.text).toContain('哪一项');
      expect(which?.buttons?.some((b) => b.label.includes('公交'))).toBe(true);
      const n = which!.buttons!.findIndex((b) => b.command.endsWith(code)) + 1;
      expect(await chat.say('ZhangSan', String(n))).toContain(`确定撤回 ${code}`);
      expect(await chat.say('ZhangSan', '是')).toContain(`已撤回 ${code}`);
      const withdrawn = await row();
      expect([withdrawn.status, withdrawn.withdrawn_at !== null]).toEqual(['closed', true]);
      expect(await chat.say('ZhangSan', `查询 ${code}`)).toContain('已撤回');
      // One handed over cannot be withdrawn; the other stays as it was.
      expect(await chat.say('ZhangSan', `撤回 ${ELEVATOR}`)).toContain('已经交办');
      const kept = await chat.deps.db
        .selectFrom('suggestions')
        .select('status')
        .where('code', '=', other)
        .executeTakeFirstOrThrow();
      expect(kept.status).toBe('submitted');
    });

    it('reads a code written in lower case or full width, and never offers another item in its place', async () => {
      const mine = codeOf(await chat.say('ZhaoLiu', '建议 老旧小区屋顶漏水，希望统一维修'));
      const theirs = codeOf(await chat.say('WangWu', '建议 学校门口增设减速带'));
      // Someone else's item, written carelessly: not found, and nothing of Zhao's is offered instead.
      const careless = await chat.say('ZhaoLiu', `撤回 ${theirs.toLowerCase()}`);
      expect(careless).toContain(`没有找到编号为 ${theirs}`);
      expect(careless).not.toContain(mine);
      const fullWidth = [...mine].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
      expect(await chat.say('ZhaoLiu', `撤回 ${fullWidth}`)).toContain(`确定撤回 ${mine}`);
      expect(await chat.say('ZhaoLiu', '否')).not.toContain('已撤回');
      await chat.say('ZhaoLiu', `修改 ${mine.toLowerCase()} 补充一句，楼道里也在渗水`);
      const row = await chat.deps.db
        .selectFrom('suggestions')
        .select(['content', 'status'])
        .where('code', '=', mine)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        content: '老旧小区屋顶漏水，希望统一维修\n（补充）楼道里也在渗水',
        status: 'submitted',
      });
    });

    it('lists an item by its first words, not by the words added to it later', async () => {
      const lamp = codeOf(await chat.say('QianQi', '建议 路灯坏了'));
      await chat.say('QianQi', `修改 ${lamp} 补充一句，在东街口第三根电线杆`);
      const market = codeOf(await chat.say('QianQi', '建议 菜市场门口占道经营'));
      const list = await chat.say('QianQi', '撤回');
      expect(list).toContain(`${lamp}「路灯坏了」`);
      expect(list).toContain(`${market}「菜市场门口占道经营」`);
      expect(list).not.toContain('东街口');
      expect(list).not.toContain('补充');
    });

    it('keeps a photo sent instead of a number after 补充照片, offers the item filed last, and lets a number pick another', async () => {
      const older = codeOf(await chat.say('WangWu', '建议 文瀛湖公园步道照明不足'));
      const newer = codeOf(await chat.say('WangWu', '建议 南关街垃圾分类点设置太少'));
      await chat.deps.db
        .updateTable('suggestions')
        .set({ submitted_on: '2026-11-02' })
        .where('code', '=', older)
        .execute();
      const photos = async (code: string) =>
        (
          await chat.deps.db
            .selectFrom('suggestions')
            .select('photos')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).photos;

      const ask = await chat.send('WangWu', { kind: 'text', text: '补充照片' });
      expect(ask?.text).toContain('哪一项');
      const offer = await chat.send('WangWu', {
        kind: 'image',
        media: { mediaId: 'P-21', url: 'https://p/21.jpg' },
      });
      expect(offer?.text).toContain(`是补充到您最近提的 ${newer}`);
      expect(offer?.text).not.toContain('请接着说说');
      // The numbers are those of the question before.
      const n = ask!.buttons!.findIndex((b) => b.command.endsWith(older)) + 1;
      expect(offer?.text).toContain(`${n}. ${older}`);
      expect(await chat.say('WangWu', String(n))).toContain(`加到 ${older}`);
      expect(await photos(older)).toEqual([expect.objectContaining({ mediaId: 'P-21' })]);
      expect(await photos(newer)).toEqual([]);

      await chat.say('WangWu', '补充照片');
      await chat.send('WangWu', { kind: 'image', media: { mediaId: 'P-22', url: 'https://p/22.jpg' } });
      expect(await chat.say('WangWu', '是')).toContain(`加到 ${newer}`);
      expect(await photos(newer)).toEqual([expect.objectContaining({ mediaId: 'P-22' })]);
      expect(await photos(older)).toHaveLength(1);
    });

    it('answers “加装电梯那个建议办得怎么样了” with that item, and 查询 alone with the whole list', async () => {
      const one = await chat.say('ZhangSan', '加装电梯那个建议办得怎么样了');
      expect(one).toContain(`建议 ${ELEVATOR}`);
      expect(one).toContain('市住建局');
      expect(one).not.toContain(SCHOOL);
      const all = await chat.say('ZhangSan', '查询');
      expect(all).toContain(ELEVATOR);
      expect(all).toContain(SCHOOL);
      // One kind named: only that kind.
      const mine = await chat.say('ZhangSan', '我提的建议都咋样了');
      expect(mine).toContain('您的建议、批评或意见');
      expect(mine).toContain(ELEVATOR);
      expect(mine).toContain(SCHOOL);
      expect(await chat.say('ZhangSan', '我请的假')).toContain('您目前没有请假记录');
    });

    it('urges every item being handled when told “两个都催一下”', async () => {
      const one = codeOf(await chat.say('ZhaoLiu', '建议 魏都大道夜间噪音扰民'));
      const two = codeOf(await chat.say('ZhaoLiu', '建议 御东新区学校食堂质量'));
      await chat.say('LiSi', `交办 ${one} 市住建局`);
      await chat.say('LiSi', `交办 ${two} 市交通局`);
      const both = await chat.say('ZhaoLiu', '两个都催一下');
      expect(both).toContain(`${one} 已催办`);
      expect(both).toContain(`${two} 已催办`);
      const urges = await chat.deps.db
        .selectFrom('suggestion_urges as u')
        .innerJoin('suggestions as s', 's.id', 'u.suggestion_id')
        .select('s.code')
        .where('s.code', 'in', [one, two])
        .execute();
      expect(urges.map((u) => u.code).sort()).toEqual([one, two].sort());
    });

    it('lets staff look up any item of their congress in chat, and no other', async () => {
      const text = await chat.say('LiSi', `查询 ${ELEVATOR}`);
      expect(text).toContain('加装电梯');
      expect(text).toContain('张三');
      expect(text).not.toContain('不在您可以使用');
      expect(await chat.say('OtherStaff', `查询 ${ELEVATOR}`)).toContain('没有找到');
    });

    it('takes “刚才那个” as the item just filed, and “改一下，不是…是…” as a change of it', async () => {
      const items = () =>
        chat.deps.db
          .selectFrom('suggestions as s')
          .innerJoin('suggestion_deputies as d', 'd.suggestion_id', 's.id')
          .innerJoin('person_identities as pi', 'pi.person_id', 'd.person_id')
          .select(['s.code', 's.content', 's.withdrawn_at'])
          .where('pi.external_id', '=', 'ZhaoLiu')
          .orderBy('s.id')
          .execute();
      const first = codeOf(await chat.say('ZhaoLiu', '建议 菜市场门口占道经营，早上车过不去'));
      const last = codeOf(await chat.say('ZhaoLiu', '建议 小区门口没有红绿灯，孩子过马路危险'));
      // 改一下 right after filing: the words are added to the item filed last, and no other is touched.
      expect(await chat.say('ZhaoLiu', '刚才那个改一下，不是小区门口，是学校门口')).toBe(
        `已把您补充的内容加到 ${last}：“不是小区门口，是学校门口”。交办时一并转交。`,
      );
      const changed = await items();
      expect(changed.find((i) => i.code === last)!.content).toContain('（补充）不是小区门口，是学校门口');
      expect(changed.find((i) => i.code === first)!.content).toBe('菜市场门口占道经营，早上车过不去');
      // 刚才那个撤回: that one, after a yes; the other stays.
      expect(await chat.say('ZhaoLiu', '刚才那个撤回')).toContain(`确定撤回 ${last} 吗？`);
      expect(await chat.say('ZhaoLiu', '是')).toContain(`已撤回 ${last}`);
      const after = await items();
      expect(after.find((i) => i.code === last)!.withdrawn_at).not.toBeNull();
      expect(after.find((i) => i.code === first)!.withdrawn_at).toBeNull();
      // 撤 said of a matter is not a withdrawal: the words are offered as a suggestion.
      expect(await chat.say('ZhaoLiu', '路边占道的摊子都撤了又回来了')).not.toContain('撤回');
      // A bare "撤": 撤回, asked which before anything is withdrawn (never offered as a suggestion).
      const which = await chat.say('ZhaoLiu', '撤');
      expect(which).toContain('请问要撤回哪一项？');
      expect(which).toContain(first);
      expect(await chat.say('ZhaoLiu', '取消')).not.toContain('已撤回');
      expect((await items()).find((i) => i.code === first)!.withdrawn_at).toBeNull();
    });
  });
}
