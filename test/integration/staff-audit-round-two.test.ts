import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { assignmentsOf } from '../helpers/rows.ts';
import { seedCongress, seedOrgan, seedPerson, seedSessionAhead } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The staff steps that wrote their audit rows their own way now write them as every other staff step
// does: a 交办 corrected in chat (`assignment.correct`) and a 延期 taken back (`suggestion.extend_undo`)
// carry `detail.via`, and the decision a forwarded leave request came back with, recorded through the API,
// is one `leave.record_decision` row instead of the generic `api:POST …` one. One row each, with who, the
// subject, before and after; a refused request writes none.

const PROV = '山西省第十四届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`staff audit rows, round two, on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    let staffToken = '';
    const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const api = createApi(() => server.url);
    const codeOf = (text: string, kind: 'JY' | 'QJ') => new RegExp(`${kind}-2026-\\d{4}`).exec(text)![0];
    const rowsAbout = (code: string) =>
      chat.deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_type', 'subject_id', 'detail', 'before', 'after', 'request_id'])
        .where(({ ref, eb, or }) =>
          or([
            eb(ref('detail', '->>').key('code' as never), '=', code),
            eb('subject_id', 'like', `%${code}%`),
          ]),
        )
        .orderBy('id')
        .execute();
    const idOf = async (table: 'suggestions' | 'leave_requests', code: string) =>
      String(
        (await chat.deps.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow())
          .id,
      );
    const assigned = async (words: string) => {
      const code = codeOf(await chat.say('ZhangSan', `建议 ${words}`), 'JY');
      expect(await chat.say('LiSi', `交办 ${code} 市住建局`)).toContain('2027-03-02');
      return code;
    };

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      const db = chat.deps.db;
      await seedCityRoster(chat.deps, { deputies: ['ZhangSan'] });
      const prov = await seedCongress(db, PROV, 'province');
      await seedPerson(db, { name: '钱七', wecom: 'QianQi', congressId: prov });
      await seedPerson(db, { name: '孙五', wecom: 'SunWu', congressId: prov, role: 'staff' });
      await seedOrgan(db, '市住建局', { name: '周科长', wecom: 'ZhujianZhou' }, clock.now());
      await seedOrgan(db, '市水务局', { name: '李科长', wecom: 'ShuiwuLi' }, clock.now());
      await seedSessionAhead(chat.deps, PROV);
      const t = await api('POST', '/tokens', { name: '省联络处孙五', role: 'staff', congress: PROV });
      expect(t.status, t.text).toBe(201);
      staffToken = t.json.token;
    });
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    it('a 交办 corrected in chat: one assignment.correct row with via, and none when refused', async () => {
      const code = await assigned('小区路灯坏了好几个月了');
      await chat.flush();
      expect(await chat.say('LiSi', '不对，是水务局')).toContain(`是要把 ${code} 改交市水务局吗？`);
      expect(await chat.say('LiSi', '是')).toContain(`已把 ${code} 改交市水务局`);
      const added = await assignmentsOf(chat.deps.db, code);
      expect(added.map((a) => a.name)).toEqual(['市住建局', '市水务局']);

      const rows = (await rowsAbout(code)).filter((r) => r.action === 'assignment.correct');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        subject_type: 'suggestion_assignment',
        subject_id: String(added[1]!.id),
        detail: { code, via: 'chat', from: '市住建局', to: '市水务局', role: 'lead', fromTold: true },
        before: { code, assignment: added[0]!.id, organ: '市住建局', dueOn: '2027-03-02' },
        after: { code, assignment: added[1]!.id, organ: '市水务局', dueOn: '2027-03-02' },
      });
      expect(rows[0]!.actor).toMatch(/^person:\d+$/);
      expect(rows[0]!.request_id).toMatch(/^wecom:\d+$/);

      // Asked, then the organ signs for it before staff answer 是: refused, and no row.
      const late = await assigned('河道垃圾无人清理');
      expect(await chat.say('LiSi', '不对，是水务局')).toContain(`是要把 ${late} 改交市水务局吗？`);
      expect(await chat.say('ZhujianZhou', `签收 ${late}`)).toContain('签收');
      const before = (await rowsAbout(late)).map((r) => r.action);
      expect(await chat.say('LiSi', '是')).toContain(`市住建局已经签收了 ${late}，交办不能再直接更正`);
      expect((await rowsAbout(late)).map((r) => r.action)).toEqual(before);
      expect(before).not.toContain('assignment.correct');
    });

    it('a 延期 taken back: one suggestion.extend_undo row shaped as the 延期’s, and none when refused', async () => {
      const code = await assigned('老街排水管道堵塞');
      expect(await chat.say('LiSi', `延期 ${code} 2027-04-30 需要协调资金`)).toContain('2027-04-30');
      await chat.flush();
      expect(await chat.say('LiSi', '不对，不延期了')).toContain(`已撤销 ${code} 的延期`);

      const rows = await rowsAbout(code);
      const extend = rows.filter((r) => r.action === 'suggestion.extend');
      const undo = rows.filter((r) => r.action === 'suggestion.extend_undo');
      expect(extend).toHaveLength(1);
      expect(undo).toHaveLength(1);
      const assignment = { organ: '市住建局', role: 'lead', status: 'open' };
      expect(undo[0]).toMatchObject({
        subject_type: 'suggestion',
        subject_id: await idOf('suggestions', code),
        detail: {
          code,
          via: 'chat',
          organs: [{ organ: '市住建局', from: '2027-04-30', to: '2027-03-02' }],
          organsTold: ['市住建局'],
          deputiesTold: true,
        },
        before: { code, status: 'assigned', assignments: [{ ...assignment, dueOn: '2027-04-30' }] },
        after: { code, status: 'assigned', assignments: [{ ...assignment, dueOn: '2027-03-02' }] },
      });
      // The undo's before is the 延期's after, and its after the 延期's before.
      expect(undo[0]!.before).toEqual(extend[0]!.after);
      expect(undo[0]!.after).toEqual(extend[0]!.before);
      expect(undo[0]!.actor).toBe(extend[0]!.actor);
      expect(undo[0]!.actor).toMatch(/^person:\d+$/);
      expect(undo[0]!.request_id).toMatch(/^wecom:\d+$/);

      // Nothing left to take back: refused, no second row.
      expect(await chat.say('LiSi', '撤销延期')).toContain('不能撤销延期');
      expect((await rowsAbout(code)).filter((r) => r.action === 'suggestion.extend_undo')).toHaveLength(1);
    });

    it('a forwarded request’s decision recorded through the API: one leave.record_decision row, and none when refused', async () => {
      const asked = await chat.say('QianQi', `请假 ${PROV}第七次会议 住院治疗`);
      const code = codeOf(asked, 'QJ');
      const path = `/leave-requests/${code}/returned-decision`;
      expect((await api('GET', `/leave-requests/${code}`, undefined, staffToken)).json.status).toBe(
        'forwarded',
      );

      // Refused: a date to come, one before the request, a 不批准 with no reason. Nothing written, not even a
      // generic row.
      const future = await api('POST', path, { decision: 'approved', decidedOn: '2026-12-03' }, staffToken);
      expect(future.status).toBe(409);
      const early = await api('POST', path, { decision: 'approved', decidedOn: '2026-12-01' }, staffToken);
      expect(early.status).toBe(409);
      const noReason = await api('POST', path, { decision: 'rejected', decidedOn: '2026-12-02' }, staffToken);
      expect(noReason.status).toBe(409);
      expect(await rowsAbout(code)).toEqual([]);

      const back = await api(
        'POST',
        path,
        { decision: 'rejected', reason: '会议期间须出席', decidedOn: '2026-12-02' },
        staffToken,
      );
      expect(back.status, back.text).toBe(200);
      expect(back.json).toMatchObject({ status: 'rejected', decidedOn: '2026-12-02' });
      const rows = await rowsAbout(code);
      expect(rows.map((r) => r.action)).toEqual(['leave.record_decision']);
      expect(rows[0]).toMatchObject({
        actor: expect.stringMatching(/^token:\d+$/),
        subject_type: 'leave_request',
        subject_id: await idOf('leave_requests', code),
        detail: {
          code,
          via: 'api',
          decision: 'rejected',
          decidedOn: '2026-12-02',
          decidingBody: 'provincial_standing_committee',
        },
        before: { code, status: 'forwarded', decidedOn: null, decisionReason: null },
        after: { code, status: 'rejected', decidedOn: '2026-12-02', decisionReason: '会议期间须出席' },
      });
      expect(rows[0]!.request_id).toBeTruthy();

      // Recorded again: already decided, refused, no second row.
      const again = await api('POST', path, { decision: 'approved', decidedOn: '2026-12-02' }, staffToken);
      expect(again.status).toBe(409);
      expect((await rowsAbout(code)).length).toBe(1);
    });
  });
}
