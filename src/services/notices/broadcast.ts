import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  addBroadcastGroup,
  broadcastDeliveries,
  findBroadcast,
  insertBroadcast,
  listRunningBroadcasts,
  markBroadcastDone,
} from '../../../db/repositories/broadcasts.ts';
import { listDeputyGroupsReach, listGroupMemberPersonIds } from '../../../db/repositories/groups.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { alsoServes, type Executor, enqueueToPerson } from '../../messaging/index.ts';
import { dateAt } from '../../statute/calendar-date.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { addressesOf, queueText } from './targets.ts';

// 大同 第八条 (S18): staff send notices (《人大工作信息》 and the like) to deputy groups. A broadcast is
// queued in one transaction: one row per group (unique, so each group receives it once) and its messages,
// which the outbox paces by each robot's budget. Like every notice, it goes out in working hours.

export const MAX_BROADCAST_CHARS = 4000;

export type BroadcastTargets = { all: true } | { all: false; groups: string[] };

export interface PlannedGroup {
  id: number;
  name: string;
  reachable: boolean;
  /** A group no robot reaches: how many members hear the notice one by one instead. */
  members: number;
}

export interface BroadcastPlan {
  congressIds: number[];
  groups: PlannedGroup[];
}

/** The deputy groups a broadcast reaches ("全体": every deputy group), within the congresses allowed. */
export async function planBroadcast(
  db: Db,
  congressIds: number[] | null,
  targets: BroadcastTargets,
): Promise<BroadcastPlan> {
  const rows = await listDeputyGroupsReach(db, congressIds, targets.all ? null : targets.groups);
  if (!targets.all) {
    const unknown = targets.groups.filter((n) => !rows.some((r) => r.name === n));
    if (unknown.length > 0) throw new AppError('invalid_body', `没有这些代表群：${unknown.join('、')}`);
  }
  if (rows.length === 0) throw new AppError('invalid_body', '没有可以发送的代表群');
  const groups: PlannedGroup[] = [];
  for (const r of rows) {
    const members = r.reachable ? 0 : (await listGroupMemberPersonIds(db, r.id)).length;
    groups.push({ id: r.id, name: r.name, reachable: r.reachable, members });
  }
  return { congressIds: [...new Set(rows.map((r) => r.congress_id))], groups };
}

export function checkBroadcastText(text: string): string {
  const t = text.trim();
  if (t === '') throw new AppError('invalid_body', '通知内容不能为空');
  if (t.length > MAX_BROADCAST_CHARS)
    throw new AppError('invalid_body', `通知内容最多 ${MAX_BROADCAST_CHARS} 个字`);
  return t;
}

/** Queues a broadcast to the planned groups; returns its id and how many groups it was queued to. */
export async function startBroadcast(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  b: {
    plan: BroadcastPlan;
    targets: string[];
    text: string;
    actor: string;
    senderPersonId: number | null;
    requestId?: string | null;
  },
): Promise<{ id: number; groups: number; unreachable: string[] }> {
  const text = checkBroadcastText(b.text);
  const now = deps.clock.now();
  const cal = await loadWorkCalendar(deps.db);
  const notBefore = nextSendingTime(cal, now, deps.config.timezone);
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertBroadcast(trx, {
      congressId: b.plan.congressIds.length === 1 ? b.plan.congressIds[0]! : null,
      text,
      targets: b.targets,
      actor: b.actor,
      senderPersonId: b.senderPersonId,
      at: now,
    });
    let queued = 0;
    const unreachable: string[] = [];
    for (const g of b.plan.groups) {
      if (!(await addBroadcastGroup(trx, id, g.id, g.name))) continue;
      // A chat bound to WeCom's robot is reached only when the robot's connection is configured.
      const addresses = (await addressesOf(trx, { kind: 'group', groupId: g.id })).filter(
        (a) => a.targetKind !== 'wecom_bot' || deps.config.wecomBot !== undefined,
      );
      if (addresses.length === 0 && (await queueToMembers(trx, id, g, text, notBefore)) === 0) {
        unreachable.push(g.name);
      }
      for (const to of addresses) {
        await queueText(trx, to, `【通知】${text}`, {
          idempotencyKey: `broadcast:${id}:${g.id}:${to.channel}`,
          cause: `broadcast:${id}:${g.id}`,
          notBefore,
        });
      }
      queued++;
    }
    await writeAudit(trx, {
      actor: b.actor,
      action: 'broadcast.create',
      subjectType: 'broadcast',
      subjectId: id,
      requestId: b.requestId ?? null,
      before: null,
      after: { targets: b.targets, text, groups: b.plan.groups.map((g) => g.name), unreachable, notBefore },
    });
    return { id, groups: queued, unreachable };
  });
}

/**
 * A group no robot or connection reaches: each member hears the notice privately, once per broadcast
 * even when in two of its groups, paced by the outbox's per-person budgets. Returns how many members it has.
 */
async function queueToMembers(
  trx: Executor,
  broadcastId: number,
  g: PlannedGroup,
  text: string,
  notBefore: Date,
): Promise<number> {
  const members = await listGroupMemberPersonIds(trx, g.id);
  for (const personId of members) {
    const key = `broadcast:${broadcastId}:member:${personId}`;
    const cause = `broadcast:${broadcastId}:${g.id}`;
    const queued = await enqueueToPerson(
      trx,
      personId,
      { text: `【通知】（${g.name}）${text}` },
      { idempotencyKey: key, cause, notBefore },
    );
    // Already queued for another of the broadcast's groups: that message is this group's too.
    if (queued === 0) await alsoServes(trx, personId, key, cause);
  }
  return members.length;
}

export type GroupProgress = 'waiting' | 'sent' | 'failed' | 'unreachable';

export interface BroadcastProgress {
  id: number;
  status: 'running' | 'done';
  text: string;
  createdAt: Date;
  finishedAt: Date | null;
  totals: Record<GroupProgress, number>;
  groups: { name: string; status: GroupProgress; error: string | null }[];
}

export async function broadcastProgress(
  db: Db,
  id: number,
  congressId: number | null,
): Promise<BroadcastProgress> {
  const b = await findBroadcast(db, id);
  if (!b || (congressId !== null && b.congress_id !== congressId))
    throw new AppError('not_found', `没有编号为 ${id} 的通知`);
  const rows = await broadcastDeliveries(db, id);
  const byGroup = new Map<number, { name: string; statuses: string[]; error: string | null }>();
  for (const r of rows) {
    const g = byGroup.get(r.group_id) ?? { name: r.group_name, statuses: [], error: null };
    if (r.outbox_status) g.statuses.push(r.outbox_status);
    if (r.outbox_status === 'dead') g.error = r.last_error;
    byGroup.set(r.group_id, g);
  }
  const totals: Record<GroupProgress, number> = { waiting: 0, sent: 0, failed: 0, unreachable: 0 };
  const groups = [...byGroup.values()].map((g) => {
    const status: GroupProgress =
      g.statuses.length === 0
        ? 'unreachable'
        : g.statuses.every((s) => s === 'dead')
          ? 'failed'
          : g.statuses.every((s) => s === 'sent' || s === 'dead')
            ? 'sent'
            : 'waiting';
    totals[status]++;
    return { name: g.name, status, error: status === 'failed' ? g.error : null };
  });
  return {
    id,
    status: b.status,
    text: b.text,
    createdAt: b.created_at,
    finishedAt: b.finished_at,
    totals,
    groups,
  };
}

/** Ends every broadcast with nothing left waiting and tells its sender the outcome. Returns lines for the CLI. */
export async function finishBroadcasts(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<string[]> {
  const lines: string[] = [];
  for (const b of await listRunningBroadcasts(deps.db)) {
    const p = await broadcastProgress(deps.db, b.id, null);
    if (p.totals.waiting > 0) continue;
    await deps.db.transaction().execute(async (trx) => {
      if (!(await markBroadcastDone(trx, b.id, deps.clock.now()))) return;
      const failed = p.groups.filter((g) => g.status !== 'sent').map((g) => g.name);
      const text =
        `您发出的通知（编号 ${b.id}）已发送完毕：${p.totals.sent} 个群已送达` +
        (failed.length > 0
          ? `，${failed.length} 个群未送达（${failed.join('、')}），请检查这些群的机器人绑定。`
          : '。');
      if (b.sender_person_id !== null) {
        await enqueueToPerson(
          trx,
          b.sender_person_id,
          { text },
          { idempotencyKey: `broadcast:${b.id}:summary`, cause: `broadcast:${b.id}` },
        );
      }
      lines.push(
        `通知 ${b.id}：已送达 ${p.totals.sent} 个群，未送达 ${failed.length} 个群（${dateAt(deps.clock.now(), deps.config.timezone)}）`,
      );
    });
  }
  return lines;
}

// A broadcast from chat waits for 确认 (CONTRACT §3): kept in the store per person for 30 minutes.
const PENDING_TTL_MS = 30 * 60_000;
const pendingKey = (personId: number) => `confirm:broadcast:${personId}`;

export interface PendingBroadcast {
  targets: string[];
  all: boolean;
  text: string;
  congressIds: number[];
}

export async function holdBroadcast(
  store: Deps['store'],
  personId: number,
  p: PendingBroadcast,
): Promise<void> {
  await store.set(pendingKey(personId), JSON.stringify(p), PENDING_TTL_MS);
}

export async function pendingBroadcast(
  store: Deps['store'],
  personId: number,
): Promise<PendingBroadcast | null> {
  const raw = await store.get(pendingKey(personId));
  return raw ? (JSON.parse(raw) as PendingBroadcast) : null;
}

export async function dropPendingBroadcast(store: Deps['store'], personId: number): Promise<void> {
  await store.del(pendingKey(personId));
}
