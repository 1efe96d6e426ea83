import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/services/roster/import.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const DATONG = '大同市第十六届人民代表大会';
const SHANXI = '山西省第十四届人民代表大会';
const ROSTER = `人大,层级,姓名,代表大组,代表小组,联络站,企业微信账号,钉钉账号,手机,状态
${DATONG},市,张三,第一代表大组,第一小组,平城站,zhangsan,ding-zs,13800000001,正常
${DATONG},市,李四,第一代表大组,第二小组,,lisi,,13800000002,正常
${DATONG},市,王五,第二代表大组,第三小组,,wangwu,,13800000003,暂停
${SHANXI},省,张三,大同代表团,,,zhangsan,,,正常
`;

interface Deputy {
  id: number;
  name: string;
  congress: string;
  wecomUserid: string | null;
  dingtalkUserid: string | null;
  mobile: string | null;
  groups: string[];
  station: string | null;
  role: string;
  status: string;
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`deputies API on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const api = createApi<unknown>(() => server.url);
    const list = async (query = '') => (await api('GET', `/deputies${query}`)).json as Deputy[];
    const zhangCity = async () => (await list(`?congress=${encodeURIComponent(DATONG)}&q=张三`))[0]!;
    const snapshot = async (mandateId: number) => ({
      mandate: await deps.db
        .selectFrom('mandates')
        .select(['status', 'status_reason'])
        .where('id', '=', mandateId)
        .executeTakeFirstOrThrow(),
      history: (
        await deps.db
          .selectFrom('mandate_status_changes')
          .select('id')
          .where('mandate_id', '=', mandateId)
          .execute()
      ).length,
      outbox: (await deps.db.selectFrom('outbox').select('id').execute()).length,
    });

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
      await importRoster(deps, ROSTER, { actor: 'test' });
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('lists every mandate with the person, ids, groups, station, role and status', async () => {
      const res = await api('GET', '/deputies');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-count')).toBe('4');
      const zhang = (res.json as Deputy[]).filter((d) => d.name === '张三');
      expect(zhang.map((d) => d.congress).sort()).toEqual([SHANXI, DATONG].sort());
      expect(zhang.find((d) => d.congress === DATONG)).toMatchObject({
        wecomUserid: 'zhangsan',
        dingtalkUserid: 'ding-zs',
        mobile: '13800000001',
        groups: ['第一代表大组', '第一小组'],
        station: '平城站',
        role: 'deputy',
        status: 'active',
      });
    });

    it('filters by congress, status, group and text', async () => {
      expect((await list(`?congress=${encodeURIComponent(SHANXI)}`)).map((d) => d.name)).toEqual(['张三']);
      expect((await list('?status=suspended')).map((d) => d.name)).toEqual(['王五']);
      expect((await list(`?group=${encodeURIComponent('第一代表大组')}`)).map((d) => d.name).sort()).toEqual(
        ['张三', '李四'].sort(),
      );
      expect((await list('?q=LISI')).map((d) => d.name)).toEqual(['李四']);
      expect((await list('?q=13800000003')).map((d) => d.name)).toEqual(['王五']);
      expect((await api('GET', '/deputies?status=paused')).status).toBe(400);
      expect((await api('GET', `/deputies?congress=${encodeURIComponent('没有这个人大')}`)).status).toBe(404);
    });

    it('suspends a deputy (S16): a history row and a Chinese message with the reason and its meaning', async () => {
      const d = await zhangCity();
      const res = await api('PATCH', `/deputies/${d.id}`, {
        status: 'suspended',
        reason: '因刑事案件被羁押',
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ id: d.id, status: 'suspended', statusReason: '因刑事案件被羁押' });
      const history = await deps.db
        .selectFrom('mandate_status_changes')
        .selectAll()
        .where('mandate_id', '=', d.id)
        .execute();
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        from_status: 'active',
        to_status: 'suspended',
        reason: '因刑事案件被羁押',
        changed_by: 'admin:bootstrap',
      });
      const out = await deps.db
        .selectFrom('outbox')
        .select(['channel', 'target_kind', 'target_address', 'payload', 'status'])
        .orderBy('channel')
        .execute();
      expect(out.map((o) => [o.channel, o.target_kind, o.target_address, o.status])).toEqual([
        ['dingtalk', 'user', 'ding-zs', 'pending'],
        ['wecom', 'user', 'zhangsan', 'pending'],
      ]);
      const text = (out[1]!.payload as { text: string }).text;
      expect(text).toContain(DATONG);
      expect(text).toContain('「暂停」');
      expect(text).toContain('原因：因刑事案件被羁押');
      expect(text).toContain('不能行使代表的各项职权');
      expect(text).toContain('第四十五条');
      // The provincial mandate of the same person is untouched.
      const shanxi = (await list(`?congress=${encodeURIComponent(SHANXI)}`))[0]!;
      expect(shanxi.status).toBe('active');
    });

    it('refuses a change to the status it already has, changing nothing', async () => {
      const d = await zhangCity();
      const before = await snapshot(d.id);
      const res = await api('PATCH', `/deputies/${d.id}`, { status: 'suspended', reason: '再次' });
      expect(res.status).toBe(409);
      expect((res.json as { error: { message: string } }).error.message).toContain('已是「暂停」');
      expect(await snapshot(d.id)).toEqual(before);
    });

    it('refuses a missing reason, a bad status and an unknown deputy, changing nothing', async () => {
      const d = await zhangCity();
      const before = await snapshot(d.id);
      const noReason = await api('PATCH', `/deputies/${d.id}`, { status: 'active' });
      expect(noReason.status).toBe(400);
      expect((noReason.json as { error: { message: string } }).error.message).toContain('reason');
      const blankReason = await api('PATCH', `/deputies/${d.id}`, { status: 'active', reason: '   ' });
      expect(blankReason.status).toBe(400);
      const badStatus = await api('PATCH', `/deputies/${d.id}`, { status: 'paused', reason: 'x' });
      expect(badStatus.status).toBe(400);
      expect((badStatus.json as { error: { message: string } }).error.message).toContain('status');
      const notJson = await api('PATCH', `/deputies/${d.id}`, '{status');
      expect(notJson.status).toBe(400);
      expect((await api('PATCH', '/deputies/999999', { status: 'active', reason: 'x' })).status).toBe(404);
      expect(await snapshot(d.id)).toEqual(before);
    });

    it('restores a suspended deputy, and a terminated mandate cannot come back', async () => {
      const d = await zhangCity();
      const restored = await api('PATCH', `/deputies/${d.id}`, { status: 'active', reason: '情形消失' });
      expect(restored.status).toBe(200);
      const terminated = await api('PATCH', `/deputies/${d.id}`, {
        status: 'terminated',
        reason: '迁出本行政区域',
      });
      expect(terminated.status).toBe(200);
      const last = await deps.db
        .selectFrom('outbox')
        .select('payload')
        .where('channel', '=', 'wecom')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect((last.payload as { text: string }).text).toContain('代表资格终止后');
      const before = await snapshot(d.id);
      const again = await api('PATCH', `/deputies/${d.id}`, { status: 'active', reason: '误操作' });
      expect(again.status).toBe(409);
      expect((again.json as { error: { message: string } }).error.message).toContain('代表资格已终止');
      expect(await snapshot(d.id)).toEqual(before);
      expect(before.mandate.status).toBe('terminated');
      expect(before.history).toBe(3);
    });

    it('writes an audit row for every status change', async () => {
      const rows = await deps.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('action', '=', 'mandate.status')
        .execute();
      expect(rows).toHaveLength(3);
    });
  });
}
