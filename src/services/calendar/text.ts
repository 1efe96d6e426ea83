import type { DayInfo } from '../../statute/calendar.ts';
import { formatStatutoryDate, monthDayText, weekdayName } from '../../statute/date-text.ts';
import type { FestivalName } from '../../statute/statutory-holidays.ts';

/** A festival's rest as the calendar has it: the days off in a row, the make-up working days, the day back. */
export interface FestivalRest {
  festival: FestivalName;
  year: number;
  off: string[];
  makeup: string[];
  backOn: string | null;
  corrected: boolean;
}

// What people read when the working calendar moves a date they care about.

export interface DateMoveText {
  /** e.g. 「JY-2026-0001 的答复期限」 or 「大同市第十六届人民代表大会2026年9月的代表接待日」 */
  what: string;
  oldDate: string;
  oldProvisional: boolean;
  newDate: string;
  newProvisional: boolean;
  reason: string;
}

export const dateMovedText = (m: DateMoveText): string =>
  `【工作日历调整】${m.what}由 ${formatStatutoryDate(m.oldDate, m.oldProvisional)} ` +
  `改为 ${formatStatutoryDate(m.newDate, m.newProvisional)}。原因：${m.reason}`;

/** Why dates moved when a year was recorded from the notice itself. */
export const noticeReason = (n: { title: string; number: string | null; issuedOn: string }): string =>
  `载入${n.title}（${n.number ? `${n.number}，` : ''}${n.issuedOn}）`;

/** A correction asking for what the day already is: nothing was changed. */
export const unchangedDayText = (kind: 'holiday' | 'workday', corrected: boolean): string => {
  const day = kind === 'holiday' ? '休息日' : '工作日';
  return corrected
    ? `这一天已经更正为${day}，没有改动。如要改写更正的依据，请先撤销这条更正，再重新更正。`
    : `这一天本来就是${day}，没有改动。`;
};

/** `1月1日（星期五）`: a day as a holiday answer names it. */
const dayText = (d: string): string => `${monthDayText(d)}（${weekdayName(d)}）`;

const CORRECTED_NOTE = '（已按代表工作机构对工作日历的更正）';
const PROVISIONAL_NOTE = '国务院尚未公布这一年的放假安排，以上按法定节假日暂定，以正式通知为准。';

/** "元旦放几天": the days off in a row, the day back, the make-up working days. */
export function festivalRestText(r: FestivalRest, provisional: boolean): string {
  const name = `${r.year}年${r.festival}`;
  const tail = `${r.corrected ? CORRECTED_NOTE : ''}${provisional ? PROVISIONAL_NOTE : ''}`;
  const first = r.off[0];
  const last = r.off.at(-1);
  if (!first || !last || r.backOn === null) return `${name}按工作日历不放假。${tail}`;
  const span = first === last ? dayText(first) : `${dayText(first)}至${dayText(last)}`;
  const makeup = r.makeup.length > 0 ? `${r.makeup.map(dayText).join('、')}调休上班。` : '';
  return `${name}：${span}放假，共${r.off.length}天，${dayText(r.backOn)}上班。${makeup}${tail}`;
}

/** "下周一上班吗": whether the day is worked, and why not when it is not. */
export function dayAnswerText(d: DayInfo): string {
  const day = dayText(d.date);
  const corrected = d.source === 'corrected' ? CORRECTED_NOTE : '';
  const provisional = d.source === 'provisional' && d.name ? PROVISIONAL_NOTE : '';
  if (d.kind === 'workday')
    return `${day}是工作日，正常上班${d.makeup ? `（${d.name ?? '调休上班'}）` : ''}。${corrected}`;
  const why = d.kind === 'weekend' ? '周末' : (d.name ?? '节假日');
  return `${day}不上班：${why}。${corrected}${provisional}`;
}
