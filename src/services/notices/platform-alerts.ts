import type { Deps } from '../../deps.ts';
import { todayIn } from '../../statute/calendar-date.ts';
import { noticeTime } from '../congresses/index.ts';
import { activeCongresses, addressesOf, queueText, staffTargets, type Target, targetKey } from './targets.ts';
import { DINGTALK_QUOTA_SPENT_TEXT } from './text.ts';

/**
 * DingTalk said the organisation's monthly robot quota is spent (errcode 20001): the staff of every
 * running congress are told, once a month per address, in working hours.
 */
export async function alertStaffDingtalkQuotaSpent(deps: Deps): Promise<void> {
  const month = todayIn(deps.clock, deps.config.timezone).slice(0, 7);
  const notBefore = await noticeTime(deps.db, deps.clock, deps.config.timezone);
  // Read outside the transaction: PGlite has one connection, and the transaction holds it.
  const targets: Target[] = [];
  for (const congress of await activeCongresses(deps.db))
    targets.push(...(await staffTargets(deps.db, congress.id, deps.config)));
  await deps.db.transaction().execute(async (trx) => {
    for (const target of targets) {
      for (const to of await addressesOf(trx, target, deps.config)) {
        await queueText(trx, to, DINGTALK_QUOTA_SPENT_TEXT, {
          idempotencyKey: `dingtalk-quota:${month}:${targetKey(target)}:${to.channel}:${to.targetKind}:${to.address}`,
          cause: 'dingtalk-quota-spent',
          notBefore,
        });
      }
    }
  });
}
