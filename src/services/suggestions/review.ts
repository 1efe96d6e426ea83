import { recordReview, setItemDetails } from '../../../db/repositories/suggestion-review.ts';
import {
  addSuggestionDeputy,
  followersOf,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { type Actor, lockInScope, recordChange, type Scope } from './records.ts';
import { titleOf } from './text.ts';

// 立案审查: an optional review of an item before 交办. Staff accept it (立案), decline it (不予立案, with the
// reason the deputy is told) or merge a duplicate into another item (合并办理: its deputies then follow that
// item, and are told why). 交办 never requires it: chat 交办 and the API assign a submitted item directly.
// Staff also set the title and category, and mark 重点督办 (《代表法》第五十二条: 重点建议 are 督促办理).

type ReviewDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export const MAX_TITLE = 100;
export const MAX_CATEGORY = 30;
export const MAX_REVIEW_REASON = 500;

export interface ItemDetails {
  title?: string | null | undefined;
  category?: string | null | undefined;
  keySupervision?: boolean | undefined;
}

export type ReviewDecision =
  | { decision: 'accept' }
  | { decision: 'not_accepted'; reason: string }
  | { decision: 'merge'; into: string; reason: string };

function checkDetails(d: ItemDetails): void {
  if (d.title && d.title.length > MAX_TITLE) throw new AppError('bad_request', `标题最多 ${MAX_TITLE} 个字`);
  if (d.category && d.category.length > MAX_CATEGORY)
    throw new AppError('bad_request', `类别最多 ${MAX_CATEGORY} 个字`);
}

/** Writes title, category and 重点督办 when given; returns what changed, for the history. */
async function applyDetails(
  trx: ReviewDeps['db'],
  item: SuggestionRow,
  d: ItemDetails,
  now: Date,
): Promise<{ item: SuggestionRow; changes: string[] }> {
  const title = d.title === undefined ? item.title : d.title?.trim() || null;
  const category = d.category === undefined ? item.category : d.category?.trim() || null;
  const key = d.keySupervision ?? item.key_supervision;
  const changes: string[] = [];
  if (title !== item.title)
    changes.push(title ? `标题设为「${item.secret ? '（涉密）' : title}」` : '清除标题');
  if (category !== item.category) changes.push(category ? `类别设为「${category}」` : '清除类别');
  if (key !== item.key_supervision) changes.push(key ? '列为重点督办' : '取消重点督办');
  if (changes.length > 0) await setItemDetails(trx, item.id, { title, category, keySupervision: key }, now);
  return { item: { ...item, title, category, key_supervision: key }, changes };
}

/** Title, category and 重点督办 of an item not yet closed, outside a review. */
export async function setSuggestionDetails(
  deps: ReviewDeps,
  input: { code: string; details: ItemDetails; actor: Actor; scope: Scope },
): Promise<{ item: SuggestionRow; changed: boolean }> {
  checkDetails(input.details);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockInScope(trx, input.code, input.scope);
    if (before.status === 'closed') throw new AppError('conflict', `${before.code} 已办结，不能再修改`);
    const { item, changes } = await applyDetails(trx, before, input.details, now);
    if (changes.length > 0) {
      await recordChange(
        trx,
        item,
        {
          actor: input.actor,
          action: 'details',
          summary: changes.join('；'),
          detail: { title: item.title, category: item.category, keySupervision: item.key_supervision },
          message: null,
        },
        now,
      );
    }
    return { item, changed: changes.length > 0 };
  });
}

/**
 * 立案审查 of a submitted item that was never assigned nor reviewed. 不予立案 and a merge close it and tell
 * its deputies why; a merge adds them to the item it joins, so they follow its handling from then on.
 */
export async function reviewSuggestion(
  deps: ReviewDeps,
  input: { code: string; review: ReviewDecision; details: ItemDetails; actor: Actor; scope: Scope },
): Promise<{ item: SuggestionRow; mergedInto?: SuggestionRow }> {
  checkDetails(input.details);
  const r = input.review;
  if (r.decision !== 'accept') {
    const reason = r.reason.trim();
    if (reason === '')
      throw new AppError(
        'bad_request',
        r.decision === 'merge' ? '请填写合并办理的理由' : '请填写不予立案的理由',
      );
    if (reason.length > MAX_REVIEW_REASON)
      throw new AppError('bad_request', `理由最多 ${MAX_REVIEW_REASON} 个字`);
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockInScope(trx, input.code, input.scope);
    if (locked.status !== 'submitted' || locked.round > 1)
      throw new AppError('conflict', `${locked.code} 已交办或已办结，不能再作立案审查`);
    if (locked.review_state !== null)
      throw new AppError('conflict', `${locked.code} 已经审查过（已立案），可以直接交办`);
    const { item, changes } = await applyDetails(trx, locked, input.details, now);
    const detail = { title: item.title, category: item.category, keySupervision: item.key_supervision };

    if (r.decision === 'accept') {
      await recordReview(
        trx,
        item.id,
        { state: 'accepted', reason: null, by: input.actor.id, close: false },
        now,
      );
      await recordChange(
        trx,
        item,
        {
          actor: input.actor,
          action: 'accepted',
          summary: ['立案审查：立案', ...changes].join('；'),
          detail,
          message: null,
        },
        now,
      );
      return { item: { ...item, review_state: 'accepted' } };
    }

    const reason = r.reason.trim();
    if (r.decision === 'not_accepted') {
      await recordReview(
        trx,
        item.id,
        { state: 'not_accepted', reason, by: input.actor.id, close: true },
        now,
      );
      const closed = { ...item, status: 'closed' as const, review_state: 'not_accepted' as const };
      await recordChange(
        trx,
        closed,
        {
          actor: input.actor,
          action: 'not_accepted',
          summary: ['立案审查：不予立案', ...changes].join('；'),
          reason,
          detail,
          message: `经审查，不予立案。理由：${reason}\n如有疑问，请与人大常委会代表工作机构联系。`,
        },
        now,
      );
      return { item: closed };
    }

    const into = r.into.trim().toUpperCase();
    if (into === item.code) throw new AppError('bad_request', '不能把一件建议合并到它自己');
    const target = await lockInScope(trx, into, input.scope).catch(() => {
      throw new AppError('bad_request', `没有编号为 ${into} 的事项可以合并到，请核对编号`);
    });
    if (target.congress_id !== item.congress_id)
      throw new AppError('bad_request', `${target.code} 属于另一个人大，不能合并`);
    if (target.status === 'closed')
      throw new AppError('conflict', `${target.code} 已办结（或已合并、不予立案），不能再并入其他建议`);
    const moved = await followersOf(trx, item.id);
    for (const f of moved) {
      await addSuggestionDeputy(trx, {
        suggestionId: target.id,
        mandateId: f.mandate_id,
        personId: f.person_id,
        author: false,
      });
    }
    await recordReview(
      trx,
      item.id,
      { state: 'merged', reason, by: input.actor.id, mergedIntoId: target.id, close: true },
      now,
    );
    const closed = { ...item, status: 'closed' as const, review_state: 'merged' as const };
    await recordChange(
      trx,
      closed,
      {
        actor: input.actor,
        action: 'merged',
        summary: [`立案审查：并入 ${target.code} 合并办理`, ...changes].join('；'),
        reason,
        detail: { ...detail, into: target.code },
        message:
          `经审查，与${target.kind} ${target.code}「${titleOf(target)}」合并办理。理由：${reason}\n` +
          `今后的办理进展会按 ${target.code} 告诉您，也可发“查询 ${target.code}”查看。`,
      },
      now,
    );
    await recordChange(
      trx,
      target,
      {
        actor: input.actor,
        action: 'merged_in',
        summary: `${item.code}（${moved.map((m) => m.name).join('、')}）并入本件合并办理`,
        reason,
        detail: { from: item.code, deputies: moved.map((m) => m.name) },
        message: null,
      },
      now,
    );
    return { item: closed, mergedInto: target };
  });
}
