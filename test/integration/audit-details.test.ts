import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// What the audit rows hold, as a tester found them wanting: a token, a person and a mandate created carry
// what was created (never the token or its hash); an organ's 签收 keeps its time as an ISO string, and a
// repeat 签收 (which changes nothing) writes no row; the console's organ forms (签收, 申请退回, 答复) carry the
// assignment before and after; and an item marked 涉密 leaves its words in no audit row.

const DATONG = '大同市第十六届人民代表大会';
const ORGAN = '市住建局';
const ASSISTING = '市交通局';

interface AuditRow {
  id: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  detail: AnyJson;
  before: AnyJson;
  after: AnyJson;
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`what audit rows hold on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let deps: TestDeps;
    let server: RunningServer;
    const api = createApi<AnyJson>(() => server.url);
    const organTokens: Record<string, string> = {};

    const rows = async (action: string): Promise<AuditRow[]> =>
      (await deps.db
        .selectFrom('audit_log')
        .select(['id', 'actor', 'action', 'subject_type', 'subject_id', 'detail', 'before', 'after'])
        .where('action', '=', action)
        .orderBy('id')
        .execute()) as AuditRow[];
    const allRows = async () => deps.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    const assignment = (code: string, organ: string) =>
      deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .innerJoin('organs as o', 'o.id', 'a.organ_id')
        .select(['a.id', 'a.signed_at', 'a.status'])
        .where('s.code', '=', code)
        .where('o.name', '=', organ)
        .orderBy('a.id', 'desc')
        .executeTakeFirstOrThrow();
    const newItem = async (content: string, assisting: string[] = [], secret = false) => {
      const r = await api('POST', '/suggestions', { deputy: 'WangWu', content, secret });
      expect(r.status, r.text).toBe(201);
      const code = r.json.code as string;
      const a = await api('POST', `/suggestions/${code}/assignments`, { lead: ORGAN, assisting });
      expect(a.status, a.text).toBe(200);
      return code;
    };
    /** A console form posted by an organ's contact (a bearer token needs no CSRF field). */
    const consolePost = async (organ: string, path: string, form: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/console${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${organTokens[organ]}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db, DATONG);
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId });
      for (const [organ, wecom] of [
        [ORGAN, 'ZhujianZhou'],
        [ASSISTING, 'JiaotongLiu'],
      ] as const) {
        await upsertOrgan(
          deps.db,
          organ,
          { contactName: '联系人', contactMobile: null, contactWecom: wecom, contactDingtalk: null },
          clock.now(),
        );
        const t = await api('POST', '/tokens', { name: `${organ}联系人`, role: 'organ', organ });
        expect(t.status, t.text).toBe(201);
        organTokens[organ] = t.json.token;
      }
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('token.create keeps what was created, never the token or its hash', async () => {
      const t = await api('POST', '/tokens', { name: '市代表工委王秘书', role: 'staff', congress: DATONG });
      expect(t.status, t.text).toBe(201);
      const listed = (await api('GET', '/tokens')).json.find((x: AnyJson) => x.id === t.json.id);
      const [row] = (await rows('token.create')).filter((r) => r.subject_id === String(t.json.id));
      expect(row?.after).toEqual({
        name: '市代表工委王秘书',
        role: 'staff',
        congress: DATONG,
        organ: null,
        prefix: listed.prefix,
      });
      const hash = await deps.db
        .selectFrom('api_tokens')
        .select('token_hash')
        .where('id', '=', t.json.id)
        .executeTakeFirstOrThrow();
      const everything = JSON.stringify(await allRows());
      expect(everything).not.toContain(t.json.token);
      expect(everything).not.toContain(hash.token_hash);
      // An organ's token names its organ.
      const organRow = (await rows('token.create')).find((r) => r.after?.organ === ORGAN);
      expect(organRow?.after).toMatchObject({ role: 'organ', organ: ORGAN, congress: null });
    });

    it('person.create and mandate.create keep the fields the roster line set', async () => {
      const csv = [
        '人大,层级,姓名,选举单位,代表大组,代表小组,联络站,企业微信账号,钉钉账号,手机,角色,状态',
        `${DATONG},市,赵敏,云冈区,第二代表大组,第三小组,,ZhaoMin,ding-zm,13800000077,代表,正常`,
      ].join('\n');
      const res = await fetch(`${server.url}/api/roster`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: csv,
      });
      expect(res.status).toBe(200);
      const person = await deps.db
        .selectFrom('people')
        .select('id')
        .where('name', '=', '赵敏')
        .executeTakeFirstOrThrow();
      const mandate = await deps.db
        .selectFrom('mandates')
        .selectAll()
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow();
      const [p] = (await rows('person.create')).filter((r) => r.subject_id === String(person.id));
      expect(p?.after).toEqual({
        name: '赵敏',
        mobile: '13800000077',
        wecom_userid: 'ZhaoMin',
        dingtalk_userid: 'ding-zm',
      });
      const [m] = (await rows('mandate.create')).filter((r) => r.subject_id === String(mandate.id));
      expect(m?.after).toEqual({
        person_id: person.id,
        congress_id: mandate.congress_id,
        electoral_unit: '云冈区',
        large_group_id: mandate.large_group_id,
        small_group_id: mandate.small_group_id,
        station_id: null,
        role: 'deputy',
        status: 'active',
      });
      expect(mandate.large_group_id).not.toBeNull();
    });

    it('an organ signing through the API: the row keeps the time as an ISO string', async () => {
      const code = await newItem('府西街路灯不亮已经一个月');
      // The organ's own row (the same as the console's and chat's), not the generic API trail's.
      const action = 'assignment.sign';
      const before = (await rows(action)).length;
      const signed = await api('POST', `/suggestions/${code}/sign`, undefined, organTokens[ORGAN]);
      expect(signed.status, signed.text).toBe(200);
      expect(signed.json.already).toBe(false);
      const signedAt = (await assignment(code, ORGAN)).signed_at;
      const mine = (await rows(action)).slice(before);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.after).toMatchObject({ code, organ: ORGAN });
      expect(mine[0]!.after.signedAt).toBe(new Date(signedAt!).toISOString());
      // No row anywhere keeps an emptied date.
      expect(JSON.stringify(await allRows())).not.toContain('"signedAt":{}');
    });

    it('a repeat 签收 through the API changes nothing and writes no row', async () => {
      const code = await newItem('迎宾街公交站台雨棚破损');
      expect((await api('POST', `/suggestions/${code}/sign`, undefined, organTokens[ORGAN])).status).toBe(
        200,
      );
      const count = (await allRows()).length;
      const again = await api('POST', `/suggestions/${code}/sign`, undefined, organTokens[ORGAN]);
      expect(again.status).toBe(200);
      expect(again.json.already).toBe(true);
      expect((await allRows()).length).toBe(count);
    });

    it('the console organ forms: each row has the assignment before and after', async () => {
      const code = await newItem('新建路东段人行道破损，雨天积水', [ASSISTING]);
      const lead = await assignment(code, ORGAN);
      const consoleRows = async () =>
        (await allRows()).filter((r) => r.action.startsWith('console:POST /console/organ/'));
      const genericBefore = (await consoleRows()).length;

      // 签收
      const sign = await consolePost(ORGAN, `/organ/items/${code}/sign`);
      expect(sign.status, sign.text).toBe(303);
      const [signRow, ...moreSigns] = (await rows('assignment.sign')).filter(
        (r) => r.subject_id === String(lead.id),
      );
      expect(moreSigns).toEqual([]);
      const signedAt = new Date((await assignment(code, ORGAN)).signed_at!).toISOString();
      expect(signRow).toMatchObject({
        subject_type: 'suggestion_assignment',
        actor: expect.stringMatching(/^token:\d+$/),
        detail: { code, organ: ORGAN, role: 'lead' },
        before: { code, organ: ORGAN, status: 'open', signedAt: null, returnRequested: false, answer: null },
        after: { code, organ: ORGAN, status: 'open', signedAt, returnRequested: false, answer: null },
      });
      // A repeat changes nothing: no row of any kind.
      const count = (await allRows()).length;
      expect((await consolePost(ORGAN, `/organ/items/${code}/sign`)).status).toBe(303);
      expect((await allRows()).length).toBe(count);

      // 申请退回
      const ret = await consolePost(ORGAN, `/organ/items/${code}/return-request`, {
        reason: '不属于本单位职责，应由市交通局办理',
      });
      expect(ret.status, ret.text).toBe(303);
      const [retRow] = (await rows('assignment.return_request')).filter(
        (r) => r.subject_id === String(lead.id),
      );
      expect(retRow).toMatchObject({
        detail: { code, organ: ORGAN, reason: '不属于本单位职责，应由市交通局办理' },
        before: { status: 'open', signedAt, returnRequested: false },
        after: { status: 'open', signedAt, returnRequested: true },
      });

      // 答复 (the assisting organ's part: its assignment is answered and goes to the lead)
      const assist = await assignment(code, ASSISTING);
      const ans = await consolePost(ASSISTING, `/organ/items/${code}/answer`, {
        done: '已配合完成排水口疏通',
        signedBy: '刘副局长',
      });
      expect(ans.status, ans.text).toBe(303);
      const [ansRow] = (await rows('assignment.answer')).filter((r) => r.subject_id === String(assist.id));
      expect(ansRow).toMatchObject({
        detail: {
          code,
          organ: ASSISTING,
          role: 'assist',
          status: 'to_lead',
          fields: { done: '已配合完成排水口疏通', signedBy: '刘副局长' },
        },
        before: { organ: ASSISTING, status: 'open', answer: null },
        after: { organ: ASSISTING, status: 'answered', answer: 'to_lead' },
      });
      // The console wrote no second, field-only row for these forms.
      expect((await consoleRows()).length).toBe(genericBefore);
    });

    it('an answer to a 涉密 item: the form is named by its fields, its words kept nowhere', async () => {
      const words = '涉及某营区围墙外排水管线改造';
      const code = await newItem(words, [], true);
      const answerText = '已会同驻地部队完成管线迁改方案';
      const res = await consolePost(ORGAN, `/organ/items/${code}/answer`, {
        resultClass: 'A',
        done: answerText,
        signedBy: '张局长',
      });
      expect(res.status, res.text).toBe(303);
      const lead = await assignment(code, ORGAN);
      const [row] = (await rows('assignment.answer')).filter((r) => r.subject_id === String(lead.id));
      expect(row).toMatchObject({
        detail: { code, status: 'pending_review', fields: ['done', 'signedBy'] },
        before: { status: 'open', answer: null },
        after: { status: 'open', answer: 'pending_review' },
      });
      const everything = JSON.stringify(await allRows());
      expect(everything).not.toContain(answerText);
      expect(everything).not.toContain(words);
    });

    it('an item marked 涉密: the row keeps none of its words and names what changed', async () => {
      const words = '东关街与新华街交叉口东北角路灯不亮';
      const s = await api('POST', '/suggestions', { deputy: 'WangWu', content: words });
      expect(s.status, s.text).toBe(201);
      const code = s.json.code as string;
      const patched = await api('PATCH', `/suggestions/${code}`, { secret: true, reason: '涉及军事设施' });
      expect(patched.status, patched.text).toBe(200);
      const [row, ...more] = await rows('api:PATCH /api/suggestions/:code');
      expect(more).toEqual([]);
      expect(row).toMatchObject({
        subject_id: `/api/suggestions/${code}`,
        before: { code, secret: false, content: null, title: null, location: null },
        after: { code, secret: true, content: null, title: null, location: null },
      });
      // What changed is named: the flag, and the history row that records it; never the words.
      expect(row!.detail.changed).toEqual(['history', 'secret']);
      expect(JSON.stringify(row)).not.toContain(words);

      // Unmarked and marked again: neither row keeps the words either.
      for (const secret of [false, true]) {
        const r = await api('PATCH', `/suggestions/${code}`, { secret, reason: '复核' });
        expect(r.status, r.text).toBe(200);
      }
      const later = await rows('api:PATCH /api/suggestions/:code');
      expect(later).toHaveLength(3);
      expect(JSON.stringify(later)).not.toContain(words);
    });
  });
}
