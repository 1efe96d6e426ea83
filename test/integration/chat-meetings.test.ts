import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { addActivity, addSession } from '../helpers/seed-api.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Meetings found the way deputies name them: by day words, by kind and by name, across the sessions of
// their congresses (山西 第八条, S5) and the activities they are invited to (大同 第十一条, S4). The reason
// written in the same message is kept; on a miss the candidates are offered and "1" picks one. Leave from
// a standing committee meeting deputies sit in on goes to its organiser, never to S5 and never toward S6.

const CITY = '大同市第十六届人民代表大会';
const PROV = '山西省第十四届人民代表大会';
const CITY_SESSION = '大同市第十六届人民代表大会第七次会议';
const PROV_SESSION = '山西省第十四届人民代表大会第五次会议';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`meetings by their names on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const call = createApi(() => api.url);
    const deputies = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8'];
    const codes: Record<string, string> = {};
    let citySessionId = 0;
    let provSessionId = 0;

    const leaveOf = async (text: string) => {
      const code = /QJ-\d{4}-\d{4,}/.exec(text)?.[0];
      expect(code, text).toBeDefined();
      return chat.deps.db
        .selectFrom('leave_requests')
        .leftJoin('activities', 'activities.id', 'leave_requests.activity_id')
        .select([
          'leave_requests.code',
          'leave_requests.session_id',
          'leave_requests.reason',
          'leave_requests.deciding_body',
          'activities.code as activity',
          'activities.kind',
        ])
        .where('leave_requests.code', '=', code!)
        .executeTakeFirstOrThrow();
    };
    const leaveCount = async () =>
      (await chat.deps.db.selectFrom('leave_requests').select('id').execute()).length;

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCongress(db, CITY, 'city');
      const prov = await seedCongress(db, PROV, 'province');
      for (const [i, id] of deputies.entries()) {
        await seedPerson(db, { name: `代表${i + 1}`, wecom: id, congressId: city });
      }
      await seedPerson(db, { name: '组织人', wecom: 'Organiser', congressId: city, role: 'staff' });
      await seedPerson(db, { name: '审批人', wecom: 'Approver', congressId: city, role: 'approver' });
      const both = await seedPerson(db, { name: '双代表', wecom: 'Both', congressId: city });
      await db
        .insertInto('mandates')
        .values({ person_id: both.personId, congress_id: prov, role: 'deputy' })
        .execute();
      const session = (congress: string, name: string, startsOn: string, endsOn: string) =>
        addSession(call, { congress, name, startsOn, endsOn });
      citySessionId = await session(CITY, CITY_SESSION, '2026-12-10', '2026-12-13');
      provSessionId = await session(PROV, PROV_SESSION, '2027-01-20', '2027-01-25');
      const invitees = [...deputies, 'Both'];
      for (const [key, kind, title, day] of [
        ['sitting', 'sitting_in', '列席市人大常委会第三十一次会议', '2026-12-02'],
        ['study', 'study', '代表小组集体学习', '2026-12-08'],
        ['inspection', 'inspection', '城区供暖视察', '2026-12-15'],
      ] as const) {
        codes[key] = await addActivity(call, {
          kind,
          title,
          organiser: 'Organiser',
          congress: CITY,
          startsAt: `${day}T01:00:00Z`,
          endsAt: `${day}T04:00:00Z`,
          invitees,
        });
      }
      await chat.flush();
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('finds the standing committee meeting of 下礼拜三, keeps the reason, and sends the leave to its organiser', async () => {
      const text = await chat.say('D1', '下礼拜三的常委会请个假，要去外地开会');
      const row = await leaveOf(text);
      expect(row).toMatchObject({
        activity: codes.sitting,
        kind: 'sitting_in',
        session_id: null,
        deciding_body: 'organiser',
        reason: '要去外地开会',
      });
      expect(text).toContain('第十一条');
      const organiser = (await chat.inbox('Organiser')).join('\n');
      expect(organiser).toContain(row.code);
      // Never S5: 主任会议 does not decide it.
      expect(organiser).not.toContain('主任会议');
    });

    it('never counts a refused sit-in leave toward S6', async () => {
      const text = await chat.say('D2', `请假 ${codes.sitting} 住院`);
      const row = await leaveOf(text);
      const refused = await chat.say('Organiser', `不批准 ${row.code} 本次会议需要您列席`);
      expect(refused).toContain('不批准');
      const told = (await chat.inbox('D2')).join('\n');
      expect(told).not.toContain('第四十六条');
      const absences = await chat.deps.db.selectFrom('session_absences').select('id').execute();
      expect(absences).toHaveLength(0);
    });

    it('finds 十号的人代会 and 12月10号那个会 among the sessions', async () => {
      const a = await leaveOf(await chat.say('D3', '十号的人代会我去不了，家里老人住院'));
      expect(a).toMatchObject({
        session_id: citySessionId,
        reason: '家里老人住院',
        deciding_body: 'chairmen_meeting',
      });
      const b = await leaveOf(await chat.say('D4', '12月10号那个会我去不了，要出差'));
      expect(b.session_id).toBe(citySessionId);
      expect(b.reason).toContain('出差');
      const c = await leaveOf(await chat.say('D5', '人代会请假 出差'));
      expect(c.session_id).toBe(citySessionId);
    });

    it('finds 8号的小组学习 among the invited activities', async () => {
      const row = await leaveOf(await chat.say('D6', '8号的小组学习请假 出差'));
      expect(row).toMatchObject({ activity: codes.study, kind: 'study', reason: '出差' });
    });

    it('on a miss keeps the reason and offers the candidates, and "1" picks the first', async () => {
      const before = await leaveCount();
      const miss = await chat.send('D7', { kind: 'text', text: '请假 植树节联欢会 身体不适' });
      expect(miss?.text).toContain('没有找到');
      expect(miss?.text).toContain('身体不适');
      expect(miss?.text).toContain(`1. 列席市人大常委会第三十一次会议`);
      expect(miss?.text).toContain(CITY_SESSION);
      expect(miss?.text).toContain('城区供暖视察');
      expect(miss?.buttons?.length).toBeGreaterThanOrEqual(4);
      // Buttons say a session short (WeCom suggests ten characters); the message above names it in full.
      const session = miss?.buttons?.find((b) => b.command.includes(CITY_SESSION));
      expect(session?.label).toBe('市人代会第七次会议');
      for (const b of miss?.buttons ?? []) expect([...b.label].length).toBeLessThanOrEqual(12);
      expect(await leaveCount()).toBe(before);
      const picked = await chat.say('D7', '1');
      expect(picked).not.toContain('请先告诉我');
      const row = await leaveOf(picked);
      expect(row).toMatchObject({ activity: codes.sitting, reason: '身体不适' });
    });

    it('asks which one when several fit, and a number picks it', async () => {
      const several = await chat.say('D8', '请假 下个月的会 出差');
      expect(several).toContain('哪一个');
      const lines = several.split('\n').filter((l) => /^\d\. /.test(l));
      expect(lines.length).toBeGreaterThanOrEqual(3);
      const n = lines.findIndex((l) => l.includes(CITY_SESSION)) + 1;
      const row = await leaveOf(await chat.say('D8', String(n)));
      expect(row).toMatchObject({ session_id: citySessionId, reason: '出差' });
    });

    it('accepts an invitation named by its day and kind, with no code', async () => {
      const text = await chat.say('Both', '参加下礼拜三的常委会');
      expect(text).toContain('已记录');
      expect(text).toContain(codes.sitting);
      const row = await chat.deps.db
        .selectFrom('activity_participants as ap')
        .innerJoin('activities as a', 'a.id', 'ap.activity_id')
        .innerJoin('mandates as m', 'm.id', 'ap.mandate_id')
        .innerJoin('person_identities as pi', 'pi.person_id', 'm.person_id')
        .select(['ap.response'])
        .where('a.code', '=', codes.sitting!)
        .where('pi.external_id', '=', 'Both')
        .executeTakeFirstOrThrow();
      expect(row.response).toBe('accepted');
    });

    it('sends 省人大会议 of a deputy with two mandates to the provincial session', async () => {
      const text = await chat.say('Both', '省人大会议请假 住院');
      const row = await leaveOf(text);
      expect(row.session_id).toBe(provSessionId);
      expect(text).toContain('省人大常委会');
    });
  });
}
