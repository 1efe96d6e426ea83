import type { Reply, ReplyButton } from '../../messaging/index.ts';
import { invitationView } from '../../services/activities/index.ts';
import { dayRange, leaveOnMeeting, matchMeetings } from '../../services/leave/index.ts';
import { dayNumber } from '../../statute/calendar-date.ts';
import { daySpanText, formatDate } from '../../statute/date-text.ts';
import { quote } from '../dialog/free-text.ts';
import { candidatesFor, type ItemCandidate } from '../dialog/item-words.ts';
import type { ChoiceState } from '../dialog/state.ts';
import { smallNumber } from '../language/argument-parsers.ts';
import type { ArgValue, Meeting } from '../language/command-catalog.ts';
import type { CommandParse } from '../language/command-parser.ts';
import { LIST_PICK } from '../language/phrasings.ts';
import { PLACE_ASKED, WHAT_TO_BRING } from '../language/reception-questions.ts';
import type { TurnScope } from './scope.ts';

// "最近有会吗": the sessions and activities ahead that the deputy is called to, numbered. A number, "第一个"
// or the meeting's name then shows that one with what the deputy may do about it: ask leave (大同 第十一条
// for an activity, to its organiser; 山西 第八条 for a session), or answer an invitation.

/** A question about when or where a meeting is (not a request about it). */
const ABOUT_MEETINGS =
  /(?:会|会议|人代会|常委会|大会)(?:在)?.{0,3}(?:几点|在哪|哪里|什么地方|啥地方|地点)|(?:开不开|开吗|召开吗|有没有|什么时候开|啥时候开|哪天开|几号开|什么时候召开|哪天召开|什么时间开).{0,2}$|^(?:下个?月|下周|下礼拜|这个月|最近|近期|今年|明年)?(?:还)?(?:开|有|召开)(?:人代会|常委会|会议|会|大会)(?:吗|没有|不)?[?]*$|(?:人代会|常委会|大会|会议).{0,4}(?:什么时候|啥时候|哪天|几号|啥时)(?:开|召开)?|(?:人代会|常委会|大会|会议)(?:要)?(?:开)?(?:几天|多少天|多久|多长时间)|(?:人代会|常委会|大会|会议|开会)(?:要|得|需要)?(?:带|准备|穿)(?:什么|啥|点啥|哪些)/;

/** "有啥会没", "最近有什么活动", "这礼拜有会么": asked as a whole, once greetings and spaces are gone. */
const ANY_MEETING_AHEAD =
  /^(?:我们?|俺们?|咱们?)?(?:下个?月|下周|下礼拜|下星期|这个?月|这周|本周|这礼拜|这星期|最近|近期|近来|今年|明年|这几天|过几天|年底|月底)?(?:还|都)?(?:要)?(?:开|有|召开)(?:没有|没)?(?:些|一些)?(?:啥|什么|哪些|几个)?(?:要开的|要参加的)?(?:人代会|常委会|会议|会|大会|活动)(?:要开|要参加|要去)?(?:吗|么|没有|没|不|呢|啊|呀|哇)*$/;

/** "小同志你好 俺想问问…": greetings and the asking itself, before what is asked. */
const OPENING =
  /^(?:(?:小同志|同志|小伙子|小姑娘|姑娘|师傅)?(?:你好|您好)|请问|(?:我|俺)?(?:想)?(?:问问|问一下|问下|打听一下|打听打听))+/;

/**
 * Whether the words ask which meetings or activities are ahead: 'only' when that is all they say, 'also'
 * when they say more ("人代会啥时候开？俺到时候可能去不了"), null when they ask no such thing.
 */
export function asksMeetingsAhead(said: string): 'only' | 'also' | null {
  const bare = (s: string) => s.replace(/[\s,，。.!！?？~]/g, '').replace(OPENING, '');
  if (ANY_MEETING_AHEAD.test(bare(said)) || MAY_I_GO.test(bare(said))) return 'only';
  // "最近开啥会 我看看能不能去": the question first, more said after it.
  const first = said.trim().split(/[\s,，。.!！?？~]+/)[0] ?? '';
  if (first !== said.trim() && ASKS.test(first) && ANY_MEETING_AHEAD.test(bare(first))) return 'also';
  return ABOUT_MEETINGS.test(said) ? 'also' : null;
}

/** A clause that asks (not "最近有会 去不了", which tells). */
const ASKS = /[吗么呢?？]|没有?$|不$|啥|什么|哪些|几个/;

/** "人代会我能不能去", "常委会俺可以参加吗": whether one is called to it, asked. */
const MAY_I_GO =
  /^(?:这个?|那个?|下个?月的?|下周的?)?(?:人代会|常委会|会议|大会|会|活动)(?:我|俺)?(?:能不能|可不可以|能|可以)(?:去|参加)(?:吗|么|不)?$/;

/** What is asked of a meeting beyond its date, which only its notice says. */
type AskedOfMeeting = 'where' | 'time' | 'bring' | 'days';

/**
 * "在哪开", "几点开始", "要带啥", "开几天": asked of a meeting (of the one just listed, or named with it), in
 * a few words; null for anything else.
 */
function askedOfMeeting(said: string): AskedOfMeeting | null {
  const bare = said.replace(/[\s,，。.!！?？~]/g, '');
  // "你们几点下班", "你们在哪办公": the office asked about, not the meeting.
  if (bare.length > 16 || /你们|您们|办公|上班|下班|接待日|单位/.test(bare)) return null;
  if (WHAT_TO_BRING.test(bare)) return 'bring';
  if (PLACE_ASKED.test(bare)) return 'where';
  if (/(?:开|要开|得开)?(?:几天|多少天|多久|多长时间)/.test(bare)) return 'days';
  if (/几点(?:开|开始|报到|到|集合)?(?:会)?(?:啊|呢|呀)?$|什么时间(?:开|开始|报到)|上午还是下午/.test(bare))
    return 'time';
  return null;
}

/** What the service can say to it: the notice says what it does not hold. */
const ASKED_LINE: Record<AskedOfMeeting, string> = {
  where: '开会的地点以正式通知为准；还没收到通知的话，可以问代表工作机构。',
  time: '几点开始、几点报到以正式通知为准；还没收到通知的话，可以问代表工作机构。',
  bring: '要带什么、要准备什么，以会议通知为准；还没收到通知的话，可以问代表工作机构。',
  days: '',
};

const ahead = async (t: TurnScope): Promise<ItemCandidate[]> =>
  [...(await candidatesFor(t.ctx.deps, 'leave.request', t.ctx.sender.personId, t.ctx.today))].sort((a, b) =>
    a.on.localeCompare(b.on),
  );

const NOTHING_AHEAD =
  '目前还没有收到您近期要参加的会议或活动的通知，具体时间和地点以正式通知为准，也可以问代表工作机构。';

/** When a meeting is, as its line says it: the whole span of one that runs several days. */
const daysOf = (c: ItemCandidate, today: string): string =>
  daySpanText(c.on, c.meeting?.endsOn ?? c.on, today);

/**
 * The meetings and activities ahead of the deputy, with their dates, numbered to pick from. `noted`: what
 * else the question said, kept (its line goes first).
 */
export async function meetingsAheadAnswer(t: TurnScope, noted: string, said: string): Promise<Reply> {
  const all = await ahead(t);
  const { today } = t.ctx;
  // "这周有什么会", "下礼拜有啥活动不", "这个月有会吗": only those of the days asked (a week runs Monday to
  // Sunday); when there are none, said so, with the next one ahead.
  const range = dayRange(said, today);
  const within = range
    ? all.filter((c) => c.meeting && c.meeting.startsOn <= range.to && range.from <= c.meeting.endsOn)
    : all;
  if (range && within.length === 0) {
    const none = `${noted}${range.words}没有您要参加的${/活动/.test(said) ? '会议或活动' : '会'}。`;
    const later = all.find((c) => c.on > range.to);
    const next = later ?? all[0];
    if (!next) return { text: `${none}${NOTHING_AHEAD}` };
    t.conv.choice = {
      options: [{ commandId: '', word: next.label, meeting: next.code }],
      expiresAt: t.conversations.expiry(),
    };
    const starts = next.meeting && next.meeting.endsOn !== next.on ? '开始' : '';
    return {
      text: `${none}${later ? '下一个' : '近期的一个'}是 ${daySpanText(next.on, next.on, today)}${starts}的 ${next.label}。回复“1”可查看详情。`,
    };
  }
  const shown = within.slice(0, 6);
  if (shown.length === 0) return { text: `${noted}${NOTHING_AHEAD}` };
  // "人代会在哪开", "开人代会要带什么": the one meeting it names, with what can be said to the question.
  const asked = askedOfMeeting(said);
  const named = asked
    ? matchMeetings(
        said,
        shown.flatMap((c) => (c.meeting ? [c.meeting] : [])),
        today,
      )
    : [];
  if (asked && (named.length === 1 || shown.length === 1)) {
    const one = shown.find((c) => c.code === named[0]?.ref) ?? shown[0]!;
    return withAskedLine(await meetingDetails(t, one.code), asked, noted, one.meeting);
  }
  t.conv.choice = {
    options: shown.map((m) => ({ commandId: '', word: m.label, meeting: m.code })),
    expiresAt: t.conversations.expiry(),
  };
  const pick = shown.length > 1 ? '回复序号（如“第一个”）' : '回复“1”';
  return {
    text: `${noted}${range ? `您${range.words}的会议和活动` : '您近期的会议和活动'}：\n${shown.map((m, i) => `${i + 1}. ${m.label}（${daysOf(m, today)}）`).join('\n')}\n时间和地点以正式通知为准，${pick}可查看详情。不能参加的话，请发“请假 会议名称 事由”，例如“请假 ${shown[0]!.label} 出差”。`,
  };
}

/** One meeting or activity of the deputy's, and what they may do about it; null when it is not theirs. */
export async function meetingDetails(t: TurnScope, ref: string): Promise<Reply> {
  const m = (await ahead(t)).find((c) => c.code === ref)?.meeting;
  if (!m) return { text: '这个会议或活动已经开始或不在您的日程里了。发“最近有会吗”可查看近期的会议和活动。' };
  const { deps, sender } = t.ctx;
  // "请假" or "参加" next means this one (command-start.ts, item-words.ts); the words kept with the question
  // ("最近开啥会 我看看能不能去") were about the list, never this meeting's name or a reason.
  t.conv.meetingShown = t.conversations.keep(ref);
  delete t.conv.said;
  if (ref.startsWith('HD-')) t.conv.lastItem = ref;
  const leave = await leaveOnMeeting(deps, sender.personId, ref);
  const leaveLine = leave ? `您已为此请假（${leave.code}，${leave.status}）。` : '';
  const leaveButton: ReplyButton[] = leave
    ? [{ label: '查看请假', command: `查询 ${leave.code}` }]
    : [{ label: '请假', command: `请假 ${m.kind === 'session' ? m.name : m.ref}` }];
  if (m.kind !== 'session') {
    const inv = await invitationView(deps, sender.personId, m.ref);
    if (inv) {
      const answered = inv.response === 'accepted' ? '您已答复参加。' : leave ? '' : '您还没有答复是否参加。';
      const attend: ReplyButton[] =
        inv.response === 'accepted' ? [] : [{ label: '参加', command: `参加 ${inv.code}` }];
      return {
        text: [
          `${inv.code} ${inv.kindLabel}「${inv.title}」`,
          `时间：${inv.when}${inv.place ? `，地点：${inv.place}` : ''}`,
          `组织单位：${inv.organiser}`,
          `${answered}${leaveLine}`,
        ]
          .filter((l) => l !== '')
          .join('\n'),
        buttons: [...attend, ...(inv.response === 'accepted' && !leave ? [] : leaveButton)],
      };
    }
  }
  const days =
    m.endsOn === m.startsOn ? formatDate(m.startsOn) : `${formatDate(m.startsOn)}至${formatDate(m.endsOn)}`;
  return {
    text: [
      m.name,
      `时间：${days}，具体时间和地点以正式通知为准。`,
      leave ? leaveLine : '不能参加的话，点“请假”，再告诉我事由就行。',
    ].join('\n'),
    buttons: leaveButton,
  };
}

/**
 * Words said to the list of meetings just shown: "第七次会议", "人代会那个" show that one; "第一个请假" asks
 * leave from the first. Null when the words point at none of them (or no such list was shown).
 */
export async function meetingPicked(
  t: TurnScope,
  shown: ChoiceState,
  parsed: { kind: string } | CommandParse,
): Promise<Reply | null> {
  const refs = shown.options.flatMap((o) => (o.meeting ? [o.meeting] : []));
  if (refs.length === 0 || refs.length !== shown.options.length) return null;
  const listed = (await ahead(t)).filter((c) => refs.includes(c.code));
  // "第一个请假", "1 请假": the line's meeting is the one named.
  if (parsed.kind === 'command' && 'id' in parsed && parsed.id === 'leave.request') {
    const named = parsed.args.meeting;
    const place = named && 'name' in named ? LIST_PICK.exec(named.name.replace(/\s/g, ''))?.[1] : undefined;
    const at = place === undefined ? null : smallNumber(place);
    const line = at === null ? undefined : listed.find((c) => c.code === refs[at - 1]);
    if (!line?.meeting) return null;
    const reason = typeof parsed.args.reason === 'string' ? ` ${parsed.args.reason}` : '';
    return t.onText(`请假 ${line.meeting.kind === 'session' ? line.meeting.name : line.code}${reason}`);
  }
  // "视察那个": the listed inspection pointed at, never a request for one (S17) with no content.
  const pointed =
    parsed.kind === 'command' && 'id' in parsed && parsed.id === 'inspection.request' && !parsed.args.content;
  if (parsed.kind !== 'unclear' && !pointed) return null;
  const said = t.text.replace(/(?:那个|这个|那次|这次|的)+$|^(?:那个|这个|就是)+/g, '').trim();
  if (said === '') return null;
  // "在哪开", "要带啥" right after the list: of its one meeting, else which is asked.
  const asked = parsed.kind === 'unclear' ? askedOfMeeting(said) : null;
  if (asked && listed.length === 1 && listed[0]!.meeting)
    return withAskedLine(await meetingDetails(t, listed[0]!.code), asked, '', listed[0]!.meeting);
  if (asked && listed.length > 1) {
    t.conv.choice = { ...shown, expiresAt: t.conversations.expiry() };
    return {
      text: `请问问的是哪一个？回复序号：\n${listed.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n${ASKED_LINE[asked]}`.trimEnd(),
    };
  }
  const fit = matchMeetings(
    said,
    listed.flatMap((c) => (c.meeting ? [c.meeting] : [])),
    t.ctx.today,
  );
  if (fit.length === 1) return meetingDetails(t, fit[0]!.ref);
  if (fit.length > 1) {
    t.conv.choice = { ...shown, expiresAt: t.conversations.expiry() };
    return {
      text: `“${quote(said, 12)}”有几个相符，请回复序号：\n${fit.map((m) => `${refs.indexOf(m.ref) + 1}. ${m.name}`).join('\n')}`,
    };
  }
  return null;
}

/** "要带啥", "开几天" right after one meeting was shown (meetingDetails): of that one; null otherwise. */
export async function askedOfShownMeeting(t: TurnScope): Promise<Reply | null> {
  const ref = t.conv.meetingShown?.value;
  const asked = ref ? askedOfMeeting(t.text) : null;
  if (!ref || !asked) return null;
  const shown = (await ahead(t)).find((c) => c.code === ref);
  if (!shown) return null;
  return withAskedLine(await meetingDetails(t, ref), asked, '', shown.meeting);
}

/** The answer about one meeting with the line that meets the question (its days counted for 几天). */
function withAskedLine(
  r: Reply,
  asked: AskedOfMeeting,
  noted: string,
  span?: { startsOn: string; endsOn: string },
): Reply {
  const line =
    asked === 'days' && span
      ? `会期共 ${dayNumber(span.endsOn) - dayNumber(span.startsOn) + 1} 天，以正式通知为准。`
      : ASKED_LINE[asked];
  return { ...r, text: `${noted}${r.text}${line ? `\n${line}` : ''}` };
}

/** Words that point at the meeting just shown rather than name one: "那天", "这个", "那次会". */
const POINTER = /^(?:那天|这天|当天|那个|这个|那次|这次|它|那|这)(?:会|会议|活动)?$/;

/**
 * The meeting just shown (meetingDetails), as 请假 names it, when the deputy names none or only points at
 * it; null otherwise, or when it is no longer ahead.
 */
export async function shownMeeting(t: TurnScope, named: ArgValue | undefined): Promise<Meeting | null> {
  const ref = t.conv.meetingShown?.value;
  if (!ref) return null;
  const said = named && typeof named === 'object' && 'name' in named ? named.name : undefined;
  if (named !== undefined && (said === undefined || !POINTER.test(said.trim()))) return null;
  const m = (await ahead(t)).find((c) => c.code === ref)?.meeting;
  if (!m) return null;
  return m.kind === 'session' ? { name: m.name } : { code: m.ref };
}

/**
 * "参加" just after a session was shown: a session of the congress is attended as its notice says; there
 * is no invitation to answer (参加 answers activities, 大同 第十一条). Null otherwise.
 */
export async function attendShownSession(
  t: TurnScope,
  args: Record<string, ArgValue>,
): Promise<Reply | null> {
  const ref = t.conv.meetingShown?.value;
  if (!ref?.startsWith('session:') || args.code !== undefined || args.meeting !== undefined) return null;
  const m = (await ahead(t)).find((c) => c.code === ref)?.meeting;
  if (!m) return null;
  return {
    text: `好的。${m.name}按正式通知的时间和地点出席就行，不用另外答复；到时不能参加的话，再点“请假”。`,
    buttons: [{ label: '请假', command: `请假 ${m.name}` }],
  };
}
