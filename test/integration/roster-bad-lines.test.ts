import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRosterFile } from '../../src/services/roster/csv.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Bad roster lines (docs/roster.md): each is rejected with its line number and a reason staff can act
// on, and changes nothing; the other lines go in. And what a token bound to one congress may learn
// from a rejection: nothing about people who hold no seat in its congress.

const DATONG = '大同市第十六届人民代表大会';
const SHANXI = '山西省第十四届人民代表大会';
const HEADER = '人大,层级,姓名,选举单位,代表大组,代表小组,联络站,企业微信账号,钉钉账号,手机,角色,状态';
const BASE =
  `${HEADER}\n` +
  `${DATONG},市,张三,平城区,第一代表大组,第一小组,平城站,zhangsan,,13800000001,代表,正常\n` +
  `${DATONG},市,李四,云冈区,,,,lisi,,13800000002,代表,正常\n` +
  `${SHANXI},省,王五,大同市,,,,wangwu,,13800000003,代表,正常\n`;

interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; reason: string }[];
  renamed: unknown[];
  ignoredColumns: string[];
  preview?: boolean;
}

/** A workbook of the given rows (the first is the header), as bytes; `dateCell` [row, column] as a date. */
async function workbook(rows: ExcelJS.CellValue[][], dateCell?: [number, number]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  for (const r of rows) ws.addRow(r);
  if (dateCell) ws.getRow(dateCell[0]).getCell(dateCell[1]).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`bad roster lines on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let datongToken: string;
    let shanxiToken: string;
    const api = createApi<AnyJson>(() => server.url);

    const postFile = async (body: Uint8Array | string, token = TEST_ADMIN_TOKEN, query = '') => {
      const res = await fetch(`${server.url}/api/roster${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Summary;
    };

    /** Everything a roster line can change, to compare before and after. */
    const snapshot = async () => ({
      people: await deps.db.selectFrom('people').select(['id', 'name', 'mobile']).orderBy('id').execute(),
      identities: await deps.db
        .selectFrom('person_identities')
        .select(['person_id', 'channel', 'external_id'])
        .orderBy('person_id')
        .orderBy('channel')
        .execute(),
      mandates: await deps.db
        .selectFrom('mandates')
        .select([
          'id',
          'person_id',
          'congress_id',
          'electoral_unit',
          'large_group_id',
          'small_group_id',
          'station_id',
          'role',
          'status',
        ])
        .orderBy('id')
        .execute(),
      congresses: await deps.db.selectFrom('congresses').select(['id', 'name']).orderBy('id').execute(),
      groups: await deps.db.selectFrom('groups').select(['id', 'name', 'kind']).orderBy('id').execute(),
      stations: await deps.db.selectFrom('stations').select(['id', 'name']).orderBy('id').execute(),
      lineAudits: (
        await deps.db.selectFrom('audit_log').select('id').where('action', '!=', 'roster.import').execute()
      ).length,
    });

    const personByMobile = (mobile: string) =>
      deps.db.selectFrom('people').select(['id', 'name', 'mobile']).where('mobile', '=', mobile).execute();

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      server = await startServer(deps);
      expect(await postFile(BASE)).toMatchObject({ created: 3, rejected: [] });
      const t1 = await api('POST', '/tokens', { name: '大同秘书', role: 'staff', congress: DATONG });
      const t2 = await api('POST', '/tokens', { name: '省人大秘书', role: 'staff', congress: SHANXI });
      expect([t1.status, t2.status]).toEqual([201, 201]);
      datongToken = t1.json.token;
      shanxiToken = t2.json.token;
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    describe('a NUL in a cell', () => {
      it('rejects the CSV line naming the column, instead of storing the name without it', async () => {
        const before = await snapshot();
        const s = await postFile(
          `${HEADER}\n${DATONG},市,空\0字,,,,,kongzi,,13800000011,代表,正常\n` +
            // A known deputy whose small group cell holds a NUL: the group is not touched.
            `${DATONG},市,张三,平城区,第一代表大组,第二\0小组,平城站,zhangsan,,13800000001,代表,正常\n`,
        );
        expect(s).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(s.rejected).toEqual([
          {
            line: 2,
            reason: '姓名「空字」中含有无法保存的字符（如空字符 U+0000），请在文件中删去后重新导入',
          },
          {
            line: 3,
            reason: '代表小组「第二小组」中含有无法保存的字符（如空字符 U+0000），请在文件中删去后重新导入',
          },
        ]);
        expect(await snapshot()).toEqual(before);
      });

      it('rejects the workbook row, while the other rows go in', async () => {
        const before = await snapshot();
        // exceljs reads Excel's escape _x0000_ as the NUL it stands for, as a real workbook holds it.
        const s = await postFile(
          await workbook([
            ['姓名', '企业微信账号', '手机', '人大'],
            ['nul_x0000_人', 'nulren', '13800000021', DATONG],
            ['赵六', 'zhaoliu', '13800000022', DATONG],
          ]),
        );
        expect(s).toMatchObject({ created: 1 });
        expect(s.rejected).toEqual([
          {
            line: 2,
            reason: '姓名「nul人」中含有无法保存的字符（如空字符 U+0000），请在文件中删去后重新导入',
          },
        ]);
        expect(await personByMobile('13800000021')).toEqual([]);
        expect(await personByMobile('13800000022')).toMatchObject([{ name: '赵六' }]);
        const after = await snapshot();
        expect(after.people).toHaveLength(before.people.length + 1);
        expect(after.people.map((p) => p.name)).not.toContain('nul人');
      });
    });

    describe('a workbook cell that holds no text', () => {
      it('rejects a mobile that is an invalid date, an error value or a formula error, naming it', async () => {
        const before = await snapshot();
        const s = await postFile(
          await workbook(
            [
              ['人大', '姓名', '企业微信账号', '手机'],
              [DATONG, '钱七', 'qianqi', 1e12],
              [DATONG, '孙八', 'sunba', { error: '#DIV/0!' }],
              [DATONG, '周九', 'zhoujiu', { formula: '1/0', result: { error: '#DIV/0!' } }],
              [DATONG, '吴十', 'wushi', { formula: 'VLOOKUP(B5,号码!A:B,2,0)', result: { error: '#N/A' } }],
            ],
            // A number no date can be, formatted as a date: Excel shows ####.
            [2, 4],
          ),
        );
        expect(s).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(s.rejected).toEqual([
          { line: 2, reason: '手机列的单元格是无效的日期（Excel 中显示为 ####），请改正后重新导入' },
          { line: 3, reason: '手机列的单元格是错误值「#DIV/0!」，请改正后重新导入' },
          { line: 4, reason: '手机列的单元格是公式「=1/0」，结果是错误值「#DIV/0!」，请改正后重新导入' },
          {
            line: 5,
            reason:
              '手机列的单元格是公式「=VLOOKUP(B5,号码!A:B,2,0)」，结果是错误值「#N/A」，请改正后重新导入',
          },
        ]);
        expect(await snapshot()).toEqual(before);
      });

      it('does not take an error value in a group column for "no group"', async () => {
        const before = await snapshot();
        const s = await postFile(
          await workbook([
            ['人大', '姓名', '企业微信账号', '代表小组'],
            [DATONG, '张三', 'zhangsan', { error: '#N/A' }],
          ]),
        );
        expect(s.rejected).toEqual([
          { line: 2, reason: '代表小组列的单元格是错误值「#N/A」，请改正后重新导入' },
        ]);
        expect(await snapshot()).toEqual(before);
      });
    });

    describe('text longer than its column takes', () => {
      it('rejects a 5,000-character electoral unit, group or station, creating no group or station', async () => {
        const before = await snapshot();
        const long = '长'.repeat(5000);
        const s = await postFile(
          `${HEADER}\n` +
            `${DATONG},市,郑一,${long},,,,zhengyi,,13800000031,代表,\n` +
            `${DATONG},市,郑二,,${long},,,zhenger,,13800000032,代表,\n` +
            `${DATONG},市,郑三,,,${long},,zhengsan,,13800000033,代表,\n` +
            `${DATONG},市,郑四,,,,${long},zhengsi,,13800000034,代表,\n`,
        );
        const tail = `「${'长'.repeat(20)}…」过长（5000 字，不超过 100 字）`;
        expect(s).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(s.rejected).toEqual([
          { line: 2, reason: `选举单位${tail}` },
          { line: 3, reason: `代表大组${tail}` },
          { line: 4, reason: `代表小组${tail}` },
          { line: 5, reason: `联络站${tail}` },
        ]);
        expect(await snapshot()).toEqual(before);
      });

      it('takes 100 characters, the limit', async () => {
        const name100 = '组'.repeat(100);
        const s = await postFile(`${HEADER}\n${DATONG},市,郑五,,,${name100},,zhengwu,,13800000035,代表,\n`);
        expect(s).toMatchObject({ created: 1, rejected: [] });
        const g = await deps.db.selectFrom('groups').select('kind').where('name', '=', name100).execute();
        expect(g).toEqual([{ kind: 'small' }]);
      });
    });

    describe('the mobile column', () => {
      it('rejects what is not an 11-digit mobile starting with 1, landlines included, saying why', async () => {
        const before = await snapshot();
        const s = await postFile(
          `${HEADER}\n` +
            `${DATONG},市,冯一,,,,,fengyi,,1390000005,代表,\n` +
            `${DATONG},市,冯二,,,,,fenger,,1390352,代表,\n` +
            `${DATONG},市,冯三,,,,,fengsan,,0352-1234567,代表,\n` +
            `${DATONG},市,冯四,,,,,fengsi,,23900000051,代表,\n` +
            `${DATONG},市,冯五,,,,,fengwu,,请联系办公室,代表,\n`,
        );
        const form = '应为以 1 开头的 11 位手机号码（可带 +86，可用空格或短横线分隔）';
        expect(s).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(s.rejected).toEqual([
          { line: 2, reason: `手机「1390000005」不是有效的手机号码（10 位数字），${form}` },
          { line: 3, reason: `手机「1390352」不是有效的手机号码（7 位数字），${form}` },
          { line: 4, reason: `手机「0352-1234567」像是固定电话号码；手机列只填手机号码，${form}` },
          { line: 5, reason: `手机「23900000051」不是有效的手机号码（11 位数字），${form}` },
          { line: 6, reason: `手机「请联系办公室」不是号码，${form}` },
        ]);
        expect(await snapshot()).toEqual(before);
      });

      it('takes the forms people write, stored as the 11 digits', async () => {
        const s = await postFile(
          `${HEADER}\n` +
            `${DATONG},市,卫一,,,,,weiyi,,+86 139-0000-0051,代表,\n` +
            `${DATONG},市,卫二,,,,,weier,,86 13900000052,代表,\n` +
            `${DATONG},市,卫三,,,,,weisan,,１３９ ００００ ００５３,代表,\n` +
            `${DATONG},市,卫四,,,,,weisi,,0086-139-0000-0054,代表,\n`,
        );
        expect(s).toMatchObject({ created: 4, rejected: [] });
        for (const [name, mobile] of [
          ['卫一', '13900000051'],
          ['卫二', '13900000052'],
          ['卫三', '13900000053'],
          ['卫四', '13900000054'],
        ])
          expect(await personByMobile(mobile!)).toMatchObject([{ name }]);
      });
    });

    describe('the electoral unit column', () => {
      it('is read under the header 选区 too', async () => {
        const s = await postFile(`人大,姓名,企业微信账号,选区\n${DATONG},褚一,chuyi,新荣区第三选区\n`);
        expect(s).toMatchObject({ created: 1, rejected: [], ignoredColumns: [] });
        const m = await deps.db
          .selectFrom('mandates as m')
          .innerJoin('person_identities as i', 'i.person_id', 'm.person_id')
          .select('m.electoral_unit')
          .where('i.external_id', '=', 'chuyi')
          .executeTakeFirstOrThrow();
        expect(m.electoral_unit).toBe('新荣区第三选区');
      });

      it('is named in the console help by a header the importer knows, as are all the others', async () => {
        const login = await fetch(`${server.url}/console/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }).toString(),
        });
        expect(login.status).toBe(303);
        const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
        const page = await (await fetch(`${server.url}/console/roster`, { headers: { cookie } })).text();
        const listed = /第一行是列名，可用：([^（。]+)/.exec(page)?.[1];
        expect(listed).toBeDefined();
        const headers = listed!.split('、');
        expect(headers).toContain('选举单位');
        expect(headers).toHaveLength(12);
        // Every header the help names is a column the importer reads: none is ignored.
        const file = parseRosterFile(`${headers.join(',')}\n`);
        expect(file.ignoredColumns).toEqual([]);
        expect(file.columns).toHaveLength(12);
      });
    });

    describe('a mobile repeated within one file', () => {
      it('gets the duplicate message from a congress-bound token as from the admin', async () => {
        const file = `${HEADER}\n${DATONG},市,甲,,,,,,,13800000041,代表,\n${DATONG},市,乙,,,,,,,13800000041,代表,\n`;
        const duplicate = [{ line: 3, reason: '与第 2 行是同一人、同一人大，重复' }];
        const bound = await postFile(file, datongToken, '?preview=true');
        expect(bound).toMatchObject({ created: 1, preview: true, rejected: duplicate });
        const applied = await postFile(file, datongToken);
        expect(applied).toMatchObject({ created: 1, rejected: duplicate });
        expect(await personByMobile('13800000041')).toMatchObject([{ name: '甲' }]);
        const admin = await postFile(file);
        expect(admin).toMatchObject({ created: 0, unchanged: 1, rejected: duplicate });
        expect(await personByMobile('13800000041')).toMatchObject([{ name: '甲' }]);
      });
    });

    describe("another congress's people", () => {
      it('are not named to a token bound to a congress they hold no seat in, preview or not', async () => {
        const before = await snapshot();
        // 李四 serves only in 大同; the token is the province's.
        const file = `${HEADER}\n${SHANXI},省,王二,,,,,lisi,,,代表,\n`;
        const taken = '企业微信账号「lisi」已被其他人大的人员使用，请与管理员联系';
        for (const query of ['?preview=true', '']) {
          const s = await postFile(file, shanxiToken, query);
          expect(s).toMatchObject({ created: 0, updated: 0, rejected: [{ line: 2, reason: taken }] });
          expect(JSON.stringify(s)).not.toContain('李四');
        }
        // The same for a mobile, and where the line's ids belong to two people: only the one with a
        // seat in the province is named.
        const two = await postFile(
          `${HEADER}\n${SHANXI},省,王五,,,,,wangwu,,13800000002,代表,\n`,
          shanxiToken,
          '?preview=true',
        );
        expect(two.rejected).toEqual([
          {
            line: 2,
            reason:
              '账号分属不同的人：企业微信账号「wangwu」属于「王五」；手机「13800000002」已被其他人大的人员使用；请与管理员联系',
          },
        ]);
        expect(await snapshot()).toEqual(before);
      });

      it('are named to the admin, who may see them', async () => {
        const s = await postFile(
          `${HEADER}\n${SHANXI},省,王二,,,,,lisi,,,代表,\n`,
          TEST_ADMIN_TOKEN,
          '?preview=true',
        );
        expect(s.rejected).toEqual([]);
        expect(s.renamed).toEqual([expect.objectContaining({ from: '李四', to: '王二' })]);
        const two = await postFile(
          `${HEADER}\n${SHANXI},省,王五,,,,,wangwu,,13800000002,代表,\n`,
          TEST_ADMIN_TOKEN,
          '?preview=true',
        );
        expect(two.rejected[0]!.reason).toContain('手机「13800000002」属于「李四」');
      });

      it("are still named where the person holds a seat in the token's congress", async () => {
        const s = await postFile(
          `${HEADER}\n${SHANXI},省,王六,,,,,wangwu,,,代表,\n`,
          shanxiToken,
          '?preview=true',
        );
        expect(s.rejected).toEqual([
          {
            line: 2,
            reason:
              '企业微信账号「wangwu」属于「王五」，与本行姓名「王六」不符；改名须由管理员或不限定人大的令牌导入',
          },
        ]);
      });
    });
  });
}
