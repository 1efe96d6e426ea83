import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase, preparedStatement } from '../../db/client.ts';
import { recordArrivingMany } from '../../db/repositories/inbound-messages.ts';
import { createTestDb, realBackend, type TestDb, testDatabaseUrl } from '../helpers/backends.ts';

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

async function preparedNames(h: DbHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(
    h.db,
  );
  return rows.map((r) => r.name);
}

describe('statements prepared once per connection', () => {
  let handle: DbHandle | null = null;
  let schema: TestDb | null = null;
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
      schema = await createTestDb('postgres+redis');
      const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(schema.handle.db);
      handle = await openDatabase({ databaseUrl: testDatabaseUrl(), schema: rows[0]!.s, poolSize: 1 });
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
