import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { extensionCapOn } from '../../statute/feedback-deadlines.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { cannotExtend, settingsOf } from './handling.ts';
import {
  auditedOrganAction,
  historyOnly,
  lockForOrgan,
  type OrganActor,
  type OrganAudit,
  organReason,
  ownOpen,
} from './organ-acts.ts';
import { noticeToStaff } from './records.ts';
import { answerVerb, roleLabel, titleOf } from './text.ts';

// An organ asking for more time. 《代表法》第五十一条第二款 (S8): 三个月内答复；涉及面广、处理难度大的，六个月内
// 答复 — the extension is the office's to approve (staff's 延期), so the organ's request changes no date: it is
// a history row, one audit row, and a notice to the staff of the item's congress naming the current due date,
// the latest day an extension may reach and how to grant it.

type OrganDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export async function requestExtension(
  deps: OrganDeps,
  input: { code: string; reason: string; actor: OrganActor; audit: OrganAudit },
): Promise<{ code: string; dueText: string; extendByText: string | null }> {
  const now = deps.clock.now();
  const reason = organReason(
    input.reason,
    '请写明申请延期的理由，如：申请延期 JY-2026-0012 需要协调资金，预计3月底完成',
  );
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const a = await ownOpen(trx, item, input.actor.organId);
    const refused = cannotExtend(item);
    if (refused) throw new AppError('conflict', refused);
    const cal = await loadWorkCalendar(trx);
    const settings = await settingsOf(trx, item.congress_id);
    const cap = extensionCapOn(cal, a.assigned_on, settings.extensionCapMonths);
    const extendByText = cap.ok ? formatStatutoryDate(cap.value.endsOn, cap.provisional) : null;
    const dueText = a.due_on ? formatStatutoryDate(a.due_on, a.due_provisional) : '（未定）';
    const verb = answerVerb(item.kind);
    const change = async () => {
      const eventId = await historyOnly(trx, item, input.actor, now, {
        action: 'extension_requested',
        summary: `${a.organ_name}（${roleLabel(a.role)}）申请延期，现${verb}期限 ${dueText}`,
        reason,
        detail: { organ: a.organ_name, role: a.role },
      });
      await noticeToStaff(
        trx,
        cal,
        item,
        `extensionreq${eventId}`,
        `【延期申请】${a.organ_name}申请延长${item.kind} ${item.code}「${titleOf(item)}」的${verb}期限（现为 ${dueText}），理由：${reason}。` +
          (extendByText
            ? `延期最迟至 ${extendByText}（自交办之日起${settings.extensionCapMonths}个月）。`
            : '') +
          `同意的，发“延期 ${item.code} 日期 理由”；不同意的，请告知该单位按期${verb}。`,
        now,
        deps.config.timezone,
      );
      return {
        result: { code: item.code, dueText, extendByText },
        // A 涉密 item's words stay on its page: the reason is named, not kept.
        detail: item.secret ? { fields: ['reason'] } : { reason },
      };
    };
    return auditedOrganAction(trx, input, 'assignment.extension_request', { item, a }, change);
  });
}
