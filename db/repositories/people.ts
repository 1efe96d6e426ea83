import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { normalizeExternalId } from '../external-id.ts';
import type { Channel, MandateRole, MandateStatus } from '../schema.ts';
import { liveMandate } from './mandates.ts';

// People, their chat identities and their mandates (a seat in one congress each).

// PostgreSQL takes at most 65,535 parameters in one statement: look ids up in chunks.
const CHUNK = 5000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The ids of the people known by any of these WeCom ids, DingTalk ids (either as given) or mobiles. */
export async function findPersonIdsByAnyId(
  db: Db,
  ids: { wecom: string[]; dingtalk: string[]; mobile: string[] },
): Promise<number[]> {
  const found = new Set<number>();
  for (const [channel, list] of [
    ['wecom', ids.wecom],
    ['dingtalk', ids.dingtalk],
  ] as const) {
    for (const part of chunks([...new Set(list.map((id) => normalizeExternalId(channel, id)))])) {
      const rows = await db
        .selectFrom('person_identities')
        .select('person_id')
        .where('channel', '=', channel)
        .where('external_id_norm', 'in', part)
        .execute();
      for (const r of rows) found.add(r.person_id);
    }
  }
  for (const part of chunks([...new Set(ids.mobile)])) {
    const rows = await db.selectFrom('people').select('id').where('mobile', 'in', part).execute();
    for (const r of rows) found.add(r.id);
  }
  return [...found];
}

export interface PersonWithIds {
  id: number;
  name: string;
  mobile: string | null;
  wecom: string | null;
  dingtalk: string | null;
}

/** People with their chat ids. */
export async function loadPeople(db: Db, personIds: number[]): Promise<PersonWithIds[]> {
  const out: PersonWithIds[] = [];
  for (const part of chunks(personIds)) {
    const people = await db
      .selectFrom('people')
      .select(['id', 'name', 'mobile'])
      .where('id', 'in', part)
      .execute();
    const ids = await db
      .selectFrom('person_identities')
      .select(['person_id', 'channel', 'external_id'])
      .where('person_id', 'in', part)
      .execute();
    const byPerson = new Map<number, { wecom: string | null; dingtalk: string | null }>();
    for (const i of ids) {
      const e = byPerson.get(i.person_id) ?? { wecom: null, dingtalk: null };
      e[i.channel] = i.external_id;
      byPerson.set(i.person_id, e);
    }
    for (const p of people) out.push({ ...p, ...(byPerson.get(p.id) ?? { wecom: null, dingtalk: null }) });
  }
  return out;
}

export interface MandateRow {
  id: number;
  person_id: number;
  congress_id: number;
  electoral_unit: string | null;
  large_group_id: number | null;
  small_group_id: number | null;
  station_id: number | null;
  role: MandateRole;
  status: MandateStatus;
}

const MANDATE_COLUMNS = [
  'id',
  'person_id',
  'congress_id',
  'electoral_unit',
  'large_group_id',
  'small_group_id',
  'station_id',
  'role',
  'status',
] as const;

export async function loadMandatesOfPeople(db: Db, personIds: number[]): Promise<MandateRow[]> {
  const out: MandateRow[] = [];
  for (const part of chunks(personIds)) {
    out.push(
      ...(await db.selectFrom('mandates').select(MANDATE_COLUMNS).where('person_id', 'in', part).execute()),
    );
  }
  return out;
}

export async function insertPerson(db: Db, p: { name: string; mobile: string | null }): Promise<number> {
  const row = await db
    .insertInto('people')
    .values({ name: p.name, mobile: p.mobile })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A new person with their chat ids and first mandate, in one statement (a large roster import
 * creates thousands; one round trip each instead of four).
 */
export async function insertPersonWithMandate(
  db: Db,
  p: {
    name: string;
    mobile: string | null;
    wecom: string | null;
    dingtalk: string | null;
  },
  m: Omit<MandateRow, 'id' | 'person_id'>,
): Promise<{ personId: number; mandateId: number }> {
  // The ids are stored as given and in the one normal form they are looked up by.
  const wecomNorm = p.wecom === null ? null : normalizeExternalId('wecom', p.wecom);
  const dingtalkNorm = p.dingtalk === null ? null : normalizeExternalId('dingtalk', p.dingtalk);
  const r = await sql<{ person_id: number; mandate_id: number }>`
    with p as (
      insert into people (name, mobile) values (${p.name}, ${p.mobile}::text) returning id
    ), w as (
      insert into person_identities (person_id, channel, external_id, external_id_norm)
      select id, 'wecom', ${p.wecom}::text, ${wecomNorm}::text from p where ${p.wecom}::text is not null
    ), d as (
      insert into person_identities (person_id, channel, external_id, external_id_norm)
      select id, 'dingtalk', ${p.dingtalk}::text, ${dingtalkNorm}::text from p where ${p.dingtalk}::text is not null
    ), m as (
      insert into mandates
        (person_id, congress_id, electoral_unit, large_group_id, small_group_id, station_id, role, status)
      select id, ${m.congress_id}::integer, ${m.electoral_unit}::text, ${m.large_group_id}::integer,
        ${m.small_group_id}::integer, ${m.station_id}::integer, ${m.role}::text, ${m.status}::text
      from p
      returning id, person_id
    )
    select person_id, id as mandate_id from m`.execute(db);
  const row = r.rows[0]!;
  return { personId: row.person_id, mandateId: row.mandate_id };
}

export async function updatePerson(
  db: Db,
  id: number,
  patch: { name?: string; mobile?: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable('people')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Sets a person's id on a channel (one per channel), replacing an older one. */
export async function setIdentity(
  db: Db,
  personId: number,
  channel: Channel,
  externalId: string,
): Promise<void> {
  const norm = normalizeExternalId(channel, externalId);
  await db
    .insertInto('person_identities')
    .values({ person_id: personId, channel, external_id: externalId, external_id_norm: norm })
    .onConflict((oc) =>
      oc.columns(['person_id', 'channel']).doUpdateSet({ external_id: externalId, external_id_norm: norm }),
    )
    .execute();
}

export async function insertMandate(
  db: Db,
  m: Omit<MandateRow, 'id' | 'status'> & { status: MandateStatus },
): Promise<number> {
  const row = await db.insertInto('mandates').values(m).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMandate(
  db: Db,
  id: number,
  patch: Partial<
    Pick<MandateRow, 'electoral_unit' | 'large_group_id' | 'small_group_id' | 'station_id' | 'role'>
  >,
  at: Date,
): Promise<void> {
  await db
    .updateTable('mandates')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A mandate with what a status change needs to know, locked for the change when `forUpdate`. */
export async function findMandateForStatus(db: Db, id: number, forUpdate = false) {
  let q = db
    .selectFrom('mandates as m')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.id', 'm.person_id', 'm.congress_id', 'm.status', 'c.name as congress', 'p.name'])
    .where('m.id', '=', id);
  if (forUpdate) q = q.forUpdate('m');
  return q.executeTakeFirst();
}

export async function setMandateStatus(
  db: Db,
  id: number,
  status: MandateStatus,
  reason: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('mandates')
    .set({ status, status_reason: reason, status_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function insertStatusChange(
  db: Db,
  c: {
    mandateId: number;
    from: MandateStatus;
    to: MandateStatus;
    reason: string;
    changedBy: string;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('mandate_status_changes')
    .values({
      mandate_id: c.mandateId,
      from_status: c.from,
      to_status: c.to,
      reason: c.reason,
      changed_by: c.changedBy,
      changed_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface DeputyFilter {
  congressId?: number | undefined;
  status?: MandateStatus | undefined;
  groupId?: number | undefined;
  q?: string | undefined;
  mandateId?: number | undefined;
  /** The list's order (the console's sortable columns); by congress and entry otherwise. */
  sort?: { by: 'name' | 'unit' | 'status'; dir: 'asc' | 'desc' } | undefined;
  limit: number;
  offset: number;
}

const DEPUTY_SORT = { name: 'p.name', unit: 'm.electoral_unit', status: 'm.status' } as const;

export interface DeputyRow {
  id: number;
  person_id: number;
  name: string;
  mobile: string | null;
  wecom: string | null;
  dingtalk: string | null;
  congress_id: number;
  congress: string;
  level: string;
  electoral_unit: string | null;
  large_group: string | null;
  small_group: string | null;
  station: string | null;
  role: MandateRole;
  status: MandateStatus;
  status_reason: string | null;
  status_changed_at: Date | null;
}

/** Mandates (m) with their person (p) and the person's WeCom (wi) and DingTalk (di) ids, if any. */
export function mandatesWithChatIds(db: Db) {
  return db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('person_identities as wi', (j) =>
      j.onRef('wi.person_id', '=', 'p.id').on('wi.channel', '=', 'wecom'),
    )
    .leftJoin('person_identities as di', (j) =>
      j.onRef('di.person_id', '=', 'p.id').on('di.channel', '=', 'dingtalk'),
    );
}

function deputyQuery(db: Db, f: Omit<DeputyFilter, 'limit' | 'offset'>) {
  let q = mandatesWithChatIds(db)
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .leftJoin('groups as lg', 'lg.id', 'm.large_group_id')
    .leftJoin('groups as sg', 'sg.id', 'm.small_group_id')
    .leftJoin('stations as st', 'st.id', 'm.station_id');
  if (f.mandateId !== undefined) q = q.where('m.id', '=', f.mandateId);
  if (f.congressId !== undefined) q = q.where('m.congress_id', '=', f.congressId);
  if (f.status !== undefined) q = q.where('m.status', '=', f.status);
  if (f.groupId !== undefined) {
    const g = f.groupId;
    q = q.where((eb) => eb.or([eb('m.large_group_id', '=', g), eb('m.small_group_id', '=', g)]));
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const q0 = f.q;
    q = q.where((eb) =>
      eb.or([
        eb('p.name', 'like', like),
        eb('p.mobile', '=', q0),
        eb('wi.external_id_norm', '=', normalizeExternalId('wecom', q0)),
        eb('di.external_id_norm', '=', normalizeExternalId('dingtalk', q0)),
        eb('m.electoral_unit', 'like', like),
      ]),
    );
  }
  return q;
}

/** The roster: one row per mandate, with the person's ids, groups and station. */
export async function listDeputies(db: Db, f: DeputyFilter): Promise<{ rows: DeputyRow[]; total: number }> {
  let q = deputyQuery(db, f);
  if (f.sort) q = q.orderBy(DEPUTY_SORT[f.sort.by], f.sort.dir);
  const rows = await q
    .select([
      'm.id',
      'm.person_id',
      'p.name',
      'p.mobile',
      'wi.external_id as wecom',
      'di.external_id as dingtalk',
      'm.congress_id',
      'c.name as congress',
      'c.level',
      'm.electoral_unit',
      'lg.name as large_group',
      'sg.name as small_group',
      'st.name as station',
      'm.role',
      'm.status',
      'm.status_reason',
      'm.status_changed_at',
    ])
    .orderBy('m.congress_id')
    .orderBy('m.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await deputyQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** The mandates of one congress with the person's name and ids (for the import's `missing`). */
export async function listMandatesOfCongress(db: Db, congressId: number) {
  return mandatesWithChatIds(db)
    .select([
      'm.id',
      'm.person_id',
      'm.status',
      'p.name',
      'p.mobile',
      'wi.external_id as wecom',
      'di.external_id as dingtalk',
    ])
    .where('m.congress_id', '=', congressId)
    .orderBy('m.id')
    .execute();
}

/** A person by a WeCom userid (any case), a DingTalk userid or a mobile; several matches are returned. */
export async function findPeopleByAnyId(db: Db, value: string): Promise<{ id: number; name: string }[]> {
  const ids = await findPersonIdsByAnyId(db, {
    wecom: [value],
    dingtalk: [value],
    mobile: [value],
  });
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** The people known by this WeCom id, DingTalk id or mobile who hold a seat in the congress. */
export async function findPeopleByAnyIdIn(
  db: Db,
  value: string,
  congressId: number,
): Promise<{ id: number; name: string }[]> {
  const ids = await findPersonIdsByAnyId(db, { wecom: [value], dingtalk: [value], mobile: [value] });
  if (ids.length === 0) return [];
  return db
    .selectFrom('people')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('id', 'in', db.selectFrom('mandates').select('person_id').where('congress_id', '=', congressId))
    .execute();
}

/** Whether the person holds a mandate in the congress. */
export async function hasMandateIn(db: Db, personId: number, congressId: number): Promise<boolean> {
  const row = await db
    .selectFrom('mandates')
    .select('id')
    .where('person_id', '=', personId)
    .where('congress_id', '=', congressId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * People of a congress that staff named by a free reference (a setting's host, an activity's organiser):
 * by name, mobile or chat id (WeCom ids compare without regard to case).
 */
export async function findPeopleOfCongressByReference(
  db: Pick<Db, 'selectFrom'>,
  congressId: number,
  references: string[],
): Promise<number[]> {
  const refs = references.map((r) => r.trim()).filter((r) => r !== '');
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom('people as p')
    .innerJoin('mandates as m', 'm.person_id', 'p.id')
    .leftJoin('person_identities as i', 'i.person_id', 'p.id')
    .select('p.id')
    .distinct()
    .where('m.congress_id', '=', congressId)
    .where((eb) =>
      eb.or([
        eb('p.name', 'in', refs),
        eb('p.mobile', 'in', refs),
        eb('i.external_id', 'in', refs),
        eb(
          'i.external_id_norm',
          'in',
          refs.map((r) => normalizeExternalId('wecom', r)),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** A person's name ('' when there is no such person). */
export async function findPersonName(db: Db, personId: number): Promise<string> {
  const row = await db.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst();
  return row?.name ?? '';
}

/**
 * A seat in a congress by the holder's chat id: a WeCom id compares without regard to case, a DingTalk id
 * exactly. Any role; the caller decides which roles count.
 */
export async function findSeatByChatId(db: Db, congressId: number, userid: string) {
  return db
    .selectFrom('person_identities as i')
    .innerJoin('mandates as m', 'm.person_id', 'i.person_id')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .select(['m.id as mandateId', 'm.person_id as personId', 'm.role', 'm.status', 'p.name'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('i.channel', '=', 'wecom'),
          eb('i.external_id_norm', '=', normalizeExternalId('wecom', userid)),
        ]),
        eb.and([
          eb('i.channel', '=', 'dingtalk'),
          eb('i.external_id_norm', '=', normalizeExternalId('dingtalk', userid)),
        ]),
      ]),
    )
    .where('m.congress_id', '=', congressId)
    .executeTakeFirst();
}

/** The person's live deputy seats (see liveMandate), oldest first, with their congress and groups. */
export async function listLiveDeputySeats(db: Db, personId: number) {
  return liveDeputySeatsOf(db, personId)
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'm.id as mandateId',
      'm.congress_id as congressId',
      'c.name as congressName',
      'c.level',
      'c.settings',
      'p.name as personName',
      'lg.name as largeGroup',
      'sg.name as smallGroup',
    ])
    .execute();
}

/** The person's live deputy seats (m) with their congress (c) and groups (lg, sg), oldest first. */
function liveDeputySeatsOf(db: Db, personId: number) {
  return db
    .selectFrom('mandates as m')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .leftJoin('groups as lg', 'lg.id', 'm.large_group_id')
    .leftJoin('groups as sg', 'sg.id', 'm.small_group_id')
    .where('m.person_id', '=', personId)
    .where('m.role', '=', 'deputy')
    .where(liveMandate('m', 'c'))
    .orderBy('m.id');
}

/**
 * Where each live deputy seat of the person sits: its groups and station, with their leaders' names (the
 * deputy asks "我是哪个小组的", "组长是谁", "我在哪个联络站").
 */
export async function listSeatPlaces(db: Db, personId: number) {
  return liveDeputySeatsOf(db, personId)
    .leftJoin('people as lgl', 'lgl.id', 'lg.leader_person_id')
    .leftJoin('people as sgl', 'sgl.id', 'sg.leader_person_id')
    .leftJoin('stations as st', 'st.id', 'm.station_id')
    .leftJoin('people as sth', 'sth.id', 'st.head_person_id')
    .select([
      'c.name as congressName',
      'lg.name as largeGroup',
      'lgl.name as largeGroupLeader',
      'sg.name as smallGroup',
      'sgl.name as smallGroupLeader',
      'st.name as station',
      'sth.name as stationHead',
    ])
    .execute();
}

/** Every deputy seat of the person, live or not, with its congress and groups. */
export async function listDeputySeatsOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('mandates as m')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .leftJoin('groups as lg', 'lg.id', 'm.large_group_id')
    .leftJoin('groups as sg', 'sg.id', 'm.small_group_id')
    .select([
      'm.id',
      'm.status',
      'm.role',
      'c.name as congress',
      'c.archived_at',
      'c.term_starts_on',
      'c.term_ends_on',
      'm.large_group_id',
      'm.small_group_id',
      'lg.name as large_group',
      'sg.name as small_group',
    ])
    .where('m.person_id', '=', personId)
    .where('m.role', '=', 'deputy')
    .execute();
}

/** A deputy mandate with its holder's name and congress (for certificates). */
export async function findDeputyMandate(db: Db, mandateId: number) {
  return db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .select(['m.id', 'm.congress_id', 'm.electoral_unit', 'p.name', 'c.name as congress'])
    .where('m.id', '=', mandateId)
    .where('m.role', '=', 'deputy')
    .executeTakeFirst();
}

/** A person's chat identities (channel and raw id), by channel. */
export async function listIdentitiesOfPerson(
  db: Db,
  personId: number,
): Promise<{ channel: Channel; external_id: string }[]> {
  return db
    .selectFrom('person_identities')
    .select(['channel', 'external_id'])
    .where('person_id', '=', personId)
    .orderBy('channel')
    .execute();
}

/** People whose normalized chat id is one of these values (one row per identity). */
export async function findPersonIdsByNormalizedId(db: Db, values: string[]): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await db
    .selectFrom('person_identities')
    .select('person_id')
    .where('external_id_norm', 'in', values)
    .execute();
  return rows.map((r) => r.person_id);
}

/** People holding a mandate in the congress whose name or mobile is this (one row per mandate). */
export async function findPersonIdsOfCongressByNameOrMobile(
  db: Db,
  congressId: number,
  nameOrMobile: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom('people as p')
    .innerJoin('mandates as m', 'm.person_id', 'p.id')
    .select('p.id')
    .where('m.congress_id', '=', congressId)
    .where((eb) => eb.or([eb('p.name', '=', nameOrMobile), eb('p.mobile', '=', nameOrMobile)]))
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Deputies of these congresses that staff named by name, chat id (WeCom ids compare lower-cased) or
 * mobile, with their chat ids (one row per id).
 */
export async function findDeputiesOfCongresses(db: Db, congressIds: number[], who: string) {
  return db
    .selectFrom('people as p')
    .innerJoin('mandates as m', 'm.person_id', 'p.id')
    .leftJoin('person_identities as i', 'i.person_id', 'p.id')
    .select(['p.id', 'p.name', 'i.external_id as userid'])
    .distinct()
    .where('m.congress_id', 'in', congressIds)
    .where('m.role', '=', 'deputy')
    .where((eb) =>
      eb.or([
        eb('p.name', '=', who),
        eb('i.external_id_norm', '=', normalizeExternalId('wecom', who)),
        eb('p.mobile', '=', who),
      ]),
    )
    .execute();
}

/**
 * Deputies of these congresses whose full name appears in `text` ("查一下张秀英代表的建议"), longest names
 * first, so 张秀英 wins over a 张秀 who is also on the roster. Seats of any status: staff look up the
 * items of a deputy whose mandate ended too.
 */
export async function deputiesNamedIn(db: Db, text: string, congressIds: readonly number[]) {
  if (congressIds.length === 0 || text.trim() === '') return [];
  return db
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id as personId', 'p.name', sql<number>`char_length(p.name)`.as('length')])
    .distinct()
    .where('m.role', '=', 'deputy')
    .where('m.congress_id', 'in', [...congressIds])
    .where(sql<number>`char_length(p.name)`, '>=', 2)
    .where(sql<number>`strpos(${text}, p.name)`, '>', 0)
    .orderBy('length', 'desc')
    .orderBy('p.id')
    .limit(20)
    .execute();
}
