import { createHash } from 'node:crypto';
import type { BucketSpec, KvStore } from '../../store/types.ts';

// WeCom drops messages silently past its limits, so budgets are taken before sending (DESIGN.md):
// message/send: 30 a minute and 1,000 an hour per member; a group robot: 20 a minute.
// A token bucket lets through at most capacity + rate × window in any window, so each bucket is
// sized to keep that sum within the limit: e.g. 15 at once + 0.25/s × 60 s = 30 a minute.

export const MEMBER_MINUTE: BucketSpec = { capacity: 15, refillPerSecond: 15 / 60 };
export const MEMBER_HOUR: BucketSpec = { capacity: 100, refillPerSecond: 900 / 3600 };
export const ROBOT_MINUTE: BucketSpec = { capacity: 10, refillPerSecond: 10 / 60 };

export type BudgetResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Takes one message from a member's budgets (userids are case-insensitive on WeCom). */
export async function takeMemberBudget(store: KvStore, app: string, userid: string): Promise<BudgetResult> {
  const base = `wecom:budget:${app}:member:${userid.toLowerCase()}`;
  const minute = await store.take(`${base}:m`, MEMBER_MINUTE);
  if (!minute.allowed) return { allowed: false, retryAfterMs: minute.retryAfterMs };
  const hour = await store.take(`${base}:h`, MEMBER_HOUR);
  if (!hour.allowed) return { allowed: false, retryAfterMs: hour.retryAfterMs };
  return { allowed: true };
}

/** Takes one message from a group robot's budget. The key is hashed: it is the robot's credential. */
export async function takeRobotBudget(store: KvStore, webhookKey: string): Promise<BudgetResult> {
  const id = createHash('sha256').update(webhookKey).digest('hex').slice(0, 24);
  const r = await store.take(`wecom:budget:robot:${id}`, ROBOT_MINUTE);
  return r.allowed ? { allowed: true } : { allowed: false, retryAfterMs: r.retryAfterMs };
}
