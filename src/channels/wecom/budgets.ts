import { createHash } from 'node:crypto';
import { normalizeExternalId } from '../../../db/external-id.ts';
import type { KvStore, WindowSpec } from '../../store/types.ts';

// WeCom drops messages silently past its limits, so budgets are taken before sending (DESIGN.md):
// message/send: 30 a minute and 1,000 an hour per member; a group robot: 20 a minute.
// Sliding windows count exactly what the platform counts, so a burst up to the limit goes at once and
// nothing past it is sent: the fastest pace the limits allow, and never over them.

export const MEMBER_MINUTE: WindowSpec = { limit: 30, windowMs: 60_000 };
export const MEMBER_HOUR: WindowSpec = { limit: 1000, windowMs: 3_600_000 };
export const ROBOT_MINUTE: WindowSpec = { limit: 20, windowMs: 60_000 };
// 访问频率限制: 每企业调用单个cgi/api不可超过1万次/分，15万次/小时 (message/send counts once a call).
export const CORP_MINUTE: WindowSpec = { limit: 10_000, windowMs: 60_000 };
export const CORP_HOUR: WindowSpec = { limit: 150_000, windowMs: 3_600_000 };

export type BudgetResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Takes one call from the corp's budget for one API path, shared by every instance. */
export async function takeCorpBudget(store: KvStore, corpId: string, path: string): Promise<BudgetResult> {
  const base = `wecom:budget:corp:${corpId}:${path}`;
  const minute = await store.takeWindow(`${base}:m`, CORP_MINUTE);
  if (!minute.allowed) return { allowed: false, retryAfterMs: minute.retryAfterMs };
  const hour = await store.takeWindow(`${base}:h`, CORP_HOUR);
  if (!hour.allowed) return { allowed: false, retryAfterMs: hour.retryAfterMs };
  return { allowed: true };
}

/** Takes one message from a member's budgets (one bucket per userid in its normal form). */
export async function takeMemberBudget(store: KvStore, app: string, userid: string): Promise<BudgetResult> {
  const base = `wecom:budget:${app}:member:${normalizeExternalId('wecom', userid)}`;
  const minute = await store.takeWindow(`${base}:m`, MEMBER_MINUTE);
  if (!minute.allowed) return { allowed: false, retryAfterMs: minute.retryAfterMs };
  const hour = await store.takeWindow(`${base}:h`, MEMBER_HOUR);
  if (!hour.allowed) return { allowed: false, retryAfterMs: hour.retryAfterMs };
  return { allowed: true };
}

/** Takes one message from a group robot's budget. The key is hashed: it is the robot's credential. */
export async function takeRobotBudget(store: KvStore, webhookKey: string): Promise<BudgetResult> {
  const id = createHash('sha256').update(webhookKey).digest('hex').slice(0, 24);
  const r = await store.takeWindow(`wecom:budget:robot:${id}`, ROBOT_MINUTE);
  return r.allowed ? { allowed: true } : { allowed: false, retryAfterMs: r.retryAfterMs };
}
