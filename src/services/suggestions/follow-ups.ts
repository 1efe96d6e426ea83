import {
  claimFollowUpReminder,
  findSuggestionByCode,
  listFollowUpsDue,
} from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { organsByIds } from '../organs/index.ts';
import { reachOrgan } from './records.ts';
import { followUpText } from './text.ts';

// S8: an answer that promises something by a date (落实时限) is followed up. When that date comes, the
// organ that promised it is reminded (its contact by chat, or staff asked to phone), once.

export async function remindDueFollowUps(
  deps: Pick<Deps, 'db' | 'config'>,
  cal: WorkCalendar,
  today: string,
  now: Date,
): Promise<string[]> {
  const done: string[] = [];
  for (const f of await listFollowUpsDue(deps.db, today)) {
    await deps.db.transaction().execute(async (trx) => {
      // Marked in the same transaction as the message: a rerun never reminds twice.
      const still = await claimFollowUpReminder(trx, f.id, now);
      if (!still) return;
      const item = await findSuggestionByCode(trx, f.code);
      const [organ] = await organsByIds(trx, [f.organ_id]);
      if (!item || !organ) return;
      const text = followUpText(organ.name, item.code, f.promise, f.due_on);
      await reachOrgan(trx, cal, organ, item, `follow-up:${f.id}`, text, now, deps.config.timezone);
      done.push(item.code);
    });
  }
  return done;
}
