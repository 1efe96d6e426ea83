import { listSessionsOpeningAfter } from '../db/repositories/sessions.ts';
import { congressesBoundBy, deputyTargets } from '../src/services/notices/index.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import type { Reminder, ReminderJob } from './reminder-ledger.ts';

// 山西 第八条 (S5): leave from a session must be asked in writing before it opens (县级以上 decided by the
// 主任会议, township by the 主席团). Five working days before a registered session, its deputies are told.

const LEAD_WORKING_DAYS = 5;

export const sessionLeaveJob: ReminderJob = {
  kind: 'reminders',
  name: 'session-leave',
  rules: ['S5'],
  summary: '会议请假提示（登记的会议开幕前5个工作日，提醒代表须在会前书面请假）',
  async evaluate({ deps, today, cal }) {
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S5')) {
      for (const s of await listSessionsOpeningAfter(deps.db, congress.id, today)) {
        const from = cal.addWorkdays(s.starts_on, -LEAD_WORKING_DAYS);
        if (!from.ok || today < from.value) continue;
        const decider = congress.level === 'township' ? '主席团' : '常委会主任会议';
        const opens = formatStatutoryDate(s.starts_on, from.provisional);
        for (const target of await deputyTargets(deps.db, congress.id)) {
          out.push({
            rule: 'S5',
            period: `session:${s.id}`,
            target,
            text: `${s.name}将于 ${opens} 开幕。因故不能出席的，须在开幕前书面请假，由${decider}决定（山西 第八条）。如需请假，请发“请假 ${s.name} 事由”。`,
            dueOn: from.value,
            eventOn: s.starts_on,
          });
        }
      }
    }
    return out;
  },
};
