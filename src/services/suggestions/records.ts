import type { Db } from '../../../db/client.ts';
import { activePeopleWithRolesByCongressQuery } from '../../../db/repositories/mandates.ts';
import {
  followersOf,
  insertEvents,
  lockSuggestion,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import { AppError } from '../../errors.ts';
import { enqueueToGroups, enqueueToPerson, type ReplyButton } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import {
  messageOrganContact,
  type OrganRow,
  phoneContactText,
  type Reached,
  type ReachOptions,
} from '../organs/index.ts';

// Every change of an item is a history row (who, when, what, why) and a message to the deputies who
// follow it, queued in the same transaction. A deputy's own action is answered in chat instead.

export interface Actor {
  /** 'person:12' (chat), 'token:3' / 'admin:bootstrap' (API), 'system' (jobs). */
  id: string;
  name: string;
  /** The person behind a chat actor (not told of their own action). */
  personId?: number;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统' };

/** Congresses an actor may act in: null means all (an unbound admin token). */
export type Scope = number[] | null;

export interface Change {
  actor: Actor;
  action: string;
  /** What happened, as the history shows it (never the content of a 涉密 item). */
  summary: string;
  reason?: string | null;
  detail?: Record<string, unknown>;
  /** The message to the deputies; null: no message (the change is theirs and was answered in chat). */
  message: string | null;
  buttons?: ReplyButton[];
}

/** One change of one item at a moment (recordChanges). */
export interface ItemChange {
  item: SuggestionRow;
  change: Change;
  now: Date;
}

/**
 * Records changes (their history rows in one statement) and queues each one's message to the deputies (at
 * once: it follows from their own item). Returns the history rows' ids, each in the place of its change.
 */
export async function recordChanges(trx: Db, changes: readonly ItemChange[]): Promise<number[]> {
  for (const { item, change } of changes) {
    // 涉密: the content never leaves through WeCom or DingTalk, whatever a caller wrote.
    if (item.secret && change.message?.includes(item.content)) {
      throw new Error(`secret content in a message about ${item.code}`);
    }
  }
  const eventIds = await insertEvents(
    trx,
    changes.map(({ item, change, now }) => ({
      suggestionId: item.id,
      at: now,
      actor: change.actor.id,
      actorName: change.actor.name,
      action: change.action,
      summary: change.summary,
      reason: change.reason ?? null,
      detail: change.detail ?? {},
    })),
  );
  for (const [i, { item, change }] of changes.entries()) {
    if (change.message === null) continue;
    const text = `【${item.kind} ${item.code}】${change.message}`;
    for (const f of await followersOf(trx, item.id)) {
      if (f.person_id === change.actor.personId) continue;
      await enqueueToPerson(
        trx,
        f.person_id,
        { text, ...(change.buttons ? { buttons: change.buttons } : {}) },
        {
          idempotencyKey: `suggestion:${item.code}:e${eventIds[i]}:p${f.person_id}`,
          cause: `suggestion:${item.code}`,
        },
      );
    }
  }
  return eventIds;
}

/** Records one change and queues its message to the deputies (recordChanges). */
export async function recordChange(trx: Db, item: SuggestionRow, change: Change, now: Date): Promise<number> {
  return (await recordChanges(trx, [{ item, change, now }]))[0]!;
}

/** One notice of noticesToStaff: about an item, keyed by `key`, at a moment. */
export interface StaffNotice {
  item: SuggestionRow;
  key: string;
  text: string;
  now: Date;
}

/**
 * Notices to the staff of each item's congress, in one statement; each waits for working hours (CONTRACT
 * §4). `suggestion:<code>:<key>:staff<person>` keys each one's message. Returns how many were queued.
 */
export async function noticesToStaff(
  trx: Db,
  cal: WorkCalendar,
  notices: readonly StaffNotice[],
  timeZone: string,
): Promise<number> {
  for (const { item, text } of notices) {
    if (item.secret && text.includes(item.content))
      throw new Error(`secret content in a notice about ${item.code}`);
  }
  const congresses = [...new Set(notices.map((n) => n.item.congress_id))];
  return enqueueToGroups(
    trx,
    activePeopleWithRolesByCongressQuery(congresses, ['staff', 'approver', 'admin']),
    notices.map(({ item, key, text, now }) => ({
      groupId: item.congress_id,
      payload: { text },
      keyBeforePerson: `suggestion:${item.code}:${key}:staff`,
      cause: `suggestion:${item.code}`,
      notBefore: nextSendingTime(cal, now, timeZone),
    })),
  );
}

/** A notice to the congress's staff (noticesToStaff). */
export async function noticeToStaff(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
): Promise<number> {
  return noticesToStaff(trx, cal, [{ item, key, text, now }], timeZone);
}

/**
 * Tells an organ's contact about an item by chat; with no chat contact recorded, asks staff to phone it.
 * The same text goes either way (never the content of a 涉密 item).
 */
export async function reachOrgan(
  trx: Db,
  cal: WorkCalendar,
  organ: OrganRow,
  item: SuggestionRow,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
  opts: ReachOptions = {},
): Promise<Reached> {
  const via = await messageOrganContact(trx, cal, organ, item, { key, text, now, timeZone, opts });
  // A reminder for the leaders only: when none is recorded, the contacts were reached already.
  if (opts.leaders) return via;
  if (via === 'phone')
    await noticeToStaff(
      trx,
      cal,
      item,
      `${key}:phone${organ.id}`,
      phoneContactText(organ, text),
      now,
      timeZone,
    );
  return via;
}

export const notFound = (code: string): AppError =>
  new AppError('not_found', `没有找到编号为 ${code} 的事项`);

/** The item locked for a change, or not_found when it does not exist or lies outside the actor's congresses. */
export async function lockInScope(trx: Db, code: string, scope: Scope): Promise<SuggestionRow> {
  const item = await lockSuggestion(trx, code);
  if (!item || (scope !== null && !scope.includes(item.congress_id))) throw notFound(code);
  return item;
}
