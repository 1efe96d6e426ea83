import type { Db } from '../client.ts';
import type { BindingKind, Channel, GroupKind } from '../schema.ts';
import { liveMandate } from './mandates.ts';

// Deputy groups (代表大组/代表小组), liaison stations (联络站) and how a group is reached.

export interface GroupRow {
  id: number;
  congress_id: number;
  name: string;
  kind: GroupKind;
}

export interface StationRow {
  id: number;
  congress_id: number;
  name: string;
}

export async function loadGroups(db: Db): Promise<GroupRow[]> {
  return db.selectFrom('groups').select(['id', 'congress_id', 'name', 'kind']).execute();
}

export async function loadStations(db: Db): Promise<StationRow[]> {
  return db.selectFrom('stations').select(['id', 'congress_id', 'name']).execute();
}

export async function insertGroup(
  db: Db,
  g: { congressId: number; name: string; kind: GroupKind },
): Promise<number> {
  const row = await db
    .insertInto('groups')
    .values({ congress_id: g.congressId, name: g.name, kind: g.kind })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertStation(db: Db, s: { congressId: number; name: string }): Promise<number> {
  const row = await db
    .insertInto('stations')
    .values({ congress_id: s.congressId, name: s.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Groups of this name, in every congress or in one. */
export async function findGroupsByName(db: Db, name: string, congressId: number | null) {
  let q = db
    .selectFrom('groups as g')
    .innerJoin('congresses as c', 'c.id', 'g.congress_id')
    .select(['g.id', 'g.congress_id', 'g.name', 'g.kind', 'g.leader_person_id', 'c.name as congress'])
    .where('g.name', '=', name);
  if (congressId !== null) q = q.where('g.congress_id', '=', congressId);
  return q.execute();
}

export async function setGroupLeader(
  db: Db,
  groupId: number,
  personId: number | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable('groups')
    .set({ leader_person_id: personId, updated_at: at })
    .where('id', '=', groupId)
    .execute();
}

/**
 * Whom a group's leader is chosen from: a live seat in the group's own congress — a deputy's for a deputy
 * group, a staff member's for a staff group. A person holds one seat per congress, so each comes once.
 */
function leaderCandidatesOf(db: Db, groupId: number) {
  return db
    .selectFrom('groups as g')
    .innerJoin('mandates as m', 'm.congress_id', 'g.congress_id')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .where('g.id', '=', groupId)
    .where(liveMandate('m', 'c'))
    .where((eb) =>
      eb.or([
        eb.and([eb('g.kind', '!=', 'staff'), eb('m.role', '=', 'deputy')]),
        eb.and([eb('g.kind', '=', 'staff'), eb('m.role', '!=', 'deputy')]),
      ]),
    );
}

export interface LeaderCandidate {
  id: number;
  name: string;
  mobile: string | null;
  /** Their seat is in this group (as its large or small group). */
  member: boolean;
  /** The small (else large) group their seat is in, if any. */
  group: string | null;
  /** A WeCom or DingTalk account reaches them (the group's reminders need one). */
  reachable: boolean;
}

/** The people a group's leader may be chosen from (leaderCandidatesOf), by id. */
export async function listLeaderCandidates(db: Db, groupId: number): Promise<LeaderCandidate[]> {
  const rows = await leaderCandidatesOf(db, groupId)
    .leftJoin('groups as sg', 'sg.id', 'm.small_group_id')
    .leftJoin('groups as lg', 'lg.id', 'm.large_group_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.mobile',
      'sg.name as small_group',
      'lg.name as large_group',
      eb.or([eb('m.small_group_id', '=', groupId), eb('m.large_group_id', '=', groupId)]).as('member'),
      eb
        .exists(eb.selectFrom('person_identities as i').select('i.id').whereRef('i.person_id', '=', 'p.id'))
        .as('reachable'),
    ])
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    mobile: r.mobile,
    member: Boolean(r.member),
    group: r.small_group ?? r.large_group,
    reachable: Boolean(r.reachable),
  }));
}

/** Whether the person is one of the group's leader candidates (listLeaderCandidates). */
export async function isLeaderCandidate(db: Db, groupId: number, personId: number): Promise<boolean> {
  const row = await leaderCandidatesOf(db, groupId)
    .select('p.id')
    .where('p.id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface BindingRow {
  kind: BindingKind;
  address: string;
  secret: string | null;
}

export async function listBindings(db: Db, groupId: number): Promise<BindingRow[]> {
  return db
    .selectFrom('group_bindings')
    .select(['kind', 'address', 'secret'])
    .where('group_id', '=', groupId)
    .execute();
}

/** The group bound to a chat address (e.g. a DingTalk openConversationId), if any. */
export async function findBindingByAddress(
  db: Db,
  kind: BindingKind,
  address: string,
): Promise<{ groupId: number } | undefined> {
  const row = await db
    .selectFrom('group_bindings')
    .select('group_id')
    .where('kind', '=', kind)
    .where('address', '=', address)
    .orderBy('group_id')
    .executeTakeFirst();
  return row ? { groupId: row.group_id } : undefined;
}

export async function upsertBinding(
  db: Db,
  b: { groupId: number; channel: Channel; kind: BindingKind; address: string; secret: string | null },
  at: Date,
): Promise<void> {
  await db
    .insertInto('group_bindings')
    .values({
      group_id: b.groupId,
      channel: b.channel,
      kind: b.kind,
      address: b.address,
      secret: b.secret,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['group_id', 'kind']).doUpdateSet({ address: b.address, secret: b.secret, updated_at: at }),
    )
    .execute();
}

export async function deleteBinding(db: Db, groupId: number, kind: BindingKind): Promise<void> {
  await db.deleteFrom('group_bindings').where('group_id', '=', groupId).where('kind', '=', kind).execute();
}

/** Groups with their leader, count of members in office and which bindings are set (never the secrets). */
export async function listGroupsWithBindings(db: Db, congressId: number | null) {
  let q = db
    .selectFrom('groups as g')
    .innerJoin('congresses as c', 'c.id', 'g.congress_id')
    .leftJoin('people as l', 'l.id', 'g.leader_person_id')
    .select((eb) => [
      'g.id',
      'g.name',
      'g.kind',
      'c.name as congress',
      'g.leader_person_id',
      'l.name as leader_name',
      eb
        .selectFrom('mandates as m')
        .select((e2) => e2.fn.countAll<number>().as('n'))
        .where((e3) =>
          e3.or([e3('m.large_group_id', '=', e3.ref('g.id')), e3('m.small_group_id', '=', e3.ref('g.id'))]),
        )
        // Seats that ended (or a term archived) are no members: the count is who the group's notices reach.
        .where(liveMandate('m', 'c'))
        .as('members'),
    ])
    .orderBy('g.congress_id')
    .orderBy('g.name');
  if (congressId !== null) q = q.where('g.congress_id', '=', congressId);
  const groups = await q.execute();
  const bindings = await db
    .selectFrom('group_bindings as b')
    .innerJoin('groups as g', 'g.id', 'b.group_id')
    .select(['b.group_id', 'b.kind', 'b.secret'])
    .$if(congressId !== null, (qb) => qb.where('g.congress_id', '=', congressId!))
    .execute();
  return { groups, bindings };
}

/** The chat bindings of the given groups with their channel: the addresses a notice to a group can use. */
export async function listGroupAddresses(
  db: Db,
  groupIds: number[],
): Promise<{ group_id: number; channel: Channel; kind: BindingKind; address: string }[]> {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom('group_bindings')
    .select(['group_id', 'channel', 'kind', 'address'])
    .where('group_id', 'in', groupIds)
    .orderBy('id')
    .execute();
}

/** The congress's staff group that a chat binding of one of `kinds` reaches, if any (the first by id). */
export async function findBoundStaffGroupId(
  db: Db,
  congressId: number,
  kinds: readonly BindingKind[],
): Promise<number | undefined> {
  if (kinds.length === 0) return undefined;
  const row = await db
    .selectFrom('groups as g')
    .innerJoin('group_bindings as b', 'b.group_id', 'g.id')
    .select('g.id')
    .where('g.congress_id', '=', congressId)
    .where('g.kind', '=', 'staff')
    .where('b.kind', 'in', kinds)
    .orderBy('g.id')
    .executeTakeFirst();
  return row?.id;
}

/** Deputy groups (large, small) by name, within the given congresses (null: all) and, when names is given, only those names. */
export async function listDeputyGroups(
  db: Db,
  congressIds: number[] | null,
  names: string[] | null,
): Promise<{ id: number; name: string; congress_id: number }[]> {
  let q = db
    .selectFrom('groups as g')
    .select(['g.id', 'g.name', 'g.congress_id'])
    .where('g.kind', 'in', ['large', 'small'])
    .orderBy('g.name');
  if (congressIds !== null) q = q.where('g.congress_id', 'in', congressIds.length > 0 ? congressIds : [-1]);
  if (names !== null) q = q.where('g.name', 'in', names);
  return q.execute();
}

/** The people holding an active deputy seat in a group (its large or small group), each once. */
export async function listGroupMemberPersonIds(db: Db, groupId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('mandates')
    .select('person_id')
    .distinct()
    .where('role', '=', 'deputy')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('large_group_id', '=', groupId), eb('small_group_id', '=', groupId)]))
    .orderBy('person_id')
    .execute();
  return rows.map((r) => r.person_id);
}

/** A group of a congress by its name. */
export async function findGroupOfCongress(db: Db, congressId: number, name: string) {
  return db
    .selectFrom('groups')
    .select(['id', 'kind'])
    .where('congress_id', '=', congressId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** A station of a congress by its name. */
export async function findStationOfCongress(db: Db, congressId: number, name: string) {
  return db
    .selectFrom('stations')
    .select('id')
    .where('congress_id', '=', congressId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** The signing secret of the DingTalk custom robot with this access token, if it is bound. */
export async function findRobotSecret(db: Db, address: string): Promise<string | null> {
  const row = await db
    .selectFrom('group_bindings')
    .select('secret')
    .where('kind', '=', 'dingtalk_robot')
    .where('address', '=', address)
    .executeTakeFirst();
  return row?.secret ?? null;
}

/** A congress's stations with no head (站长): the S10 reminder has nobody to reach there. */
export async function listStationsWithoutHead(db: Db, congressId: number) {
  return db
    .selectFrom('stations')
    .select(['id', 'name'])
    .where('congress_id', '=', congressId)
    .where('head_person_id', 'is', null)
    .orderBy('id')
    .execute();
}

/** A congress's deputy groups (small and large) with no leader: the S1 reminder reaches only staff. */
export async function listMeetingGroupsWithoutLeader(db: Db, congressId: number) {
  return db
    .selectFrom('groups')
    .select(['id', 'name', 'kind'])
    .where('congress_id', '=', congressId)
    .where('kind', 'in', ['small', 'large'])
    .where('leader_person_id', 'is', null)
    .orderBy('id')
    .execute();
}
