import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase, preparedStatement } from '../../db/client.ts';
import { recordArrivingMany } from '../../db/repositories/inbound-messages.ts';
import { FixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { type DeputyRef, submitSuggestion } from '../../src/services/suggestions/index.ts';
import { createTestDb, realBackend, type TestDb, testDatabaseUrl } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// A statement marked with preparedStatement is parsed and planned once per PostgreSQL connection and run
// by name afterwards; on PGlite the mark is a comment. Either way it answers as the same text unmarked.

const sumOf = (values: number[]) =>
  sql<{ total: number }>`${preparedStatement('test_sum_of')}
    select coalesce(sum(x), 0)::integer as total from unnest(${values}::integer[]) as x`;

// As the service's statements are written: on lines of their own, the mark after the opening blank space.
const productOf = (values: number[]) =>
  sql<{ total: number }>`
    ${preparedStatement('test_product_of')}
    select coalesce(exp(sum(ln(x))), 1)::integer as total from unnest(${values}::integer[]) as x`;

/** One connection to a newly migrated schema, so that what it prepared can be read on it. */
async function oneConnectionToNewSchema(): Promise<DbHandle> {
  schema = await createTestDb('postgres+redis');
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(schema.handle.db);
  return openDatabase({ databaseUrl: testDatabaseUrl(), schema: rows[0]!.s, poolSize: 1 });
}

async function preparedNames(h: DbHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(
    h.db,
  );
  return rows.map((r) => r.name);
}

let schema: TestDb | null = null;

describe('statements prepared once per connection', () => {
  let handle: DbHandle | null = null;
  afterEach(async () => {
    await handle?.close();
    handle = null;
    await schema?.drop();
    schema = null;
  });

  it.skipIf(!realBackend().available)(
    'on PostgreSQL runs a marked statement by name, with any number of values',
    async () => {
      // One connection, so the statements below all see the same session.
      handle = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1 });
      expect(await preparedNames(handle)).toEqual([]);
      const totals = [];
      for (const values of [[1, 2, 3], [], [40, 2]]) {
        totals.push((await sumOf(values).execute(handle.db)).rows[0]?.total);
      }
      expect(totals).toEqual([6, 0, 42]);
      expect(await preparedNames(handle)).toEqual(['test_sum_of']);
    },
  );

  it.skipIf(!realBackend().available)('does so also with a query time limit set', async () => {
    handle = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1, queryTimeoutMs: 5000 });
    expect((await sumOf([5, 5]).execute(handle.db)).rows[0]?.total).toBe(10);
    expect(await preparedNames(handle)).toEqual(['test_sum_of']);
  });

  it.skipIf(!realBackend().available)(
    'finds the mark after the blank space a statement opens with',
    async () => {
      handle = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1 });
      expect((await productOf([2, 3, 7]).execute(handle.db)).rows[0]?.total).toBe(42);
      expect((await productOf([5]).execute(handle.db)).rows[0]?.total).toBe(5);
      expect(await preparedNames(handle)).toEqual(['test_product_of']);
    },
  );

  it.skipIf(!realBackend().available)(
    'prepares the statement that records every arriving message',
    async () => {
      handle = await oneConnectionToNewSchema();
      const arriving = (key: string) => ({
        channel: 'wecom' as const,
        messageKey: key,
        senderId: 'NoSuchDeputy',
        identity: 'wecom' as const,
        msgType: 'text',
        content: { text: '帮助' },
        receivedAt: new Date('2026-12-03T02:00:00Z'),
      });
      const first = await recordArrivingMany(handle.db, [arriving('p-1')], []);
      const again = await recordArrivingMany(handle.db, [arriving('p-2'), arriving('p-1')], []);
      expect(first[0]?.id).toBeTypeOf('number');
      expect(again.map((a) => a.id === null)).toEqual([false, true]);
      expect(await preparedNames(handle)).toEqual(['record_inbound']);
    },
  );

  it.skipIf(!realBackend().available)(
    'prepares the statement that writes suggestions, one or several, from one congress or two',
    async () => {
      handle = await oneConnectionToNewSchema();
      const db = handle.db;
      const city = await seedCongress(db);
      const county = await seedCongress(db, '阳高县第十八届人民代表大会', 'county');
      const deputy = async (name: string, congressId: number): Promise<DeputyRef> => ({
        ...(await seedPerson(db, { name, wecom: name, congressId })),
        congressId,
      });
      const zhang = await deputy('ZhangSan', city);
      const wang = await deputy('WangWu', county);
      await seedPerson(db, { name: 'LiSi', wecom: 'LiSi', congressId: city, role: 'staff' });
      await seedPerson(db, { name: 'SunBa', wecom: 'SunBa', congressId: county, role: 'staff' });
      const deps = {
        db,
        clock: new FixedClock('2026-12-03T02:00:00Z'),
        config: loadConfig({ DATABASE_URL: testDatabaseUrl() }),
      };
      const submit = (d: DeputyRef, content: string) =>
        submitSuggestion(deps, {
          deputy: d,
          kind: '建议',
          content,
          photos: [],
          secret: false,
          actor: { id: `person:${d.personId}`, name: '代表', personId: d.personId },
        });
      const codes = [(await submit(zhang, '村口的路灯坏了')).item.code];
      const together = await Promise.all([submit(wang, '学校门口缺红绿灯'), submit(zhang, '菜市场污水横流')]);
      codes.push(...together.map((t) => t.item.code));
      expect(codes).toEqual(['JY-2026-0001', 'JY-2026-0002', 'JY-2026-0003']);
      // Each staff member hears of the items of their own congress only.
      const notices = await db
        .selectFrom('outbox')
        .select(['target_address', sql<string>`payload::text`.as('payload')])
        .orderBy('id')
        .execute();
      expect(notices.map((n) => [n.target_address, /JY-2026-\d{4}/.exec(n.payload)?.[0]])).toEqual([
        ['LiSi', 'JY-2026-0001'],
        ['SunBa', 'JY-2026-0002'],
        ['LiSi', 'JY-2026-0003'],
      ]);
      expect(await preparedNames(handle)).toContain('insert_submissions');
    },
  );

  it('on PGlite runs a marked statement as plain text', async () => {
    handle = await openDatabase({ memory: true });
    expect((await sumOf([1, 2, 3]).execute(handle.db)).rows[0]?.total).toBe(6);
    expect((await sumOf([]).execute(handle.db)).rows[0]?.total).toBe(0);
  });

  it('refuses a name that could not stand in the comment', () => {
    expect(() => preparedStatement('x */ drop table people; /*')).toThrow(/not a statement name/);
    expect(() => preparedStatement('')).toThrow(/not a statement name/);
  });
});
