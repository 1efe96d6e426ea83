import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Every change through the API is an audit row with who, what, before and after: a change of an existing
// thing carries what it was (as the caller saw it) before, not an empty "before"; a requeue is one row,
// not two. And the console shows a congress-bound session the shared calendar without forms it may not
// submit.

const DATONG = '大同市第十六届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`audit rows with their before on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    let deps: TestDeps;
    let server: RunningServer;
    let boundToken: string;
    const api = createApi(() => server.url);
    const audits = (action: string) =>
      deps.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'subject_id', 'before', 'after'])
        .where('action', '=', action)
        .orderBy('id')
        .execute();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db, DATONG);
      await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
      await upsertOrgan(
        deps.db,
        '市交通局',
        { contactName: '刘科长', contactMobile: null, contactWecom: 'JiaotongLiu', contactDingtalk: null },
        clock.now(),
      );
      const t = await api('POST', '/tokens', { name: '市代表工委', role: 'staff', congress: DATONG });
      expect(t.status).toBe(201);
      boundToken = t.json.token;
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('a suggestion assigned and made secret: each row carries the item before and after', async () => {
      const s = await api('POST', '/suggestions', { deputy: 'ZhangSan', content: '东关街路灯不亮' });
      expect(s.status, s.text).toBe(201);
      const code = s.json.code as string;
      const assigned = await api('POST', `/suggestions/${code}/assignments`, { lead: '市交通局' });
      expect(assigned.status, assigned.text).toBe(200);
      // Its service writes the row (as for the same step in chat), with the item's state, not its words.
      const [row, ...more] = await audits('suggestion.assign');
      expect(more).toEqual([]);
      expect(await audits(`api:POST /api/suggestions/:code/assignments`)).toEqual([]);
      expect(row).toMatchObject({
        actor: 'admin:bootstrap',
        before: { code, status: s.json.status },
        after: { code, status: assigned.json.status },
      });
      expect(s.json.status).not.toBe(assigned.json.status);

      const patched = await api(
        'PATCH',
        `/suggestions/${code}`,
        { secret: true, reason: '涉及军事设施' },
        boundToken,
      );
      expect(patched.status, patched.text).toBe(200);
      const [secret] = await audits(`api:PATCH /api/suggestions/:code`);
      // An item that becomes secret (涉密) keeps its words out of the row on both sides: the row would
      // otherwise hold what only the item's own page may show.
      expect(secret).toMatchObject({
        actor: expect.stringContaining('token:'),
        before: { code, content: null, title: null },
        after: { code, content: null, title: null },
      });
    });

    it('a console form (a suggestion assigned) leaves a row with the item before and after', async () => {
      const s = await api('POST', '/suggestions', { deputy: 'ZhangSan', content: '新开路口缺红绿灯' });
      const code = s.json.code as string;
      const login = await fetch(`${server.url}/console/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: 'test-admin-token-0123456789abcdef' }).toString(),
      });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const page = await (
        await fetch(`${server.url}/console/suggestions/${code}`, { headers: { cookie } })
      ).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const res = await fetch(`${server.url}/console/suggestions/${code}/assign`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, lead: '市交通局' }).toString(),
      });
      expect(res.status).toBe(303);
      expect(await audits('console:POST /console/suggestions/:code/assign')).toEqual([]);
      const row = (await audits('suggestion.assign')).find(
        (r) => (r.before as { code?: string })?.code === code,
      );
      expect(row).toMatchObject({
        before: { code, status: s.json.status, assignments: [] },
        after: { code, assignments: [{ organ: '市交通局', role: 'lead' }] },
      });
    });

    it('a leave decision: the row carries the request pending before and approved after', async () => {
      const session = await api('POST', '/sessions', {
        congress: DATONG,
        name: '大同市第十六届人民代表大会第五次会议',
        startsOn: '2026-12-10',
        endsOn: '2026-12-12',
      });
      expect(session.status, session.text).toBe(201);
      const leave = await api('POST', '/leave-requests', {
        userid: 'ZhangSan',
        session: '大同市第十六届人民代表大会第五次会议',
        reason: '出差',
      });
      expect(leave.status, leave.text).toBe(201);
      const code = leave.json.code as string;
      const decided = await api('POST', `/leave-requests/${code}/decision`, { decision: 'approved' });
      expect(decided.status, decided.text).toBe(200);
      expect(await audits('api:POST /api/leave-requests/:code/decision')).toEqual([]);
      const [row] = await audits('leave.decide');
      expect(row).toMatchObject({
        before: { code, status: leave.json.status },
        after: { code, status: decided.json.status },
      });
      expect(leave.json.status).not.toBe(decided.json.status);
    });

    it('a requeue is one audit row with the status before and after, not a second generic one', async () => {
      const id = (await enqueue(deps.db, {
        channel: 'wecom',
        targetKind: 'user',
        targetAddress: 'ZhangSan',
        payload: { text: '通知' },
        idempotencyKey: 'audit-before:requeue',
      }))!;
      // Tried and failed for good (a dead row never tried is a withdrawn one, which is never requeued).
      await deps.db
        .updateTable('outbox')
        .set({ status: 'dead', first_tried_at: new Date() })
        .where('id', '=', id)
        .execute();
      expect((await api('POST', `/outbox/${id}/requeue`)).status).toBe(200);
      expect(await audits('outbox.requeue')).toMatchObject([
        { subject_id: String(id), before: { status: 'dead' }, after: { status: 'pending' } },
      ]);
      expect(await audits('api:POST /api/outbox/:id/requeue')).toEqual([]);
    });

    it('shows a congress-bound console session the calendar with a note instead of the forms it may not submit', async () => {
      const signIn = async (token: string) => {
        const res = await fetch(`${server.url}/console/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString(),
        });
        expect(res.status).toBe(303);
        return res.headers.getSetCookie()[0]!.split(';')[0]!;
      };
      const page = async (cookie: string, path: string) => {
        const res = await fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie } });
        return { status: res.status, text: await res.text() };
      };
      const bound = await signIn(boundToken);
      for (const path of ['/console/calendar?year=2026', '/console/calendar/import']) {
        const p = await page(bound, path);
        expect(p.status).toBe(200);
        expect(p.text).toContain('工作日历由各人大共用');
        expect(p.text).not.toContain('action="/console/calendar/corrections"');
        expect(p.text).not.toContain('action="/console/calendar/import"');
      }
      // An unbound session sees the forms.
      const admin = await signIn('test-admin-token-0123456789abcdef');
      const p = await page(admin, '/console/calendar?year=2026');
      expect(p.text).toContain('action="/console/calendar/corrections"');
      expect(p.text).toContain('action="/console/calendar/import"');
      expect(p.text).not.toContain('工作日历由各人大共用');
    });
  });
}
