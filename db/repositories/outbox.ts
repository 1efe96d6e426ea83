import type { Db } from '../client.ts';
import type { OutboxRow, OutboxStatus } from '../schema.ts';

// Reading the outbox for staff: rows by status, newest first, and counts.

export async function listOutbox(
  db: Db,
  f: { status?: OutboxStatus | undefined; limit: number; offset: number },
): Promise<{ rows: OutboxRow[]; total: number }> {
  let q = db.selectFrom('outbox');
  if (f.status) q = q.where('status', '=', f.status);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  return { rows, total: Number(total.n) };
}

export async function countOutbox(db: Db, status: OutboxStatus): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
