import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeadline } from '../../db/repositories/deadlines.ts';
import { insertBooking } from '../../db/repositories/reception.ts';
import { findReceptionDay } from '../../db/repositories/reception-days.ts';
import { calendarImportCommand } from '../../src/cli/calendar-command.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { FixedClock } from '../../src/clock.ts';
import { loadWorkCalendar, receptionDayFor, startDeadline } from '../../src/services/calendar/index.ts';
import { createApi } from '../helpers/api.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongressWithoutTerm, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Next year from the notice itself: in December 2026 the holiday package stops at 2026, so every date
// counted into 2027 is provisional. Staff paste the State Council's notice for 2027; the preview shows what
// it changes and changes nothing; confirming records 2027 as published and moves what it moves, telling
// the people concerned; a text that cannot be read in full is refused with its line and changes nothing.
//
// The 2027 notice below is NOT a published text: it is written for this test in the official format,
// with the days a notice following the 2025 principles would plausibly arrange.
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

　　经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。

　　一、元旦：1月1日（周五）至3日（周日）放假，共3天。

　　二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。

　　三、清明节：4月3日（周六）至5日（周一）放假，共3天。

　　四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。

　　五、端午节：6月9日（周三）放假1天，不调休。

　　六、中秋节：9月15日（周三）放假1天，不调休。

　　七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。

　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月10日
`;

const TITLE = '国务院办公厅关于2027年部分节假日安排的通知';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`importing the yearly holiday notice on ${backend.name}`, () => {
    let deps: TestDeps;
    let server: RunningServer;
    let congressId: number;
    let deadlineId: number;
    let boundToken: string;
    const clock = new FixedClock('2026-12-07T02:00:00Z'); // 10:00 in Beijing, a Monday
    const api = createApi(() => server.url);

    const person = (name: string, wecom: string, role: 'deputy' | 'staff') =>
      seedPerson(deps.db, { name, wecom, congressId, role });

    /** Everything an import may write. */
    const state = async () => ({
      years: await deps.db.selectFrom('calendar_years').selectAll().orderBy('year').execute(),
      noticeDays: (await deps.db.selectFrom('calendar_notice_days').selectAll().execute()).length,
      changes: (await deps.db.selectFrom('date_changes').selectAll().execute()).length,
      outbox: (await deps.db.selectFrom('outbox').selectAll().execute()).length,
      imports: (
        await deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'calendar.import').execute()
      ).length,
      due: (await findDeadline(deps.db, deadlineId))?.due_on,
      reception: (await findReceptionDay(deps.db, congressId, '2027-02'))?.date,
    });

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      congressId = await seedCongressWithoutTerm(deps.db, { receptionHosts: ['王主任'] });
      const li = await person('李代表', 'LiDaiBiao', 'deputy');
      await person('王主任', 'wangzr', 'staff');
      const zhao = await person('赵代表', 'zhaodb', 'deputy');

      // 交办 2026-11-05: three months end on 2027-02-05, 除夕 on the provisional calendar, whose 春节 and
      // its 补假 run to 02-10: due 2027-02-11, provisional.
      const cal = await loadWorkCalendar(deps.db);
      const d = await startDeadline(
        deps.db,
        cal,
        {
          kind: 'S8',
          subjectType: 'suggestion',
          subjectId: 'JY-2026-0031',
          congressId,
          label: '建议 JY-2026-0031 的答复期限',
          startsOn: '2026-11-05',
          months: 3,
          personIds: [li.personId],
        },
        clock.now(),
      );
      expect(d).toMatchObject({ due_on: '2027-02-11', provisional: true });
      deadlineId = d.id;
      expect(await receptionDayFor(deps, congressId, '2027-02')).toMatchObject({
        date: '2027-02-11',
        provisional: true,
      });
      await insertBooking(deps.db, {
        code: 'JD-2027-0001',
        congressId,
        mandateId: zhao.mandateId,
        month: '2027-02',
        topic: '农村道路养护',
        at: clock.now(),
      });
      const t = await api('POST', '/tokens', {
        name: '县人大秘书',
        role: 'staff',
        congress: '大同市第十六届人民代表大会',
      });
      expect(t.status).toBe(201);
      boundToken = (t.json as { token: string }).token;
    });
    afterAll(async () => {
      await server.close();
      await deps.cleanup();
    });

    it('refuses a notice it cannot read in full, naming the line, and changes nothing', async () => {
      const before = await state();
      const broken = NOTICE_2027.replace('放假调休，共8天', '放假调休，共八天');
      const res = await api('POST', '/calendar/import', { text: broken, confirm: true });
      expect(res.status).toBe(422);
      const lineNo = broken.split('\n').findIndex((l) => l.includes('二、春节')) + 1;
      expect(res.json).toMatchObject({
        error: {
          code: 'notice_unreadable',
          details: { line: lineNo, text: expect.stringContaining('二、春节：2月5日') },
        },
      });
      const message = (res.json as { error: { message: string } }).error.message;
      expect(message).toContain(`第 ${lineNo} 行无法读取`);
      expect(message).toContain('“二、春节：2月5日（农历除夕、周五）至12日');
      expect(message).toContain('无法识别“共八天”');

      // A truncated paste, a body that is not the notice, and callers who may not change the calendar.
      const truncated = await api('POST', '/calendar/import', {
        text: NOTICE_2027.slice(0, NOTICE_2027.indexOf('五、端午节')),
        confirm: true,
      });
      expect(truncated.status).toBe(422);
      expect((truncated.json as { error: { message: string } }).error.message).toMatch(/成文日期/);
      for (const [body, status] of [
        [{}, 400],
        [{ text: 5 }, 400],
        [{ text: NOTICE_2027, confirm: 'yes' }, 400],
        [{ text: '   ', confirm: true }, 400],
        ['{not json', 400],
      ] as const) {
        const r = await api('POST', '/calendar/import', body);
        expect({ body, status: r.status }).toEqual({ body, status });
        expect((r.json as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
      }
      const bound = await api('POST', '/calendar/import', { text: NOTICE_2027, confirm: true }, boundToken);
      expect(bound.status).toBe(403);
      expect((await api('POST', '/calendar/import', { text: NOTICE_2027 }, null)).status).toBe(401);
      expect(await state()).toEqual(before);
    });

    it('previews the year side by side with the provisional one and changes nothing', async () => {
      const before = await state();
      const res = await api('POST', '/calendar/import', { text: NOTICE_2027 });
      expect(res.status).toBe(200);
      const body = res.json as {
        year: number;
        title: string;
        issuedOn: string;
        previousSource: string;
        confirmed: boolean;
        days: { date: string; kind: string; festival: string; before: { kind: string; source: string } }[];
        differences: { date: string; before: { kind: string }; after: { kind: string } }[];
        changes: {
          subjectType: string;
          oldDate: string;
          newDate: string;
          provisional: boolean;
          told: string[];
        }[];
      };
      expect(body).toMatchObject({
        year: 2027,
        title: TITLE,
        issuedOn: '2026-11-10',
        previousSource: 'provisional',
        confirmed: false,
      });
      expect(body.days).toHaveLength(34);
      expect(body.days.find((d) => d.date === '2027-02-11')).toMatchObject({
        kind: 'holiday',
        festival: '春节',
        before: { kind: 'workday', source: 'provisional' },
      });
      expect(body.days.find((d) => d.date === '2027-02-20')).toMatchObject({
        kind: 'workday',
        before: { kind: 'weekend' },
      });
      // What changes: working days become rest days and the other way round (2027-10-06 is a workday
      // provisionally, a day off by the notice; 05-03 was 补假 and stays off).
      const diff = Object.fromEntries(
        body.differences.map((d) => [d.date, `${d.before.kind}→${d.after.kind}`]),
      );
      expect(diff).toMatchObject({
        '2027-01-31': 'weekend→workday',
        '2027-02-11': 'workday→holiday',
        '2027-02-12': 'workday→holiday',
        '2027-02-20': 'weekend→workday',
        '2027-10-06': 'workday→holiday',
        '2027-10-09': 'weekend→workday',
      });
      expect(diff['2027-05-03']).toBeUndefined();
      expect(body.changes.map((c) => [c.subjectType, c.oldDate, c.newDate, c.provisional])).toEqual([
        ['deadline', '2027-02-11', '2027-02-15', false],
        ['reception_day', '2027-02-11', '2027-02-15', false],
      ]);
      expect(body.changes[0]!.told).toEqual(['李代表']);
      expect([...body.changes[1]!.told].sort()).toEqual(['王主任', '赵代表'].sort());

      expect(await state()).toEqual(before);
      expect((await api('GET', '/calendar/2027')).json).toMatchObject({
        source: 'provisional',
        provisional: true,
      });
    });

    it('the CLI prints the same preview, and nothing changes without --yes', async () => {
      const before = await state();
      const file = join(mkdtempSync(join(tmpdir(), 'notice-')), '2027.txt');
      writeFileSync(file, NOTICE_2027);
      const out: string[] = [];
      const io: CliIo = {
        out: (l) => out.push(l),
        err: (l) => out.push(`ERR ${l}`),
        tty: false,
        progress: () => {},
      };
      expect(await calendarImportCommand.run([file], io, deps)).toBe(0);
      const text = out.join('\n');
      expect(text).toContain(TITLE);
      expect(text).toContain('2027-02-20（星期六） 调休上班（春节）');
      expect(text).toContain(
        '建议 JY-2026-0031 的答复期限：2027-02-11（星期四）（暂定日历） → 2027-02-15（星期一），通知 李代表',
      );
      expect(text).toContain('没有写入任何内容');
      expect(await state()).toEqual(before);

      const bad = join(mkdtempSync(join(tmpdir(), 'notice-')), 'bad.txt');
      writeFileSync(bad, NOTICE_2027.replace('5月8日（周六）', '5月8日（周日）'));
      const errs: string[] = [];
      const io2: CliIo = { ...io, out: () => {}, err: (l) => errs.push(l) };
      expect(await calendarImportCommand.run([bad], io2, deps)).toBe(1);
      expect(errs.join('\n')).toMatch(/未载入：第 \d+ 行无法读取：“四、劳动节.*5月8日不是周日/);
      expect(await state()).toEqual(before);
    });

    it('confirming records 2027 as published, moves the due date and the reception day and tells those concerned', async () => {
      const res = await api('POST', '/calendar/import', { text: NOTICE_2027, confirm: true });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ year: 2027, confirmed: true });

      expect(await findDeadline(deps.db, deadlineId)).toMatchObject({
        due_on: '2027-02-15',
        provisional: false,
      });
      expect(await findReceptionDay(deps.db, congressId, '2027-02')).toMatchObject({
        date: '2027-02-15',
        provisional: false,
      });

      const outbox = await deps.db.selectFrom('outbox').selectAll().orderBy('id').execute();
      const to = (addr: string) => outbox.filter((o) => o.target_address === addr).map((o) => o.payload.text);
      expect(to('LiDaiBiao')).toHaveLength(1);
      expect(to('LiDaiBiao')[0]).toContain(
        '建议 JY-2026-0031 的答复期限由 2027-02-11（星期四）（暂定日历） 改为 2027-02-15（星期一）',
      );
      expect(to('LiDaiBiao')[0]).toContain(`载入${TITLE}（2026-11-10）`);
      for (const addr of ['wangzr', 'zhaodb']) {
        expect(to(addr)).toHaveLength(1);
        expect(to(addr)[0]).toContain(
          '2027年2月的代表接待日由 2027-02-11（星期四）（暂定日历） 改为 2027-02-15（星期一）',
        );
      }

      // The year is published now, in the database: a calendar loaded afresh (another instance, a restart)
      // sees it, and the API names the notice as its source.
      const year = (await api('GET', '/calendar/2027')).json as {
        source: string;
        provisional: boolean;
        notice: { title: string; issuedOn: string };
        days: { date: string; kind: string; makeup?: boolean; source: string; name?: string }[];
      };
      expect(year).toMatchObject({
        source: 'published',
        provisional: false,
        notice: { title: TITLE, issuedOn: '2026-11-10' },
      });
      expect(year.days.find((d) => d.date === '2027-02-20')).toMatchObject({
        kind: 'workday',
        makeup: true,
        source: 'published',
        name: '春节调休上班',
      });
      expect(year.days.every((d) => d.source === 'published')).toBe(true);
      const fresh = await loadWorkCalendar(deps.db);
      expect(fresh.isWorkday('2027-10-06')).toEqual({ ok: true, value: false, provisional: false });

      const row = await deps.db
        .selectFrom('calendar_years')
        .selectAll()
        .where('year', '=', 2027)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ source: 'published', notice_title: TITLE, notice_by: 'admin:bootstrap' });
      const audit = await deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'calendar.import')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ subject_type: 'calendar_year', subject_id: '2027' });

      // A broken text afterwards leaves the recorded year as it is.
      const before = await state();
      const broken = await api('POST', '/calendar/import', {
        text: NOTICE_2027.replace('七、国庆节', '八、国庆节'),
        confirm: true,
      });
      expect(broken.status).toBe(422);
      expect((broken.json as { error: { message: string } }).error.message).toContain('应为第七项');
      expect(await state()).toEqual(before);
    });

    it('the console shows the paste form, a refusal with its line, a preview and records on 确认载入', async () => {
      let cookie = '';
      const send = async (method: string, path: string, form?: Record<string, string>) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          redirect: 'manual',
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(form ? { body: new URLSearchParams(form).toString() } : {}),
        });
        const set = res.headers.getSetCookie()[0];
        if (set) cookie = set.split(';')[0]!;
        return { status: res.status, location: res.headers.get('location'), text: await res.text() };
      };
      expect((await send('POST', '/console/login', { token: TEST_ADMIN_TOKEN })).status).toBe(303);
      const page = await send('GET', '/console/calendar?year=2027');
      expect(page.text).toContain('载入国务院放假安排通知');
      expect(page.text).toContain('<textarea id="notice-text" name="text"');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;

      const before = await state();
      const broken = await send('POST', '/console/calendar/import', {
        _csrf: csrf,
        action: 'preview',
        text: NOTICE_2027.replace('6月9日（周三）', '6月9日（周四）'),
      });
      expect(broken.status).toBe(422);
      expect(broken.text).toMatch(/第 \d+ 行无法读取：“五、端午节：6月9日（周四）/);
      expect(broken.text).toContain('6月9日（周四）放假1天'); // the pasted text is kept in the form

      // 2027 is recorded already: the same notice again moves nothing, and says so.
      const preview = await send('POST', '/console/calendar/import', {
        _csrf: csrf,
        action: 'preview',
        text: NOTICE_2027,
      });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('预览：2027 年放假安排');
      expect(preview.text).toContain('没有已存的接待日或期限因此改变');
      expect(preview.text).toContain('确认载入');
      expect(await state()).toEqual(before);

      const done = await send('POST', '/console/calendar/import', {
        _csrf: csrf,
        action: 'confirm',
        text: NOTICE_2027,
      });
      expect(done.status).toBe(303);
      expect(done.location).toBe('/console/calendar?year=2027&done=imported');
      expect((await state()).imports).toBe(before.imports + 1);
      expect((await state()).outbox).toBe(before.outbox);
    });
  });
}
