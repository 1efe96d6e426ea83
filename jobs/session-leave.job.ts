import {
  type DeputyReminder,
  deputyCandidates,
  sessionsOpeningAfter,
} from '../db/repositories/reminder-candidates.ts';
import { congressesBoundBy } from '../src/services/notices/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import type { ReminderJob } from './reminder-ledger.ts';

// 山西 第八条 (S5): leave from a session must be asked in writing before it opens (县级以上 decided by the
// 主任会议, township by the 主席团). Five working days before a registered session, its deputies are told.

/** How many working days before a session opens its deputies are told (the 提醒记录 page says it too). */
export const SESSION_LEAVE_LEAD_WORKING_DAYS = 5;

export const sessionLeaveJob: ReminderJob = {
  kind: 'reminders',
  name: 'session-leave',
  rules: ['S5'],
  summary: '会议请假提示（登记的会议开幕前5个工作日，提醒代表须在会前书面请假）',
  async evaluate({ deps, today, cal }) {
    const congresses = new Map((await congressesBoundBy(deps.db, 'S5')).map((c) => [c.id, c]));
    const out: DeputyReminder[] = [];
    for (const s of await sessionsOpeningAfter(deps.db, [...congresses.keys()], today)) {
      const congress = congresses.get(s.congress_id)!;
      const from = cal.addWorkdays(s.starts_on, -SESSION_LEAVE_LEAD_WORKING_DAYS);
      if (!from.ok || today < from.value) continue;
      const decider = congress.level === 'township' ? '主席团' : '常委会主任会议';
      const opens = formatStatutoryDate(s.starts_on, from.provisional);
      out.push({
        congressId: congress.id,
        rule: 'S5',
        period: `session:${s.id}`,
        groups: null,
        text: `${s.name}将于 ${opens} 开幕。因故不能出席的，须在开幕前书面请假，由${decider}决定（山西 第八条）。如需请假，请发“请假 ${s.name} 事由”。`,
        dueOn: from.value,
        eventOn: s.starts_on,
      });
    }
    return out.length === 0 ? [] : [deputyCandidates(out)];
  },
};
