import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/services/roster/import.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8');

const HEADER = '人大,层级,姓名,选举单位,代表大组,代表小组,联络站,企业微信账号,钉钉账号,手机,角色,状态';
const DATONG = '大同市第十六届人民代表大会';
const SHANXI = '山西省第十四届人民代表大会';

interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
  missing: { id: number; name: string; congress: string }[];
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`roster import on ${backend.name}`, () => {
    const opened: TestDeps[] = [];
    const fresh = async () => {
      const d = await createTestDeps(backend.name);
      opened.push(d);
      return d;
    };
    afterAll(async () => {
      for (const d of opened) await d.cleanup();
    });
    const run = (deps: TestDeps, text: string) => importRoster(deps, text, { actor: 'test' });
    const count = async (
      deps: TestDeps,
      table: 'people' | 'mandates' | 'congresses' | 'groups' | 'stations' | 'audit_log',
    ) =>
      Number(
        (
          await deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    describe('a file with Chinese headers', () => {
      let deps: TestDeps;
      let first: Summary;
      beforeAll(async () => {
        deps = await fresh();
        first = await run(deps, fixture('roster-zh.csv'));
      });

      it('creates the people, their mandates, the congresses, groups and station', async () => {
        expect(first).toMatchObject({ created: 4, updated: 0, rejected: [], missing: [] });
        expect(await count(deps, 'people')).toBe(3);
        const congresses = await deps.db
          .selectFrom('congresses')
          .select(['name', 'level'])
          .orderBy('name')
          .execute();
        expect(congresses).toEqual([
          { name: DATONG, level: 'city' },
          { name: SHANXI, level: 'province' },
        ]);
        const groups = await deps.db
          .selectFrom('groups as g')
          .innerJoin('congresses as c', 'c.id', 'g.congress_id')
          .select(['g.name', 'g.kind', 'c.name as congress'])
          .orderBy('g.name')
          .execute();
        expect(groups).toEqual(
          expect.arrayContaining([
            { name: '第一代表大组', kind: 'large', congress: DATONG },
            { name: '第三小组', kind: 'small', congress: DATONG },
            { name: '大同代表团', kind: 'large', congress: SHANXI },
          ]),
        );
        expect(groups).toHaveLength(6);
        expect(await count(deps, 'stations')).toBe(1);
      });

      it('keeps quoted commas and quotes, cleans full-width spaces and normalizes mobiles', async () => {
        const rows = await deps.db
          .selectFrom('mandates as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .select(['p.name', 'p.mobile', 'm.electoral_unit', 'm.role', 'm.status'])
          .orderBy('m.id')
          .execute();
        expect(rows[1]).toEqual({
          name: '李四',
          mobile: '13800000002',
          electoral_unit: '云冈区,口泉乡',
          role: 'deputy',
          status: 'active',
        });
        expect(rows[2]).toMatchObject({ name: '王五', electoral_unit: '新荣区"一"选区', role: 'staff' });
      });

      it('gives one person a city and a provincial mandate, matching the WeCom id in any case', async () => {
        const zhang = await deps.db
          .selectFrom('mandates as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .innerJoin('congresses as c', 'c.id', 'm.congress_id')
          .select(['p.id', 'c.name'])
          .where('p.name', '=', '张三')
          .orderBy('c.name')
          .execute();
        expect(zhang.map((z) => z.name)).toEqual([DATONG, SHANXI]);
        expect(zhang[0]!.id).toBe(zhang[1]!.id);
        const ids = await deps.db
          .selectFrom('person_identities')
          .select(['channel', 'external_id', 'external_id_norm'])
          .where('person_id', '=', zhang[0]!.id)
          .orderBy('channel')
          .execute();
        expect(ids).toEqual([
          { channel: 'dingtalk', external_id: 'ding001', external_id_norm: 'ding001' },
          { channel: 'wecom', external_id: 'ZhangSan', external_id_norm: 'zhangsan' },
        ]);
      });

      it('changes nothing when the same file comes again', async () => {
        const before = {
          people: await count(deps, 'people'),
          mandates: await count(deps, 'mandates'),
          groups: await count(deps, 'groups'),
        };
        const again = await run(deps, fixture('roster-zh.csv'));
        expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: [], missing: [] });
        expect({
          people: await count(deps, 'people'),
          mandates: await count(deps, 'mandates'),
          groups: await count(deps, 'groups'),
        }).toEqual(before);
        const lineAudits = await deps.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', 'in', ['mandate.update', 'person.update', 'mandate.status'])
          .executeTakeFirstOrThrow();
        expect(Number(lineAudits.n)).toBe(0);
      });

      it('lists people missing from a new file of their congress and keeps them', async () => {
        const text = `${HEADER}\n${DATONG},市,张三,平城区,第一代表大组,第一小组,平城区代表联络站,ZhangSan,ding001,13800000001,代表,正常\n`;
        const s = await run(deps, text);
        expect(s.created + s.updated).toBe(0);
        expect(s.missing.map((m) => [m.name, m.congress]).sort()).toEqual([
          ['李四', DATONG],
          ['王五', DATONG],
        ]);
        const missingIds = s.missing.map((m) => m.id);
        const still = await deps.db
          .selectFrom('mandates')
          .select('id')
          .where('id', 'in', missingIds)
          .execute();
        expect(still).toHaveLength(2);
      });

      it('records a status change from the file as an S16 change with its history row and message', async () => {
        const text = `${HEADER}\n${DATONG},市,李四,"云冈区,口泉乡",第一代表大组,第二小组,,lisi,,13800000002,代表,暂停\n`;
        const s = await run(deps, text);
        expect(s).toMatchObject({ created: 0, updated: 1, rejected: [] });
        const m = await deps.db
          .selectFrom('mandates as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .select(['m.id', 'm.status'])
          .where('p.name', '=', '李四')
          .executeTakeFirstOrThrow();
        expect(m.status).toBe('suspended');
        const history = await deps.db
          .selectFrom('mandate_status_changes')
          .selectAll()
          .where('mandate_id', '=', m.id)
          .execute();
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({ from_status: 'active', to_status: 'suspended' });
        const out = await deps.db
          .selectFrom('outbox')
          .select(['target_address', 'payload'])
          .where('target_address', '=', 'lisi')
          .execute();
        expect(out).toHaveLength(1);
        const message = (out[0]!.payload as { text: string }).text;
        expect(message).toContain('「暂停」');
        expect(message).toContain('原因：工作人员导入代表名册时更新');
      });

      it('refuses to bring a terminated mandate back through the file, changing nothing', async () => {
        await run(deps, `${HEADER}\n${DATONG},市,李四,,,,,lisi,,,代表,终止\n`);
        const outboxBefore = await deps.db.selectFrom('outbox').select('id').execute();
        const s = await run(deps, `${HEADER}\n${DATONG},市,李四,,,,,lisi,,,代表,正常\n`);
        expect(s.rejected).toEqual([{ line: 2, reason: expect.stringContaining('代表资格已终止') }]);
        const m = await deps.db
          .selectFrom('mandates as m')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .select('m.status')
          .where('p.name', '=', '李四')
          .executeTakeFirstOrThrow();
        expect(m.status).toBe('terminated');
        expect(await deps.db.selectFrom('outbox').select('id').execute()).toHaveLength(outboxBefore.length);
      });
    });

    it('reads English headers and a BOM', async () => {
      const deps = await fresh();
      const s = await run(deps, fixture('roster-en-bom.csv'));
      expect(s).toMatchObject({ created: 2, updated: 0, rejected: [] });
      const rows = await deps.db
        .selectFrom('mandates as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('congresses as c', 'c.id', 'm.congress_id')
        .select(['p.name', 'c.name as congress', 'c.level', 'm.electoral_unit', 'm.role', 'm.status'])
        .orderBy('m.id')
        .execute();
      expect(rows).toEqual([
        {
          name: 'Zhao Liu',
          congress: "Yungang District 17th People's Congress",
          level: 'county',
          electoral_unit: 'Kouquan, Ward 3',
          role: 'deputy',
          status: 'active',
        },
        {
          name: 'Qian Qi',
          congress: "Yungang District 17th People's Congress",
          level: 'county',
          electoral_unit: 'Ward 4',
          role: 'approver',
          status: 'suspended',
        },
      ]);
    });

    it('rejects each bad line with a reason naming the field, writing nothing for it', async () => {
      const deps = await fresh();
      await run(deps, fixture('roster-zh.csv'));
      const before = { people: await count(deps, 'people'), congresses: await count(deps, 'congresses') };
      const s = await run(deps, fixture('roster-bad.csv'));
      expect(s.created).toBe(1);
      const reasons = Object.fromEntries(s.rejected.map((r) => [r.line, r.reason]));
      expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(reasons[2]).toMatch(/层级「国」无效/);
      expect(reasons[3]).toMatch(/角色「主任」无效/);
      expect(reasons[4]).toMatch(/状态「休假」无效/);
      expect(reasons[5]).toMatch(/缺少姓名/);
      expect(reasons[6]).toMatch(/企业微信账号、钉钉账号、手机都没有填写/);
      expect(reasons[7]).toMatch(/人大「某县第一届人民代表大会」尚未登记.*层级/);
      expect(await count(deps, 'people')).toBe(before.people + 1);
      expect(await count(deps, 'congresses')).toBe(before.congresses);
      const names = (await deps.db.selectFrom('people').select('name').execute()).map((p) => p.name);
      expect(names).toContain('陈十三');
      for (const n of ['孙八', '周九', '吴十', '郑十一', '冯十二']) expect(names).not.toContain(n);
    });

    it('rejects a line whose ids belong to two different people, changing neither', async () => {
      const deps = await fresh();
      await run(deps, fixture('roster-zh.csv'));
      const s = await run(deps, `${HEADER}\n${DATONG},市,张三,,,,,zhangsan,,13800000002,代表,正常\n`);
      expect(s.rejected).toHaveLength(1);
      expect(s.rejected[0]!.reason).toMatch(
        /企业微信账号「zhangsan」属于「张三」.*手机「13800000002」属于「李四」/,
      );
      const li = await deps.db
        .selectFrom('people')
        .select(['name', 'mobile'])
        .where('mobile', '=', '13800000002')
        .execute();
      expect(li).toEqual([{ name: '李四', mobile: '13800000002' }]);
    });

    it('needs the congress column when several congresses exist, and uses the only one otherwise', async () => {
      const deps = await fresh();
      await run(deps, `${HEADER}\n${DATONG},市,张三,,,,,zs,,,代表,\n`);
      const one = await run(deps, '姓名,企业微信账号\n李四,ls\n');
      expect(one).toMatchObject({ created: 1, rejected: [] });
      await run(deps, `${HEADER}\n${SHANXI},省,王五,,,,,ww,,,代表,\n`);
      const several = await run(deps, '姓名,企业微信账号\n赵六,zl\n');
      expect(several.rejected).toEqual([{ line: 2, reason: expect.stringContaining('有 2 个人大') }]);
      expect(await count(deps, 'people')).toBe(3);
    });

    it('refuses the same person twice for one congress in one file', async () => {
      const deps = await fresh();
      const s = await run(
        deps,
        `${HEADER}\n${DATONG},市,张三,,,,,zs,,,代表,\n${DATONG},市,张三,,,,,,,,代表,\n${DATONG},市,张三,,,,,ZS,,,审批人,\n`,
      );
      expect(s.created).toBe(1);
      expect(s.rejected).toEqual([
        { line: 3, reason: expect.stringContaining('都没有填写') },
        { line: 4, reason: expect.stringContaining('与第 2 行') },
      ]);
    });

    it('leaves out only the line the database refuses, however the batch falls', async () => {
      const deps = await fresh();
      // A real refusal from the database, on one line's mandate, after its person was written.
      await sql`create function refuse_line() returns trigger language plpgsql as $$
        begin
          if new.electoral_unit = '拒绝此行' then raise exception 'refused'; end if;
          return new;
        end $$`.execute(deps.db);
      await sql`create trigger refuse_line before insert on mandates for each row execute function refuse_line()`.execute(
        deps.db,
      );
      const s = await run(
        deps,
        `${HEADER}\n${DATONG},市,甲,一区,,,,jia,,,代表,\n${DATONG},市,乙,拒绝此行,新大组,,,yi,,,代表,\n${DATONG},市,丙,三区,,,,bing,,,代表,\n`,
      );
      expect(s).toMatchObject({ created: 2, updated: 0 });
      expect(s.rejected).toEqual([{ line: 3, reason: expect.stringContaining('此行未导入') }]);
      const names = (await deps.db.selectFrom('people').select('name').orderBy('name').execute()).map(
        (p) => p.name,
      );
      expect(names.sort()).toEqual(['丙', '甲'].sort());
      expect(await count(deps, 'groups')).toBe(0);
      const audited = await deps.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'person.create')
        .execute();
      expect(audited).toHaveLength(2);
    });

    it('imports 10,000 lines through the API, and the same file again changes nothing', async () => {
      const deps = await fresh();
      const server: RunningServer = await startServer(deps);
      try {
        const lines = [HEADER];
        for (let i = 0; i < 10_000; i++) {
          const n = String(i).padStart(5, '0');
          lines.push(
            `${DATONG},市,代表${n},选区${i % 50},第${i % 10}代表大组,第${i % 100}小组,联络站${i % 30},user${n},,139${String(i).padStart(8, '0')},代表,正常`,
          );
        }
        const text = lines.join('\n');
        const post = async () => {
          const res = await fetch(`${server.url}/api/roster`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
            body: text,
          });
          expect(res.status).toBe(200);
          return (await res.json()) as Summary;
        };
        const first = await post();
        expect(first).toMatchObject({ created: 10_000, updated: 0, rejected: [], missing: [] });
        expect(await count(deps, 'mandates')).toBe(10_000);
        expect(await count(deps, 'groups')).toBe(110);
        const second = await post();
        expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 10_000, rejected: [] });
        expect(await count(deps, 'people')).toBe(10_000);
      } finally {
        await server.close();
      }
    }, 180_000);

    it('answers POST /api/roster only with a token, and a bad file with 400', async () => {
      const deps = await fresh();
      const server = await startServer(deps);
      try {
        const noToken = await fetch(`${server.url}/api/roster`, {
          method: 'POST',
          body: fixture('roster-zh.csv'),
        });
        expect(noToken.status).toBe(401);
        const bad = await fetch(`${server.url}/api/roster`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          body: '层级\n市\n',
        });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/姓名/);
        expect(await count(deps, 'congresses')).toBe(0);
      } finally {
        await server.close();
      }
    });
  });
}

describe('npm run cli -- roster import', () => {
  it('imports a file into the embedded database and prints the summary in Chinese', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
    try {
      const root = join(import.meta.dirname, '../..');
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['src/cli.ts', 'roster', 'import', 'test/fixtures/roster-zh.csv'],
          {
            cwd: root,
            env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
          },
        );
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString('utf8');
        });
        child.on('exit', (c) => resolve({ code: c, stdout: out }));
      });
      expect(stdout).toContain('导入完成：新增 4 条，更新 0 条，未变 0 条，拒绝 0 条，名册中缺少 0 人');
      expect(code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
