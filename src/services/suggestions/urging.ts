import { assignmentsOf, insertUrge, isFollower, lastUrge } from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { dateAt, hourMinuteAt } from '../../statute/calendar-date.ts';
import { formatDate } from '../../statute/date-text.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { organsByIds, type Reached } from '../organs/index.ts';
import { escalateIfUnanswered } from './organ-side.ts';
import { type Actor, lockInScope, notFound, reachOrgan, recordChange } from './records.ts';
import { answerVerb, currentRound, urgedText } from './text.ts';

// 催办: a deputy has the organs handling their item reminded, at most once a week per item.

export const URGE_INTERVAL_MS = 7 * 24 * 3600_000;

export interface UrgeOutcome {
  code: string;
  reached: { organ: string; role: 'lead' | 'assist'; contact: string | null; via: Reached }[];
  /** From when the item may be urged again. */
  nextAllowedAt: Date;
}

export async function urgeSuggestion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { code: string; personId: number; actor: Actor },
): Promise<UrgeOutcome> {
  const now = deps.clock.now();
  const tz = deps.config.timezone;
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, null);
    // Someone else's item is "not found": its existence is not theirs to learn.
    if (!(await isFollower(trx, item.id, input.personId))) throw notFound(input.code);
    if (item.status === 'submitted') {
      throw new AppError(
        'conflict',
        `${item.code} 还在等待交办，工作人员确定承办单位后会告诉您，暂时无需催办。`,
      );
    }
    if (item.status === 'answered' || item.status === 'closed') {
      throw new AppError(
        'conflict',
        `${item.code} ${item.status === 'closed' ? '已办结' : `已${answerVerb(item.kind)}`}，无需催办。`,
      );
    }
    const last = await lastUrge(trx, item.id);
    if (last && now.getTime() - last.getTime() < URGE_INTERVAL_MS) {
      const next = new Date(last.getTime() + URGE_INTERVAL_MS);
      throw new AppError(
        'conflict',
        `${item.code} 已于 ${formatDate(dateAt(last, tz))} 催办过，每条每周只能催办一次，请于 ${formatDate(dateAt(next, tz))} ${hourMinuteAt(next, tz)} 以后再催办。`,
      );
    }
    const open = currentRound(item, await assignmentsOf(trx, [item.id])).filter((a) => a.status === 'open');
    if (open.length === 0)
      throw new AppError('conflict', `${item.code} 目前没有正在办理的单位，暂时无需催办。`);
    await insertUrge(trx, item.id, input.personId, now);
    const cal = await loadWorkCalendar(trx);
    const organs = await organsByIds(
      trx,
      open.map((a) => a.organ_id),
    );
    const eventId = await recordChange(
      trx,
      item,
      {
        actor: input.actor,
        action: 'urged',
        summary: `代表催办：${open.map((a) => a.organ_name).join('、')}`,
        detail: { organs: open.map((a) => a.organ_name) },
        message: `${input.actor.name}催办了本事项，已提醒${open.map((a) => a.organ_name).join('、')}抓紧办理。`,
      },
      now,
    );
    const reached: UrgeOutcome['reached'] = [];
    for (const a of open) {
      const organ = organs.find((o) => o.id === a.organ_id)!;
      const text = urgedText(input.actor.name, item, a);
      const via = await reachOrgan(trx, cal, organ, item, `urge${eventId}`, text, now, tz);
      // After two reminders left unanswered, the organ's leader is reminded too.
      await escalateIfUnanswered(trx, cal, item, a, organ, `urge${eventId}`, text, now, tz);
      reached.push({ organ: organ.name, role: a.role, contact: organ.contact_name, via });
    }
    return { code: item.code, reached, nextAllowedAt: new Date(now.getTime() + URGE_INTERVAL_MS) };
  });
}
