import { findLeaveByCode, type LeaveDetail, listLeave } from '../../../db/repositories/leave.ts';
import { formatDate } from '../../statute/date-text.ts';
import type { ItemSource, ItemSummary } from '../items/index.ts';
import { STATUS_TEXT } from './text.ts';

// 查询 for leave requests (QJ): only the person's own.

const subjectOf = (r: LeaveDetail) =>
  r.session_name ?? `${r.activity_code ?? ''} ${r.activity_title ?? ''}`.trim();

function statusLabel(r: LeaveDetail): string {
  if (r.status === 'pending') return `待${r.deciding_body_label}决定`;
  if (r.status === 'forwarded') return `已转呈${r.deciding_body_label}，待其决定`;
  return `${STATUS_TEXT[r.status]}（${r.deciding_body_label}，${r.decided_on ? formatDate(r.decided_on) : ''}）`;
}

export const leaveItemSource: ItemSource = {
  prefixes: ['QJ'],
  async listForPerson(deps, personId) {
    const rows = await listLeave(deps.db, { personId });
    return rows.map(
      (r): ItemSummary => ({
        code: r.code,
        kindLabel: '请假',
        title: subjectOf(r),
        statusLabel: statusLabel(r),
        open: r.status === 'pending',
        updatedAt: new Date(r.updated_at),
        congressId: r.congress_id,
      }),
    );
  },
  async detailForPerson(deps, personId, code) {
    const r = await findLeaveByCode(deps.db, code);
    if (!r || r.person_id !== personId) return null;
    return detailText(r);
  },
  async detailForStaff(deps, congressIds, code) {
    const r = await findLeaveByCode(deps.db, code);
    if (!r || !congressIds.includes(r.congress_id)) return null;
    return `代表：${r.deputy_name}（${r.congress_name}）\n${detailText(r)}`;
  },
};

function detailText(r: LeaveDetail): string {
  return [
    `请假 ${r.code}`,
    `会议/活动：${subjectOf(r)}`,
    `事由：${r.reason}`,
    `提出：${formatDate(r.submitted_on)}${r.entered_by_staff ? '（工作人员代录）' : ''}`,
    `决定机关：${r.deciding_body_label}`,
    `状态：${statusLabel(r)}${r.decision_reason ? `，理由：${r.decision_reason}` : ''}`,
  ].join('\n');
}
