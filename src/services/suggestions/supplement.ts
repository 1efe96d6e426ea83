import { amendSuggestion, type SuggestionRow } from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { todayIn } from '../../statute/calendar-date.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { lockOwn, type OwnChangeInput } from './own-items.ts';
import { noticeToStaff, reachOpenOrgans, recordChange } from './records.ts';
import { MAX_CONTENT } from './submission.ts';
import { titleOf } from './text.ts';

// Words a deputy adds to their own item once it is handed over (交办). The organs study the deputy's
// matter as the deputy tells it (《代表法》第五十一条), so the words are kept with the item — after its
// content, marked as added after 交办 and dated, what it said before in the history row — and sent to
// the organs still handling it and to staff. Before 交办 words go into the content (amendSuggestionContent).

export interface Supplemented {
  code: string;
  /** A few of its words, as it was handed over. */
  title: string;
  /** The organs told (those handling it now); none once every organ has answered. */
  organs: string[];
}

/** To the organs handling an item and to staff: the deputy's words added after 交办 (never a 涉密 item's). */
export const supplementText = (item: SuggestionRow, words: string): string =>
  `【代表补充】${item.kind} ${item.code}「${titleOf(item)}」的提出代表补充了内容${item.secret ? '，请到人大常委会代表工作机构查看' : `：${words}`}。请在办理和答复时一并考虑。`;

export async function supplementSuggestion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: OwnChangeInput & { words: string },
): Promise<Supplemented> {
  const words = input.words.trim();
  if (words === '') throw new AppError('bad_request', '请写明要补充的内容');
  const now = deps.clock.now();
  const tz = deps.config.timezone;
  return deps.db.transaction().execute(async (trx) => {
    // Not theirs, withdrawn or 办结: refused in the deputy's words.
    const item = await lockOwn(trx, input, false);
    if (item.status === 'submitted') throw new AppError('conflict', `${item.code} 还没有交办`);
    const content = `${item.content}\n（交办后补充，${todayIn(deps.clock, tz)}）${words}`;
    if (content.length > MAX_CONTENT)
      throw new AppError('bad_request', `内容最多 ${MAX_CONTENT} 字，请精简后再补充`);
    await amendSuggestion(trx, item.id, { content }, now);
    const changed: SuggestionRow = { ...item, content };
    const eventId = await recordChange(
      trx,
      changed,
      {
        actor: input.actor,
        action: 'supplemented',
        summary: '代表补充内容（交办后）',
        reason: item.secret ? null : words,
        detail: item.secret ? {} : { before: item.content },
        message: null,
      },
      now,
    );
    const cal = await loadWorkCalendar(trx);
    const text = supplementText(item, words);
    const organs = await reachOpenOrgans(trx, cal, changed, `supplement${eventId}`, text, now, tz);
    await noticeToStaff(trx, cal, changed, `supplement${eventId}`, text, now, tz);
    return { code: item.code, title: titleOf(item), organs: organs.map((o) => o.name) };
  });
}
