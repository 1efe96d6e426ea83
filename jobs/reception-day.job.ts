import type { Db } from '../db/client.ts';
import { listBookingsOfMonth } from '../db/repositories/reception.ts';
import { type DeputyReminder, deputyCandidates } from '../db/repositories/reminder-candidates.ts';
import { receptionDayFor } from '../src/services/calendar/index.ts';
import { congressesBoundBy, personByMention, type Target } from '../src/services/notices/index.ts';
import { addDays, monthOf } from '../src/statute/calendar-date.ts';
import { readCongressSettings } from '../src/statute/congress-settings.ts';
import { formatStatutoryDate } from '../src/statute/date-text.ts';
import { listedReminders, type Reminder, type ReminderJob } from './reminder-ledger.ts';

// 大同 第七条(九) (S2): the reception day of each month. Three working days before it, the deputies who
// may book are reminded; on the day, those who booked and the host.

const LEAD_WORKING_DAYS = 3;

interface Booking {
  code: string;
  person_id: number;
  topic: string | null;
}

/** Booked (not cancelled) reception bookings of a month, in code order. */
async function bookingsOf(db: Db, congressId: number, month: string): Promise<Booking[]> {
  const rows = await listBookingsOfMonth(db, congressId, month);
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export const receptionDayJob: ReminderJob = {
  kind: 'reminders',
  name: 'reception-day',
  rules: ['S2'],
  summary: '接待代表日提醒（前3个工作日提醒可预约的代表；当天提醒预约代表和接待人）',
  async evaluate({ deps, today, cal }) {
    const out: Reminder[] = [];
    const before: DeputyReminder[] = [];
    const months = [monthOf(today), monthOf(addDays(`${monthOf(today)}-01`, 32))];
    for (const congress of await congressesBoundBy(deps.db, 'S2')) {
      const settings = readCongressSettings(congress.settings);
      for (const month of months) {
        let day: Awaited<ReturnType<typeof receptionDayFor>>;
        try {
          day = await receptionDayFor(deps, congress.id, month);
        } catch (err) {
          deps.log.warn({ err, congressId: congress.id, month }, 'reception day unknown');
          continue;
        }
        const date = day.date;
        const shown = formatStatutoryDate(date, day.provisional);
        const from = cal.addWorkdays(date, -LEAD_WORKING_DAYS);
        if (from.ok && today >= from.value && today < date && settings.whoMayBook !== 'none') {
          before.push({
            congressId: congress.id,
            rule: 'S2',
            period: `${month}#before`,
            groups: settings.whoMayBook === 'all' ? null : settings.whoMayBook,
            text: `${congress.name}本月接待代表日是 ${shown}，由主任或副主任接待代表（大同 第七条(九)）。如需预约，请发“预约接待日 ${month} 话题”。`,
            dueOn: from.value,
            eventOn: date,
          });
        }
        if (today !== date) continue;
        const bookings = await bookingsOf(deps.db, congress.id, month);
        for (const b of bookings) {
          out.push({
            rule: 'S2',
            period: `${month}#day`,
            target: { kind: 'person', personId: b.person_id },
            text: `今天（${shown}）是接待代表日，您已预约（${b.code}${b.topic ? `，话题：${b.topic}` : ''}）。`,
            dueOn: date,
            eventOn: date,
          });
        }
        const hosts = settings.receptionHosts;
        const host = hosts.length > 0 ? hosts[(Number(month.slice(5, 7)) - 1) % hosts.length]! : null;
        const hostId = host ? await personByMention(deps.db, congress.id, host) : null;
        if (hostId !== null) {
          const topics = bookings.map((b, i) => `${i + 1}. ${b.topic ?? '（未填写话题）'}（${b.code}）`);
          const target: Target = { kind: 'person', personId: hostId };
          out.push({
            rule: 'S2',
            period: `${month}#day`,
            target,
            text:
              topics.length > 0
                ? `今天（${shown}）是接待代表日，由您接待。已有 ${topics.length} 位代表预约：\n${topics.join('\n')}`
                : `今天（${shown}）是接待代表日，由您接待。目前没有代表预约。`,
            dueOn: date,
            eventOn: date,
          });
        }
      }
    }
    // The deputies who may book, over the whole roster in one query; the day's few, as a list.
    return [...(before.length > 0 ? [deputyCandidates(before)] : []), ...listedReminders(out)];
  },
};
