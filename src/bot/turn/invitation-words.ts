import type { Reply } from '../../messaging/index.ts';
import {
  dayRange,
  type MeetingCandidate,
  matchMeetings,
  namesNoMeeting,
  sameWeekMeeting,
  sameWeekText,
} from '../../services/leave/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import { candidatesFor } from '../dialog/item-words.ts';
import { meetingWordsBySound } from '../language/sound.ts';
import type { TurnScope } from './scope.ts';

// "下礼拜二的视察": a day and a kind of activity, nothing to inspect. The inspection the deputy is invited to
// (大同 第十一条), said back with what they may answer, never a request for an inspection of their own
// (山西 第二十二条, S17) whose whole content would be a day.

const KIND = /视察|调研|考察/;
/** What may trail such words: a question, a particle. */
const TRAIL = /(?:是哪天|哪天|几号|几点|是吗|吗|呢|啊|吧|[?？。.!！\s])+$/;

/** The invited activity the words point at, said back with 参加 / 请假 to choose; null when they say more. */
export async function invitationOfWords(t: TurnScope, text: string): Promise<Reply | null> {
  const said = meetingWordsBySound(text.trim().replace(TRAIL, ''));
  const range = dayRange(said, t.ctx.today);
  const kind = KIND.exec(said);
  if (!range || !kind || !namesNoMeeting(said.replace(range.words, '').replace(kind[0], ''))) return null;
  const invited = (await candidatesFor(t.ctx.deps, 'activity.attend', t.ctx.sender.personId, t.ctx.today))
    .flatMap((c) => (c.meeting ? [c.meeting] : []))
    .filter((m) => m.kind === 'inspection' || !/视察/.test(kind[0]));
  const fit = matchMeetings(said, invited, t.ctx.today);
  const near = fit.length === 1 ? null : sameWeekMeeting(said, invited, t.ctx.today);
  const meeting: MeetingCandidate | undefined = fit.length === 1 ? fit[0] : near?.meeting;
  if (!meeting) return null;
  const head = near
    ? sameWeekText(near, t.ctx.today)
    : `${formatDate(meeting.startsOn)}的${kind[0]}：${meeting.name}`;
  const options = [
    { commandId: 'activity.attend', word: '参加', send: `参加 ${meeting.ref}` },
    { commandId: 'leave.request', word: '请假', send: `请假 ${meeting.ref}` },
  ];
  t.conv.choice = { options, expiresAt: t.conversations.expiry() };
  return {
    text: `${head}（${meeting.ref}）。\n1. 参加\n2. 请假（去不了）\n回复数字或点选即可。`,
    buttons: options.map((o) => ({ label: o.word, command: o.send })),
  };
}
