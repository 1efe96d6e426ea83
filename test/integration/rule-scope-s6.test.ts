import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Kinds of meetings, S6 kept true and rules bound to whom they bind: leave from a standing committee
// meeting deputies sit in on (列席, 大同 第七条(一)) carries no 山西 第四十六条(三); a forwarded request made
// during the provincial session goes to its 秘书处 and its approval, recorded when it comes back, excuses the
// absence and withdraws the warning; a suspended deputy is not warned; a township congress is not reminded
// of the Datong measures (S1, S3) nor of 山西 第四十一条's yearly duty (S14); an activity recorded after the
// fact sends no invitation.

const CITY = '大同市第十六届人民代表大会';
const TOWN = '西坪镇第十八届人民代表大会';
const PROV = '山西省第十四届人民代表大会';
const PROV_SESSION = '山西省第十四届人民代表大会第五次会议';
const at8 = (date: string) => new Date(`${date}T00:00:00Z`);
const job = (name: string) => JOBS.find((j) => j.name === name)!;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`rule scope and S6 on ${backend.name}`, () => {
    let chat: ChatHarness;
    let api: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const call = createApi(() => api.url);
    const ids: Record<string, number> = {};
    let provSession = 0;
    const codeIn = (text: string) => /QJ-\d{4}-\d{4,}/.exec(text)?.[0] ?? '';

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      api = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      const city = await seedCityRoster(chat.deps, { deputies: ['ZhangSan'], liSi: 'approver' });
      const town = await seedCongress(db, TOWN, 'township');
      const prov = await seedCongress(db, PROV, 'province');
      ids.town = town;
      ids.cityStaff = (
        await seedPerson(db, { name: '吴员', wecom: 'WuYuan', congressId: city, role: 'staff' })
      ).personId;
      ids.cityLeader = (
        await seedPerson(db, { name: '市组长', wecom: 'CityLeader', congressId: city })
      ).personId;
      ids.townStaff = (
        await seedPerson(db, { name: '镇干事', wecom: 'TownStaff', congressId: town, role: 'staff' })
      ).personId;
      ids.townLeader = (
        await seedPerson(db, { name: '镇组长', wecom: 'TownLeader', congressId: town })
      ).personId;
      await seedPerson(db, { name: '钱七', wecom: 'QianQi', congressId: prov });
      await seedPerson(db, { name: '孙五', wecom: 'SunWu', congressId: prov, role: 'staff' });
      await seedPerson(db, {
        name: '田七',
        wecom: 'TianQi',
        congressId: prov,
        status: 'suspended',
        statusReason: '因刑事案件被羁押',
      });
      for (const [congress, name, leader] of [
        [city, '第一代表小组', ids.cityLeader],
        [town, '西坪镇第一代表小组', ids.townLeader],
      ] as const) {
        await db
          .insertInto('groups')
          .values({ congress_id: congress, name, kind: 'small', leader_person_id: leader })
          .execute();
      }
      const r = await call('POST', '/sessions', {
        congress: PROV,
        name: PROV_SESSION,
        startsOn: '2026-11-22',
        endsOn: '2026-11-25',
      });
      expect(r.status).toBe(201);
      provSession = r.json.id;
    });
    afterAll(async () => {
      await api.close();
      await chat.close();
    });

    it('refuses leave for a standing committee meeting deputies sit in on without any S6 wording', async () => {
      const r = await call('POST', '/activities', {
        kind: 'sitting_in',
        title: '列席市人大常委会第三十次会议',
        organiser: 'LiSi',
        congress: CITY,
        startsAt: '2026-11-26T01:00:00Z',
        endsAt: '2026-11-26T04:00:00Z',
        invitees: ['ZhangSan'],
      });
      expect(r.status).toBe(201);
      expect(r.json.kind).toBe('sitting_in');
      const code = r.json.code as string;
      const invitation = (await chat.inbox('ZhangSan')).join('\n');
      expect(invitation).toContain('列席常委会会议');
      const asked = await chat.say('ZhangSan', `请假 ${code} 在外地出差`);
      const leave = codeIn(asked);
      expect(leave).not.toBe('');
      const row = await chat.deps.db
        .selectFrom('leave_requests')
        .selectAll()
        .where('code', '=', leave)
        .executeTakeFirstOrThrow();
      expect([row.deciding_body, row.session_id, row.activity_id !== null]).toEqual([
        'organiser',
        null,
        true,
      ]);
      expect(await chat.say('LiSi', `不批准 ${leave} 本次会议需要您列席`)).toContain('不批准');
      const told = (await chat.inbox('ZhangSan')).join('\n');
      expect(told).toContain(`您的请假 ${leave}`);
      expect(told).toContain('不批准');
      expect(told).not.toContain('第四十六条');
      expect(told).not.toContain('资格终止');
      expect(told).not.toContain('人民代表大会会议');
    });

    it('sends a forwarded request made during the provincial session to its 秘书处, and its approval excuses the absence and withdraws the warning', async () => {
      const text = await chat.say('QianQi', `请假 ${PROV_SESSION} 住院治疗`);
      expect(text).toContain('省人民代表大会秘书处');
      const code = codeIn(text);
      const row = await chat.deps.db
        .selectFrom('leave_requests')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect([row.status, row.deciding_body, row.deciding_body_label]).toEqual([
        'forwarded',
        'secretariat',
        '省人民代表大会秘书处',
      ]);
      expect((await chat.inbox('SunWu')).join('\n')).toContain('转呈省人民代表大会秘书处');

      const absent = await call('POST', `/sessions/${provSession}/absences`, { userids: ['QianQi'] });
      expect(absent.json.absences[0]).toMatchObject({ excused: false, unexcusedInTerm: 1, counted: true });
      expect((await chat.inbox('QianQi')).join('\n')).toContain('第四十六条(三)');

      // Bad input is refused and changes nothing.
      const absenceRow = () =>
        chat.deps.db
          .selectFrom('session_absences')
          .selectAll()
          .where('session_id', '=', provSession)
          .orderBy('id')
          .execute();
      const before = await absenceRow();
      const future = await call('POST', `/leave-requests/${code}/returned-decision`, {
        decision: 'approved',
        decidedOn: '2026-11-30',
      });
      expect(future.status).toBe(409);
      expect(future.json.error.message).toContain('不能晚于今天');
      const noDate = await call('POST', `/leave-requests/${code}/returned-decision`, {
        decision: 'approved',
      });
      expect(noDate.status).toBe(400);
      const noReason = await call('POST', `/leave-requests/${code}/returned-decision`, {
        decision: 'rejected',
        decidedOn: '2026-11-23',
      });
      expect(noReason.status).toBe(409);
      expect(await absenceRow()).toEqual(before);

      const back = await call('POST', `/leave-requests/${code}/returned-decision`, {
        decision: 'approved',
        decidedOn: '2026-11-23',
      });
      expect(back.status).toBe(200);
      expect(back.json).toMatchObject({
        status: 'approved',
        decidedOn: '2026-11-23',
        decidingBodyLabel: '省人民代表大会秘书处',
      });
      const [absence] = await absenceRow();
      expect(absence!.excused).toBe(true);
      expect(absence!.warning_withdrawn_at).not.toBeNull();
      const deputy = (await chat.inbox('QianQi')).join('\n');
      expect(deputy).toContain('【撤回缺席提醒】');
      expect(deputy).toContain('本届目前没有未经批准的缺席');
      expect((await chat.inbox('SunWu')).join('\n')).toContain('【撤回缺席提醒】代表钱七');
      const again = await call('POST', `/leave-requests/${code}/returned-decision`, {
        decision: 'approved',
        decidedOn: '2026-11-23',
      });
      expect(again.status).toBe(409);
    });

    it('records a suspended deputy’s absence without counting it or warning anyone', async () => {
      const staffBefore = (await chat.inbox('SunWu')).length;
      const r = await call('POST', `/sessions/${provSession}/absences`, { userids: ['TianQi'] });
      expect(r.status).toBe(200);
      expect(r.json.absences[0]).toMatchObject({ counted: false, unexcusedInTerm: 0 });
      expect((await chat.inbox('TianQi')).join('\n')).not.toContain('缺席提醒');
      const staff = await chat.inbox('SunWu');
      expect(staff.slice(staffBefore).join('\n')).not.toContain('田七');
    });

    it('reminds a township congress of none of S1, S3 and S14, unless its settings turn a rule on', async () => {
      const townTargets = [`person:${ids.townStaff}`, `person:${ids.townLeader}`];
      const s1 = await runJob(chat.deps, job('group-activity'), at8('2026-12-21'));
      const s3 = await runJob(chat.deps, job('yearly-campaign'), at8('2026-10-09'));
      const s14 = await runJob(chat.deps, job('yearly-study'), at8('2026-10-09'));
      expect(s1.queued.map((q) => q.target)).toContain(`person:${ids.cityLeader}`);
      expect(s3.queued.map((q) => q.target)).toContain(`person:${ids.cityStaff}`);
      expect(s14.queued.map((q) => q.target)).toContain(`person:${ids.cityStaff}`);
      for (const r of [s1, s3, s14])
        for (const t of townTargets) expect(r.queued.map((q) => q.target)).not.toContain(t);
      const ledger = await chat.deps.db.selectFrom('reminder_ledger').select('period').execute();
      expect(ledger.some((l) => l.period.includes(`congress:${ids.town}`))).toBe(false);

      // A township whose own rules adopt the group rule is reminded of it (and of nothing else).
      await chat.deps.db
        .updateTable('congresses')
        .set({ settings: JSON.stringify({ rules: { S1: true } }) })
        .where('id', '=', ids.town ?? 0)
        .execute();
      const on = await runJob(chat.deps, job('group-activity'), at8('2026-12-22'));
      expect(on.queued.map((q) => q.target)).toContain(`person:${ids.townLeader}`);
      const bad = await call('PUT', `/congresses/${encodeURIComponent(TOWN)}`, {
        settings: { rules: { S99: true } },
      });
      expect(bad.status).toBe(400);
    });

    it('sends no invitation for an activity recorded after it ended', async () => {
      const r = await call('POST', '/activities', {
        kind: 'sitting_in',
        title: '列席市人大常委会第二十九次会议',
        organiser: 'LiSi',
        congress: CITY,
        startsAt: '2026-11-20T01:00:00Z',
        endsAt: '2026-11-20T04:00:00Z',
        invitees: ['ZhangSan'],
      });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ invited: 1, invitationsSent: 0, reminderAt: null });
      const queued = await chat.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('cause', 'like', `activity:${r.json.code}%`)
        .execute();
      expect(queued).toHaveLength(0);
      expect((await chat.inbox('ZhangSan')).join('\n')).not.toContain(r.json.code);
      const att = await call('POST', `/activities/${r.json.code}/attendance`, { userids: ['ZhangSan'] });
      expect(att.json).toMatchObject({ recorded: 1 });
    });
  });
}
