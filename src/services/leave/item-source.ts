import type { Db } from '../../../db/client.ts';
import { findLeaveByCode, type LeaveDetail, listLeave } from '../../../db/repositories/leave.ts';
import { formatDate } from '../../statute/date-text.ts';
import type { ItemSource, ItemSummary } from '../items/index.ts';
import { deciderLabel } from './organisers.ts';
import { STATUS_TEXT, WITHDRAWN_TEXT } from './text.ts';

// 查询 for leave requests (QJ): only the person's own.

const subjectOf = (r: LeaveDetail) =>
  r.session_name ?? `${r.activity_code ?? ''} ${r.activity_title ?? ''}`.trim();

function statusLabel(r: LeaveDetail, decider: string): string {
  if (r.withdrawn) return WITHDRAWN_TEXT;
  if (r.status === 'pending') return `待${decider}决定`;
  if (r.status === 'forwarded') return `已转呈${decider}，待其决定`;
  return `${STATUS_TEXT[r.status]}（${decider}，${r.decided_on ? formatDate(r.decided_on) : ''}）`;
}

export const leaveItemSource: ItemSource = {
  prefixes: ['QJ'],
  async listForPerson(deps, personId) {
    const rows = await listLeave(deps.db, { personId });
    return Promise.all(
      rows.map(
        async (r): Promise<ItemSummary> => ({
          code: r.code,
          kindLabel: '请假',
          title: subjectOf(r),
          statusLabel: statusLabel(r, await deciderLabel(deps.db, r)),
          open: r.status === 'pending' && !r.withdrawn,
          updatedAt: new Date(r.updated_at),
          congressId: r.congress_id,
        }),
      ),
    );
  },
  async detailForPerson(deps, personId, code) {
    const r = await findLeaveByCode(deps.db, code);
    if (!r || r.person_id !== personId) return null;
    return detailText(deps.db, r);
  },
  async detailForStaff(deps, congressIds, code) {
    const r = await findLeaveByCode(deps.db, code);
    if (!r || !congressIds.includes(r.congress_id)) return null;
    return `代表：${r.deputy_name}（${r.congress_name}）\n${await detailText(deps.db, r)}`;
  },
};

async function detailText(db: Db, r: LeaveDetail): Promise<string> {
  const decider = await deciderLabel(db, r);
  return [
    `请假 ${r.code}`,
    `会议/活动：${subjectOf(r)}`,
    `事由：${r.reason}`,
    `提出：${formatDate(r.submitted_on)}${r.entered_by_staff ? '（工作人员代录）' : ''}`,
    `决定机关：${decider}`,
    `状态：${statusLabel(r, decider)}${r.decision_reason && !r.withdrawn ? `，理由：${r.decision_reason}` : ''}`,
  ].join('\n');
}

/**
 * The deputy's leave request (not withdrawn; decided or not) for a session (`session:<id>`) or an activity (its HD
 * code), with where it stands; null when there is none.
 */
export async function leaveOnMeeting(
  deps: { db: Db },
  personId: number,
  ref: string,
): Promise<{ code: string; status: string } | null> {
  const sessionId = /^session:(\d+)$/.exec(ref)?.[1];
  const r = (await listLeave(deps.db, { personId })).find(
    (l) =>
      !l.withdrawn &&
      (sessionId !== undefined ? l.session_id === Number(sessionId) : l.activity_code === ref),
  );
  return r ? { code: r.code, status: statusLabel(r, await deciderLabel(deps.db, r)) } : null;
}
