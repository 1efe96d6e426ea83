import type { Db } from '../../../db/client.ts';
import {
  assignmentsOf,
  followersOf,
  insertEvent,
  lockSuggestion,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import { AppError } from '../../errors.ts';
import {
  enqueueToGroups,
  enqueueToPerson,
  type GroupPrivateMessage,
  type ReplyButton,
} from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { staffOfCongresses } from '../congresses/index.ts';
import {
  messageOrganContact,
  type OrganRow,
  organsByIds,
  phoneContactText,
  type Reached,
  type ReachOptions,
} from '../organs/index.ts';

import { currentRound } from './text.ts';

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

/** An item as a message about it needs it: before it is written (a submission), or as it stands. */
export type ItemSubject = Pick<
  SuggestionRow,
  'code' | 'kind' | 'title' | 'content' | 'secret' | 'congress_id'
>;

/** 涉密: the content never leaves through WeCom or DingTalk, whatever a caller wrote. */
export function refuseSecretIn(item: ItemSubject, text: string | null, what: string): void {
  if (item.secret && text?.includes(item.content))
    throw new Error(`secret content in a ${what} about ${item.code}`);
}

/**
 * Queues a change's message to the deputies who follow the item (not to the one who made the change),
 * keyed by the change's history row.
 */
export async function messageFollowers(
  trx: Db,
  item: SuggestionRow,
  change: Change,
  eventId: number,
): Promise<void> {
  if (change.message === null) return;
  const text = `【${item.kind} ${item.code}】${change.message}`;
  for (const f of await followersOf(trx, item.id)) {
    if (f.person_id === change.actor.personId) continue;
    await enqueueToPerson(
      trx,
      f.person_id,
      { text, ...(change.buttons ? { buttons: change.buttons } : {}) },
      {
        idempotencyKey: `suggestion:${item.code}:e${eventId}:p${f.person_id}`,
        cause: `suggestion:${item.code}`,
      },
    );
  }
}

/** Records one change and queues its message to the deputies (at once: it follows from their own item). */
export async function recordChange(trx: Db, item: SuggestionRow, change: Change, now: Date): Promise<number> {
  refuseSecretIn(item, change.message, 'message');
  const eventId = await insertEvent(trx, {
    suggestionId: item.id,
    at: now,
    actor: change.actor.id,
    actorName: change.actor.name,
    action: change.action,
    summary: change.summary,
    reason: change.reason ?? null,
    detail: change.detail ?? {},
  });
  await messageFollowers(trx, item, change, eventId);
  return eventId;
}

/** One notice to staff: about an item, keyed by `key`, at a moment. */
export interface StaffNotice {
  item: ItemSubject;
  key: string;
  text: string;
  now: Date;
}

/**
 * A notice as the message to its congress's staff: it waits for working hours (CONTRACT §4), and
 * `suggestion:<code>:<key>:staff<person>` keys each one's copy.
 */
export function staffNoticeMessage(cal: WorkCalendar, n: StaffNotice, timeZone: string): GroupPrivateMessage {
  refuseSecretIn(n.item, n.text, 'notice');
  return {
    groupId: n.item.congress_id,
    payload: { text: n.text },
    keyBeforePerson: `suggestion:${n.item.code}:${n.key}:staff`,
    cause: `suggestion:${n.item.code}`,
    notBefore: nextSendingTime(cal, n.now, timeZone),
  };
}

/** A notice to the congress's staff (staffNoticeMessage). Returns how many messages were queued. */
export async function noticeToStaff(
  trx: Db,
  cal: WorkCalendar,
  item: ItemSubject,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
): Promise<number> {
  const message = staffNoticeMessage(cal, { item, key, text, now }, timeZone);
  return enqueueToGroups(trx, staffOfCongresses([item.congress_id]), [message]);
}

/**
 * Tells an organ's contact about an item by chat; with no chat contact recorded, asks staff to phone it.
 * The same text goes either way (never the content of a 涉密 item).
 */
/**
 * Tells each organ still handling the item in its current round (a rating's reason, words the deputy
 * added); returns the organs told.
 */
export async function reachOpenOrgans(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
): Promise<OrganRow[]> {
  const open = currentRound(item, await assignmentsOf(trx, [item.id])).filter((a) => a.status === 'open');
  const organs = await organsByIds(trx, [...new Set(open.map((a) => a.organ_id))]);
  for (const organ of organs) await reachOrgan(trx, cal, organ, item, key, text, now, timeZone);
  return organs;
}

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
