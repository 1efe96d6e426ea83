import { sql } from 'kysely';
import { type MigrationResultSet, Migrator } from 'kysely/migration';
import type { Db } from './client.ts';
import { migrations } from './migrations/index.ts';

export interface MigrateOutcome {
  applied: string[];
}

/** Brings the schema up to date. Safe to call from several instances at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name the current
  // schema, or a second schema in the same database (tests, several deployments) finds the first's.
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: current.rows[0]!.schema,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    err.message = `migration ${failed?.migrationName ?? '?'} failed: ${err.message}`;
    throw err;
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
