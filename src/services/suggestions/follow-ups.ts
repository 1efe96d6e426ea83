import { findOrgansByIds } from '../../../db/repositories/organs.ts';
import { findSuggestionByCode, listFollowUpsDue } from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { formatDate } from '../../statute/date-text.ts';
import { messageOrganContact } from '../organs/index.ts';

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
      const still = await trx
        .updateTable('suggestion_follow_ups')
        .set({ reminded_at: now })
        .where('id', '=', f.id)
        .where('reminded_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!still) return;
      const item = await findSuggestionByCode(trx, f.code);
      const [organ] = await findOrgansByIds(trx, [f.organ_id]);
      if (!item || !organ) return;
      const text =
        `【落实提醒】${organ.name}在答复代表建议 ${item.code} 时承诺：“${f.promise}”，` +
        `落实时限为 ${formatDate(f.due_on)}。请将落实情况告知代表和人大常委会代表工作机构。`;
      await messageOrganContact(trx, cal, organ, item, `follow-up:${f.id}`, text, now, deps.config.timezone);
      done.push(item.code);
    });
  }
  return done;
}
