import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type DeputyRef, submitSuggestion } from '../../src/services/suggestions/index.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// Deputies writing at the same moment: their suggestions are written together (one transaction for the
// lot), and each still gets what one alone gets: its own code in the order they came, its author, a line
// in the duty record, a history row and the notice to its own congress's staff. One that cannot be written
// fails alone; the same chat message twice makes one item; two instances never hand out one code twice.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`suggestions submitted together on ${backend.name}`, () => {
    let deps: TestDeps;
    let other: TestDeps;
    const clock = new FixedClock(at('2026-07-03T10:00:00')); // Friday, working hours
    const city: DeputyRef[] = [];
    const county: DeputyRef[] = [];
    const staff: Record<string, number> = {};

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      other = await createTestDeps(backend.name, { clock, shareWith: deps });
      const db = deps.db;
      const cityId = await seedCongress(db);
      const countyId = await seedCongress(db, '阳高县第十八届人民代表大会', 'county');
      for (let i = 0; i < 6; i++) {
        const s = await seedPerson(db, { name: `城代表${i}`, wecom: `City${i}`, congressId: cityId });
        city.push({ ...s, congressId: cityId });
      }
      for (let i = 0; i < 2; i++) {
        const s = await seedPerson(db, { name: `县代表${i}`, wecom: `County${i}`, congressId: countyId });
        county.push({ ...s, congressId: countyId });
      }
      staff.city = (
        await seedPerson(db, { name: '李四', wecom: 'LiSi', congressId: cityId, role: 'staff' })
      ).personId;
      staff.county = (
        await seedPerson(db, { name: '孙八', wecom: 'SunBa', congressId: countyId, role: 'staff' })
      ).personId;
    });
    afterAll(async () => {
      await other?.cleanup();
      await deps?.cleanup();
    });

    const submit = (d: TestDeps, deputy: DeputyRef, content: string, inboundId?: number) =>
      submitSuggestion(d, {
        deputy,
        kind: '建议',
        content,
        photos: [],
        secret: false,
        inboundId: inboundId ?? null,
        actor: { id: `person:${deputy.personId}`, name: '代表', personId: deputy.personId },
      });

    const itemsNamed = (prefix: string) =>
      deps.db
        .selectFrom('suggestions as s')
        .innerJoin('suggestion_deputies as d', (j) =>
          j.onRef('d.suggestion_id', '=', 's.id').on('d.author', '=', true),
        )
        .select([
          's.id',
          's.code',
          's.content',
          's.congress_id',
          'd.person_id',
          sql<string>`s.xmin::text`.as('tx'),
        ])
        .where('s.content', 'like', `${prefix}%`)
        .orderBy('s.code')
        .execute();

    it('gives each its own code in the order they came, with its record, history and staff notice, in one transaction', async () => {
      const deputies = [...city.slice(0, 4), ...county];
      const results = await Promise.all(
        deputies.map((d, i) => submit(deps, d, `同时${i} 第${i}条建议：路灯坏了请修`)),
      );

      expect(results.map((r) => r.item.code)).toEqual(deputies.map((_, i) => `JY-2026-000${i + 1}`));
      expect(results.every((r) => r.created)).toBe(true);
      const rows = await itemsNamed('同时');
      expect(rows.map((r) => [r.code, r.person_id, r.content.slice(0, 3)])).toEqual(
        deputies.map((d, i) => [`JY-2026-000${i + 1}`, d.personId, `同时${i}`]),
      );
      // Written together: every row in the same transaction.
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);

      const ids = rows.map((r) => r.id);
      const duty = await deps.db
        .selectFrom('duty_events')
        .select(['mandate_id', 'ref', 'summary'])
        .where(
          'ref',
          'in',
          rows.map((r) => r.code),
        )
        .orderBy('ref')
        .execute();
      expect(duty.map((e) => [e.mandate_id, e.ref])).toEqual(
        deputies.map((d, i) => [d.mandateId, `JY-2026-000${i + 1}`]),
      );
      expect(duty[0]!.summary).toBe('提出建议 JY-2026-0001「同时0 第0条建议：路灯坏了请修」');

      const history = await deps.db
        .selectFrom('suggestion_events')
        .select(['suggestion_id', 'action', 'summary'])
        .where('suggestion_id', 'in', ids)
        .orderBy('suggestion_id')
        .execute();
      expect(history.map((h) => [h.suggestion_id, h.action, h.summary])).toEqual(
        ids.map((id) => [id, 'submitted', '代表提交建议']),
      );

      const notices = await deps.db
        .selectFrom('outbox')
        .select(['idempotency_key', 'target_address', 'payload'])
        .where('idempotency_key', 'like', 'suggestion:JY-2026-000%:submitted:staff%')
        .orderBy('idempotency_key')
        .execute();
      const expected = deputies.map((d, i) => {
        const whose = d.congressId === city[0]!.congressId ? 'city' : 'county';
        return [
          `suggestion:JY-2026-000${i + 1}:submitted:staff${staff[whose]}:wecom`,
          whose === 'city' ? 'LiSi' : 'SunBa',
        ];
      });
      expect(notices.map((n) => [n.idempotency_key, n.target_address])).toEqual(expected);
      expect((notices[5]!.payload as { text: string }).text).toContain('JY-2026-0006');
    });

    it('tells the deputy of a 代录 among them, in the same commit as the items', async () => {
      const proxy = { id: `person:${staff.city}`, name: '李四', personId: staff.city };
      const [own, entered] = await Promise.all([
        submit(deps, city[2]!, '代录批0 公交站牌看不清'),
        submitSuggestion(deps, {
          deputy: city[3]!,
          kind: '意见',
          content: '代录批1 菜市场周边乱停车',
          photos: [],
          secret: false,
          enteredBy: proxy,
          actor: proxy,
        }),
      ]);
      const rows = await itemsNamed('代录批');
      expect(rows.map((r) => r.code)).toEqual([own.item.code, entered.item.code]);
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
      const told = await deps.db
        .selectFrom('outbox')
        .select(['idempotency_key', 'target_address', 'payload', sql<string>`xmin::text`.as('tx')])
        .where('cause', '=', `suggestion:${entered.item.code}`)
        .where('idempotency_key', 'like', '%:e%')
        .execute();
      expect(told.map((m) => m.target_address)).toEqual(['City3']);
      expect((told[0]!.payload as { text: string }).text).toBe(
        `【意见 ${entered.item.code}】工作人员李四已代您录入意见「代录批1 菜市场周边乱停车」，编号 ${entered.item.code}。交办后会告诉您承办单位和答复期限。`,
      );
      expect(told[0]!.tx).toBe(rows[0]!.tx);
      // The deputy who sent their own is answered in chat, not by a message.
      expect(
        await deps.db
          .selectFrom('outbox')
          .select('id')
          .where('cause', '=', `suggestion:${own.item.code}`)
          .where('idempotency_key', 'like', '%:e%')
          .execute(),
      ).toEqual([]);
    });

    it('fails only the one that cannot be written; the others arrive', async () => {
      const noSuchSeat: DeputyRef = {
        personId: city[4]!.personId,
        mandateId: 999_999,
        congressId: city[4]!.congressId,
      };
      const outcomes = await Promise.allSettled([
        submit(deps, city[0]!, '坏批0 修一修东街的下水道'),
        submit(deps, noSuchSeat, '坏批1 这一条的代表席位不存在'),
        submit(deps, city[1]!, '坏批2 学校门口加装红绿灯'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      // Written again one by one, side by side: their codes follow whichever statement came first.
      const rows = (await itemsNamed('坏批')).sort((a, b) => a.content.localeCompare(b.content));
      expect(rows.map((r) => [r.content.slice(0, 3), r.person_id])).toEqual([
        ['坏批0', city[0]!.personId],
        ['坏批2', city[1]!.personId],
      ]);
    });

    it('makes one item of the same chat message twice at once', async () => {
      const inbound = await deps.db
        .insertInto('inbound_messages')
        .values({
          channel: 'wecom',
          message_key: 'wecom:twice-at-once',
          sender_id: 'City5',
          person_id: city[5]!.personId,
          msg_type: 'text',
          content: JSON.stringify({ text: '两次 公园的健身器材坏了' }),
          reply: null,
          received_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const [a, b] = await Promise.all([
        submit(deps, city[5]!, '两次 公园的健身器材坏了', inbound.id),
        submit(deps, city[5]!, '两次 公园的健身器材坏了', inbound.id),
      ]);
      expect(a.item.code).toBe(b.item.code);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect((await itemsNamed('两次')).length).toBe(1);
    });

    it('never hands out one code twice when two instances write at the same moment', async () => {
      const results = await Promise.all([
        ...city.slice(0, 3).map((d, i) => submit(deps, d, `两实例甲${i} 河道需要清理`)),
        ...city.slice(3, 6).map((d, i) => submit(other, d, `两实例乙${i} 河道需要清理`)),
      ]);
      const codes = results.map((r) => r.item.code);
      expect(new Set(codes).size).toBe(6);
      expect((await itemsNamed('两实例')).map((r) => r.code).sort()).toEqual([...codes].sort());
    });
  });
}
