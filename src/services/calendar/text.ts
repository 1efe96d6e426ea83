import { formatStatutoryDate } from '../../statute/date-text.ts';

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
