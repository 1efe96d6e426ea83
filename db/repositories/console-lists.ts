import type { Db } from '../client.ts';
import type { OutboxStatus } from '../schema.ts';
import { outboxPage } from './outbox.ts';

// Lists the staff console shows that no domain keeps for itself: a deputy's recorded absences from
// sessions, and the outbox's dead rows split into failures and withdrawals.

/** The session absences of these mandates, newest session first. */
export async function absencesOfMandates(db: Db, mandateIds: number[]) {
  if (mandateIds.length === 0) return [];
  return db
    .selectFrom('session_absences as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .select(['s.name', 's.starts_on', 's.ends_on', 'a.excused', 'a.not_counted_reason', 'a.mandate_id'])
    .where('a.mandate_id', 'in', mandateIds)
    .orderBy('s.starts_on', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/**
 * Dead outbox rows by what ended them: `failed` were tried and failed for good; the rest were taken back
 * before any attempt, which is not a failure: `withdrawnNotices` the unsent part of a notice (通知) staff
 * withdrew, `withdrawnReminders` reminders and messages that no longer applied (the deputy took leave).
 */
export async function countDeadOutbox(
  db: Db,
): Promise<{ failed: number; withdrawnReminders: number; withdrawnNotices: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => [
      eb
        .case()
        .when('first_tried_at', 'is not', null)
        .then('failed')
        .when('idempotency_key', 'like', 'broadcast:%')
        .then('notice')
        .else('reminder')
        .end()
        .as('kind'),
      eb.fn.countAll<string>().as('n'),
    ])
    .where('status', '=', 'dead')
    .groupBy('kind')
    .execute();
  const of = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
  return { failed: of('failed'), withdrawnReminders: of('reminder'), withdrawnNotices: of('notice') };
}

/**
 * A page of the outbox, newest first. 'dead' lists only rows that were tried and failed; 'withdrawn' the
 * dead rows taken back before any attempt.
 */
export async function listOutboxView(
  db: Db,
  f: { view?: OutboxStatus | 'withdrawn' | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom('outbox');
  if (f.view === 'withdrawn') q = q.where('status', '=', 'dead').where('first_tried_at', 'is', null);
  else if (f.view === 'dead') q = q.where('status', '=', 'dead').where('first_tried_at', 'is not', null);
  else if (f.view) q = q.where('status', '=', f.view);
  return outboxPage(q, f);
}

/**
 * The outbox rows still waiting to go out (`pending` and `failed`, the latter being retried), per channel,
 * with how many of them last failed because the channel is not configured (`channel_disabled`).
 */
export async function countWaitingOutbox(db: Db): Promise<
  {
    channel: string;
    status: 'pending' | 'failed';
    n: number;
    disabled: number;
  }[]
> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => [
      'channel',
      'status',
      eb.fn.countAll<string>().as('n'),
      eb.fn
        .sum<string>(eb.case().when('last_error', 'like', 'channel_disabled%').then(1).else(0).end())
        .as('disabled'),
    ])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy(['channel', 'status'])
    .execute();
  return rows.map((r) => ({
    channel: r.channel,
    status: r.status as 'pending' | 'failed',
    n: Number(r.n),
    disabled: Number(r.disabled ?? 0),
  }));
}

/** The names behind actor ids (`token:5`, `person:12`), for "decided by" lines; unknown ids are left out. */
export async function namesOfActors(db: Db, actors: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tokenIds = actors.flatMap((a) => (/^token:\d+$/.test(a) ? [Number(a.slice(6))] : []));
  const personIds = actors.flatMap((a) => (/^person:\d+$/.test(a) ? [Number(a.slice(7))] : []));
  if (tokenIds.length > 0)
    for (const t of await db
      .selectFrom('api_tokens')
      .select(['id', 'name'])
      .where('id', 'in', tokenIds)
      .execute())
      out.set(`token:${t.id}`, t.name);
  if (personIds.length > 0)
    for (const p of await db
      .selectFrom('people')
      .select(['id', 'name'])
      .where('id', 'in', personIds)
      .execute())
      out.set(`person:${p.id}`, p.name);
  return out;
}

/** The groups (large and small) of a congress, or of every congress, for a filter's choices. */
export async function listGroupChoices(db: Db, congressId: number | null) {
  let q = db
    .selectFrom('groups as g')
    .innerJoin('congresses as c', 'c.id', 'g.congress_id')
    .select(['g.id', 'g.name', 'g.kind', 'c.name as congress'])
    .where('g.kind', 'in', ['large', 'small']);
  if (congressId !== null) q = q.where('g.congress_id', '=', congressId);
  return q.orderBy('c.name').orderBy('g.kind').orderBy('g.name').execute();
}

/** The mandates whose person's mobile contains these digits (the console's roster search by a tail). */
export async function mandateIdsByMobilePart(
  db: Db,
  digits: string,
  congressId: number | null,
  limit: number,
): Promise<number[]> {
  let q = db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select('m.id')
    .where('p.mobile', 'like', `%${digits.replace(/[\\%_]/g, '')}%`);
  if (congressId !== null) q = q.where('m.congress_id', '=', congressId);
  return (await q.orderBy('m.congress_id').orderBy('m.id').limit(limit).execute()).map((r) => r.id);
}
