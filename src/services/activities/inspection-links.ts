import {
  findActivityByCode,
  listInspectionRequests,
  updateInspectionRequest,
} from '../../../db/repositories/activities.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';

// 山西 第二十二条 (S17) → 第二十七条 (S8a): an inspection request is linked to the activity that carried it
// out (arranged) and to the item its report became (reported), with an audit row.

export interface InspectionLink {
  id: number;
  activity: string | null;
  reportRef: string | null;
}

export async function linkInspectionRequest(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { id: number; activity?: string; reportRef?: string },
  by: { actor: string; tokenCongressId: number | null; requestId: string | null },
): Promise<InspectionLink> {
  const row = (await listInspectionRequests(deps.db, by.tokenCongressId)).find((r) => r.id === input.id);
  if (!row) throw new AppError('not_found', `没有第${input.id}号视察申请`);
  let activityId: number | undefined;
  if (input.activity !== undefined) {
    const a = await findActivityByCode(deps.db, input.activity);
    if (!a || a.congress_id !== row.congress_id)
      throw new AppError('invalid_body', `没有活动 ${input.activity}（须为同一人大的活动）`);
    activityId = a.id;
  }
  const after: InspectionLink = {
    id: input.id,
    activity: input.activity ?? row.activity_code,
    reportRef: input.reportRef ?? row.report_ref,
  };
  await deps.db.transaction().execute(async (trx) => {
    await updateInspectionRequest(trx, input.id, {
      ...(activityId !== undefined ? { activityId } : {}),
      ...(input.reportRef !== undefined ? { reportRef: input.reportRef } : {}),
      at: deps.clock.now(),
    });
    await writeAudit(trx, {
      actor: by.actor,
      action: 'inspection_request.link',
      subjectType: 'inspection_request',
      subjectId: input.id,
      requestId: by.requestId,
      before: { id: input.id, activity: row.activity_code, reportRef: row.report_ref },
      after,
    });
  });
  return after;
}
