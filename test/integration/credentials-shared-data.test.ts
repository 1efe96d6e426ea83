import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/services/roster/import.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Who may change what: people-level fields and shared data (organs, the calendar) need an admin or an
// unbound token; every change is an audit row with its before and after; a console session ends with
// the credential it was opened with.

const DATONG = '大同市第十六届人民代表大会';
const YUNGANG = '云冈区第十七届人民代表大会';
const HEADER = '人大,层级,姓名,代表小组,企业微信账号,钉钉账号,手机,角色';
const TAKEOVER = `${YUNGANG},县,被改名,,wang.city,dt-attacker,13999999999,管理员`;

interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
  renamed: { line: number; personId: number; from: string; to: string }[];
}

/** Signs in to the console with a token; returns the session cookie. */
async function signIn(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** A console page with the cookie: 200 when the session is valid, 303 back to sign-in when not. */
const consolePage = async (base: string, cookie: string) =>
  (await fetch(`${base}/console/deputies`, { redirect: 'manual', headers: { cookie } })).status;

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`credentials and shared data on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let countyToken: string;
    const api = createApi<Record<string, unknown> & { error?: { code: string; message: string } }>(
      () => server.url,
    );

    const personByWecom = (userid: string) =>
      deps.db
        .selectFrom('person_identities as i')
        .innerJoin('people as p', 'p.id', 'i.person_id')
        .select(['p.id', 'p.name', 'p.mobile'])
        .where('i.channel', '=', 'wecom')
        .where('i.external_id', '=', userid)
        .executeTakeFirstOrThrow();
    const identities = (personId: number) =>
      deps.db
        .selectFrom('person_identities')
        .select(['channel', 'external_id'])
        .where('person_id', '=', personId)
        .orderBy('channel')
        .execute();
    const mandateCount = async (personId: number) =>
      (await deps.db.selectFrom('mandates').select('id').where('person_id', '=', personId).execute()).length;
    const audits = (action: string) =>
      deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_type', 'subject_id', 'before', 'after'])
        .where('action', '=', action)
        .orderBy('id')
        .execute();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
      await importRoster(
        deps,
        `${HEADER}\n${DATONG},市,王城,第一小组,wang.city,dt-wang,13800000001,代表\n` +
          `${DATONG},市,刘秘书,,liu.staff,,,工作人员\n${YUNGANG},县,李四,,lisi,,,代表\n`,
        { actor: 'test' },
      );
      const t = await api('POST', '/tokens', { name: '云冈区秘书', role: 'staff', congress: YUNGANG });
      expect(t.status).toBe(201);
      countyToken = t.json.token as string;
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('refuses the takeover line from a county-bound token, naming nobody of another congress, and changes nothing', async () => {
      const before = await personByWecom('wang.city');
      const res = await api('POST', '/roster', `${HEADER}\n${TAKEOVER}\n`, countyToken);
      expect(res.status).toBe(200);
      const s = res.json as unknown as Summary;
      expect(s).toMatchObject({ created: 0, updated: 0, renamed: [] });
      expect(s.rejected).toHaveLength(1);
      // 王城 holds no seat in the county's congress: its staff are told the id is taken, not by whom.
      expect(s.rejected[0]!.reason).toBe('企业微信账号「wang.city」已被其他人大的人员使用，请与管理员联系');
      // The same name with another DingTalk id and mobile: he is also the city's deputy, so no.
      const ids = await api(
        'POST',
        '/roster',
        `${HEADER}\n${YUNGANG},县,王城,,wang.city,dt-attacker,13999999999,\n`,
        countyToken,
      );
      expect((ids.json as unknown as Summary).rejected[0]!.reason).toContain(DATONG);
      expect(await personByWecom('wang.city')).toEqual(before);
      expect(await identities(before.id)).toEqual([
        { channel: 'dingtalk', external_id: 'dt-wang' },
        { channel: 'wecom', external_id: 'wang.city' },
      ]);
      expect(await mandateCount(before.id)).toBe(1);
      // A mandate in its own congress that changes nothing people-level is the county's to add.
      const add = await api(
        'POST',
        '/roster',
        `${HEADER}\n${YUNGANG},县,王城,,wang.city,,,代表\n`,
        countyToken,
      );
      expect(add.json).toMatchObject({ created: 1, rejected: [] });
      expect(await mandateCount(before.id)).toBe(2);
      expect(await personByWecom('wang.city')).toEqual(before);
    });

    it('lets an admin rename a person and lists the rename in the summary', async () => {
      const before = await personByWecom('lisi');
      const res = await api('POST', '/roster', `${HEADER}\n${YUNGANG},县,李思,,lisi,,,代表\n`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        updated: 1,
        rejected: [],
        renamed: [{ line: 2, personId: before.id, from: '李四', to: '李思' }],
      });
      expect((await personByWecom('lisi')).name).toBe('李思');
    });

    it('refuses a bound token a change of an organ or of the calendar, with 403 and nothing written', async () => {
      const organ = await api('PUT', '/organs/市交通运输局', { contactName: '赵科长' }, countyToken);
      expect(organ.status).toBe(403);
      expect(organ.json.error?.code).toBe('shared_data_forbidden');
      const put = await api(
        'PUT',
        '/calendar/2026-09-07',
        { kind: 'holiday', note: '补充通知' },
        countyToken,
      );
      expect(put.status).toBe(403);
      expect(put.json.error?.code).toBe('shared_data_forbidden');
      const del = await api('DELETE', '/calendar/2026-09-07', undefined, countyToken);
      expect(del.status).toBe(403);
      expect(await deps.db.selectFrom('organs').select('id').execute()).toEqual([]);
      expect(await deps.db.selectFrom('calendar_corrections').select('date').execute()).toEqual([]);
      expect(await audits('organ.create')).toEqual([]);
      expect(await audits('calendar.correct')).toEqual([]);
    });

    it('audits every allowed change with who, what, before and after', async () => {
      // Organs: created, then its contact replaced.
      expect((await api('PUT', '/organs/市交通运输局', { contactName: '赵科长' })).status).toBe(201);
      expect((await api('PUT', '/organs/市交通运输局', { contactName: '钱科长' })).status).toBe(200);
      const [created, updated] = [...(await audits('organ.create')), ...(await audits('organ.update'))];
      expect(created).toMatchObject({
        actor: 'admin:bootstrap',
        before: null,
        after: { contactName: '赵科长' },
      });
      expect(updated).toMatchObject({ before: { contactName: '赵科长' }, after: { contactName: '钱科长' } });
      // The calendar: a correction, then its removal.
      expect((await api('PUT', '/calendar/2026-09-07', { kind: 'holiday', note: '补充通知' })).status).toBe(
        200,
      );
      expect((await api('DELETE', '/calendar/2026-09-07')).status).toBe(200);
      expect(await audits('calendar.correct')).toMatchObject([
        { before: null, after: { date: '2026-09-07', kind: 'holiday', note: '补充通知' } },
      ]);
      expect(await audits('calendar.uncorrect')).toMatchObject([
        { before: { date: '2026-09-07', kind: 'holiday' }, after: null },
      ]);
      // A session, an activity, a broadcast: each one row naming what now exists.
      const session = await api('POST', '/sessions', {
        congress: DATONG,
        name: '第十六届人大第五次会议',
        startsOn: '2027-01-10',
        endsOn: '2027-01-13',
      });
      expect(session.status).toBe(201);
      expect(await audits('session.create')).toMatchObject([
        { subject_id: String(session.json.id), before: null, after: { name: '第十六届人大第五次会议' } },
      ]);
      const activity = await api('POST', '/activities', {
        congress: DATONG,
        kind: 'study',
        title: '代表履职集体学习',
        organiser: 'liu.staff',
        startsAt: '2027-02-03T01:00:00Z',
        endsAt: '2027-02-03T04:00:00Z',
        invitees: ['wang.city'],
      });
      expect(activity.status, activity.text).toBe(201);
      expect(await audits('api:POST /api/activities')).toMatchObject([
        { actor: 'admin:bootstrap', before: null, after: { code: activity.json.code } },
      ]);
      const broadcast = await api('POST', '/broadcasts', { targets: ['第一小组'], text: '明天上午九点开会' });
      expect(broadcast.status, broadcast.text).toBe(202);
      expect(await audits('broadcast.create')).toMatchObject([
        { subject_id: String(broadcast.json.id), before: null, after: { text: '明天上午九点开会' } },
      ]);
      // A refused change leaves no row.
      const rows = (await deps.db.selectFrom('audit_log').select('id').execute()).length;
      expect((await api('POST', '/sessions', { congress: DATONG, name: 'x' })).status).toBe(400);
      expect((await deps.db.selectFrom('audit_log').select('id').execute()).length).toBe(rows);
    });

    it('ends a console session when ADMIN_TOKEN is rotated', async () => {
      const cookie = await signIn(server.url, TEST_ADMIN_TOKEN);
      expect(await consolePage(server.url, cookie)).toBe(200);
      // The same store and database, restarted with another ADMIN_TOKEN.
      const rotated = await createTestDeps(backend.name, {
        shareWith: deps,
        env: { ADMIN_TOKEN: 'rotated-admin-token-9876543210fedcba' },
      });
      const restarted = await startServer(rotated);
      try {
        expect(await consolePage(restarted.url, cookie)).toBe(303);
        // Gone for good: not even the old instance takes it back.
        expect(await consolePage(server.url, cookie)).toBe(303);
        const fresh = await signIn(restarted.url, 'rotated-admin-token-9876543210fedcba');
        expect(await consolePage(restarted.url, fresh)).toBe(200);
      } finally {
        await restarted.close();
        // Only what the second instance opened itself (PGlite and the in-process store are shared).
        if (rotated.store !== deps.store) await rotated.store.close();
        if (rotated.dbHandle !== deps.dbHandle) await rotated.dbHandle.close();
      }
    });

    it('ends a console session when its token is revoked', async () => {
      const t = await api('POST', '/tokens', { name: '临时秘书', role: 'staff' });
      const cookie = await signIn(server.url, t.json.token as string);
      expect(await consolePage(server.url, cookie)).toBe(200);
      expect((await api('DELETE', `/tokens/${t.json.id}`)).status).toBe(200);
      expect(await consolePage(server.url, cookie)).toBe(303);
    });
  });
}
