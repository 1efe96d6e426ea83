import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { FixedClock } from '../../src/clock.ts';
import { type AnyJson, createApi } from '../helpers/api.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The public yearly handling report (《代表法》第五十一条第三款) when a city's and a district's congress are
// both served: no report counts them together under 「本级人民代表大会」; /public/reports/{year} lists each
// congress's report, and each counts only its own items under its own name. With one congress live the
// report is what it always was. Every name is escaped.

const CITY = '大同市第十六届人民代表大会';
const DISTRICT = '平城区第三届人民代表大会';
const ODD = '云冈区<b>第二届</b>&人民代表大会';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the public yearly reports on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    let deps: TestDeps;
    let server: RunningServer;
    const api = createApi<AnyJson>(() => server.url);
    const ids: Record<string, number> = {};

    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`);
      return { status: res.status, text: await res.text() };
    };
    const handOver = async (deputy: string, content: string) => {
      const r = await api('POST', '/suggestions', { deputy, content });
      expect(r.status, r.text).toBe(201);
      const a = await api('POST', `/suggestions/${r.json.code}/assignments`, { lead: '市住建局' });
      expect(a.status, a.text).toBe(200);
    };
    const handedOver = (html: string) => /统计期内共交办代表建议、批评和意见 (\d+) 件/.exec(html)?.[1];
    const heading = (html: string) => /<h1[^>]*>([\s\S]*?)<br>/.exec(html)?.[1];

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      ids.city = await seedCongress(deps.db, CITY, 'city');
      ids.district = await seedCongress(deps.db, DISTRICT, 'county');
      ids.odd = await seedCongress(deps.db, ODD, 'county');
      await seedPerson(deps.db, { name: '王五', wecom: 'WangWu', congressId: ids.city });
      await seedPerson(deps.db, { name: '李梅', wecom: 'LiMei', congressId: ids.district });
      await upsertOrgan(
        deps.db,
        '市住建局',
        { contactName: '周科长', contactMobile: null, contactWecom: 'ZhujianZhou', contactDingtalk: null },
        clock.now(),
      );
      await handOver('WangWu', '府西街路灯不亮');
      await handOver('WangWu', '新建路人行道破损');
      await handOver('LiMei', '平城区小区加装电梯');
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('several congresses live: the year lists one report per congress, none counted together', async () => {
      const page = await get('/public/reports/2026');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('本级人民代表大会');
      expect(handedOver(page.text)).toBeUndefined();
      expect(page.text).toContain(`<a href="/public/reports/2026?congress=${ids.city}">${CITY}</a>`);
      expect(page.text).toContain(`<a href="/public/reports/2026?congress=${ids.district}">${DISTRICT}</a>`);
      // A name is text, never markup.
      expect(page.text).toContain('云冈区&lt;b&gt;第二届&lt;/b&gt;&amp;人民代表大会');
      expect(page.text).not.toContain('<b>');
    });

    it('each report counts only its own congress under its own name (by id or by name)', async () => {
      const city = await get(`/public/reports/2026?congress=${ids.city}`);
      expect(city.status).toBe(200);
      expect(heading(city.text)).toBe(CITY);
      expect(handedOver(city.text)).toBe('2');
      expect(city.text).not.toContain(DISTRICT);

      const district = await get(`/public/reports/2026?congress=${encodeURIComponent(DISTRICT)}`);
      expect(district.status).toBe(200);
      expect(heading(district.text)).toBe(DISTRICT);
      expect(handedOver(district.text)).toBe('1');

      const odd = await get(`/public/reports/2026?congress=${ids.odd}`);
      expect(odd.status).toBe(200);
      expect(heading(odd.text)).toBe('云冈区&lt;b&gt;第二届&lt;/b&gt;&amp;人民代表大会');
      expect(handedOver(odd.text)).toBe('0');
      expect(odd.text).not.toContain('<b>');

      const unknown = await get('/public/reports/2026?congress=99999');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain('没有这个人民代表大会的报告');
    });

    it('the /public page links to each congress’s report', async () => {
      const page = await get('/public');
      expect(page.status).toBe(200);
      for (const year of [2026, 2025]) {
        for (const id of [ids.city, ids.district, ids.odd])
          expect(page.text).toContain(`href="/public/reports/${year}?congress=${id}"`);
        expect(page.text).not.toContain(`href="/public/reports/${year}"`);
      }
      expect(page.text).toContain(`${CITY} 2026年代表建议、批评和意见办理情况报告`);
    });

    it('one congress live: the report is as it was, under its name', async () => {
      await deps.db
        .updateTable('congresses')
        .set({ archived_at: clock.now() })
        .where('id', 'in', [ids.district!, ids.odd!])
        .execute();
      const report = await get('/public/reports/2026');
      expect(report.status).toBe(200);
      expect(heading(report.text)).toBe(CITY);
      expect(handedOver(report.text)).toBeDefined();
      const page = await get('/public');
      expect(page.text).toContain('href="/public/reports/2026"');
      expect(page.text).not.toContain('?congress=');
    });
  });
}
