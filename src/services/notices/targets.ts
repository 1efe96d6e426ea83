import type { Db } from '../../../db/client.ts';
import type { BindingKind, MessageChannel } from '../../../db/schema.ts';
import { type Executor, enqueue, type TargetKind } from '../../messaging/outbox.ts';
import { splitText } from '../../messaging/split.ts';

// Whom a reminder or notice reaches and how: a person on each chat channel they are known on, or a group
// through its chat binding (DESIGN.md "How messages reach people and groups"). Staff are the congress's
// staff group when it has a binding, else every active staff member.

/** WeCom's text limit (message/send and group robots) in UTF-8 bytes; DingTalk robots take more. */
export const MAX_TEXT_BYTES = 2048;

export type Target =
  | { kind: 'person'; personId: number }
  | { kind: 'group'; groupId: number }
  /** A handling organ's contact (S8), reached by the chat ids recorded with the organ. */
  | { kind: 'organ'; organId: number };

export const targetKey = (t: Target): string =>
  t.kind === 'person'
    ? `person:${t.personId}`
    : t.kind === 'group'
      ? `group:${t.groupId}`
      : `organ:${t.organId}`;

export interface Address {
  channel: MessageChannel;
  targetKind: TargetKind;
  address: string;
}

// A group chat is reached once per channel: a robot before an app-created chat or the enterprise robot.
const GROUP_PREFERENCE: BindingKind[] = [
  'wecom_robot',
  'wecom_appchat',
  'dingtalk_robot',
  'dingtalk_conversation',
];

export async function addressesOf(db: Executor, t: Target): Promise<Address[]> {
  if (t.kind === 'person') {
    const ids = await db
      .selectFrom('person_identities')
      .select(['channel', 'external_id'])
      .where('person_id', '=', t.personId)
      .orderBy('channel')
      .execute();
    return ids.map((i) => ({ channel: i.channel, targetKind: 'user', address: i.external_id }));
  }
  if (t.kind === 'organ') {
    const o = await db
      .selectFrom('organs')
      .select(['contact_wecom', 'contact_dingtalk'])
      .where('id', '=', t.organId)
      .executeTakeFirst();
    const out: Address[] = [];
    if (o?.contact_wecom) out.push({ channel: 'wecom', targetKind: 'user', address: o.contact_wecom });
    if (o?.contact_dingtalk)
      out.push({ channel: 'dingtalk', targetKind: 'user', address: o.contact_dingtalk });
    return out;
  }
  const bindings = await db
    .selectFrom('group_bindings')
    .select(['channel', 'kind', 'address'])
    .where('group_id', '=', t.groupId)
    .execute();
  const out: Address[] = [];
  for (const kind of GROUP_PREFERENCE) {
    const b = bindings.find((x) => x.kind === kind);
    if (b && !out.some((a) => a.channel === b.channel)) {
      out.push({ channel: b.channel, targetKind: b.kind, address: b.address });
    }
  }
  return out;
}

/** The congress's staff: its staff group when that group can be reached, else each active staff member. */
export async function staffTargets(db: Db, congressId: number): Promise<Target[]> {
  const group = await db
    .selectFrom('groups as g')
    .innerJoin('group_bindings as b', 'b.group_id', 'g.id')
    .select('g.id')
    .where('g.congress_id', '=', congressId)
    .where('g.kind', '=', 'staff')
    .orderBy('g.id')
    .executeTakeFirst();
  if (group) return [{ kind: 'group', groupId: group.id }];
  const people = await db
    .selectFrom('mandates')
    .select('person_id')
    .where('congress_id', '=', congressId)
    .where('role', 'in', ['staff', 'approver', 'admin'])
    .where('status', '=', 'active')
    .orderBy('person_id')
    .execute();
  return people.map((p) => ({ kind: 'person', personId: p.person_id }));
}

export interface QueueOptions {
  idempotencyKey: string;
  cause: string;
  notBefore?: Date;
}

/**
 * Queues a text to one address, split at sentence boundaries into parts the platform takes (never cut
 * mid-sentence unless one sentence alone is too long). Returns the first part's outbox id.
 */
export async function queueText(
  db: Executor,
  to: Address,
  text: string,
  o: QueueOptions,
): Promise<number | null> {
  const parts = splitText(text, MAX_TEXT_BYTES);
  let first: number | null = null;
  for (const [i, part] of parts.entries()) {
    const id = await enqueue(db, {
      channel: to.channel,
      targetKind: to.targetKind,
      targetAddress: to.address,
      payload: parts.length > 1 ? { text: part, part: { index: i + 1, of: parts.length } } : { text: part },
      idempotencyKey: parts.length > 1 ? `${o.idempotencyKey}:p${i + 1}` : o.idempotencyKey,
      cause: o.cause,
      ...(o.notBefore ? { notBefore: o.notBefore } : {}),
    });
    first ??= id;
  }
  return first;
}

/** Congresses whose term is running (an archived congress gets no reminders). */
export async function activeCongresses(db: Db) {
  return db
    .selectFrom('congresses')
    .select(['id', 'name', 'level', 'settings'])
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Active deputies of a congress (optionally only those in the named groups), as person targets. */
export async function deputyTargets(db: Db, congressId: number, groupNames?: string[]): Promise<Target[]> {
  let q = db
    .selectFrom('mandates as m')
    .select('m.person_id')
    .where('m.congress_id', '=', congressId)
    .where('m.role', '=', 'deputy')
    .where('m.status', '=', 'active');
  if (groupNames) {
    if (groupNames.length === 0) return [];
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('groups as g')
          .select('g.id')
          .where('g.name', 'in', groupNames)
          .where((e2) =>
            e2.or([e2('g.id', '=', e2.ref('m.large_group_id')), e2('g.id', '=', e2.ref('m.small_group_id'))]),
          ),
      ),
    );
  }
  const rows = await q.orderBy('m.person_id').execute();
  return rows.map((r) => ({ kind: 'person', personId: r.person_id }));
}

/** A person named by a congress setting (a chat id, mobile or name), when there is exactly one. */
export async function personByMention(db: Db, congressId: number, mention: string): Promise<number | null> {
  const byId = await db
    .selectFrom('person_identities')
    .select('person_id')
    .where('external_id_norm', 'in', [mention, mention.toLowerCase()])
    .execute();
  if (byId.length === 1) return byId[0]!.person_id;
  const byName = await db
    .selectFrom('people as p')
    .innerJoin('mandates as m', 'm.person_id', 'p.id')
    .select('p.id')
    .where('m.congress_id', '=', congressId)
    .where((eb) => eb.or([eb('p.name', '=', mention), eb('p.mobile', '=', mention)]))
    .execute();
  return byName.length === 1 ? byName[0]!.id : null;
}
