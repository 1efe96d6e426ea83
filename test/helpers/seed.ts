import type { Db } from '../../db/client.ts';
import { normalizeExternalId } from '../../db/external-id.ts';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import type { CongressLevel, MandateRole, MandateStatus } from '../../db/schema.ts';
import type { Clock } from '../../src/clock.ts';
import type { Deps } from '../../src/deps.ts';
import { type ActivityInput, createActivity } from '../../src/services/activities/index.ts';
import { createSession } from '../../src/services/leave/index.ts';
import { addDays, todayIn } from '../../src/statute/calendar-date.ts';

// Direct inserts for tests that need people on the roster without going through the import.

export async function seedCongress(
  db: Db,
  name = '大同市第十六届人民代表大会',
  level: CongressLevel = 'city',
): Promise<number> {
  const existing = await db.selectFrom('congresses').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('congresses')
    .values({ name, level, settings: '{}', term_starts_on: '2022-01-01', term_ends_on: '2027-01-31' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The city congress with `settings` and no term dates (as the calendar tests seat it). */
export async function seedCongressWithoutTerm(db: Db, settings: object): Promise<number> {
  const row = await db
    .insertInto('congresses')
    .values({ name: '大同市第十六届人民代表大会', level: 'city', settings: JSON.stringify(settings) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SeedPerson {
  name: string;
  wecom?: string;
  dingtalk?: string;
  mobile?: string;
  role?: MandateRole;
  status?: MandateStatus;
  statusReason?: string;
  congressId: number;
  /** The deputy groups the mandate sits in. */
  smallGroupId?: number;
  largeGroupId?: number | null;
}

export async function seedPerson(db: Db, p: SeedPerson): Promise<{ personId: number; mandateId: number }> {
  const person = await db
    .insertInto('people')
    .values({ name: p.name, mobile: p.mobile ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (p.wecom) {
    await db
      .insertInto('person_identities')
      .values({
        person_id: person.id,
        channel: 'wecom',
        external_id: p.wecom,
        external_id_norm: normalizeExternalId('wecom', p.wecom),
      })
      .execute();
  }
  if (p.dingtalk) {
    await db
      .insertInto('person_identities')
      .values({
        person_id: person.id,
        channel: 'dingtalk',
        external_id: p.dingtalk,
        external_id_norm: normalizeExternalId('dingtalk', p.dingtalk),
      })
      .execute();
  }
  const mandate = await db
    .insertInto('mandates')
    .values({
      person_id: person.id,
      congress_id: p.congressId,
      role: p.role ?? 'deputy',
      status: p.status ?? 'active',
      status_reason: p.statusReason ?? null,
      ...(p.smallGroupId === undefined ? {} : { small_group_id: p.smallGroupId }),
      ...(p.largeGroupId === undefined ? {} : { large_group_id: p.largeGroupId }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { personId: person.id, mandateId: mandate.id };
}

/** People of one congress, each [name, WeCom id], seated in this order as `role` (deputies unless given). */
export async function seedPeople(
  db: Db,
  congressId: number,
  people: readonly (readonly [name: string, wecom: string])[],
  role?: MandateRole,
): Promise<{ personId: number; mandateId: number }[]> {
  const seated: { personId: number; mandateId: number }[] = [];
  for (const [name, wecom] of people)
    seated.push(await seedPerson(db, { name, wecom, congressId, ...(role ? { role } : {}) }));
  return seated;
}

/** Replaces a congress's settings (reception hosts, who may book, …). */
export async function setCongressSettings(db: Db, congressId: number, settings: object): Promise<void> {
  await db
    .updateTable('congresses')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', congressId)
    .execute();
}

/** A session (or standing committee meeting) of `congress`, created as the test actor. */
export async function seedSession(
  deps: { db: Db; clock: Clock },
  session: { congress: string; name: string; startsOn: string; endsOn: string },
): Promise<void> {
  await createSession(deps, session, { actor: 'test', tokenCongressId: null, requestId: null });
}

/** An activity (inspection, group activity, …) created as the test actor; its code (HD-…). */
export async function seedActivity(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  activity: ActivityInput,
): Promise<string> {
  return (await createActivity(deps, activity, { actor: 'test', tokenCongressId: null })).activity.code;
}

/**
 * A session of the congress a month after the clock's today, so 请假 has something to ask leave from (a
 * deputy with nothing ahead is told so at once).
 */
export async function seedSessionAhead(
  deps: { db: Db; clock: Clock },
  congress = '大同市第十六届人民代表大会',
): Promise<void> {
  const startsOn = addDays(todayIn(deps.clock, 'Asia/Shanghai'), 30);
  await seedSession(deps, {
    congress,
    name: `${congress}第七次会议`,
    startsOn,
    endsOn: addDays(startsOn, 3),
  });
}

/** A deputy group of the congress, reached through a WeCom group robot when `robotKey` is given. */
export async function seedGroup(
  db: Db,
  g: { congressId: number; name: string; robotKey?: string },
): Promise<number> {
  const row = await db
    .insertInto('groups')
    .values({ congress_id: g.congressId, name: g.name, kind: 'small' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (g.robotKey)
    await db
      .insertInto('group_bindings')
      .values({ group_id: row.id, channel: 'wecom', kind: 'wecom_robot', address: g.robotKey, secret: null })
      .execute();
  return row.id;
}

/** An organ (承办单位) and its contact; the parts of the contact not given are empty. */
export async function seedOrgan(
  db: Db,
  name: string,
  contact: { name: string; mobile?: string; wecom?: string; dingtalk?: string | null },
  at: Date,
): Promise<void> {
  await upsertOrgan(
    db,
    name,
    {
      contactName: contact.name,
      contactMobile: contact.mobile ?? null,
      contactWecom: contact.wecom ?? null,
      contactDingtalk: contact.dingtalk ?? null,
    },
    at,
  );
}

/**
 * Three messages to WeCom users (`User0`…) that failed because WeCom is not set up, tried at `now` and
 * retried an hour later; their idempotency keys are `keyPrefix` and their number.
 */
export async function seedFailedMessages(db: Db, now: Date, keyPrefix: string): Promise<void> {
  await db
    .insertInto('outbox')
    .values(
      [0, 1, 2].map((i) => ({
        channel: 'wecom' as const,
        target_kind: 'user',
        target_address: `User${i}`,
        payload: JSON.stringify({ text: `通知 ${i}` }),
        idempotency_key: `${keyPrefix}${i}`,
        status: 'failed' as const,
        attempts: 2,
        not_before: new Date(now.getTime() + 3600_000),
        last_error: 'channel_disabled: channel wecom is not configured',
        created_at: now,
        first_tried_at: now,
      })),
    )
    .execute();
}
