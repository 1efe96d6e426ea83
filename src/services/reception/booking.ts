import type { Db } from '../../../db/client.ts';
import { findCongressById, listLiveCongresses } from '../../../db/repositories/congresses.ts';
import { findPeopleOfCongressByReference, listLiveDeputySeats } from '../../../db/repositories/people.ts';
import {
  cancelBooking as cancelBookingRow,
  findBookingByCode,
  findLiveBooking,
  insertBooking,
  listBookedCongressMonths,
  listBookingsOfMonth,
  listBookingsOfPerson,
  setBookingTopic,
} from '../../../db/repositories/reception.ts';
import type { ReceptionDayRow } from '../../../db/repositories/reception-days.ts';
import { claimLedgerSlot, ledgerHasPeriod, setLedgerOutbox } from '../../../db/repositories/reminders.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueueToPerson, enqueueToPersonIds, type ReplyButton } from '../../messaging/index.ts';
import { dateAt, monthOf, parseMonth, todayIn } from '../../statute/calendar-date.ts';
import { type CongressSettings, readCongressSettings } from '../../statute/congress-settings.ts';
import { formatStatutoryDate, monthDayText } from '../../statute/date-text.ts';
import { ruleBinds } from '../../statute/rule-scope.ts';
import { loadWorkCalendar, type ReceptionDayAudience, receptionDayFor } from '../calendar/index.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { nextCode } from '../items/index.ts';
import type { Outcome } from '../leave/index.ts';

// 大同 第七条(九) (S2): 每月5日（如遇节假日，推至休息后的第一天）为主任或副主任接待代表日. A deputy asks the
// date, books it with a topic when the congress allows, cancels; the host receives the booked topics a few
// working days before; bookers are reminded the day before and told at once if the day moves.

type RDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** The button that cancels a booking: a tap sends 取消预约 with its code. */
export const cancelBookingButton = (code: string): ReplyButton => ({
  label: '取消预约',
  command: `取消预约 ${code}`,
});

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const m = parseMonth(month)!;
  return m.month === 12 ? `${m.year + 1}-01` : `${m.year}-${String(m.month + 1).padStart(2, '0')}`;
}

/** The month's host: the congress's receptionHosts in rotation by month (empty: not named). */
export function hostOf(settings: CongressSettings, month: string): string | null {
  const hosts = settings.receptionHosts;
  if (hosts.length === 0) return null;
  const m = parseMonth(month)!;
  return hosts[(m.year * 12 + m.month - 1) % hosts.length]!;
}

/** The deputy seat the reception day is about: S2 binds the standing committee for its own deputies. */
async function receptionSeat(db: Db, personId: number, congressId?: number) {
  const seats = await listLiveDeputySeats(db, personId);
  // A deputy with several mandates may name the congress ("省人大的接待日").
  const named = congressId === undefined ? undefined : seats.find((s) => s.congressId === congressId);
  if (named) return named;
  // A provincial seat comes last: the office's own congress is the one whose director receives.
  return seats.find((s) => s.level !== 'province') ?? seats[0];
}

type Seat = NonNullable<Awaited<ReturnType<typeof receptionSeat>>>;

const dayText = (rd: ReceptionDayRow) => formatStatutoryDate(rd.date, rd.provisional);

function hostText(settings: CongressSettings, month: string): string {
  const h = hostOf(settings, month);
  return h ? `，接待人：${h}` : '';
}

/**
 * What a deputy may ask about the reception day besides its date: '带人' (may someone come along), '改期'
 * (may the day be moved), '用途' (what the day is), '预约' (must it be booked, how early), '准备' (what to
 * bring). Answered from the rule and the congress's settings only, never a policy of our own.
 */
export type ReceptionAsk = '带人' | '改期' | '用途' | '预约' | '准备';

/** The hour, the place and what to bring are the office's to tell: nothing here holds them. */
const DAY_DETAILS = '具体几点、在什么地方、要准备什么，以代表工作机构的通知为准，可以直接问他们';

/** "接待日几点开始", "要带什么材料" from a deputy who booked: the day booked, and whom to ask the rest. */
export const bookedDayDetails = (booking: { code: string; day: string }): string =>
  `您预约的接待日（${booking.code}）是 ${booking.day}。${DAY_DETAILS}；接待日前一天我会再提醒您。`;

/** `接待日 [YYYY-MM]`, or a question about that month's day (`asks`). */
export async function receptionDayAnswer(
  deps: RDeps,
  input: {
    personId: number;
    month?: string | undefined;
    today: string;
    congressId?: number | undefined;
    asks?: ReceptionAsk | undefined;
  },
): Promise<Outcome> {
  const seat = await receptionSeat(deps.db, input.personId, input.congressId);
  if (!seat) return { ok: false, text: '您目前没有可以查询接待日的代表职务。' };
  const settings = readCongressSettings(seat.settings);
  // "接待日改期" with one booking: the day booked is the one meant. "接待日哪天来着" with a booking: that one.
  const live =
    input.asks || input.month === undefined
      ? await liveBookingsOfPerson(deps, input.personId, input.today)
      : [];
  const only = input.asks === '改期' && live.length === 1 ? live[0]!.month : undefined;
  const month = input.month ?? only ?? monthOf(input.today);
  const rd = await receptionDayFor(deps, seat.congressId, month);
  const [y, m] = month.split('-');
  const passed = rd.date < input.today;
  let text = `${seat.congressName}${y}年${Number(m)}月的主任接待代表日是 ${dayText(rd)}${hostText(settings, month)}。`;
  if (passed) {
    const nm = nextMonth(month);
    const next = await receptionDayFor(deps, seat.congressId, nm);
    text += `\n该日已过；下个月的接待日是 ${dayText(next)}${hostText(settings, nm)}。`;
  }
  const rule = dayRule(settings, seat);
  const allowed = mayBook(settings, seat);
  // Offer the month that can still be booked: this one, or the next once this one's day has passed.
  const bookable = passed ? nextMonth(month) : month;
  if (input.asks === '改期') return movedDayAnswer({ live, month, bookable, allowed, rule, text });
  if (input.asks === '预约') text = `${howToBookAnswer(settings, allowed)}\n${text}`;
  else if (input.asks === '用途') text = `${purposeAnswer(rule.cited)}\n${text}`;
  else if (input.asks === '带人') {
    text = `${companionAnswer(rule.cited)}\n${text}`;
    // Booked already: what they want to raise goes into that booking's topic (turn/booking-change.ts).
    const booked = live.find((b) => b.month === bookable);
    if (booked)
      return {
        ok: true,
        code: booked.code,
        text: `${text}\n您已预约这一天（${booked.code}），想补充话题可以发“还想说说……”。`,
      };
  } else if (input.asks === '准备') {
    // Booked: the booking's day, as "要带什么材料" after booking is answered (turn/booking-change.ts).
    const booked = live.find((b) => b.month === bookable) ?? (live.length === 1 ? live[0] : undefined);
    if (booked) return { ok: true, code: booked.code, text: bookedDayDetails(booked) };
    text += `\n${DAY_DETAILS}。`;
  } else text += `\n（${rule.cited ? `${rule.cited}：` : ''}${rule.words}）`;
  // Booked already ("接待日哪天来着"): the day booked comes first, and the same day is not offered again.
  const mine = input.month === undefined ? bookedLine(live, bookable) : null;
  if (mine)
    return {
      ok: true,
      code: mine.code,
      text: input.asks ? `${text}\n${mine.text}` : `${mine.text}\n${text}`,
    };
  return {
    ok: true,
    text: allowed ? `${text}\n如需预约，请发“预约接待日 ${bookable} 话题”。` : text,
    ...(allowed ? { buttons: [{ label: '预约接待日', command: `预约接待日 ${bookable}` }] } : {}),
  };
}

/**
 * How the congress's reception day falls, and the article it comes from: 大同 第七条(九) (S2) sets the 5th
 * for the city congress of 大同; another congress keeps the day its settings give (the 5th by default),
 * which is then its own setting, not that article.
 */
function dayRule(settings: CongressSettings, seat: Seat): { cited: string | null; words: string } {
  const day = settings.receptionDayOfMonth;
  const statutory =
    day === 5 && ruleBinds('S2', { name: seat.congressName, level: seat.level, settings: seat.settings });
  return statutory
    ? { cited: '大同 第七条(九)', words: '每月5日，如遇节假日顺延至休息后的第一个工作日。' }
    : { cited: null, words: `本人大设定每月${day}日，如遇节假日顺延至休息后的第一个工作日。` };
}

/**
 * "接待日能带别人去吗": the day is for deputies to meet the 主任/副主任 (大同 第七条(九)); the rule says
 * nothing of others coming, so the deputy is told where to ask rather than given a yes or a no.
 */
function companionAnswer(cited: string | null): string {
  return (
    `${dayIs(cited)}，规定里没有说可以带其他人同去。` +
    '想带人一起去，或者想反映群众的事，可以在预约时写进话题，也可以先问问代表工作机构。'
  );
}

/** 大同 第七条(九): 主任或副主任接待代表日. */
const dayIs = (cited: string | null) =>
  `接待日是常委会主任、副主任接待代表的日子${cited ? `（${cited}）` : ''}`;

/** The deputy's live bookings as a line under the day asked about (the bookable month's first). */
function bookedLine(
  live: { code: string; month: string; day: string }[],
  bookable: string,
): { code: string; text: string } | null {
  const same = live.find((b) => b.month === bookable);
  if (same) return { code: same.code, text: `您已预约这一天（${same.code}），前一天会提醒您。` };
  const first = live[0];
  if (!first) return null;
  const all = live.map((b) => `${b.day}（${b.code}）`).join('、');
  return { code: first.code, text: `您预约的接待日是 ${all}，前一天会提醒您。` };
}

/**
 * "接待日要提前几天预约吗", "接待日需要预约吗": the rule (大同 第七条(九)) makes no booking compulsory; booked
 * here, up to the day itself, the host receives the topics a few working days ahead (the congress's
 * setting), and a later booking reaches the host at once.
 */
function howToBookAnswer(settings: CongressSettings, allowed: boolean): string {
  if (!allowed) return '您所在的人大没有开放在这里预约接待日。想当面反映情况，可以问问代表工作机构怎么安排。';
  const lead = settings.agendaLeadWorkingDays;
  return (
    '规定里没有说必须预约；预约了，接待人会提前看到您要谈的事，前一天我也会提醒您。' +
    '预约发“预约接待日”就行，可以带上月份和想谈的事，例如“预约接待日 下个月 停车难”。' +
    `到接待日当天都能约，最好在接待日${lead}个工作日前约好：接待人那时收到大家的预约话题，之后约的也会马上转给接待人。`
  );
}

/** "接待日是干啥的": what the day is, and how a deputy goes (booked here, the topic told ahead). */
function purposeAnswer(cited: string | null): string {
  return `${dayIs(cited)}，代表可以当面反映情况、提意见建议。想去的话先预约，把想谈的事写进话题，接待人会提前看到。`;
}

/**
 * "接待日能不能换个时间": the day is the rule's, not the deputy's to move; one who cannot come books
 * another month or cancels. Nothing is booked or changed here.
 */
function movedDayAnswer(a: {
  live: { code: string; month: string }[];
  month: string;
  bookable: string;
  allowed: boolean;
  rule: { cited: string | null; words: string };
  text: string;
}): Outcome {
  const head = `接待日是规定好的：${a.rule.words.replace(/。$/, '')}${a.rule.cited ? `（${a.rule.cited}）` : ''}，不能单独改到别的日子。`;
  const booked = a.live.find((b) => b.month === a.month);
  if (booked)
    return {
      ok: true,
      code: booked.code,
      text: `${head}\n${a.text}\n您已预约这一天（${booked.code}）。来不了的话，可以取消，再预约别的月份。`,
      buttons: [cancelBookingButton(booked.code)],
    };
  if (!a.allowed) return { ok: true, text: `${head}\n${a.text}` };
  // Another month to offer: the first after this one the deputy has not booked yet.
  let other = a.bookable === a.month ? nextMonth(a.month) : a.bookable;
  while (a.live.some((b) => b.month === other)) other = nextMonth(other);
  return {
    ok: true,
    text: `${head}\n${a.text}\n这天来不了的话，可以预约别的月份，例如发“预约接待日 ${other}”。`,
    buttons: [{ label: `预约${Number(other.slice(5))}月接待日`, command: `预约接待日 ${other}` }],
  };
}

function mayBook(
  settings: CongressSettings,
  seat: { largeGroup: string | null; smallGroup: string | null },
): boolean {
  const who = settings.whoMayBook;
  if (who === 'all') return true;
  if (who === 'none') return false;
  return who.some((g) => g === seat.largeGroup || g === seat.smallGroup);
}

/** `预约接待日 [YYYY-MM] [话题]`. */
export async function bookReception(
  deps: RDeps,
  input: {
    personId: number;
    month?: string | undefined;
    topic?: string | undefined;
    today: string;
    congressId?: number | undefined;
  },
): Promise<Outcome> {
  const seat = await receptionSeat(deps.db, input.personId, input.congressId);
  if (!seat) return { ok: false, text: '您目前没有可以预约接待日的代表职务。' };
  const settings = readCongressSettings(seat.settings);
  if (!mayBook(settings, seat)) {
    const who = settings.whoMayBook;
    return {
      ok: false,
      text:
        who === 'none'
          ? `${seat.congressName}的接待代表日不接受通过本服务预约。如需反映情况，可在接待日当天到场，或发“建议 内容”提出。`
          : `${seat.congressName}的接待代表日目前只接受${(who as string[]).join('、')}的代表预约，您所在的小组不在其中。如需反映情况，可发“建议 内容”，或联系代表工作机构。`,
    };
  }
  const topic = input.topic?.trim() || null;
  if (topic && topic.length > 500) return { ok: false, text: '话题请控制在500字以内。' };
  let month = input.month ?? monthOf(input.today);
  let rd = await receptionDayFor(deps, seat.congressId, month);
  let passed: ReceptionDayRow | null = null;
  if (rd.date < input.today) {
    if (input.month !== undefined) {
      return {
        ok: false,
        text: `${month} 的接待日（${dayText(rd)}）已经过去，不能再预约。请预约以后的月份。`,
      };
    }
    passed = rd;
    month = nextMonth(month);
    rd = await receptionDayFor(deps, seat.congressId, month);
  }
  // "我想约个接待日" after this month's day: the next month is booked, and the deputy told why.
  const why = passed ? `本月的接待日（${monthDayText(passed.date)}）已经过了，为您约的是下个月的。\n` : '';
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findLiveBooking(trx, seat.mandateId, month);
    if (existing) {
      return {
        ok: false,
        code: existing.code,
        text: `您已预约 ${dayText(rd)} 的接待日（${existing.code}），无需重复预约。如要取消，请发“取消预约 ${existing.code}”。`,
      };
    }
    const code = await nextCode(trx, 'JD', Number(month.slice(0, 4)));
    await insertBooking(trx, {
      code,
      congressId: seat.congressId,
      mandateId: seat.mandateId,
      month,
      topic,
      at: now,
    });
    await recordDutyEvent(trx, {
      mandateId: seat.mandateId,
      occurredOn: input.today,
      kind: 'reception.booked',
      summary: `预约${rd.date}主任接待代表日${topic ? `，话题：${topic}` : ''}`,
      ref: code,
    });
    // The day's topics already went to the host (大同 第七条(九), S2): this booking follows at once.
    const late = await tellHostIfAgendaSent(trx, deps, {
      congressId: seat.congressId,
      month,
      date: rd.date,
      text: async () =>
        `【接待日议题更新】${dayText(rd)}主任接待代表日新增预约：${seat.personName}代表（${code}）${topic ? `，话题：${topic}` : '，未写话题'}`,
      key: `reception:${code}:booked`,
    });
    return {
      ok: true,
      code,
      text:
        `${why}已预约接待日 ${code}：${dayText(rd)}${hostText(settings, month)}${topic ? `，话题：${topic}` : ''}。\n` +
        (late
          ? '接待人已经收到当天的议题，您的预约也已马上告诉接待人；前一天会提醒您，日期如有调整会立即通知您。'
          : `接待人会在${settings.agendaLeadWorkingDays}个工作日前收到预约话题；前一天会提醒您，日期如有调整会立即通知您。`),
      buttons: [cancelBookingButton(code)],
    };
  });
}

/** The person's bookings that can still be cancelled (not cancelled, the day not passed). */
export async function liveBookingsOfPerson(
  deps: RDeps,
  personId: number,
  today: string,
): Promise<
  { code: string; month: string; day: string; topic: string | null; words: string; bookedOn: string }[]
> {
  const out = [];
  for (const b of await listBookingsOfPerson(deps.db, personId)) {
    if (b.status !== 'booked') continue;
    const rd = await receptionDayFor(deps, b.congress_id, b.month);
    if (rd.date < today) continue;
    out.push({
      code: b.code,
      month: b.month,
      day: dayText(rd),
      topic: b.topic,
      words: `${b.topic ?? ''} ${b.month}`,
      bookedOn: dateAt(new Date(b.created_at), deps.config.timezone),
    });
  }
  return out;
}

/** `取消预约 <JD>`: only the booker's own booking. */
export async function cancelReception(
  deps: RDeps,
  input: { personId: number; code: string; today: string },
): Promise<Outcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const b = await findBookingByCode(trx, input.code, true);
    // Someone else's booking is "not found" to this person.
    if (!b || b.person_id !== input.personId) return { ok: false, text: `没有找到您的预约 ${input.code}。` };
    if (b.status === 'cancelled') return { ok: false, code: b.code, text: `预约 ${b.code} 已经取消过了。` };
    const rd = await receptionDayFor({ db: trx, clock: deps.clock }, b.congress_id, b.month);
    if (rd.date < input.today)
      return {
        ok: false,
        code: b.code,
        text: `预约 ${b.code} 的接待日（${dayText(rd)}）已经过去，无需取消。`,
      };
    await cancelBookingRow(trx, b.id, now);
    await recordDutyEvent(trx, {
      mandateId: b.mandate_id,
      occurredOn: input.today,
      kind: 'reception.cancelled',
      summary: `取消${rd.date}主任接待代表日预约`,
      ref: b.code,
    });
    return { ok: true, code: b.code, text: `已取消预约 ${b.code}（${dayText(rd)}）。` };
  });
}

/**
 * "话题改成加装电梯", "想说说菜市场的事" after booking without one: the booker's own topic, replaced or
 * added. When the host already received the day's topics (agendaLeadWorkingDays before it, 大同 第七条(九)),
 * the host is told of the new one at once.
 */
export async function changeBookingTopic(
  deps: RDeps,
  input: { personId: number; code: string; topic: string; add: boolean; today: string },
): Promise<Outcome> {
  const said = input.topic.trim();
  if (said === '') return { ok: false, text: '请写明想在接待日谈的话题，例如“话题改成 老旧小区加装电梯”。' };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const b = await findBookingByCode(trx, input.code, true);
    if (!b || b.person_id !== input.personId) return { ok: false, text: `没有找到您的预约 ${input.code}。` };
    if (b.status === 'cancelled')
      return {
        ok: false,
        code: b.code,
        text: `预约 ${b.code} 已经取消了。要再预约，请发“预约接待日 话题”。`,
      };
    const rd = await receptionDayFor({ db: trx, clock: deps.clock }, b.congress_id, b.month);
    if (rd.date < input.today)
      return { ok: false, code: b.code, text: `预约 ${b.code} 的接待日（${dayText(rd)}）已经过去了。` };
    const topic = input.add && b.topic ? `${b.topic}；${said}` : said;
    if (topic.length > 500) return { ok: false, code: b.code, text: '话题请控制在500字以内。' };
    if (topic === b.topic) return { ok: true, code: b.code, text: `预约 ${b.code} 的话题已经是：${topic}。` };
    await setBookingTopic(trx, b.id, topic);
    const congress = await findCongressById(trx, b.congress_id);
    const settings = readCongressSettings(congress?.settings ?? {});
    // The day's topics went to the host already (sendReceptionAgendas' ledger row): the new one follows.
    const agendaSent = await tellHostIfAgendaSent(trx, deps, {
      congressId: b.congress_id,
      month: b.month,
      date: rd.date,
      text: async () => {
        const name = (await listBookingsOfMonth(trx, b.congress_id, b.month)).find(
          (x) => x.id === b.id,
        )?.name;
        return `【接待日议题更新】${dayText(rd)}主任接待代表日：${name ?? ''}代表（${b.code}）的话题改为：${topic}`;
      },
      key: `reception:${b.code}:topic:${now.getTime()}`,
    });
    return {
      ok: true,
      code: b.code,
      text:
        `已把预约 ${b.code}（${dayText(rd)}）的话题${input.add && b.topic ? '补充为' : '改为'}：${topic}。\n` +
        (agendaSent
          ? '接待人已经收到当天的议题，新的话题也已告诉接待人。'
          : `接待人会在${settings.agendaLeadWorkingDays}个工作日前收到预约话题。`),
    };
  });
}

/**
 * A booked day that moves (a calendar correction, a year loaded) is told at once to those who booked it.
 * runtime.ts hands this to the calendar's recompute (Deps.wiring).
 */
export const receptionBookersAudience: ReceptionDayAudience = async (db, change) =>
  (await listBookingsOfMonth(db, change.congressId, change.month)).map((b) => b.person_id);

async function hostPeople(db: Db, congressId: number, host: string | null): Promise<number[]> {
  const found = host ? await findPeopleOfCongressByReference(db, congressId, [host]) : [];
  // A host not on our channels: staff pass the topics on.
  return found.length > 0 ? found : staffOf(db, congressId);
}

/**
 * When the host already received the day's topics (the ledger row of sendReceptionAgendas), a change to
 * them is told to the host at once; whether it was.
 */
async function tellHostIfAgendaSent(
  trx: Db,
  deps: RDeps,
  change: { congressId: number; month: string; date: string; text: () => Promise<string>; key: string },
): Promise<boolean> {
  if (!(await ledgerHasPeriod(trx, 'S2', agendaPeriod(change.month, change.date)))) return false;
  const text = await change.text();
  const congress = await findCongressById(trx, change.congressId);
  const host = hostOf(readCongressSettings(congress?.settings ?? {}), change.month);
  const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
  for (const p of await hostPeople(trx, change.congressId, host))
    await enqueueToPerson(
      trx,
      p,
      { text },
      { idempotencyKey: `${change.key}:p${p}`, cause: 'reception-topic', notBefore },
    );
  return true;
}

/** The ledger period of a reception day's topics sent to its host. */
const agendaPeriod = (month: string, date: string) => `${month}:${date}:agenda`;

/**
 * A reception reminder, sent once: its ledger row claimed as the reminder runs write theirs — with the job
 * that sends it (`job`, the scheduler's name for it), the day it fell due and the reception day it
 * announces, marked late when written after its due day (a catch-up) —, then its message queued (`queue`)
 * and the row pointed at the message, so the reminder log shows what became of it. Null when it was claimed
 * before (nothing is queued); else the outbox ids queued (none: the person has no chat account).
 */
async function remindOnce(
  trx: Db,
  deps: RDeps,
  r: { job: string; period: string; target: string; dueOn: string; eventOn: string; today: string },
  queue: () => Promise<number[]>,
): Promise<number[] | null> {
  const id = await claimLedgerSlot(trx, {
    rule: 'S2',
    period: r.period,
    target: r.target,
    job: r.job,
    dueOn: r.dueOn,
    eventOn: r.eventOn,
    late: r.dueOn < r.today,
    at: deps.clock.now(),
  });
  if (id === null) return null;
  const queued = await queue();
  if (queued[0] !== undefined) await setLedgerOutbox(trx, id, queued[0]);
  return queued;
}

/**
 * For the scheduler (daily, working hours): the host of each reception day receives the booked topics
 * agendaLeadWorkingDays working days before it (大同 第七条(九), S2). Once per congress and day; `job`,
 * the scheduler's name for the run, is kept on each ledger row. Returns how many hosts' agendas were queued.
 */
export async function sendReceptionAgendas(deps: RDeps, job: string): Promise<number> {
  const today = todayIn(deps.clock, deps.config.timezone);
  const congresses = await listLiveCongresses(deps.db);
  const cal = await loadWorkCalendar(deps.db);
  let sent = 0;
  for (const c of congresses) {
    const settings = readCongressSettings(c.settings);
    for (const month of [monthOf(today), nextMonth(monthOf(today))]) {
      const rd = await receptionDayFor(deps, c.id, month);
      if (rd.date <= today) continue;
      const from = cal.addWorkdays(rd.date, -settings.agendaLeadWorkingDays);
      if (!from.ok || today < from.value) continue;
      const period = agendaPeriod(month, rd.date);
      const due = { dueOn: from.value, eventOn: rd.date, today };
      sent += await deps.db.transaction().execute(async (trx) => {
        const bookings = await listBookingsOfMonth(trx, c.id, month);
        const host = hostOf(settings, month);
        const lines = bookings.map((b, i) => `${i + 1}. ${b.name}（${b.code}）：${b.topic ?? '未写话题'}`);
        const text =
          `【接待日议题】${c.name} ${dayText(rd)}主任接待代表日${host ? `（接待人：${host}）` : ''}\n` +
          (lines.length > 0 ? `已预约 ${lines.length} 位代表：\n${lines.join('\n')}` : '目前没有代表预约。');
        const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
        let n = 0;
        for (const p of await hostPeople(trx, c.id, host)) {
          const key = `reception:c${c.id}:${month}:${rd.date}:agenda:p${p}`;
          const queued = await remindOnce(trx, deps, { job, period, target: `person:${p}`, ...due }, () =>
            enqueueToPersonIds(
              trx,
              p,
              { text },
              { idempotencyKey: key, cause: `reminder:S2:${month}`, notBefore },
            ),
          );
          if (queued && queued.length > 0) n++;
        }
        return n;
      });
    }
  }
  return sent;
}

/**
 * For the scheduler (daily, working hours): each booker is reminded on the working day before the
 * reception day. A day that moved gets its own reminder. `job`, the scheduler's name for the run, is kept
 * on each ledger row. Returns how many bookers were reminded.
 */
export async function sendBookingReminders(deps: RDeps, job: string): Promise<number> {
  const today = todayIn(deps.clock, deps.config.timezone);
  const cal = await loadWorkCalendar(deps.db);
  const months = [monthOf(today), nextMonth(monthOf(today))];
  const rows = await listBookedCongressMonths(deps.db, months);
  let sent = 0;
  for (const r of rows) {
    const rd = await receptionDayFor(deps, r.congress_id, r.month);
    if (rd.date <= today) continue;
    const eve = cal.addWorkdays(rd.date, -1);
    if (!eve.ok || today < eve.value) continue;
    const period = `${r.month}:${rd.date}:reminder`;
    const due = { dueOn: eve.value, eventOn: rd.date, today };
    sent += await deps.db.transaction().execute(async (trx) => {
      const congress = await findCongressById(trx, r.congress_id);
      if (!congress) throw new Error(`congress ${r.congress_id} not found`);
      const settings = readCongressSettings(congress.settings);
      const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
      let n = 0;
      for (const b of await listBookingsOfMonth(trx, r.congress_id, r.month)) {
        const queued = await remindOnce(trx, deps, { job, period, target: `booking:${b.code}`, ...due }, () =>
          enqueueToPersonIds(
            trx,
            b.person_id,
            {
              text: `【接待日提醒】您预约的主任接待代表日（${b.code}）是 ${dayText(rd)}${hostText(settings, r.month)}${
                b.topic ? `，话题：${b.topic}` : ''
              }。如不能前往，请发“取消预约 ${b.code}”。`,
            },
            {
              idempotencyKey: `reception:${b.code}:reminder:${rd.date}`,
              cause: `reminder:S2:${r.month}`,
              notBefore,
            },
          ),
        );
        if (queued !== null) n++;
      }
      return n;
    });
  }
  return sent;
}

/** GET /api/reception-days?year=: the year's reception days of a congress with host and bookings. */
export async function receptionCalendar(deps: RDeps, congressId: number, year: number) {
  const congress = await findCongressById(deps.db, congressId);
  if (!congress) throw new AppError('not_found', '没有这个人大');
  const settings = readCongressSettings(congress.settings);
  const out = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    const rd = await receptionDayFor(deps, congressId, month);
    const bookings = await listBookingsOfMonth(deps.db, congressId, month);
    out.push({
      month,
      date: rd.date,
      host: hostOf(settings, month),
      provisional: rd.provisional,
      bookings: bookings.map((b) => ({ code: b.code, deputy: b.name, topic: b.topic })),
    });
  }
  return out;
}
