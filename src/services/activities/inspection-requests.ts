import {
  appendToInspectionRequest,
  insertInspectionRequest,
  listInspectionRequests,
} from '../../../db/repositories/activities.ts';
import { listLiveDeputySeats } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import type { Outcome } from '../leave/index.ts';

// 山西 第二十二条; 大同 第十二条 (S17): 代表可以持代表证就地视察；县级以上代表由常委会工作机构联系安排. A
// `视察` request is recorded for staff to arrange (staff told). Its report afterwards becomes an S8a item
// (山西 第二十七条): inspection_requests.report_ref holds that item's code (see
// db/repositories/activities.ts updateInspectionRequest).

export async function requestInspection(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { personId: number; content: string; today: string; enteredByStaff: boolean },
): Promise<Outcome & { requestId?: number }> {
  const content = input.content.trim();
  if (content === '') return { ok: false, text: '请写明想视察的地方和内容。' };
  if (content.length > 1000) return { ok: false, text: '视察内容请控制在1000字以内。' };
  const seats = (await listLiveDeputySeats(deps.db, input.personId)).map((x) => ({
    id: x.mandateId,
    congress_id: x.congressId,
    level: x.level,
    congress: x.congressName,
    name: x.personName,
  }));
  const s = seats.find((x) => x.level !== 'province') ?? seats[0];
  if (!s) return { ok: false, text: '您目前没有可以申请视察的代表职务。' };
  return deps.db.transaction().execute(async (trx) => {
    const r = await insertInspectionRequest(trx, {
      congressId: s.congress_id,
      mandateId: s.id,
      content,
      enteredByStaff: input.enteredByStaff,
      at: deps.clock.now(),
    });
    await recordDutyEvent(trx, {
      mandateId: s.id,
      occurredOn: input.today,
      kind: 'inspection.requested',
      summary: `申请持证视察：${content.length > 40 ? `${content.slice(0, 40)}…` : content}`,
      ref: `视察申请第${r.id}号`,
      enteredByStaff: input.enteredByStaff,
    });
    const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
    for (const p of await staffOf(trx, s.congress_id)) {
      await enqueueToPerson(
        trx,
        p,
        {
          text: `【视察申请】第${r.id}号\n代表：${s.name}（${s.congress}）\n内容：${content}\n依照山西 第二十二条，请联系安排；安排好后在「工作平台 → 活动」登记视察活动并通知代表。`,
        },
        { idempotencyKey: `inspection:${r.id}:staff:p${p}`, cause: `inspection:${r.id}`, notBefore },
      );
    }
    return {
      ok: true,
      requestId: r.id,
      text:
        `已记录您的视察申请（第${r.id}号）：${content}。\n依照山西 第二十二条，工作人员会联系安排，安排好后通知您。` +
        '视察后可提交视察报告，报告转交有关机关后三个月内反馈（山西 第二十七条）。',
    };
  });
}

/**
 * "下周吧" just after a 视察 request: the words go into that request while it waits to be arranged, and the
 * staff who received it hear of them (山西 第二十二条: they arrange it).
 */
export async function addToInspectionRequest(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { personId: number; id: number; words: string },
): Promise<Outcome> {
  const words = input.words.trim();
  if (words === '' || words.length > 200) return { ok: false, text: '补充的内容请控制在200字以内。' };
  const seats = await listLiveDeputySeats(deps.db, input.personId);
  return deps.db.transaction().execute(async (trx) => {
    const r = await appendToInspectionRequest(trx, {
      id: input.id,
      mandateIds: seats.map((s) => s.mandateId),
      words,
      at: deps.clock.now(),
    });
    if (!r)
      return {
        ok: false,
        text: `视察申请第${input.id}号已经在安排或办完了，不能再补充。有变化请直接告诉代表工作机构。`,
      };
    const seat = seats.find((s) => s.mandateId === r.mandate_id)!;
    const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
    for (const p of await staffOf(trx, r.congress_id)) {
      await enqueueToPerson(
        trx,
        p,
        {
          text: `【视察申请补充】第${r.id}号\n代表：${seat.personName}（${seat.congressName}）\n补充：${words}\n现在的内容：${r.content}`,
        },
        {
          idempotencyKey: `inspection:${r.id}:more:${r.content.length}:staff:p${p}`,
          cause: `inspection:${r.id}`,
          notBefore,
        },
      );
    }
    return {
      ok: true,
      text: `已把“${words}”补充到您的视察申请（第${r.id}号），工作人员安排时会看到。`,
    };
  });
}

/** How many inspection requests of these congresses still wait to be arranged (待办). */
export async function inspectionsToArrange(
  deps: Pick<Deps, 'db'>,
  congressIds: readonly number[],
): Promise<number> {
  let n = 0;
  for (const id of congressIds)
    n += (await listInspectionRequests(deps.db, id)).filter((r) => r.status === 'requested').length;
  return n;
}
