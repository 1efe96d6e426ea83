import type { Db } from '../client.ts';
import type { SuggestionReviewState } from '../schema.ts';

// 立案审查 (migration 021): the review outcome of an item, and the details staff set on it.

export async function recordReview(
  db: Db,
  id: number,
  r: {
    state: SuggestionReviewState;
    reason: string | null;
    by: string;
    mergedIntoId?: number | null;
    /** 'closed' for 不予立案 and a merge; the status stays otherwise. */
    close: boolean;
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestions')
    .set({
      review_state: r.state,
      review_reason: r.reason,
      reviewed_at: at,
      reviewed_by: r.by,
      merged_into_id: r.mergedIntoId ?? null,
      ...(r.close ? { status: 'closed' as const, closed_at: at } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

export async function setItemDetails(
  db: Db,
  id: number,
  d: { title: string | null; category: string | null; keySupervision: boolean },
  at: Date,
): Promise<void> {
  await db
    .updateTable('suggestions')
    .set({ title: d.title, category: d.category, key_supervision: d.keySupervision, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** The code of the item another was merged into. */
export async function codeOfSuggestion(db: Db, id: number): Promise<string | undefined> {
  const r = await db.selectFrom('suggestions').select('code').where('id', '=', id).executeTakeFirst();
  return r?.code;
}

/** The categories already in use within the congresses (for the category pick-list). */
export async function categoriesInUse(db: Db, congressIds: number[] | null): Promise<string[]> {
  let q = db.selectFrom('suggestions').select('category').distinct().where('category', 'is not', null);
  if (congressIds !== null) {
    if (congressIds.length === 0) return [];
    q = q.where('congress_id', 'in', congressIds);
  }
  const rows = await q.orderBy('category').execute();
  return rows.map((r) => r.category!).filter((c) => c !== '');
}
