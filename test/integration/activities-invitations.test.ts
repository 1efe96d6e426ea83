import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { stationReceptionsMet } from '../../src/services/activities/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Activities: invitations with 参加 / 请假, leave reaching the organiser (大同 第十一条, S4), the day-before
// reminder, attendance, S10's half working day, an inspection request (S17), and the duty record (S15).

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`activities on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    let stationId = 0;
    let zhang = { personId: 0, mandateId: 0 };
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const call = createApi(() => api.url);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCongress(db);
      const st = await db
        .insertInto('stations')
        .values({ congress_id: city, name: '新荣区联络站' })
        .returning('id')
        .executeTakeFirstOrThrow();
      stationId = st.id;
      const g = await db
        .insertInto('groups')
        .values({ congress_id: city, name: '第三代表小组', kind: 'small' })
        .returning('id')
        .executeTakeFirstOrThrow();
      zhang = await seedPerson(db, { name: '张三', wecom: 'ZhangSan', congressId: city });
      await db
        .updateTable('mandates')
        .set({ small_group_id: g.id })
        .where('id', '=', zhang.mandateId)
        .execute();
      await seedPerson(db, { name: '王二', wecom: 'WangEr', congressId: city });
      await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: city, role: 'staff' });
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('invites with 参加 / 请假 buttons, and a 请假 answer reaches the organiser', async () => {
      const r = await call('POST', '/activities', {
        kind: 'study',
        title: '代表履职集体学习',
        organiser: 'LiSi',
        startsAt: '2026-11-26T01:00:00Z',
        endsAt: '2026-11-26T04:00:00Z',
        place: '市人大常委会三楼会议室',
        invitees: ['ZhangSan', 'WangEr'],
      });
      expect(r.status).toBe(201);
      const code = r.json.code as string;
      expect(code).toMatch(/^HD-2026-\d{4}$/);
      // Queued for 09:00 on Wednesday, the day before.
      expect(r.json.reminderAt).toBe('2026-11-25T01:00:00.000Z');
      await chat.flush();
      const card = chat.wecom.inbox('WangEr').find((d) => d.msgtype === 'template_card');
      expect(card?.buttons?.map((b) => b.key)).toEqual([`参加 ${code}`, `请假 ${code}`]);
      expect(await chat.say('ZhangSan', `参加 ${code}`)).toContain('已记录');
      const asked = await chat.say('WangEr', `请假 ${code}`);
      expect(asked).toContain('事由');
      const text = await chat.say('WangEr', '在外地出差');
      expect(text).toMatch(/QJ-2026-\d{4}/);
      expect(text).toContain('李四');
      const organiser = (await chat.inbox('LiSi')).join('\n');
      expect(organiser).toContain('【请假申请】');
      expect(organiser).toContain('在外地出差');
      const row = await chat.deps.db.selectFrom('leave_requests').selectAll().executeTakeFirstOrThrow();
      expect(row.deciding_body).toBe('organiser');
      // The declined invitee's reminder is withdrawn; the other's stays.
      const reminders = await chat.deps.db
        .selectFrom('outbox')
        .select(['idempotency_key', 'status'])
        .where('cause', '=', `activity:${code}:reminder`)
        .execute();
      expect(reminders.map((x) => x.status).sort()).toEqual(['dead', 'pending']);
    });

    it('lists what there is to ask leave from when 请假 names nothing, and takes a name holding a command word', async () => {
      const r = await call('POST', '/activities', {
        kind: 'study',
        title: '代表履职能力培训',
        organiser: 'LiSi',
        startsAt: '2026-12-03T01:00:00Z',
        endsAt: '2026-12-03T04:00:00Z',
        place: '市人大常委会二楼会议室',
        invitees: ['WangEr'],
      });
      const code = r.json.code as string;
      const asked = await chat.send('WangEr', { kind: 'text', text: '不去了，单位有事' });
      expect(asked?.text).toContain('哪个会议或活动');
      expect(asked?.text).toContain('1. 代表履职能力培训（2026-12-03（星期四））');
      // A button per meeting, carrying the reason already given.
      expect(asked?.buttons).toContainEqual({ label: '代表履职能力培训', command: `请假 ${code} 单位有事` });
      // The name typed instead: "履职" in it is no 我的履职, and the reason given first is kept.
      const typed = await chat.say('WangEr', '代表履职能力培训');
      expect(typed).not.toContain('履职记录');
      expect(typed).toContain(`已记录您不能参加 ${code}`);
      expect(typed).toContain('事由：单位有事');
    });

    it('records attendance and counts a station reception for S10 only when half a working day long', async () => {
      const short = await call('POST', '/activities', {
        kind: 'station',
        title: '进站接待群众',
        organiser: '新荣区联络站',
        station: '新荣区联络站',
        startsAt: '2026-11-24T01:00:00Z',
        endsAt: '2026-11-24T01:20:00Z',
        invitees: ['ZhangSan'],
      });
      expect(short.status).toBe(201);
      expect(await stationReceptionsMet(chat.deps, stationId, '2026-11')).toBe(false);
      // Attendance is recorded once the activity has begun: before, it is refused and nothing is stored.
      const early = await call('POST', `/activities/${short.json.code}/attendance`, {
        userids: ['ZhangSan'],
      });
      expect(early.status).toBe(409);
      expect(early.json.error.message).toContain('尚未开始');
      const attended = () =>
        chat.deps.db.selectFrom('activity_participants').select('id').where('attended', '=', true).execute();
      expect(await attended()).toHaveLength(0);
      clock.set('2026-11-24T02:00:00Z');
      const att = await call('POST', `/activities/${short.json.code}/attendance`, { userids: ['ZhangSan'] });
      clock.set('2026-11-23T02:00:00Z');
      expect(att.json).toMatchObject({ recorded: 1 });
      const long = await call('POST', '/activities', {
        kind: 'station',
        title: '进站接待群众（下午）',
        organiser: '新荣区联络站',
        station: '新荣区联络站',
        startsAt: '2026-11-27T05:00:00Z',
        endsAt: '2026-11-27T09:00:00Z',
        invitees: [],
      });
      expect(long.status).toBe(201);
      expect(await stationReceptionsMet(chat.deps, stationId, '2026-11')).toBe(true);
      expect(await stationReceptionsMet(chat.deps, stationId, '2026-12')).toBe(false);
    });

    it('refuses a bad activity and unknown attendees, changing nothing', async () => {
      const n = (await chat.deps.db.selectFrom('activities').select('id').execute()).length;
      const bad = await call('POST', '/activities', {
        kind: 'station',
        title: 'x',
        organiser: 'y',
        startsAt: '2026-11-27T05:00:00Z',
        endsAt: '2026-11-27T09:00:00Z',
        invitees: ['Nobody'],
      });
      expect(bad.status).toBe(400);
      expect((await chat.deps.db.selectFrom('activities').select('id').execute()).length).toBe(n);
      expect(await chat.say('ZhangSan', '参加 HD-2026-9999')).toContain('没有找到');
    });

    it('records an inspection request for staff to arrange', async () => {
      const text = await chat.say('ZhangSan', '视察 城区冬季供暖情况');
      expect(text).toContain('工作人员会联系安排');
      expect((await chat.inbox('LiSi')).join('\n')).toContain('城区冬季供暖情况');
      const list = await call('GET', '/inspection-requests');
      expect(list.json[0]).toMatchObject({
        content: '城区冬季供暖情况',
        status: 'requested',
        reportRef: null,
      });
    });

    it('shows 我的履职 with the year’s record, own minimums and the group’s, never “you have not met”', async () => {
      const text = await chat.say('ZhangSan', '我的履职');
      expect(text).toContain('【2026年履职记录】');
      expect(text).toContain('联络站接待群众');
      expect(text).toContain('本届还没有参加集体学习');
      expect(text).not.toContain('还没有参加代表联络站活动');
      expect(text).toContain('您所在的代表小组「第三代表小组」本季度尚未开展活动');
      // A year outside the term (seeded 2022 to 2027) has no record and no minimum left undone.
      const before = await chat.say('ZhangSan', '我的履职 1999');
      expect(before).toBe(
        '1999年不在您的代表任期内（大同市第十六届人民代表大会：2022年至2027年），没有履职记录。发“我的履职”可查看今年的。',
      );
      expect(await chat.say('ZhangSan', '我的履职 2025')).toContain('【2025年履职记录】');
    });

    it('prints an attendance certificate with what was attended, escaped', async () => {
      await chat.deps.db
        .updateTable('activities')
        .set({ title: '<script>alert(1)</script>接待' })
        .where('kind', '=', 'station')
        .execute();
      const r = await call(
        'GET',
        `/deputies/${zhang.mandateId}/attendance-certificate?from=2026-11-01&to=2026-11-30`,
      );
      expect(r.status).toBe(200);
      expect(r.text).toContain('出勤证明');
      expect(r.text).toContain('张三');
      expect(r.text).toContain('&lt;script&gt;');
      expect(r.text).not.toContain('<script>alert');
      expect(
        (await call('GET', `/deputies/${zhang.mandateId}/attendance-certificate?from=x&to=y`)).status,
      ).toBe(400);
    });
  });
}
