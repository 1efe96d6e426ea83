import type { Db } from '../../../db/client.ts';
import {
  amendSuggestion,
  isFollower,
  listSuggestionsOfPerson,
  lockSuggestion,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Photo, SuggestionStatus } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { type Actor, notFound, noticeToStaff, recordChange } from './records.ts';
import { MAX_CONTENT } from './submission.ts';
import { ADDED_WORDS_MARK, titleOf } from './text.ts';

// A deputy's own items as the chat finds them by their words ("加装电梯的那个建议", "上个月提的"): what each
// is about, when it was filed and where it stands. Secret items are found by code only.

export interface OwnItem {
  code: string;
  withdrawn: boolean;
  kind: string;
  /** What it is about: the title and the content (never of a 涉密 item). */
  words: string;
  /** Its first words or title as shown in a list (titleOf: never words added later); empty for a 涉密 item. */
  title: string;
  submittedOn: string;
  status: SuggestionStatus;
}

export async function ownSuggestions(deps: Pick<Deps, 'db'>, personId: number): Promise<OwnItem[]> {
  return (await listSuggestionsOfPerson(deps.db, personId)).map((s) => ({
    code: s.code,
    withdrawn: s.withdrawn_at !== null,
    kind: s.kind,
    words: s.secret ? '' : `${s.title ?? ''} ${s.content}`,
    title: s.secret ? '' : titleOf(s, 16),
    submittedOn: s.submitted_on,
    status: s.status,
  }));
}

// ---- the deputy's own changes before 交办 ----------------------------------------------------------

export interface OwnChangeInput {
  personId: number;
  actor: Actor;
  code: string;
}

/** The deputy's own item, locked; refused when it is not theirs or already handed over (when `open` says so). */
export async function lockOwn(
  trx: Db,
  input: OwnChangeInput,
  notHandedOver: boolean,
): Promise<SuggestionRow> {
  const item = await lockSuggestion(trx, input.code);
  if (!item || !(await isFollower(trx, item.id, input.personId))) throw notFound(input.code);
  if (item.withdrawn_at) throw new AppError('conflict', `${item.code} 已经撤回了`);
  if (notHandedOver && item.status !== 'submitted') {
    throw new AppError(
      'conflict',
      `${item.code} 已经交办，不能再撤回或修改。如有补充，请直接发“补充 ${item.code} 要补充的话”，会记在这一项上并转给承办单位`,
    );
  }
  if (item.status === 'closed') throw new AppError('conflict', `${item.code} 已办结`);
  return item;
}

async function tellStaff(deps: OwnDeps, trx: Db, item: SuggestionRow, key: string, text: string, now: Date) {
  const cal = await loadWorkCalendar(trx);
  await noticeToStaff(trx, cal, item, key, text, now, deps.config.timezone);
}

type OwnDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** 撤回: an item not yet handed over is closed and kept; staff are told. */
export async function withdrawSuggestion(deps: OwnDeps, input: OwnChangeInput): Promise<SuggestionRow> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockOwn(trx, input, true);
    await amendSuggestion(trx, item.id, { status: 'closed', closed_at: now, withdrawn_at: now }, now);
    const closed: SuggestionRow = { ...item, status: 'closed', closed_at: now, withdrawn_at: now };
    const eventId = await recordChange(
      trx,
      closed,
      { actor: input.actor, action: 'withdrawn', summary: '代表撤回（交办前）', message: null },
      now,
    );
    await tellStaff(
      deps,
      trx,
      closed,
      `withdrawn${eventId}`,
      `【已撤回】${item.kind} ${item.code}「${titleOf(item)}」已由代表在交办前撤回，无需交办。`,
      now,
    );
    return closed;
  });
}

/** One change of the deputy's own item, with its history row (the deputy was answered in chat). */
async function changeOwn(
  deps: OwnDeps,
  input: OwnChangeInput,
  notHandedOver: boolean,
  change: (item: SuggestionRow) => {
    set: Parameters<typeof amendSuggestion>[2];
    action: string;
    summary: string;
    detail: Record<string, unknown>;
  },
): Promise<SuggestionRow> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockOwn(trx, input, notHandedOver);
    const c = change(item);
    await amendSuggestion(trx, item.id, c.set, now);
    const changed = { ...item, ...c.set } as SuggestionRow;
    await recordChange(
      trx,
      changed,
      { actor: input.actor, action: c.action, summary: c.summary, detail: c.detail, message: null },
      now,
    );
    return changed;
  });
}

/** 修改 / 补充: words added to an item not yet handed over; what it said before stays in its history. */
export async function amendSuggestionContent(
  deps: OwnDeps,
  input: OwnChangeInput & { addition: string },
): Promise<SuggestionRow> {
  const addition = input.addition.trim();
  if (addition === '') throw new AppError('bad_request', '请写明要补充或修改的内容');
  return changeOwn(deps, input, true, (item) => {
    const content = `${item.content}${ADDED_WORDS_MARK}${addition}`;
    if (content.length > MAX_CONTENT)
      throw new AppError('bad_request', `内容最多 ${MAX_CONTENT} 字，请精简后再补充`);
    return {
      set: { content },
      action: 'amended',
      summary: '代表补充内容（交办前）',
      detail: item.secret ? {} : { before: item.content },
    };
  });
}

/** Photos added to an item still open (the deputy's own): kept with it like those sent with it. */
export async function addSuggestionPhotos(
  deps: OwnDeps,
  input: OwnChangeInput & { photos: Photo[] },
): Promise<SuggestionRow> {
  if (input.photos.length === 0) throw new AppError('bad_request', '请发送照片');
  return changeOwn(deps, input, false, (item) => ({
    set: { photos: [...(Array.isArray(item.photos) ? item.photos : []), ...input.photos] },
    action: 'photos_added',
    summary: `代表补充照片 ${input.photos.length} 张`,
    detail: { photos: input.photos.length },
  }));
}
