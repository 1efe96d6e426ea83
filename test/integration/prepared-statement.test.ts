import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase, preparedStatement } from '../../db/client.ts';
import { realBackend, testDatabaseUrl } from '../helpers/backends.ts';

// A statement marked with preparedStatement is parsed and planned once per PostgreSQL connection and run
// by name afterwards; on PGlite the mark is a comment. Either way it answers as the same text unmarked.

const sumOf = (values: number[]) =>
  sql<{ total: number }>`${preparedStatement('test_sum_of')}
    select coalesce(sum(x), 0)::integer as total from unnest(${values}::integer[]) as x`;

async function preparedNames(h: DbHandle): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(
    h.db,
  );
  return rows.map((r) => r.name);
}

describe('statements prepared once per connection', () => {
  let handle: DbHandle | null = null;
  afterEach(async () => {
    await handle?.close();
    handle = null;
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
