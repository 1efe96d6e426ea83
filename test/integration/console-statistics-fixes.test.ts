import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// What staff read of group (大同 第六条, S1) and station (山西 第三十一条, S10) periods inside a quarter and
// after it: a period still running is 进行中 with its count so far, never 未达标, on the page, in the API, in
// both spreadsheets and on the printed yearly report; judged once over. Also: the overview's channel
// warning without its zero counts and with links a thumb can hit, and a refused 延期's last date written
// as every date is (2026-11-20（星期五）), not 「2026-11-20 星期五」.

const CONGRESS = '大同市第十六届人民代表大会';
const ORGAN = '大同市住房和城乡建设局';
const at = (shanghai: string) => new Date(`${shanghai}T10:00:00+08:00`);
const textOf = (page: string) =>
  page
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`statistics periods and console wording on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let staff = '';
    let suggestion = '';
    const clock = new FixedClock(at('2026-05-20')); // a Wednesday in the second quarter
    const api = createApi<AnyJson>(() => server.url);
    const page = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${staff}` } });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    };
    const html = async (path: string) => {
      const r = await page(path);
      expect(r.status, path).toBe(200);
      return r.body.toString('utf8');
    };
    /** The rows of the first sheet of a workbook as header → cell text. */
    const sheetRows = async (path: string) => {
      const r = await page(path);
      expect(r.status, path).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.body as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      const out: Record<string, string>[] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const cells = (row.values as unknown[]).slice(1);
        out.push(
          Object.fromEntries(header.map((h, i) => [h, cells[i] === undefined ? '' : String(cells[i])])),
        );
      });
      return out;
    };
    const find = (rows: AnyJson[], unit: string, period: string) => {
      const r = rows.find((x) => x.unit === unit && x.period === period);
      expect(r, `${unit} ${period}`).toBeDefined();
      return r!;
    };
    const activity = async (body: Record<string, unknown>) => {
      const r = await api('POST', '/activities', { organiser: '常委会代表工作室', invitees: [], ...body });
      expect(r.status, r.text).toBe(201);
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      const congressId = await seedCongress(deps.db, CONGRESS);
      await seedPerson(deps.db, { name: '王平城', wecom: 'WangPC', congressId });
      await deps.db
        .insertInto('groups')
        .values([
          { congress_id: congressId, name: '第一代表小组', kind: 'small' },
          { congress_id: congressId, name: '第二代表小组', kind: 'small' },
          { congress_id: congressId, name: '城区代表大组', kind: 'large' },
        ])
        .execute();
      await deps.db
        .insertInto('stations')
        .values({ congress_id: congressId, name: '新建北路联络站' })
        .execute();
      await upsertOrgan(
        deps.db,
        ORGAN,
        { contactName: '周科长', contactMobile: null, contactWecom: 'Zhou', contactDingtalk: null },
        clock.now(),
      );
      staff = (await api('POST', '/tokens', { name: '马红梅', role: 'staff' })).json.token;
      // Held this quarter, on 20 April; the second group's is arranged for 15 June, not held yet.
      await activity({
        kind: 'small_group',
        group: '第一代表小组',
        title: '小组视察',
        startsAt: '2026-04-20T09:00:00+08:00',
        endsAt: '2026-04-20T11:00:00+08:00',
      });
      await activity({
        kind: 'small_group',
        group: '第二代表小组',
        title: '小组学习',
        startsAt: '2026-06-15T09:00:00+08:00',
        endsAt: '2026-06-15T11:00:00+08:00',
      });
      await activity({
        kind: 'station',
        station: '新建北路联络站',
        title: '进站接待群众（全天）',
        startsAt: '2026-05-11T09:00:00+08:00',
        endsAt: '2026-05-11T17:00:00+08:00',
      });
      const s = await api('POST', '/suggestions', { deputy: 'WangPC', content: '迎宾街人行道破损' });
      expect(s.status, s.text).toBe(201);
      suggestion = s.json.code;
      const a = await api('POST', `/suggestions/${suggestion}/assignments`, { lead: ORGAN });
      expect(a.status, a.text).toBe(200);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('inside the quarter: a running period short of its minimum is in progress, one that has it met, an ended one judged', async () => {
      const r = await api('GET', '/statistics/compliance?from=2026-01-01&to=2026-05-20', undefined, staff);
      expect(r.status, r.text).toBe(200);
      const items = r.json.items as AnyJson[];
      // Its minimum already held: met, though the quarter runs on.
      expect(find(items, '第一代表小组', '2026年第2季度')).toMatchObject({
        status: 'met',
        met: true,
        held: 1,
        minimum: 1,
        periodEnds: '2026-06-30',
        statusLabel: '达标',
      });
      // The activity arranged for June is not held yet: 0 so far, and it is named as arranged.
      expect(find(items, '第二代表小组', '2026年第2季度')).toMatchObject({
        status: 'in_progress',
        met: null,
        held: 0,
        planned: 1,
        statusLabel: '进行中，目前 0/1，另已安排 1 次；2026-06-30（星期二）期满后判定',
      });
      expect(find(items, '第二代表小组', '2026年第2季度').activities[0]).toContain('已安排，尚未开展');
      expect(find(items, '城区代表大组', '2026年上半年')).toMatchObject({ status: 'in_progress', met: null });
      expect(find(items, '新建北路联络站', '2026年5月')).toMatchObject({ status: 'met', held: 1 });
      // Over: the first quarter and April are judged.
      expect(find(items, '第一代表小组', '2026年第1季度')).toMatchObject({
        status: 'unmet',
        met: false,
        statusLabel: '未达标',
      });
      expect(find(items, '新建北路联络站', '2026年4月')).toMatchObject({ status: 'unmet', met: false });
      // No running period is judged unmet; those short of their minimum are in progress.
      const running = items.filter((i) => i.periodEnds >= '2026-05-20');
      expect(running.length).toBe(4);
      expect(running.filter((i) => i.met === false || i.statusLabel.includes('未达标'))).toEqual([]);
      expect(running.filter((i) => i.status === 'in_progress').length).toBe(2);

      // A period asked for that ends inside a quarter still counts the whole quarter (the April activity).
      const cut = await api('GET', '/statistics/compliance?from=2026-04-01&to=2026-04-10', undefined, staff);
      expect(find(cut.json.items, '第一代表小组', '2026年第2季度')).toMatchObject({ held: 1 });
    });

    it('inside the quarter: the page, both spreadsheets and the yearly report say 进行中', async () => {
      const main = textOf(await html('/console/statistics?from=2026-04-01&to=2026-05-20'));
      const compliance = main.slice(main.indexOf('小组活动（大同 第六条）'));
      expect(compliance).not.toContain('进行中，目前 1/1');
      expect(compliance).toContain('进行中，目前 0/1，另已安排 1 次；2026-06-30（星期二）期满后判定');
      // April is over and had no reception; nothing else in the table is judged.
      expect(compliance.match(/未达标/g)?.length).toBe(1);
      expect(main).toContain('超期未答复截至 2026-05-20（星期三）');

      for (const path of [
        '/api/statistics/compliance?from=2026-04-01&to=2026-05-20&format=xlsx',
        '/console/statistics/compliance.xlsx?from=2026-04-01&to=2026-05-20',
      ]) {
        const rows = await sheetRows(path);
        const q2 = rows.find((x) => x.名称 === '第一代表小组' && x.周期 === '2026年第2季度');
        expect(q2?.达标情况, path).toBe('达标');
        const second = rows.find((x) => x.名称 === '第二代表小组' && x.周期 === '2026年第2季度');
        expect(second?.达标情况, path).toBe(
          '进行中，目前 0/1，另已安排 1 次；2026-06-30（星期二）期满后判定',
        );
        expect(rows.filter((x) => x.达标情况 === '未达标').map((x) => `${x.名称} ${x.周期}`)).toEqual([
          '新建北路联络站 2026年4月',
        ]);
      }

      const report = textOf(await html('/console/statistics/report?year=2026'));
      expect(report).toContain('年度进行中，截至 2026-05-20（星期三）');
      expect(report).toContain('2026年尚未结束：以下是截至 2026-05-20（星期三）的情况');
      const lastYear = textOf(await html('/console/statistics/report?year=2025'));
      expect(lastYear).not.toContain('年度进行中');
    });

    it('after the quarter: the same periods are judged, on the page, in the API and in the spreadsheet', async () => {
      clock.set(at('2026-07-01'));
      try {
        const r = await api('GET', '/statistics/compliance?from=2026-04-01&to=2026-06-30', undefined, staff);
        const items = r.json.items as AnyJson[];
        expect(find(items, '第一代表小组', '2026年第2季度')).toMatchObject({
          status: 'met',
          met: true,
          statusLabel: '达标',
        });
        // The June activity has begun since: the quarter was met.
        expect(find(items, '第二代表小组', '2026年第2季度')).toMatchObject({
          status: 'met',
          held: 1,
          planned: 0,
        });
        expect(find(items, '城区代表大组', '2026年上半年')).toMatchObject({
          status: 'unmet',
          met: false,
          statusLabel: '未达标',
        });
        expect(find(items, '新建北路联络站', '2026年6月')).toMatchObject({ status: 'unmet' });
        expect(items.filter((i) => i.status === 'in_progress')).toEqual([]);

        const main = textOf(await html('/console/statistics?from=2026-04-01&to=2026-06-30'));
        expect(main).not.toContain('进行中');
        expect(main).toContain('未达标');
        const rows = await sheetRows('/console/statistics/compliance.xlsx?from=2026-04-01&to=2026-06-30');
        expect(rows.find((x) => x.名称 === '城区代表大组')?.达标情况).toBe('未达标');
        expect(rows.find((x) => x.名称 === '第一代表小组')?.达标情况).toBe('达标');
      } finally {
        clock.set(at('2026-05-20'));
      }
    });

    it('says only the counts there are in the overview’s channel warning, its links as buttons', async () => {
      const now = clock.now();
      await deps.db
        .insertInto('outbox')
        .values(
          [0, 1, 2].map((i) => ({
            channel: 'wecom' as const,
            target_kind: 'user',
            target_address: `User${i}`,
            payload: JSON.stringify({ text: `通知 ${i}` }),
            idempotency_key: `statistics-fixes:pending:${i}`,
            status: 'pending' as const,
            attempts: 0,
            not_before: new Date(now.getTime() + 3600_000),
            last_error: null,
            created_at: now,
            first_tried_at: null,
          })),
        )
        .execute();
      // With what the items above queued (WeCom is not configured here): waiting messages, none retried.
      const waiting = await deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('channel', '=', 'wecom')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const n = Number(waiting.n);
      expect(n).toBeGreaterThanOrEqual(3);
      const admin = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const home = await admin.get('/console');
      const warning = home.text.slice(
        home.text.indexOf('企业微信还没有配置'),
        home.text.indexOf('</div>', home.text.indexOf('企业微信还没有配置')),
      );
      expect(textOf(warning)).toContain(`现有 ${n} 条等待发送，代表和工作人员都收不到这些通知`);
      expect(warning).not.toMatch(/\b0 条/);
      expect(warning).not.toContain('正在重试');
      expect(warning).toContain(
        `<p class="alert-links"><a href="/console/outbox?status=pending">查看等待发送的 ${n} 条消息</a></p>`,
      );
      await deps.db.deleteFrom('outbox').where('idempotency_key', 'like', 'statistics-fixes:%').execute();
    });

    it('writes a refused 延期’s last date as every date is written, with its weekday in brackets', async () => {
      const browser = await ConsoleBrowser.signedIn(server.url, staff);
      const csrf = await browser.csrf(`/console/suggestions/${suggestion}`);
      const r = await browser.post(`/console/suggestions/${suggestion}/extend`, {
        _csrf: csrf,
        organ: '',
        date: '2026-12-31',
        reason: '需协调多个部门',
        approvedBy: '',
      });
      expect(r.status).toBe(400);
      const text = textOf(r.text);
      expect(text).toContain('延期不得超过自交办之日起6个月，最迟 2026-11-20（星期五）');
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2} 星期/);
      // The API's refusal carries the same words.
      const viaApi = await api(
        'POST',
        `/suggestions/${suggestion}/extensions`,
        { date: '2026-12-31', reason: '需协调多个部门' },
        staff,
      );
      expect(viaApi.status).toBeGreaterThanOrEqual(400);
      expect(viaApi.text).toContain('最迟 2026-11-20（星期五）');
    });
  });
}
