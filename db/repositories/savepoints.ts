import { sql } from 'kysely';
import type { Db } from '../client.ts';

// Savepoints inside a transaction: one failing step is undone without losing the rest of the batch.

export async function setSavepoint(trx: Db, name: string): Promise<void> {
  await sql`savepoint ${sql.id(name)}`.execute(trx);
}

export async function releaseSavepoint(trx: Db, name: string): Promise<void> {
  await sql`release savepoint ${sql.id(name)}`.execute(trx);
}

export async function rollbackToSavepoint(trx: Db, name: string): Promise<void> {
  await sql`rollback to savepoint ${sql.id(name)}`.execute(trx);
}
