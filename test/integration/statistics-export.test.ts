import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { rateSuggestion } from '../../src/services/suggestions/index.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The office's numbers over a generated set of items, against counts this test keeps on its own: the period
// edges (交办 on the last day of the period and the day after, an item due today, an answer on its due date,
// an answer after an approved extension, a late answer, a returned item), the items behind every figure, and
// the same rows downloaded as .xlsx with no formula cell.

const at = (shanghai: string) => new Date(`${shanghai}T10:00:00+08:00`);

const X = '市交通局';
const Y = '市公安局';
const Z = '市住建局';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`statistics and Excel on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    const clock = new FixedClock(at('2026-02-27'));
    const api = createApi<AnyJson>(() => server.url);
    let deputyPerson = 0;
    const codes: Record<string, string> = {};

    const submit = async (key: string, content: string) => {
      const r = await api('POST', '/suggestions', { deputy: '张三', content });
      expect(r.status, r.text).toBe(201);
      codes[key] = r.json.code;
    };
    const post = async (path: string, body: unknown) => {
      const r = await api('POST', path, body);
      expect(r.status, r.text).toBeLessThan(300);
      return r.json;
    };
    const dueOf = async (key: string, organ: string) => {
      const row = await deps.db
        .selectFrom('suggestion_assignments as a')
        .innerJoin('suggestions as s', 's.id', 'a.suggestion_id')
        .innerJoin('organs as o', 'o.id', 'a.organ_id')
        .innerJoin('deadlines as d', 'd.id', 'a.deadline_id')
        .select('d.due_on')
        .where('s.code', '=', codes[key]!)
        .where('o.name', '=', organ)
        .where('a.status', '=', 'open')
        .executeTakeFirstOrThrow();
      return row.due_on;
    };
    const rate = (key: string, rating: 'satisfied' | 'dissatisfied') =>
      rateSuggestion(deps, {
        personId: deputyPerson,
        actor: { id: 'deputy', name: '张三' },
        rating,
        code: codes[key]!,
        ...(rating === 'dissatisfied' ? { comment: '路灯仍然不亮' } : {}),
      });
    let today = '';

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db);
      deputyPerson = (await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId })).personId;
      for (const organ of [X, Y, Z]) {
        await upsertOrgan(
          deps.db,
          organ,
          { contactName: '联系人', contactMobile: '13800000000', contactWecom: null, contactDingtalk: null },
          clock.now(),
        );
      }
      // Before the period: not counted.
      await submit('before', '=HYPERLINK("http://evil.example/","点我")');
      await post(`/suggestions/${codes.before}/assignments`, { lead: X });

      clock.set(at('2026-03-02'));
      await submit('one', '新建北路路灯坏了');
      await submit('two', '公交站台没有遮雨棚');
      await submit('three', '小区门口积水');
      await submit('returned', '菜市场占道经营');
      await post(`/suggestions/${codes.one}/assignments`, { lead: X, assisting: [Y] });
      await post(`/suggestions/${codes.two}/assignments`, { lead: X });
      await post(`/suggestions/${codes.three}/assignments`, { lead: Z });
      await post(`/suggestions/${codes.returned}/assignments`, { lead: Y });
      clock.set(at('2026-03-03'));
      await post(`/suggestions/${codes.returned}/returns`, { organ: Y, reason: '不属于本单位职责' });
      await post(`/suggestions/${codes.returned}/assignments`, { lead: Z });

      // The last day of the period, and the day after it.
      clock.set(at('2026-03-09'));
      await submit('edge', '学校门口缺少斑马线');
      await post(`/suggestions/${codes.edge}/assignments`, { lead: Z });
      clock.set(at('2026-03-10'));
      await submit('after', '河道垃圾没人清理');
      await post(`/suggestions/${codes.after}/assignments`, { lead: X });

      // An extension for two: answered after its first due date, before the extended one.
      clock.set(at('2026-03-20'));
      await post(`/suggestions/${codes.two}/extensions`, { date: '2026-07-15', reason: '需要协调资金' });

      // The assisting organ answers early; the lead on its due date exactly.
      clock.set(at('2026-05-29'));
      await post(`/suggestions/${codes.one}/answers`, { organ: Y, done: '已配合排查线路' });
      clock.set(at(await dueOf('one', X)));
      await post(`/suggestions/${codes.one}/answers`, { organ: X, done: '已修复路灯' });
      const firstDueOfTwo = await dueOf('two', X);
      expect(firstDueOfTwo).toBe('2026-07-15');
      // Late: the returned item's new organ answers a day after its due date.
      const dueReturned = await dueOf('returned', Z);
      clock.set(at(dueReturned));
      clock.advance(86_400_000);
      await post(`/suggestions/${codes.returned}/answers`, { organ: Z, done: '已清理' });
      // After the original three months of two, within its extension.
      clock.set(at('2026-06-10'));
      await post(`/suggestions/${codes.two}/answers`, { organ: X, done: '已列入计划' });
      await rate('one', 'satisfied');
      await rate('two', 'dissatisfied');

      // Today is the edge item's due date: due today is not overdue; three's date has passed.
      today = await dueOf('edge', Z);
      clock.set(at(today));
      expect((await dueOf('three', Z)) < today).toBe(true);
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    const PERIOD = 'from=2026-03-01&to=2026-03-09';
    const zero = {
      assigned: 0,
      answered: 0,
      answeredOnTime: 0,
      closed: 0,
      rated: 0,
      satisfied: 0,
      basicallySatisfied: 0,
      dissatisfied: 0,
      rehandled: 0,
      overdueNow: 0,
    };
    // Kept by hand from the story above.
    const byOrgan: Record<string, typeof zero> = {
      // one (lead, on its due date, satisfied), two (lead, after the extension, dissatisfied → 重办)
      [X]: {
        ...zero,
        assigned: 2,
        answered: 2,
        answeredOnTime: 2,
        closed: 1,
        rated: 2,
        satisfied: 1,
        dissatisfied: 1,
        rehandled: 1,
      },
      // one (assisting, early); the returned item is not counted for Y
      [Y]: { ...zero, assigned: 1, answered: 1, answeredOnTime: 1, closed: 1, rated: 1, satisfied: 1 },
      // three (overdue now), returned (answered late), edge (due today)
      [Z]: { ...zero, assigned: 3, answered: 1, overdueNow: 1 },
    };
    const byCategory = {
      ...zero,
      assigned: 5,
      answered: 3,
      answeredOnTime: 2,
      closed: 1,
      rated: 2,
      satisfied: 1,
      dissatisfied: 1,
      rehandled: 1,
      overdueNow: 1,
    };
    const counts = (g: AnyJson) => Object.fromEntries(Object.keys(zero).map((k) => [k, g[k]]));

    it('counts by organ what the story says, with each rate from its definition', async () => {
      const r = await api('GET', `/statistics/suggestions?by=organ&${PERIOD}`);
      expect(r.status, r.text).toBe(200);
      expect(r.json.today).toBe(today);
      const got = Object.fromEntries(r.json.groups.map((g: AnyJson) => [g.label, counts(g)]));
      expect(got).toEqual(byOrgan);
      const x = r.json.groups.find((g: AnyJson) => g.label === X);
      expect(x.rates).toMatchObject({ onTimeRate: 100, answerRate: 100, closeRate: 50, satisfiedRate: 50 });
      const z = r.json.groups.find((g: AnyJson) => g.label === Z);
      expect(z.rates.onTimeRate).toBe(0);
      expect(z.rates.satisfiedRate).toBeNull();
      expect(r.json.definitions.answeredOnTime).toContain('延期');
    });

    it('counts each item once by category', async () => {
      const r = await api('GET', `/statistics/suggestions?by=category&${PERIOD}`);
      expect(r.json.groups.map((g: AnyJson) => [g.label, counts(g)])).toEqual([['建议', byCategory]]);
      expect(counts(r.json.total)).toEqual(byCategory);
    });

    it('lists behind every figure exactly as many items as it says', async () => {
      const r = await api('GET', `/statistics/suggestions?by=organ&${PERIOD}`);
      for (const g of r.json.groups) {
        for (const measure of Object.keys(zero)) {
          const items = await api(
            'GET',
            `/statistics/suggestions/items?by=organ&key=${g.key}&measure=${measure}&${PERIOD}`,
          );
          expect(items.json.total, `${g.label} ${measure}`).toBe(g[measure]);
          expect(items.json.items).toHaveLength(g[measure]);
        }
      }
      const overdue = await api(
        'GET',
        `/statistics/suggestions/items?by=category&measure=overdueNow&${PERIOD}`,
      );
      expect(overdue.json.items.map((i: AnyJson) => i.code)).toEqual([codes.three]);
      const onTime = await api(
        'GET',
        `/statistics/suggestions/items?by=organ&measure=answeredOnTime&${PERIOD}`,
      );
      expect(onTime.json.items.map((i: AnyJson) => `${i.code} ${i.organ}`).sort()).toEqual(
        [`${codes.one} ${X}`, `${codes.one} ${Y}`, `${codes.two} ${X}`].sort(),
      );
    });

    it('refuses a period that ends before it begins, and an unknown measure', async () => {
      expect((await api('GET', '/statistics/suggestions?from=2026-04-01&to=2026-03-01')).status).toBe(400);
      const bad = await api('GET', '/statistics/suggestions/items?measure=everything');
      expect(bad.status).toBe(400);
    });

    const workbook = async (path: string) => {
      const res = await fetch(`${server.url}/api${path}`, {
        headers: { authorization: `Bearer ${(await import('../helpers/backends.ts')).TEST_ADMIN_TOKEN}` },
      });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      return wb;
    };
    const noFormula = (wb: ExcelJS.Workbook) => {
      wb.eachSheet((ws) =>
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
            expect(cell.formula).toBeUndefined();
          }),
        ),
      );
    };

    it('downloads the statistics as a workbook with Chinese headers, the same rows, and the definitions', async () => {
      const wb = await workbook(`/statistics/suggestions?by=organ&${PERIOD}&format=xlsx`);
      const ws = wb.getWorksheet('建议办理统计')!;
      expect(ws.getRow(1).values).toEqual(
        expect.arrayContaining(['承办单位', '交办件数', '按期答复', '超期未答复', '按期答复率（%）']),
      );
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const rows = [];
      for (let i = 2; i <= ws.rowCount; i++) {
        const v = ws.getRow(i).values as unknown[];
        rows.push([v[1], v[header.indexOf('交办件数') + 1], v[header.indexOf('超期未答复') + 1]]);
      }
      expect(rows).toEqual(
        expect.arrayContaining([
          [X, 2, 0],
          [Y, 1, 0],
          [Z, 3, 1],
          ['合计', 6, 1],
        ]),
      );
      expect(wb.getWorksheet('口径说明')!.rowCount).toBeGreaterThan(10);
      noFormula(wb);
    });

    it('downloads the suggestions list with dates as dates and a malicious title as plain text', async () => {
      const json = await api('GET', '/suggestions');
      const wb = await workbook('/suggestions?format=xlsx');
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      expect(header.filter((h) => !/[\u4e00-\u9fff]/.test(h))).toEqual([]);
      expect(ws.rowCount - 1).toBe(json.json.length ?? json.json.items.length);
      noFormula(wb);
      let evil = 0;
      let dates = 0;
      ws.eachRow((row, n) => {
        if (n === 1) return;
        row.eachCell((cell) => {
          if (typeof cell.value === 'string' && cell.value.startsWith('=HYPERLINK')) {
            evil++;
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            expect(cell.numFmt).toBe('@');
          }
          if (cell.value instanceof Date) dates++;
        });
      });
      expect(evil).toBeGreaterThanOrEqual(1);
      expect(dates).toBeGreaterThan(0);
    });

    it('downloads every list route as a workbook with Chinese headers', async () => {
      const notChinese: string[] = [];
      await api('POST', '/sessions', {
        congress: '大同市第十六届人民代表大会',
        name: '第五次会议',
        startsOn: '2026-03-05',
        endsOn: '2026-03-07',
      });
      for (const path of [
        '/deputies',
        '/leave-requests',
        '/outbox',
        '/reminders',
        '/reception-days?year=2026',
        '/calendar/2026',
        '/organs',
        '/sessions',
        '/congresses',
        `/statistics/suggestions/items?by=organ&${PERIOD}`,
        `/statistics/attendance?${PERIOD}`,
        `/statistics/compliance?${PERIOD}`,
      ]) {
        const wb = await workbook(`${path}${path.includes('?') ? '&' : '?'}format=xlsx`);
        for (const ws of wb.worksheets) {
          const header = ((ws.getRow(1).values as unknown[]) ?? []).slice(1) as string[];
          notChinese.push(...header.filter((h) => !/[\u4e00-\u9fff]/.test(h)).map((h) => `${path}: ${h}`));
        }
        noFormula(wb);
      }
      expect(notChinese).toEqual([]);
      const bad = await api('GET', '/suggestions?format=pdf');
      expect(bad.status).toBe(400);
      expect(bad.json.error.message ?? bad.text).toContain('xlsx');
    });

    it('counts attendance per session: present, and absent without approved leave', async () => {
      const before = await api('GET', `/statistics/attendance?${PERIOD}`);
      expect(before.json.sessions).toEqual([
        expect.objectContaining({ session: '第五次会议', deputy: '张三', standing: '出席' }),
      ]);
      const sessions = await api('GET', '/sessions');
      const id = sessions.json.find((x: AnyJson) => x.name === '第五次会议').id;
      const absent = await api('POST', `/sessions/${id}/absences`, { userids: ['ZhangSan'] });
      expect(absent.status, absent.text).toBe(200);
      const after = await api('GET', `/statistics/attendance?${PERIOD}`);
      expect(after.json.sessions).toEqual([
        expect.objectContaining({ session: '第五次会议', deputy: '张三', standing: '缺席', leaveCode: null }),
      ]);
      expect(after.json.deputies).toEqual([
        { deputy: '张三', invited: 0, attended: 0, leaveRequests: 0, leaveApproved: 0 },
      ]);
    });

    it('tells whether each group met 大同 第六条 (S1) and each station 山西 第三十一条 (S10)', async () => {
      const congressId = await seedCongress(deps.db);
      await deps.db
        .insertInto('groups')
        .values([
          { congress_id: congressId, name: '第一代表小组', kind: 'small' },
          { congress_id: congressId, name: '第二代表小组', kind: 'small' },
        ])
        .execute();
      await deps.db
        .insertInto('stations')
        .values({ congress_id: congressId, name: '新建北路联络站' })
        .execute();
      const activity = async (body: Record<string, unknown>) => {
        const r = await api('POST', '/activities', { organiser: '常委会代表工作室', invitees: [], ...body });
        expect(r.status, r.text).toBe(201);
      };
      await activity({
        kind: 'small_group',
        group: '第一代表小组',
        title: '小组视察',
        startsAt: '2026-03-05T09:00:00+08:00',
        endsAt: '2026-03-05T11:00:00+08:00',
      });
      // Two hours at the station: less than half a working day, it does not count.
      await activity({
        kind: 'station',
        station: '新建北路联络站',
        title: '进站接待群众',
        startsAt: '2026-03-06T09:00:00+08:00',
        endsAt: '2026-03-06T11:00:00+08:00',
      });
      const short = await api('GET', `/statistics/compliance?${PERIOD}`);
      const view = (items: AnyJson[]) =>
        items
          .map((i) => [i.rule, i.unit, i.period, i.held, i.met])
          .sort((a, b) => String(a[1]).localeCompare(b[1]));
      expect(view(short.json.items)).toEqual(
        [
          ['S1', '第一代表小组', '2026年第1季度', 1, true],
          ['S1', '第二代表小组', '2026年第1季度', 0, false],
          ['S10', '新建北路联络站', '2026年3月', 0, false],
        ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      );
      await activity({
        kind: 'station',
        station: '新建北路联络站',
        title: '进站接待群众（全天）',
        startsAt: '2026-03-09T09:00:00+08:00',
        endsAt: '2026-03-09T17:00:00+08:00',
      });
      const full = await api('GET', `/statistics/compliance?${PERIOD}`);
      expect(full.json.items.find((i: AnyJson) => i.rule === 'S10')).toMatchObject({ held: 1, met: true });
    });
  });
}
