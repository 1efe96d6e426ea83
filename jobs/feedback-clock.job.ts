import { listOpenDeadlines } from '../db/repositories/deadlines.ts';
import { type ClockReminder, clockCandidates } from '../db/repositories/reminder-candidates.ts';
import { activeCongresses, usableGroupKinds } from '../src/services/notices/index.ts';
import { addDays } from '../src/statute/calendar-date.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// 《代表法》第五十一条第二款 (S8) and 山西 第二十七条 (S8a): the feedback clocks in `deadlines`. 14 and 3 working days before
// the due date the handling organ's contact and staff are reminded; once overdue, staff are told.
// The organ is the one the suggestion was assigned to (suggestion_assignments.deadline_id); a clock with
// no organ recorded (e.g. an S8a report) reaches staff only.

const EARLY = 14;
const LATE = 3;

export const feedbackClockJob: ReminderJob = {
  kind: 'reminders',
  name: 'feedback-clock',
  rules: ['S8', 'S8a'],
  summary: '建议答复与报告反馈期限提醒（到期前14、3个工作日提醒承办单位联系人和工作人员；逾期告知工作人员）',
  async evaluate({ deps, today, cal }) {
    const open = await listOpenDeadlines(deps.db);
    if (open.length === 0) return [];
    const live = (await activeCongresses(deps.db)).map((c) => c.id);
    const out: ClockReminder[] = [];
    for (const d of open) {
      const rule = d.kind === 'S8a' ? 'S8a' : 'S8';
      const article = rule === 'S8a' ? '山西 第二十七条' : '《代表法》第五十一条第二款';
      // A clock of a congress reaches its staff while the congress is live; one of none, every live one's.
      const staffOf = d.congress_id !== null ? live.filter((id) => id === d.congress_id) : live;
      const due = formatStatutoryDate(d.due_on, d.provisional);
      const early = cal.addWorkdays(d.due_on, -EARLY);
      const late = cal.addWorkdays(d.due_on, -LATE);
      if (!early.ok || !late.ok) continue;
      let window: { key: string; from: string; text: string; event: string } | null = null;
      if (today >= early.value && today < late.value) {
        window = {
          key: `${EARLY}`,
          from: early.value,
          text: `「${d.label}」（${d.subject_id}）的答复期限是 ${due}，还有约 ${EARLY} 个工作日（${article}）。`,
          event: d.due_on,
        };
      } else if (today >= late.value && today <= d.due_on) {
        window = {
          key: `${LATE}`,
          from: late.value,
          text: `「${d.label}」（${d.subject_id}）的答复期限是 ${due}，只剩 ${LATE} 个工作日以内，请督促按时答复（${article}）。`,
          event: d.due_on,
        };
      } else if (today > d.due_on) {
        window = {
          key: 'overdue',
          from: addDays(d.due_on, 1),
          text: `「${d.label}」（${d.subject_id}）已超过答复期限 ${due}，尚未办结，请督办（${article}）。`,
          event: today,
        };
      }
      if (!window) continue;
      out.push({
        deadlineId: d.id,
        rule,
        period: `deadline:${d.id}:${window.key}`,
        text: window.text,
        dueOn: window.from,
        eventOn: window.event,
        organs: window.key !== 'overdue',
        staffOf,
      });
    }
    return out.length === 0 ? [] : [clockCandidates(out, usableGroupKinds(deps.config))];
  },
};
