import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 山西 第八条 (S5): the four routes and the forwarded provincial case; decisions by button and by text;
// 第四十六条(三) (S6): the warning after one unexcused absence, none across two terms; refusals.

const CITY = '大同市第十六届人民代表大会';
const TOWN = '西坪镇第十八届人民代表大会';
const PROV = '山西省第十四届人民代表大会';
const OLD = '大同市第十五届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`leave and sessions on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const sessions: Record<string, number> = {};

    const call = createApi(() => api.url);
    const leaveRows = () => chat.deps.db.selectFrom('leave_requests').selectAll().orderBy('id').execute();
    const codeIn = (text: string) => /QJ-\d{4}-\d{4,}/.exec(text)?.[0] ?? '';

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCityRoster(chat.deps, { deputies: ['ZhangSan'], liSi: 'approver' });
      const town = await seedCongress(db, TOWN, 'township');
      const prov = await seedCongress(db, PROV, 'province');
      const old = await seedCongress(db, OLD, 'city');
      await seedPerson(db, { name: '赵六', wecom: 'ZhaoLiu', congressId: town });
      await seedPerson(db, { name: '孙八', wecom: 'SunBa', congressId: town, role: 'approver' });
      await seedPerson(db, { name: '钱七', wecom: 'QianQi', congressId: prov });
      await seedPerson(db, { name: '吴员', wecom: 'WuYuan', congressId: city, role: 'staff' });
      const zhou = await seedPerson(db, { name: '周九', wecom: 'ZhouJiu', congressId: city });
      await db
        .insertInto('mandates')
        .values({ person_id: zhou.personId, congress_id: old, role: 'deputy' })
        .execute();
      for (const [key, congress, name, startsOn, endsOn] of [
        ['cityBefore', CITY, '大同市第十六届人民代表大会第七次会议', '2026-12-10', '2026-12-13'],
        ['cityDuring', CITY, '大同市人大常委会第三十次会议', '2026-11-22', '2026-11-25'],
        ['townBefore', TOWN, '西坪镇第十八届人民代表大会第五次会议', '2026-12-20', '2026-12-20'],
        ['townDuring', TOWN, '西坪镇第十八届人民代表大会第四次会议', '2026-11-23', '2026-11-24'],
        ['prov', PROV, '山西省第十四届人民代表大会第五次会议', '2027-01-20', '2027-01-25'],
        ['old', OLD, '大同市第十五届人民代表大会第六次会议', '2021-12-10', '2021-12-12'],
      ] as const) {
        const r = await call('POST', '/sessions', { congress, name, startsOn, endsOn });
        expect(r.status).toBe(201);
        sessions[key] = r.json.id;
      }
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('routes a county-or-higher request before the session to 主任会议 and prepares the 请假单', async () => {
      const text = await chat.say('ZhangSan', '请假 第七次会议 出差在外');
      const code = codeIn(text);
      expect(code).toMatch(/^QJ-2026-\d{4}$/);
      expect(text).toContain('主任会议');
      expect(text).toContain('请假单');
      const row = (await leaveRows()).find((r) => r.code === code)!;
      expect(row.deciding_body).toBe('chairmen_meeting');
      expect(row.phase).toBe('before');
      expect(row.session_id).toBe(sessions.cityBefore);
      const form = await call('GET', `/leave-requests/${code}/form`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('请假单');
      expect(form.text).toContain('出差在外');
    });

    it('routes a request during the session, named loosely, to 秘书处', async () => {
      const text = await chat.say('ZhangSan', '请假 明天的常委会会议 住院治疗');
      expect(text).toContain('秘书处');
      const row = (await leaveRows()).find((r) => r.code === codeIn(text))!;
      expect(row.deciding_body).toBe('secretariat');
      expect(row.session_id).toBe(sessions.cityDuring);
    });

    it('批准 or 不批准 without a code lists what awaits a decision in the approver’s own congresses, deciding nothing', async () => {
      const before = await leaveRows();
      const pending = before.filter((r) => r.status === 'pending');
      expect(pending.length).toBeGreaterThan(0);
      const list = await chat.send('LiSi', { text: '批准' });
      expect(list?.text).toContain('请问批准哪一项？');
      for (const r of pending) expect(list?.text).toContain(r.code);
      // Named for what it is: the deputy and the session without the congress's name again.
      expect(list?.text).toContain('张三「第七次会议」');
      expect(list?.buttons?.map((b) => b.command)).toEqual(pending.map((r) => `批准 ${r.code}`));
      // A reason written with 不批准 goes with each choice.
      const refuse = await chat.send('LiSi', { text: '不批准 会议重要' });
      expect(refuse?.buttons?.map((b) => b.command)).toEqual(pending.map((r) => `不批准 ${r.code} 会议重要`));
      // Another congress's approver sees none of these.
      expect(await chat.say('SunBa', '批准')).toBe('目前没有待决定的请假。');
      expect(await chat.say('SunBa', '待办')).toBe('目前没有等您处理的事项。');
      expect((await chat.send('LiSi', { text: '待办' }))?.buttons).toEqual([
        { label: '批准请假', command: '批准' },
      ]);
      expect(await chat.say('LiSi', '有什么要处理的')).toContain(
        `待决定的请假 ${pending.length} 件：发“批准”或“不批准”逐件处理。`,
      );
      expect(await leaveRows()).toEqual(before);
    });

    it('routes a township deputy to 主席团 before and during the session', async () => {
      const before = await chat.say('ZhaoLiu', '请假 第五次会议 外出务工');
      expect(before).toContain('主席团');
      const during = await chat.say('ZhaoLiu', '请假 第四次会议 家中有事');
      expect(during).toContain('主席团');
      const rows = await leaveRows();
      const b = rows.find((r) => r.code === codeIn(before))!;
      const d = rows.find((r) => r.code === codeIn(during))!;
      expect([b.deciding_body, b.phase]).toEqual(['presidium', 'before']);
      expect([d.deciding_body, d.phase]).toEqual(['presidium', 'during']);
    });

    it('tells a provincial deputy the request goes to the provincial standing committee, forwarded', async () => {
      const text = await chat.say('QianQi', '请假 省人大第五次会议 出国考察');
      expect(text).toContain('省人大常委会');
      const code = codeIn(text);
      const row = (await leaveRows()).find((r) => r.code === code)!;
      expect(row.status).toBe('forwarded');
      expect(row.deciding_body).toBe('provincial_standing_committee');
      const decided = await call('POST', `/leave-requests/${code}/decision`, { decision: 'approved' });
      expect(decided.status).toBe(409);
      expect((await leaveRows()).find((r) => r.code === code)!.status).toBe('forwarded');
    });

    it('records an approval sent back by the button of the approver’s notice, and tells the deputy at once', async () => {
      const before = (await leaveRows()).find((r) => r.session_id === sessions.cityBefore)!;
      const cards = await chat.inbox('LiSi');
      expect(cards.length).toBeGreaterThan(0);
      expect(cards.join('\n')).toContain(before.code);
      const card = chat.wecom
        .inbox('LiSi')
        .find(
          (d) => d.msgtype === 'template_card' && d.buttons?.some((b) => b.key === `批准 ${before.code}`),
        )!;
      expect(card).toBeDefined();
      const key = card.buttons!.find((b) => b.text === '批准')!.key;
      const reply = await chat.send('LiSi', { kind: 'event', event: { type: 'click', key }, text: key });
      expect(reply?.text).toContain('主任会议');
      const row = (await leaveRows()).find((r) => r.code === before.code)!;
      expect(row.status).toBe('approved');
      expect(row.decided_on).toBe('2026-11-23');
      const told = (await chat.inbox('ZhangSan')).join('\n');
      expect(told).toContain(`您的请假 ${before.code}`);
      expect(told).toContain('批准');
    });

    it('records a refusal by text with its reason', async () => {
      const during = (await leaveRows()).find((r) => r.session_id === sessions.cityDuring)!;
      const text = await chat.say('LiSi', `不批准 ${during.code} 会议议程重要，请克服困难出席`);
      expect(text).toContain('秘书处');
      const row = (await leaveRows()).find((r) => r.code === during.code)!;
      expect(row.status).toBe('rejected');
      expect(row.decision_reason).toContain('议程重要');
      expect((await chat.inbox('ZhangSan')).join('\n')).toContain('不批准');
    });

    it('refuses 不批准 of a request already decided before asking for a reason, and the deputy’s taking leave back only asks', async () => {
      const approved = (await leaveRows()).find((r) => r.session_id === sessions.cityBefore)!;
      expect(approved.status).toBe('approved');
      const before = await leaveRows();
      const refused = await chat.say('LiSi', `不批准 ${approved.code}`);
      expect(refused).toContain(`${approved.code} 已记录为“已批准”`);
      expect(refused).not.toContain('理由是什么');
      // No dialog was left open: the next words are not taken as a reason.
      expect(await chat.say('LiSi', '会议很重要')).not.toContain('不批准');
      // The deputy's own leave, written back in any way, is never read as another of their items.
      await chat.say('ZhangSan', '建议 社区卫生站周末不开门，希望轮班开放');
      for (const text of [`撤回 ${approved.code.toLowerCase()}`, '我不想请假了', '撤销请假']) {
        const answer = await chat.say('ZhangSan', text);
        expect(answer, text).toMatch(/您要撤回 .+ 的请假、改为按时参加吗？|要撤回哪一项？/);
        expect(answer, text).not.toMatch(/JY-\d{4}-\d{4}|事由/);
      }
      expect(await chat.say('ZhangSan', '否')).toBe('好的，没有撤回请假。');
      expect(await leaveRows()).toEqual(before);
    });

    it('refuses an unknown session, a decision by a non-approver and one by another congress’s approver, changing nothing', async () => {
      const before = await leaveRows();
      expect(await chat.say('ZhangSan', '请假 植树节联欢会 出差')).toContain('没有找到');
      const township = before.find((r) => r.session_id === sessions.townBefore)!;
      expect(await chat.say('ZhangSan', `批准 ${township.code}`)).toContain('不在您可以使用的命令中');
      // Staff who are no approver record only leave from an activity they organise (大同 第十一条).
      expect(await chat.say('WuYuan', `批准 ${township.code}`)).toContain('不能记录');
      expect(await chat.say('LiSi', `批准 ${township.code}`)).toContain('不是');
      const after = await leaveRows();
      expect(after).toEqual(before);
    });

    it('lets staff enter leave for a deputy (代录), marked as entered by staff', async () => {
      // Written down as it was phoned in: the 代录 it means is offered, and nothing is entered yet.
      const before = await leaveRows();
      const told = await chat.send('LiSi', { text: '周九代表打电话说他人代会去不了，身体不适' });
      expect(told?.text).toContain('是要替周九代表录入吗');
      expect(told?.buttons).toEqual([{ label: '代录 周九', command: '代录 周九 请假 人代会 身体不适' }]);
      // Who asked staff to write it is no part of the reason.
      const asked = await chat.send('LiSi', { text: '周九代表让我帮他请个假，第七次会议，家里有事' });
      expect(asked?.buttons?.map((b) => b.command)).toEqual(['代录 周九 请假 第七次会议 家里有事']);
      expect(await leaveRows()).toEqual(before);
      // The meeting named as the deputy would name it is found as their own 请假 finds it.
      const text = await chat.say('LiSi', '代录 周九 请假 人代会 身体不适');
      expect(text).toContain('已为周九代录');
      const row = (await leaveRows()).find((r) => r.code === codeIn(text))!;
      expect(row.entered_by_staff).toBe(true);
      expect(row.session_id).toBe(sessions.cityBefore);
      // The staff member is told who hears of the decision; the deputy hears of the request at once.
      expect(text).toContain('会第一时间通知代表本人');
      const heard = (await chat.inbox('ZhouJiu')).filter((m) => m.startsWith('【代您请假】'));
      expect(heard).toHaveLength(1);
      expect(heard[0]).toContain(`提交请假 ${row.code}，事由：身体不适`);
    });

    it('warns the deputy and staff after one unexcused absence (S6)', async () => {
      const r = await call('POST', `/sessions/${sessions.cityDuring}/absences`, { userids: ['ZhangSan'] });
      expect(r.status).toBe(200);
      expect(r.json.absences[0]).toMatchObject({ excused: false, unexcusedInTerm: 1 });
      const deputy = (await chat.inbox('ZhangSan')).join('\n');
      expect(deputy).toContain('第四十六条(三)');
      expect(deputy).toContain('两次');
      expect((await chat.inbox('WuYuan')).join('\n')).toContain('再有一次未经批准不出席');
    });

    it('does not count an absence with approved leave, nor two absences in two terms as a second', async () => {
      const approved = await call('POST', `/sessions/${sessions.cityBefore}/absences`, {
        userids: ['ZhangSan'],
      });
      expect(approved.json.absences[0]).toMatchObject({ excused: true, unexcusedInTerm: 1 });
      const a = await call('POST', `/sessions/${sessions.old}/absences`, { userids: ['ZhouJiu'] });
      const b = await call('POST', `/sessions/${sessions.cityDuring}/absences`, { userids: ['ZhouJiu'] });
      expect(a.json.absences[0].unexcusedInTerm).toBe(1);
      expect(b.json.absences[0].unexcusedInTerm).toBe(1);
      const staff = (await chat.inbox('WuYuan')).join('\n');
      expect(staff).not.toContain('累计');
    });

    it('refuses absences for someone who is not a deputy of the congress, recording none', async () => {
      const count = async () =>
        (await chat.deps.db.selectFrom('session_absences').select('id').execute()).length;
      const n = await count();
      const r = await call('POST', `/sessions/${sessions.cityDuring}/absences`, {
        userids: ['LiSi', 'ZhaoLiu'],
      });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain('ZhaoLiu');
      expect(await count()).toBe(n);
      const bad = await call('POST', '/sessions', {
        congress: CITY,
        name: '',
        startsOn: '2026-13-01',
        endsOn: '2026-12-01',
      });
      expect(bad.status).toBe(400);
    });

    it('lists leave requests by status', async () => {
      // An approved request of its own, so the list cannot pass empty.
      const code = codeIn(await chat.say('LiSi', '代录 周九 请假 明天的常委会会议 家中有事'));
      // Picked by its number from what 批准 lists.
      const list = await chat.send('LiSi', { text: '批准' });
      const n = list!.buttons!.findIndex((b) => b.command === `批准 ${code}`) + 1;
      expect(n).toBeGreaterThan(0);
      expect(await chat.say('LiSi', String(n))).toContain('秘书处');
      const r = await call('GET', '/leave-requests?status=approved');
      expect(r.status).toBe(200);
      expect(r.json.length).toBeGreaterThan(0);
      expect(r.json.map((x: { code: string }) => x.code)).toContain(code);
      expect(r.json.every((x: { status: string }) => x.status === 'approved')).toBe(true);
    });

    it('answers a decision said in passing with what waits, and records “都批准” only after a yes', async () => {
      const town = async () =>
        (await leaveRows())
          .filter((r) => r.session_id === sessions.townBefore || r.session_id === sessions.townDuring)
          .map((r) => [r.code, r.status]);
      const before = await town();
      expect(before.map(([, s]) => s)).toEqual(['pending', 'pending']);
      // Words of a decision without its word: the list to choose from, nothing decided.
      const listed = await chat.send('SunBa', { text: '第二个也批了' });
      expect(listed?.text).toContain('请问批准哪一项？');
      expect(listed?.buttons?.map((b) => b.command)).toEqual(before.map(([c]) => `批准 ${c}`));
      expect((await chat.send('SunBa', { text: '这个不同意' }))?.text).toContain('请问不批准哪一项？');
      // A deputy saying the same words is asked nothing about others' leave.
      expect(await chat.say('ZhaoLiu', '都批了')).not.toContain('QJ-');
      expect(await town()).toEqual(before);
      // 都批准: each named, then "否" records nothing.
      const all = await chat.send('SunBa', { text: '都批准' });
      expect(all?.text).toContain('确定批准以下 2 项请假吗？');
      for (const [c] of before) expect(all?.text).toContain(String(c));
      expect(all?.buttons?.map((b) => b.label)).toEqual(['是', '否']);
      expect(await chat.say('SunBa', '否')).toBe('好的，没有批准。');
      expect(await town()).toEqual(before);
      // "全部批准" and a yes: both recorded, each answered on its own line, each deputy told.
      await chat.say('SunBa', '全部批准');
      const done = await chat.say('SunBa', '是');
      expect(done.split('\n').filter((l) => l.startsWith('已记录：'))).toHaveLength(2);
      expect((await town()).map(([, st]) => st)).toEqual(['approved', 'approved']);
      const told = (await chat.inbox('ZhaoLiu')).filter((m) => m.startsWith('【请假决定】'));
      for (const [c] of before) expect(told.join('\n')).toContain(String(c));
    });

    it('asks before recording a decision said with the request’s code or the deputy’s name, keeping a refusal’s reason', async () => {
      const first = codeIn(await chat.say('LiSi', '代录 周九 请假 第七次会议 外出学习'));
      await seedPerson(chat.deps.db, {
        name: '郑十',
        wecom: 'ZhengShi',
        congressId: await seedCongress(chat.deps.db, CITY, 'city'),
      });
      const second = codeIn(await chat.say('LiSi', '代录 郑十 请假 第七次会议 家中有事'));
      const row = async (code: string) => (await leaveRows()).find((r) => r.code === code)!;
      // 驳回 with the code and a reason: named, asked, recorded after the yes with the reason.
      const refuse = await chat.send('LiSi', { text: `驳回 ${first} 会议很重要` });
      expect(refuse?.text).toContain(`确定不批准 ${first} 周九「第七次会议」`);
      expect((await row(first)).status).toBe('pending');
      expect(await chat.say('LiSi', '是')).toContain('决定不批准（理由：会议很重要）');
      expect(await row(first)).toMatchObject({ status: 'rejected', decision_reason: '会议很重要' });
      // 同意 with the deputy's name: that one, after a yes; "否" records nothing.
      expect(await chat.say('LiSi', '同意郑十请假')).toContain(`确定批准 ${second} 郑十「第七次会议」`);
      expect(await chat.say('LiSi', '否')).toBe('好的，没有批准。');
      expect((await row(second)).status).toBe('pending');
      // Someone with nothing waiting is said to have none, and what waits is listed.
      expect(await chat.say('LiSi', '同意钱七请假')).toContain('钱七目前没有待决定的请假。请问批准哪一项？');
      await chat.say('LiSi', '批准郑十的请假');
      expect(await chat.say('LiSi', '是')).toContain('决定批准');
      expect((await row(second)).status).toBe('approved');
    });
  });
}
