import { findBookingByCode, listBookingsOfPerson } from '../../../db/repositories/reception.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { receptionDayFor } from '../calendar/index.ts';
import type { ItemSource, ItemSummary } from '../items/index.ts';

// 查询 for reception-day bookings (JD): only the person's own.

export const bookingItemSource: ItemSource = {
  prefixes: ['JD'],
  async listForPerson(deps, personId, today) {
    const rows = await listBookingsOfPerson(deps.db, personId);
    const out: ItemSummary[] = [];
    for (const b of rows) {
      const rd = await receptionDayFor(deps, b.congress_id, b.month);
      const live = b.status === 'booked';
      out.push({
        code: b.code,
        kindLabel: '接待日预约',
        title: b.topic ?? `${b.month} 接待日`,
        statusLabel: live ? `已预约，${formatStatutoryDate(rd.date, rd.provisional)}` : '已取消',
        open: live && rd.date >= today,
        updatedAt: new Date(b.cancelled_at ?? b.created_at),
        congressId: b.congress_id,
      });
    }
    return out;
  },
  async detailForPerson(deps, personId, code) {
    const b = await findBookingByCode(deps.db, code);
    if (!b || b.person_id !== personId) return null;
    return bookingText(deps, b);
  },
  async detailForStaff(deps, congressIds, code) {
    const b = await findBookingByCode(deps.db, code);
    if (!b || !congressIds.includes(b.congress_id)) return null;
    return bookingText(deps, b);
  },
};

async function bookingText(
  deps: Parameters<ItemSource['listForPerson']>[0],
  b: NonNullable<Awaited<ReturnType<typeof findBookingByCode>>>,
): Promise<string> {
  const rd = await receptionDayFor(deps, b.congress_id, b.month);
  return [
    `接待日预约 ${b.code}`,
    `日期：${formatStatutoryDate(rd.date, rd.provisional)}`,
    `话题：${b.topic ?? '未写'}`,
    `状态：${b.status === 'booked' ? '已预约' : '已取消'}`,
  ].join('\n');
}
