import type { Db } from '../../../db/client.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import {
  type AssignmentView,
  assignmentsOf,
  followersOf,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Photo } from '../../../db/schema.ts';
import type { ReplyButton } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { readCongressSettings } from '../../statute/congress-settings.ts';
import { formatDate, formatStatutoryDate } from '../../statute/date-text.ts';
import { extensionCapOn } from '../../statute/feedback-deadlines.ts';
import type { OrganRow } from '../organs/index.ts';
import { reachOrgan } from './records.ts';
import { attachedText, currentRound, isReport, locationText, roleLabel, titleOf } from './text.ts';

// The 交办函: everything an organ needs to handle an item — the full text, the kept photos and files (on
// the organ's page, never platform links), the place, the deputies (name and congress, never a phone),
// the lead and assisting organs, the due date with its weekday and the last day to ask to return it.

/** 涉密: the 交办函 is never sent over the platforms (CONTRACT §4). */
export const SECRET_LETTER_NOTICE =
  '本事项涉密，交办函及材料不通过企业微信、钉钉发送，请到人大常委会代表工作机构领取。';

export const letterButtons = (code: string): ReplyButton[] => [
  { label: '签收', command: `签收 ${code}` },
  { label: '申请退回', command: `申请退回 ${code}` },
];

// ---- the 交办函 -------------------------------------------------------------------------------------

export interface Letter {
  code: string;
  kind: string;
  title: string;
  /** The full text; null for a 涉密 item. */
  content: string | null;
  secret: boolean;
  submittedOn: string;
  place: string | null;
  /** How many photos or files were kept with it (shown on the organ's page, never platform links). */
  attachments: number;
  /** The photos and place as one sentence (attachedText). */
  attachedNote: string;
  deputies: { name: string; congress: string }[];
  lead: string | null;
  assisting: string[];
  organ: string;
  role: 'lead' | 'assist';
  assignedOn: string;
  dueOn: string | null;
  dueText: string;
  /** The last day a return may be asked for (退回申请), with its weekday. */
  returnBy: string | null;
  returnByText: string;
  /**
   * The latest day an extension approved by the office may reach (《代表法》第五十一条第二款, S8: six months
   * from 交办 by default), with its weekday; null for a report (山西 第二十七条 (S8a) provides none).
   */
  extendByText: string | null;
  signedAt: string | null;
}

const photosOf = (item: SuggestionRow): Photo[] => (Array.isArray(item.photos) ? item.photos : []);

/** The last day of the return window: N working days after 交办 (the congress's setting). */
export function returnByOf(cal: WorkCalendar, assignedOn: string, days: number): string | null {
  const r = cal.addWorkdays(assignedOn, days);
  return r.ok ? r.value : null;
}

export async function letterOf(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  a: AssignmentView,
  all: AssignmentView[],
): Promise<Letter> {
  const c = await findCongressById(trx, item.congress_id);
  const settings = readCongressSettings(c?.settings);
  const congress = c?.name ?? '';
  const round = currentRound(item, all).filter((x) => x.status === 'open' || x.status === 'answered');
  const returnBy = returnByOf(cal, a.assigned_on, settings.returnWindowWorkingDays);
  const cap = isReport(item.kind) ? null : extensionCapOn(cal, a.assigned_on, settings.extensionCapMonths);
  return {
    code: item.code,
    kind: item.kind,
    title: titleOf(item, 40),
    content: item.secret ? null : item.content,
    secret: item.secret,
    submittedOn: item.submitted_on,
    place: item.secret || !item.location ? null : locationText(item.location),
    attachments: item.secret ? 0 : photosOf(item).length,
    attachedNote: item.secret ? '' : attachedText(item),
    // Name and congress only: a deputy's phone is never in the letter.
    deputies: (await followersOf(trx, item.id)).map((f) => ({ name: f.name, congress })),
    lead: round.find((x) => x.role === 'lead')?.organ_name ?? null,
    assisting: round.filter((x) => x.role === 'assist').map((x) => x.organ_name),
    organ: a.organ_name,
    role: a.role,
    assignedOn: a.assigned_on,
    dueOn: a.due_on,
    dueText: a.due_on ? formatStatutoryDate(a.due_on, a.due_provisional) : '（未定）',
    returnBy,
    returnByText: returnBy ? formatDate(returnBy) : '（未定）',
    extendByText: cap?.ok ? formatStatutoryDate(cap.value.endsOn, cap.provisional) : null,
    signedAt: a.signed_at ? new Date(a.signed_at).toISOString() : null,
  };
}

/** The 交办函 as a chat message: everything the organ needs, or for 涉密 only where to collect it. */
export function letterText(l: Letter): string {
  const head = `【${l.kind}交办】${l.code}「${l.title}」交由贵单位${roleLabel(l.role)}（交办函）。`;
  const organs =
    `承办单位：${l.lead ?? '（无）'}` +
    (l.assisting.length > 0 ? `；协办单位：${l.assisting.join('、')}` : '');
  const due = `交办日期：${formatDate(l.assignedOn)}；${l.kind === '视察报告' || l.kind === '调研报告' ? '反馈' : '答复'}期限：${l.dueText}`;
  const sign = `请回复“签收 ${l.code}”签收；如不属于贵单位职责，请于 ${l.returnByText}前回复“申请退回 ${l.code} 理由”。`;
  if (l.secret) return [head, organs, due, SECRET_LETTER_NOTICE, sign].join('\n');
  const lines = [
    head,
    `提出代表：${l.deputies.map((d) => `${d.name}（${d.congress}代表）`).join('、')}`,
    `提出日期：${formatDate(l.submittedOn)}`,
    `内容：${l.content}`,
  ];
  if (l.attachedNote) lines.push(l.attachedNote);
  if (l.attachments > 0) lines.push('照片和文件可登录代表工作平台“本单位事项”查看。');
  lines.push(organs, due, sign);
  return lines.join('\n');
}

/** Sends the 交办函 to every contact of the organ, with the buttons 签收 / 申请退回. */
export async function sendLetter(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  a: AssignmentView,
  organ: OrganRow,
  key: string,
  now: Date,
  timeZone: string,
): Promise<void> {
  const all = await assignmentsOf(trx, [item.id]);
  const letter = await letterOf(trx, cal, item, a, all);
  await reachOrgan(trx, cal, organ, item, key, letterText(letter), now, timeZone, {
    buttons: letterButtons(item.code),
  });
}
