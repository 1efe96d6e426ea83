import type { Db } from '../../../db/client.ts';
import { normalizeExternalId } from '../../../db/external-id.ts';
import { listLiveCongresses } from '../../../db/repositories/congresses.ts';
import {
  findBoundStaffGroupId,
  listGroupAddresses,
  listMeetingGroupsWithoutLeader,
  listStationsWithoutHead,
} from '../../../db/repositories/groups.ts';
import { activePeopleWithRoles } from '../../../db/repositories/mandates.ts';
import { findOrganChatIds } from '../../../db/repositories/organs.ts';
import {
  findPersonIdsByNormalizedId,
  findPersonIdsOfCongressByNameOrMobile,
  listIdentitiesOfPerson,
} from '../../../db/repositories/people.ts';
import type { BindingKind, Channel, MessageChannel } from '../../../db/schema.ts';
import type { Config } from '../../config.ts';
import { type Executor, enqueue, splitText, type TargetKind } from '../../messaging/index.ts';
import { ruleBinds } from '../../statute/rule-scope.ts';
import type { RuleId } from '../../statute/rules.ts';

// Whom a reminder or notice reaches and how: a person on each chat channel they are known on, or a group
// through its chat binding (DESIGN.md "How messages reach people and groups"). Staff are the congress's
// staff group when the service can send through one of its bindings, else every active staff member.

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
  // WeCom's intelligent robot in the group chat, over its long connection.
  'wecom_bot',
  'wecom_appchat',
  'dingtalk_robot',
  'dingtalk_conversation',
];

/** Whether the service can send through a binding of this kind: WeCom's intelligent robot only when configured. */
export const bindingUsable = (kind: BindingKind, config: Pick<Config, 'wecomBot'>): boolean =>
  kind !== 'wecom_bot' || config.wecomBot !== undefined;

/**
 * The binding kinds the service can send through, in the order of preference: what the set-based reminder
 * run and the staff group's choice are given, so a query picks the chat groupRoute would.
 */
export const usableGroupKinds = (config: Pick<Config, 'wecomBot'>): BindingKind[] =>
  GROUP_PREFERENCE.filter((kind) => bindingUsable(kind, config));

/**
 * The route a notice to a group takes: of its bindings the service can send through, one per channel, in
 * the order of preference. A binding it cannot use (the intelligent robot's chat without the robot) is
 * passed over, so the group's next chat on that platform carries it. Broadcasts, their previews and the
 * staff group's alerts all take the group's route from here.
 */
export function groupRoute<B extends { channel: Channel; kind: BindingKind }>(
  bindings: readonly B[],
  config: Pick<Config, 'wecomBot'>,
): B[] {
  const out: B[] = [];
  for (const kind of GROUP_PREFERENCE) {
    const b = bindings.find((x) => x.kind === kind && bindingUsable(x.kind, config));
    if (b && !out.some((a) => a.channel === b.channel)) out.push(b);
  }
  return out;
}

/** Where a message to the target goes: a person's or an organ's chat ids, a group's route. */
export async function addressesOf(
  db: Executor,
  t: Target,
  config: Pick<Config, 'wecomBot'>,
): Promise<Address[]> {
  if (t.kind === 'person') {
    const ids = await listIdentitiesOfPerson(db, t.personId);
    return ids.map((i) => ({ channel: i.channel, targetKind: 'user', address: i.external_id }));
  }
  if (t.kind === 'organ') {
    const o = await findOrganChatIds(db, t.organId);
    const out: Address[] = [];
    if (o?.contact_wecom) out.push({ channel: 'wecom', targetKind: 'user', address: o.contact_wecom });
    if (o?.contact_dingtalk)
      out.push({ channel: 'dingtalk', targetKind: 'user', address: o.contact_dingtalk });
    return out;
  }
  return groupRoute(await listGroupAddresses(db, [t.groupId]), config).map((b) => ({
    channel: b.channel,
    targetKind: b.kind,
    address: b.address,
  }));
}

/**
 * The congress's staff: its staff group when the service can send through one of its bindings (a group
 * bound only to the intelligent robot's chat, with no robot, reaches nobody), else each active staff member.
 */
export async function staffTargets(
  db: Db,
  congressId: number,
  config: Pick<Config, 'wecomBot'>,
): Promise<Target[]> {
  const groupId = await findBoundStaffGroupId(db, congressId, usableGroupKinds(config));
  if (groupId !== undefined) return [{ kind: 'group', groupId }];
  const people = await activePeopleWithRoles(db, congressId, ['staff', 'approver', 'admin']);
  return people.map((personId) => ({ kind: 'person', personId }));
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
  return listLiveCongresses(db);
}

/** Live congresses the rule binds (its scope in the catalog, or the congress's own setting): reminders go only there. */
export async function congressesBoundBy(db: Db, rule: RuleId) {
  return (await listLiveCongresses(db)).filter((c) => ruleBinds(rule, c));
}

/** A person named by a congress setting (a chat id, mobile or name), when there is exactly one. */
export async function personByMention(db: Db, congressId: number, mention: string): Promise<number | null> {
  const byId = await findPersonIdsByNormalizedId(db, [
    normalizeExternalId('dingtalk', mention),
    normalizeExternalId('wecom', mention),
  ]);
  if (byId.length === 1) return byId[0]!;
  const byName = await findPersonIdsOfCongressByNameOrMobile(db, congressId, mention);
  return byName.length === 1 ? byName[0]! : null;
}

/**
 * Where a reminder the congress is bound by has nobody of its own to reach: stations without a head (S10,
 * 山西 第三十三条: 站长) and deputy groups without a leader (S1: only staff are reminded). The console's
 * overview lists them so they are not skipped silently.
 */
export async function unremindedOf(
  db: Db,
  congress: { id: number; name: string; level: string; settings: unknown },
  config: Pick<Config, 'wecomBot'>,
): Promise<{
  stations: string[];
  groups: { name: string; kind: 'small' | 'large' }[];
  staffReachable: boolean;
}> {
  const stations = ruleBinds('S10', congress)
    ? (await listStationsWithoutHead(db, congress.id)).map((s) => s.name)
    : [];
  const groups = ruleBinds('S1', congress)
    ? (await listMeetingGroupsWithoutLeader(db, congress.id)).map((g) => ({
        name: g.name,
        kind: g.kind as 'small' | 'large',
      }))
    : [];
  const staffReachable = (await staffTargets(db, congress.id, config)).length > 0;
  return { stations, groups, staffReachable };
}
