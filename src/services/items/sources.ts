import type { Deps } from '../../deps.ts';
import type { CodePrefix } from './codes.ts';

// 查询 shows a deputy their own items of every kind (leave QJ, suggestions JY, bookings JD, activities HD).
// Each feature supplies a source; runtime.ts hands the list to the 查询 handler (Deps.wiring), so this
// domain depends on none of the domains that supply one. A source never returns another person's item:
// a code that is not the person's own is "not found" to them.

export interface ItemSummary {
  code: string;
  /** e.g. 建议, 请假, 接待日预约 */
  kindLabel: string;
  /** A short title (the first words of the content, the meeting's name …). */
  title: string;
  /** The status as the deputy reads it, e.g. 已交办（市交通局，2027-02-24（星期三）前答复） */
  statusLabel: string;
  /** Whether the item still needs something (open items are listed first). */
  open: boolean;
  updatedAt: Date;
}

export interface ItemSource {
  prefixes: readonly CodePrefix[];
  /** The person's items of this kind, newest first. */
  listForPerson(deps: Deps, personId: number, today: string): Promise<ItemSummary[]>;
  /** The full answer for one item (multi-line Chinese), or null when it is not this person's or does not exist. */
  detailForPerson(deps: Deps, personId: number, code: string, today: string): Promise<string | null>;
}
