import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  addBroadcastGroup,
  type BroadcastRow,
  broadcastDeliveries,
  findBroadcast,
  type GroupDelivery,
  insertBroadcast,
  listRunningBroadcasts,
  markBroadcastDone,
  withdrawWaitingBroadcastMessages,
} from '../../../db/repositories/broadcasts.ts';
import {
  listDeputyGroups,
  listGroupAddresses,
  listGroupMemberPersonIds,
} from '../../../db/repositories/groups.ts';
import type { BindingKind } from '../../../db/schema.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { alsoServes, type Executor, enqueueToPerson } from '../../messaging/index.ts';
import { dateAt } from '../../statute/calendar-date.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { addressesOf, bindingUsable, groupRoute, queueText } from './targets.ts';
import { BROADCAST_WITHDRAWN_ERROR, withdrawalText } from './text.ts';

// 大同 第八条 (S18): staff send notices (《人大工作信息》 and the like) to deputy groups. A broadcast is
// queued in one transaction: one row per group (unique, so each group receives it once) and its messages,
// which the outbox paces by each robot's budget. Like every notice, it goes out in working hours.

export const MAX_BROADCAST_CHARS = 4000;

export type BroadcastTargets = { all: true } | { all: false; groups: string[] };

export interface PlannedGroup {
  id: number;
  name: string;
  /** Some chat of the group carries the notice (its route is not empty). */
  reachable: boolean;
  /** The chats it goes to, one per platform, as sending takes them (groupRoute). */
  route: BindingKind[];
  /** Chats bound that the service cannot send to now (the intelligent robot's, without the robot). */
  unusable: BindingKind[];
  /** A group no chat reaches: how many members hear the notice one by one instead. */
  members: number;
}

export interface BroadcastPlan {
  congressIds: number[];
  groups: PlannedGroup[];
  /** How many people hear it privately: the members of groups no chat reaches, each once. */
  privately: number;
}

/**
 * The deputy groups a broadcast reaches ("全体": every deputy group), within the congresses allowed, each
 * with the route startBroadcast will take given the service's configuration (`config`).
 */
export async function planBroadcast(
  db: Db,
  congressIds: number[] | null,
  targets: BroadcastTargets,
  config: Pick<Config, 'wecomBot'>,
): Promise<BroadcastPlan> {
  const rows = await listDeputyGroups(db, congressIds, targets.all ? null : targets.groups);
  if (!targets.all) {
    const unknown = targets.groups.filter((n) => !rows.some((r) => r.name === n));
    if (unknown.length > 0) {
      // "城区小组" for 城区代表小组: the names it may mean, to send again with.
      const all = (await listDeputyGroups(db, congressIds, null)).map((r) => r.name);
      const near = [...new Set(unknown.flatMap((n) => all.filter((a) => sameGroupName(a, n))))];
      throw new AppError(
        'invalid_body',
        `没有这些代表群：${unknown.join('、')}${near.length > 0 ? `（是不是指：${near.slice(0, 5).join('、')}？请用群的全名再发一次）` : ''}`,
      );
    }
  }
  if (rows.length === 0) throw new AppError('invalid_body', '没有可以发送的代表群');
  const bindings = await listGroupAddresses(
    db,
    rows.map((r) => r.id),
  );
  const groups: PlannedGroup[] = [];
  const privately = new Set<number>();
  for (const r of rows) {
    const bound = bindings.filter((b) => b.group_id === r.id);
    const route = groupRoute(bound, config).map((b) => b.kind);
    const reachable = route.length > 0;
    const members = reachable ? [] : await listGroupMemberPersonIds(db, r.id);
    for (const m of members) privately.add(m);
    const unusable = bound.filter((b) => !bindingUsable(b.kind, config)).map((b) => b.kind);
    groups.push({ id: r.id, name: r.name, reachable, route, unusable, members: members.length });
  }
  return {
    congressIds: [...new Set(rows.map((r) => r.congress_id))],
    groups,
    privately: privately.size,
  };
}

/** Whether a group's name is the one written, give or take 代表, 小组 and 群 ("城区小组" → 城区代表小组). */
function sameGroupName(name: string, written: string): boolean {
  const core = (s: string) => s.replace(/代表|小组|组|群|的/g, '');
  const a = core(name);
  const b = core(written);
  return b.length >= 2 && (a === b || a.includes(b));
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
    /** The HTTP request's id, or in chat the message's channel and id (`wecom:<MsgId>`). */
    requestId?: string | null;
    /** Where it came from (the API, the console, chat), for its audit row's detail. */
    via?: 'api' | 'console' | 'chat';
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
      // The group's route as the preview showed it: a chat the service cannot send to is passed over.
      const addresses = await addressesOf(trx, { kind: 'group', groupId: g.id }, deps.config);
      if (addresses.length === 0 && (await queueToMembers(trx, id, g, text, notBefore)) === 0) {
        unreachable.push(g.name);
        continue;
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
    // Nothing would go anywhere: no broadcast is recorded (it would wait forever), and the sender is told.
    if (queued === 0)
      throw new AppError(
        'conflict',
        `${unreachable.join('、')} 还没有绑定群机器人，也没有登记成员，收不到通知`,
      );
    await writeAudit(trx, {
      actor: b.actor,
      action: 'broadcast.create',
      subjectType: 'broadcast',
      subjectId: id,
      ...(b.via ? { detail: { via: b.via } } : {}),
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

export type GroupProgress = 'waiting' | 'sent' | 'failed' | 'unreachable' | 'withdrawn' | 'unknown';

/**
 * What became of one message: sent, still waiting, failed for good, withdrawn before it was sent, or
 * unknown (its send timed out past the platform's duplicate window: it may have arrived; staff ask).
 */
export type MessageProgress = 'sent' | 'waiting' | 'failed' | 'withdrawn' | 'unknown';

export interface BroadcastProgress {
  id: number;
  status: 'running' | 'done';
  /** The status as staff read it: 发送中, 已完成, or 已发出（N 条结果不明） when some may not have arrived. */
  statusText: string;
  text: string;
  createdAt: Date;
  finishedAt: Date | null;
  /** Groups by what became of them. */
  totals: Record<GroupProgress, number>;
  /** Messages (one per robot or chat, or per member of a group reached one by one) by what became of them. */
  messages: Record<MessageProgress, number>;
  /** Of the waiting messages, how many a withdrawal would stop now (none being sent, none maybe delivered). */
  withdrawable: number;
  groups: {
    name: string;
    status: GroupProgress;
    error: string | null;
    messages: Record<MessageProgress, number>;
  }[];
}

const noMessages = (): Record<MessageProgress, number> => ({
  sent: 0,
  waiting: 0,
  failed: 0,
  withdrawn: 0,
  unknown: 0,
});

/**
 * One message's state; a dead row never tried was withdrawn (withdrawWaitingBroadcastMessages). An
 * 'unknown' row is settled, not waiting: the outbox tries it no more, so the broadcast can finish.
 */
function messageProgress(d: GroupDelivery): MessageProgress {
  if (d.outbox_status === 'sent') return 'sent';
  if (d.outbox_status === 'dead') return d.untried ? 'withdrawn' : 'failed';
  if (d.outbox_status === 'unknown') return 'unknown';
  return 'waiting';
}

/** A broadcast's status in words; a finished one with messages of unknown outcome says how many. */
export function broadcastStatusText(status: 'running' | 'done', unknown: number): string {
  if (status === 'running') return '发送中';
  return unknown > 0 ? `已发出（${unknown} 条结果不明）` : '已完成';
}

/** What a withdrawal would take: waiting, held by no sender, and not perhaps delivered already. */
const isWithdrawable = (d: GroupDelivery): boolean =>
  (d.outbox_status === 'pending' || d.outbox_status === 'failed') && d.maybe_delivered !== true;

/**
 * A group's state from its messages': any waiting is waiting; any sent is sent (as before withdrawals);
 * else any of unknown outcome is unknown (it may have arrived).
 */
function groupProgress(m: Record<MessageProgress, number>): GroupProgress {
  if (m.sent + m.waiting + m.failed + m.withdrawn + m.unknown === 0) return 'unreachable';
  if (m.waiting > 0) return 'waiting';
  if (m.sent > 0) return 'sent';
  if (m.unknown > 0) return 'unknown';
  return m.withdrawn > 0 ? 'withdrawn' : 'failed';
}

/** A broadcast as staff of `congressId` (null: every congress) may see it; another's is "not found". */
async function visibleBroadcast(db: Db, id: number, congressId: number | null): Promise<BroadcastRow> {
  const b = await findBroadcast(db, id);
  if (!b || (congressId !== null && b.congress_id !== congressId))
    throw new AppError('not_found', `没有编号为 ${id} 的通知`);
  return b;
}

export async function broadcastProgress(
  db: Db,
  id: number,
  congressId: number | null,
): Promise<BroadcastProgress> {
  const b = await visibleBroadcast(db, id, congressId);
  const rows = await broadcastDeliveries(db, id);
  const byGroup = new Map<
    number,
    { name: string; messages: Record<MessageProgress, number>; error: string | null }
  >();
  // A member of two groups reached one by one gets one message that serves both: counted once in all.
  const messages = new Map<number, MessageProgress>();
  let withdrawable = 0;
  for (const r of rows) {
    const g = byGroup.get(r.group_id) ?? { name: r.group_name, messages: noMessages(), error: null };
    byGroup.set(r.group_id, g);
    if (r.outbox_id === null) continue;
    const state = messageProgress(r);
    g.messages[state]++;
    if (state === 'failed') g.error = r.last_error;
    if (!messages.has(r.outbox_id) && isWithdrawable(r)) withdrawable++;
    messages.set(r.outbox_id, state);
  }
  const totals: Record<GroupProgress, number> = {
    waiting: 0,
    sent: 0,
    failed: 0,
    unreachable: 0,
    withdrawn: 0,
    unknown: 0,
  };
  const groups = [...byGroup.values()].map((g) => {
    const status = groupProgress(g.messages);
    totals[status]++;
    const error = g.messages.failed > 0 && g.messages.sent === 0 && g.messages.waiting === 0 ? g.error : null;
    return { name: g.name, status, error, messages: g.messages };
  });
  const counts = noMessages();
  for (const state of messages.values()) counts[state]++;
  return {
    id,
    status: b.status,
    statusText: broadcastStatusText(b.status, counts.unknown),
    text: b.text,
    createdAt: b.created_at,
    finishedAt: b.finished_at,
    totals,
    messages: counts,
    withdrawable,
    groups,
  };
}

export interface WithdrawOutcome {
  /** How many messages this withdrawal stopped; 0 when nothing was left to withdraw (nothing changed). */
  withdrawn: number;
  /** What it did, as staff read it: how many stopped, and that what went out is not recalled. */
  text: string;
  progress: BroadcastProgress;
}

/**
 * Withdraws what of a broadcast has not gone out yet (staff who may see it, as for sending): its waiting
 * messages no sender holds end unsent. What was sent stays sent; a message being sent right now finishes.
 * Audited when it withdrew something; a broadcast then left with nothing waiting is finished at once.
 */
export async function withdrawBroadcast(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { id: number; congressId: number | null; actor: string; requestId?: string | null },
): Promise<WithdrawOutcome> {
  const b = await visibleBroadcast(deps.db, input.id, input.congressId);
  const withdrawn = await deps.db.transaction().execute(async (trx) => {
    const before = await broadcastProgress(trx, b.id, null);
    const n = await withdrawWaitingBroadcastMessages(trx, b.id, BROADCAST_WITHDRAWN_ERROR);
    if (n === 0) return 0;
    const after = await broadcastProgress(trx, b.id, null);
    await writeAudit(trx, {
      actor: input.actor,
      action: 'broadcast.withdraw',
      subjectType: 'broadcast',
      subjectId: b.id,
      requestId: input.requestId ?? null,
      detail: { withdrawn: n },
      before: { status: before.status, messages: before.messages },
      after: { status: after.status, messages: after.messages },
    });
    return n;
  });
  if (withdrawn > 0) await finishBroadcast(deps, b);
  const progress = await broadcastProgress(deps.db, b.id, null);
  return { withdrawn, text: withdrawalText(withdrawn, progress.messages), progress };
}

/** Ends every broadcast with nothing left waiting and tells its sender the outcome. Returns lines for the CLI. */
export async function finishBroadcasts(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<string[]> {
  const lines: string[] = [];
  for (const b of await listRunningBroadcasts(deps.db)) {
    const line = await finishBroadcast(deps, b);
    if (line !== null) lines.push(line);
  }
  return lines;
}

/** Ends one broadcast when nothing of it waits, telling its sender; the CLI's line, or null. */
async function finishBroadcast(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  b: BroadcastRow,
): Promise<string | null> {
  const p = await broadcastProgress(deps.db, b.id, null);
  if (p.totals.waiting > 0) return null;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await markBroadcastDone(trx, b.id, deps.clock.now()))) return null;
    const failed = p.groups
      .filter((g) => g.status === 'failed' || g.status === 'unreachable')
      .map((g) => g.name);
    const withdrawn = p.totals.withdrawn;
    // Timed out past the duplicate window: nobody knows whether these groups got it, so the sender asks.
    const unknown = p.groups.filter((g) => g.status === 'unknown').map((g) => g.name);
    const text =
      `您发出的通知（编号 ${b.id}）已${withdrawn > 0 ? '结束' : '发送完毕'}：${p.totals.sent} 个群已送达` +
      (withdrawn > 0 ? `，${withdrawn} 个群的消息在发出前已撤回` : '') +
      (unknown.length > 0
        ? `，${unknown.length} 个群结果不明（${unknown.join('、')}），可能已收到，请向群里确认`
        : '') +
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
    return (
      `通知 ${b.id}：已送达 ${p.totals.sent} 个群，未送达 ${failed.length} 个群` +
      (withdrawn > 0 ? `，已撤回 ${withdrawn} 个群` : '') +
      (unknown.length > 0 ? `，结果不明 ${unknown.length} 个群` : '') +
      `（${dateAt(deps.clock.now(), deps.config.timezone)}）`
    );
  });
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
