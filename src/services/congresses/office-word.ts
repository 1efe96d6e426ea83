import { listLiveDeputySeats } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import { noticeTime, staffOf } from './staff.ts';

// What only the office can do for a deputy — a lost 代表证, new contact details, a resignation (山西
// 第四十八条: made in writing), papers of a meeting — asked in chat: the deputy's words, as written, go to the
// staff of each congress the deputy sits in, once per message, so a person takes it up. Nothing else changes.

/** What the words are about, as the staff notice names it. */
export type OfficeMatter = '代表证' | '联系方式' | '辞去代表职务' | '会议材料';

/** The number of staff told (0: the deputy sits in no congress with staff). */
export async function passWordToOffice(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { personId: number; inboundId: number; about: OfficeMatter; words: string },
): Promise<number> {
  const seats = await listLiveDeputySeats(deps.db, input.personId);
  const congresses = new Map(seats.map((s) => [s.congressId, s]));
  return deps.db.transaction().execute(async (trx) => {
    const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
    let told = 0;
    for (const [congressId, seat] of congresses) {
      for (const p of await staffOf(trx, congressId)) {
        await enqueueToPerson(
          trx,
          p,
          {
            text: `【代表留言·${input.about}】${seat.personName}（${seat.congressName}）在对话中说：\n“${input.words}”\n这件事需要工作人员办理，请与代表联系。`,
          },
          {
            idempotencyKey: `office-word:${input.inboundId}:c${congressId}:p${p}`,
            cause: `office-word:${input.inboundId}`,
            notBefore,
          },
        );
        told++;
      }
    }
    return told;
  });
}
