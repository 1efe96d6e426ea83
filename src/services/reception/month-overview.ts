import { findCongressById } from '../../../db/repositories/congresses.ts';
import { listBookingsOfMonth } from '../../../db/repositories/reception.ts';
import type { Deps } from '../../deps.ts';
import { monthOf } from '../../statute/calendar-date.ts';
import { readCongressSettings } from '../../statute/congress-settings.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { receptionDayFor } from '../calendar/index.ts';
import { hostOf, nextMonth } from './booking.ts';

// 大同 第七条(九) (S2) as staff ask it in chat ("这个月接待日是哪天", "下个月接待日几号"): the day of each of their
// congresses, its host and who booked it with what topic. The console's 接待日 page shows the same and more.

type ODeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** The month's reception day of each congress (this month's, or the next once it has passed). */
export async function receptionMonthForStaff(
  deps: ODeps,
  input: { congressIds: readonly number[]; month?: string | undefined; today: string },
): Promise<string> {
  const lines: string[] = [];
  for (const id of input.congressIds) {
    const congress = await findCongressById(deps.db, id);
    if (!congress) continue;
    let month = input.month ?? monthOf(input.today);
    let rd = await receptionDayFor(deps, id, month);
    const passed = input.month === undefined && rd.date < input.today;
    if (passed) {
      month = nextMonth(month);
      rd = await receptionDayFor(deps, id, month);
    }
    const host = hostOf(readCongressSettings(congress.settings), month);
    const bookings = await listBookingsOfMonth(deps.db, id, month);
    const [y, m] = month.split('-');
    const head = `${passed ? '本月的接待日已经过了。' : ''}${congress.name}${y}年${Number(m)}月的主任接待代表日是 ${formatStatutoryDate(rd.date, rd.provisional)}${host ? `，接待人：${host}` : ''}。`;
    const booked =
      bookings.length === 0
        ? '还没有代表预约。'
        : `已有${bookings.length}位代表预约：${bookings.map((b) => `${b.name}（${b.topic ?? '未写话题'}）`).join('；')}。`;
    lines.push(`${head}\n${booked}`);
  }
  if (lines.length === 0) return '您目前没有可以查看接待日的工作人员职务。';
  return `${lines.join('\n')}\n各月的预约和话题也可以在「工作平台 → 接待日」查看。`;
}
