import type { Db } from '../../../db/client.ts';
import type { CalendarResult, DayInfo, WorkCalendar } from '../../statute/calendar.ts';
import { addDays, yearOf } from '../../statute/calendar-date.ts';
import { type FestivalName, festivalDays } from '../../statute/statutory-holidays.ts';
import { loadWorkCalendar } from './calendar.ts';
import { dayAnswerText, type FestivalRest, festivalRestText } from './text.ts';

// "元旦放几天", "春节哪天上班", "下周一上班吗": answered from the one working calendar the statutory clocks
// count on (loadWorkCalendar: the State Council's arrangements, 《全国年节及纪念日放假办法》 第二条 for a year
// not yet published, and staff corrections), so what staff corrected is what people are told.

// Make-up working days lie within two weeks of the rest they pay for.
const MAKEUP_REACH = 14;

const isRest = (cal: WorkCalendar, d: string): boolean => {
  const r = cal.dayInfo(d);
  return r.ok && r.value.kind !== 'workday';
};

function restOf(cal: WorkCalendar, festival: FestivalName, year: number): CalendarResult<FestivalRest> {
  const days = festivalDays(festival, year);
  const first = cal.dayInfo(days[0]!);
  if (!first.ok) return first;
  const resting = days.filter((d) => isRest(cal, d));
  if (resting.length === 0)
    return {
      ok: true,
      value: { festival, year, off: [], makeup: [], backOn: null, corrected: false },
      provisional: first.provisional,
    };
  let start = resting[0]!;
  while (isRest(cal, addDays(start, -1)) && start > addDays(resting[0]!, -MAKEUP_REACH))
    start = addDays(start, -1);
  let end = resting.at(-1)!;
  while (isRest(cal, addDays(end, 1)) && end < addDays(resting.at(-1)!, MAKEUP_REACH)) end = addDays(end, 1);
  const infos: DayInfo[] = [];
  for (let d = addDays(start, -MAKEUP_REACH); d <= addDays(end, MAKEUP_REACH); d = addDays(d, 1)) {
    const r = cal.dayInfo(d);
    if (r.ok) infos.push(r.value);
  }
  const off = infos.filter((i) => i.date >= start && i.date <= end);
  return {
    ok: true,
    value: {
      festival,
      year,
      off: off.map((i) => i.date),
      makeup: infos.filter((i) => i.makeup === true).map((i) => i.date),
      backOn: addDays(end, 1),
      corrected: infos.some((i) => i.source === 'corrected'),
    },
    provisional: infos.some((i) => i.source === 'provisional'),
  };
}

/** The festival's rest this year, or next year's once this year's is over by `today`. */
export async function festivalRest(
  db: Db,
  festival: FestivalName,
  today: string,
): Promise<CalendarResult<FestivalRest>> {
  const cal = await loadWorkCalendar(db);
  const thisYear = restOf(cal, festival, yearOf(today));
  const over =
    thisYear.ok && (thisYear.value.backOn ?? festivalDays(festival, yearOf(today)).at(-1)!) <= today;
  return over ? restOf(cal, festival, yearOf(today) + 1) : thisYear;
}

/** What a person asking about a festival's rest, or whether a day is worked, is told. */
export async function holidayAnswer(
  deps: { db: Db },
  asked: { festival: FestivalName } | { date: string },
  today: string,
): Promise<string> {
  if ('festival' in asked) {
    const r = await festivalRest(deps.db, asked.festival, today);
    return r.ok ? festivalRestText(r.value, r.provisional) : `${r.error.message}。`;
  }
  const r = (await loadWorkCalendar(deps.db)).dayInfo(asked.date);
  return r.ok ? dayAnswerText(r.value) : `${r.error.message}。`;
}
