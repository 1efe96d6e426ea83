import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/services/roster/import.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { rowCount } from '../helpers/rows.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const DATONG = '大同市第十六届人民代表大会';
const YUNGANG = '云冈区第十七届人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`API tokens on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const call = createApi<Record<string, unknown> | null>(() => server.url);
    // Every call here names its token (or none), so it comes before the body.
    const api = (method: string, path: string, token: string | null, body?: unknown) =>
      call(method, path, body, token);
    const tokenCount = () => rowCount(deps.db, 'api_tokens');

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
      await importRoster(
        deps,
        `人大,层级,姓名,企业微信账号\n${DATONG},市,张三,zhangsan\n${YUNGANG},县,李四,lisi\n`,
        { actor: 'test' },
      );
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('creates a token shown once, stored only as its sha256', async () => {
      const res = await api('POST', '/tokens', TEST_ADMIN_TOKEN, { name: '王秘书', role: 'staff' });
      expect(res.status).toBe(201);
      const body = res.json as { id: number; name: string; role: string; congress: null; token: string };
      expect(body).toEqual({
        id: expect.any(Number),
        name: '王秘书',
        role: 'staff',
        congress: null,
        token: expect.any(String),
      });
      expect(body.token).toMatch(/^rdt_[A-Za-z0-9_-]{43}$/);
      const row = await deps.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', body.id)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(createHash('sha256').update(body.token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(body.token);
      // The list names it but never shows the token or its hash.
      const list = await api('GET', '/tokens', TEST_ADMIN_TOKEN);
      expect(list.status).toBe(200);
      expect(list.text).toContain('王秘书');
      expect(list.text).not.toContain(body.token);
      expect(list.text).not.toContain(row.token_hash);
      // The token works.
      expect((await api('GET', '/deputies', body.token)).status).toBe(200);
    });

    it('refuses a bad request to create a token, creating nothing', async () => {
      const before = await tokenCount();
      const badRole = await api('POST', '/tokens', TEST_ADMIN_TOKEN, { name: 'x', role: 'boss' });
      expect(badRole.status).toBe(400);
      expect((badRole.json as { error: { message: string } }).error.message).toContain('role');
      const noName = await api('POST', '/tokens', TEST_ADMIN_TOKEN, { role: 'staff' });
      expect(noName.status).toBe(400);
      expect((noName.json as { error: { message: string } }).error.message).toContain('name');
      const unknownCongress = await api('POST', '/tokens', TEST_ADMIN_TOKEN, {
        name: 'x',
        role: 'staff',
        congress: '不存在',
      });
      expect(unknownCongress.status).toBe(400);
      expect(await tokenCount()).toBe(before);
    });

    it('answers 401 for a missing, wrong or revoked token', async () => {
      expect((await api('GET', '/deputies', null)).status).toBe(401);
      expect((await api('GET', '/deputies', 'rdt_not-a-real-token')).status).toBe(401);
      const created = (await api('POST', '/tokens', TEST_ADMIN_TOKEN, { name: '临时', role: 'staff' }))
        .json as {
        id: number;
        token: string;
      };
      expect((await api('GET', '/deputies', created.token)).status).toBe(200);
      const revoked = await api('DELETE', `/tokens/${created.id}`, TEST_ADMIN_TOKEN);
      expect(revoked.status).toBe(200);
      expect((revoked.json as { revokedAt: string | null }).revokedAt).not.toBeNull();
      expect((await api('GET', '/deputies', created.token)).status).toBe(401);
      expect((await api('DELETE', '/tokens/999999', TEST_ADMIN_TOKEN)).status).toBe(404);
    });

    it('answers 403 to a staff or approver token on an admin route', async () => {
      for (const role of ['staff', 'approver']) {
        const t = (
          (await api('POST', '/tokens', TEST_ADMIN_TOKEN, { name: role, role })).json as { token: string }
        ).token;
        const before = await tokenCount();
        const res = await api('POST', '/tokens', t, { name: 'x', role: 'admin' });
        expect(res.status).toBe(403);
        expect((res.json as { error: { code: string } }).error.code).toBe('forbidden');
        expect((await api('GET', '/tokens', t)).status).toBe(403);
        expect(
          (await api('PUT', `/congresses/${encodeURIComponent(DATONG)}`, t, { settings: {} })).status,
        ).toBe(403);
        expect(await tokenCount()).toBe(before);
      }
    });

    it('limits a token bound to a congress to that congress', async () => {
      const res = await api('POST', '/tokens', TEST_ADMIN_TOKEN, {
        name: '大同',
        role: 'admin',
        congress: DATONG,
      });
      expect(res.status).toBe(201);
      const t = (res.json as { token: string; congress: string }).token;
      expect((res.json as { congress: string }).congress).toBe(DATONG);

      const congresses = (await api('GET', '/congresses', t)).json as unknown as { name: string }[];
      expect(congresses.map((c) => c.name)).toEqual([DATONG]);
      const deputies = (await api('GET', '/deputies', t)).json as unknown as { id: number; name: string }[];
      expect(deputies.map((d) => d.name)).toEqual(['张三']);
      expect((await api('GET', `/deputies?congress=${encodeURIComponent(YUNGANG)}`, t)).status).toBe(403);

      const all = (await api('GET', '/deputies', TEST_ADMIN_TOKEN)).json as unknown as {
        id: number;
        name: string;
      }[];
      const li = all.find((d) => d.name === '李四')!;
      const patch = await api('PATCH', `/deputies/${li.id}`, t, { status: 'suspended', reason: '测试' });
      expect(patch.status).toBe(404);
      const liAfter = await deps.db
        .selectFrom('mandates')
        .select('status')
        .where('id', '=', li.id)
        .executeTakeFirstOrThrow();
      expect(liAfter.status).toBe('active');
      // Leave entered for another congress's deputy is answered as for an id nobody has.
      for (const userid of ['lisi', 'nobody']) {
        const leave = await api('POST', '/leave-requests', t, {
          userid,
          session: '第七次会议',
          reason: '出差',
        });
        expect(leave.status, userid).toBe(400);
        expect((leave.json as { error: { message: string } }).error.message).toBe(
          `字段「userid」：没有账号为「${userid}」的人员`,
        );
      }
      expect(await deps.db.selectFrom('leave_requests').select('id').execute()).toEqual([]);

      expect(
        (await api('PUT', `/congresses/${encodeURIComponent(YUNGANG)}`, t, { settings: {} })).status,
      ).toBe(403);
      expect(
        (await api('PUT', `/congresses/${encodeURIComponent('新人大')}`, t, { level: 'city' })).status,
      ).toBe(403);
      const other = await api('POST', '/tokens', t, { name: 'x', role: 'staff', congress: YUNGANG });
      expect(other.status).toBe(403);

      const roster = await api(
        'POST',
        '/roster',
        t,
        `人大,姓名,企业微信账号\n${YUNGANG},王五,wangwu\n,赵六,zhaoliu\n`,
      );
      expect(roster.status).toBe(200);
      const summary = roster.json as { created: number; rejected: { line: number; reason: string }[] };
      expect(summary.created).toBe(1);
      expect(summary.rejected).toEqual([{ line: 2, reason: expect.stringContaining('只能导入所属人大') }]);
      const zhao = await deps.db
        .selectFrom('mandates as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('congresses as c', 'c.id', 'm.congress_id')
        .select('c.name')
        .where('p.name', '=', '赵六')
        .execute();
      expect(zhao).toEqual([{ name: DATONG }]);
    });

    it('never writes a token into a log line', async () => {
      const created = (await api('POST', '/tokens', TEST_ADMIN_TOKEN, { name: '日志', role: 'staff' }))
        .json as {
        id: number;
        token: string;
      };
      await api('GET', '/deputies', created.token);
      await api('GET', '/tokens', created.token);
      await api('DELETE', `/tokens/${created.id}`, TEST_ADMIN_TOKEN);
      await api('GET', '/deputies', created.token);
      expect(deps.logs.lines.length).toBeGreaterThan(0);
      expect(deps.logs.text).not.toContain(created.token);
      expect(deps.logs.text).not.toContain(TEST_ADMIN_TOKEN);
    });
  });
}
