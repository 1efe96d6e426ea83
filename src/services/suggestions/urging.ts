import { uncountReminder } from '../../../db/repositories/organ-side.ts';
import { withdrawUnsent } from '../../../db/repositories/outbox.ts';
import {
  assignmentsOf,
  deleteUrge,
  eventsOf,
  insertUrge,
  isFollower,
  lastUrge,
} from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { dateAt, hourMinuteAt } from '../../statute/calendar-date.ts';
import { formatDate } from '../../statute/date-text.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { organsByIds, type Reached } from '../organs/index.ts';
import { escalateIfUnanswered } from './organ-side.ts';
import { type Actor, lockInScope, notFound, reachOrgan, recordChange } from './records.ts';
import { answerVerb, currentRound, urgedText } from './text.ts';

// 催办: a deputy has the organs handling their item reminded, at most once a week per item. A 催办 pressed
// by mistake is taken back at once ("不对，我不是要催办"): what was not yet sent is not sent, and an organ
// already reminded is told to disregard it.

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

/** How long after a 催办 the deputy may still take it back: a slip is noticed at once, not days later. */
export const URGE_UNDO_MS = 24 * 3600_000;

export type UrgeUndo =
  /** Taken back: the organs already reminded (told now to disregard it); none when nothing had gone out. */
  | { kind: 'undone'; code: string; organsTold: string[] }
  /** No 催办 of this deputy is the item's latest step: nothing was urged, nothing changes. */
  | { kind: 'none'; code: string }
  /** Urged, but longer ago than URGE_UNDO_MS, or other steps came after it. */
  | { kind: 'too_late'; code: string };

/** Takes back the 催办 `personId` just made on `code` (its latest step), when there is one to take back. */
export async function undoUrge(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { code: string; personId: number; actor: Actor },
): Promise<UrgeUndo> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, null);
    if (!(await isFollower(trx, item.id, input.personId))) throw notFound(input.code);
    const events = await eventsOf(trx, item.id);
    // Their latest 催办, unless taken back already.
    const mine = events
      .filter((e) => (e.action === 'urged' || e.action === 'urge_undone') && e.actor === input.actor.id)
      .at(-1);
    if (mine?.action !== 'urged') return { kind: 'none', code: item.code };
    const urgedAt = new Date(mine.at);
    if (events.at(-1)?.id !== mine.id || now.getTime() - urgedAt.getTime() > URGE_UNDO_MS)
      return { kind: 'too_late', code: item.code };

    await deleteUrge(trx, item.id, input.personId, urgedAt);
    const open = currentRound(item, await assignmentsOf(trx, [item.id])).filter((a) => a.status === 'open');
    const organs = await organsByIds(
      trx,
      open.map((a) => a.organ_id),
    );
    // The reminder's messages per organ: its contacts, the staff asked to phone it, its leader.
    const prefix = `suggestion:${item.code}:urge${mine.id}:`;
    const why = '代表撤回了催办';
    const told: typeof organs = [];
    for (const a of open) {
      await uncountReminder(trx, a.id);
      const organ = organs.find((o) => o.id === a.organ_id)!;
      const ofOrgan = [
        `${prefix}organ${organ.id}:`,
        `${prefix}phone${organ.id}:`,
        `${prefix}leader:organ${organ.id}:`,
      ];
      if (await withdrawUnsent(trx, ofOrgan, why)) told.push(organ);
    }
    const followersTold = await withdrawUnsent(trx, [`suggestion:${item.code}:e${mine.id}:p`], why);
    const eventId = await recordChange(
      trx,
      item,
      {
        actor: input.actor,
        action: 'urge_undone',
        summary: `代表撤回催办${told.length > 0 ? `，已告知${told.map((o) => o.name).join('、')}` : '（提醒尚未发出）'}`,
        detail: { urgeEvent: mine.id, organsTold: told.map((o) => o.name) },
        message: followersTold ? `${input.actor.name}撤回了刚才的催办。` : null,
      },
      now,
    );
    if (told.length > 0) {
      const cal = await loadWorkCalendar(trx);
      for (const organ of told)
        await reachOrgan(
          trx,
          cal,
          organ,
          item,
          `urgeundo${eventId}`,
          `【催办撤回】${input.actor.name}代表对${item.kind} ${item.code} 的催办是误发，已撤回，请按原期限${answerVerb(item.kind)}。`,
          now,
          deps.config.timezone,
        );
    }
    return { kind: 'undone', code: item.code, organsTold: told.map((o) => o.name) };
  });
}
