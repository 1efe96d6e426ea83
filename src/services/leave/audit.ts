import type { Db } from '../../../db/client.ts';
import { type AuditSource, writeAudit } from '../../../db/repositories/audit.ts';
import type { LeaveRequestRow } from '../../../db/repositories/leave.ts';

// What staff change on leave requests, whichever way it comes (the API, the console's forms, chat): one
// audit row written in the change's own transaction, with the request as it stood before and after and
// where it came from (`detail.via`). The route that passes `audit` marks its request audited, so the trail
// writes no second row. A deputy's own request is not a staff change and has none.

/**
 * `leave.proxy` 代录; `leave.decide` 批准 / 不批准 recorded for the deciding body; `leave.record_decision`
 * the decision a forwarded request came back with (山西 第八条), recorded by staff.
 */
export type LeaveAction = 'leave.proxy' | 'leave.decide' | 'leave.record_decision';

/** A leave request as an audit row keeps it: where it stands, not who asked why. */
type LeaveState = Pick<LeaveRequestRow, 'code' | 'status' | 'decided_on' | 'decision_reason'>;

const stateOf = (r: LeaveState) => ({
  code: r.code,
  status: r.status,
  decidedOn: r.decided_on,
  decisionReason: r.decision_reason,
});

/** Writes a staff change's audit row, when its caller said where it came from. */
export async function auditLeaveChange(
  trx: Db,
  by: { actor: string; audit?: AuditSource | null | undefined },
  action: LeaveAction,
  what: { id: number; before: LeaveState | null; after: LeaveState; detail: Record<string, unknown> },
): Promise<void> {
  if (!by.audit) return;
  await writeAudit(trx, {
    actor: by.actor,
    action,
    subjectType: 'leave_request',
    subjectId: what.id,
    detail: { code: what.after.code, ...what.detail },
    source: by.audit,
    before: what.before ? stateOf(what.before) : null,
    after: stateOf(what.after),
  });
}

/** 代录: a request staff entered for a deputy (a session's or an activity's). */
export const auditLeaveEntry = (
  trx: Db,
  by: { actor: string | null; audit?: AuditSource | null | undefined },
  row: LeaveRequestRow,
): Promise<void> =>
  by.actor === null
    ? Promise.resolve()
    : auditLeaveChange(trx, { actor: by.actor, audit: by.audit }, 'leave.proxy', {
        id: row.id,
        before: null,
        after: row,
        detail: {
          mandate: row.mandate_id,
          session: row.session_id,
          activity: row.activity_id,
          decidingBody: row.deciding_body,
        },
      });
