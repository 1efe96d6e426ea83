import { listCongresses } from '../../db/repositories/congresses.ts';
import { isLiveCongress } from '../../db/repositories/mandates.ts';
import type { Congress } from '../../db/schema.ts';
import type { Principal } from '../api/auth.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { Scope } from '../services/suggestions/index.ts';

// A token bound to one congress sees and acts only within it, as in the API.

export const scopeOf = (p: Principal): Scope => (p.congressId === null ? null : [p.congressId]);

/** The congresses this principal may see, archived ones last. */
export async function visibleCongresses(deps: Pick<Deps, 'db'>, p: Principal): Promise<Congress[]> {
  const all = await listCongresses(deps.db, p.congressId);
  return [...all.filter(isLiveCongress), ...all.filter((c) => !isLiveCongress(c))];
}

/** A congress chosen by id in a filter, refused outside the principal's binding. */
export function chosenCongress(list: Congress[], raw: string | undefined): Congress | undefined {
  if (raw === undefined) return undefined;
  const c = list.find((x) => String(x.id) === raw);
  if (!c) throw new AppError('not_found', '没有这个人大，或您的令牌不能查看它。');
  return c;
}

/** The outbox and the reminder ledger span every congress: as in the API, bound tokens may not read them. */
export function requireUnbound(p: Principal): void {
  if (p.congressId !== null)
    throw new AppError('forbidden', '发送队列和提醒记录涉及所有人大，需使用不限定人大的令牌。');
}
