import type { Db } from '../../../db/client.ts';
import {
  findActivityByCode,
  insertActivity,
  insertInvitations,
  listStationActivities,
  markAttended,
} from '../../../db/repositories/activities.ts';
import { findCongressByName, listLiveCongresses } from '../../../db/repositories/congresses.ts';
import { findGroupOfCongress, findStationOfCongress } from '../../../db/repositories/groups.ts';
import { findSeatByChatId } from '../../../db/repositories/people.ts';
import type { ActivityKind } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { addDays, dateAt, dateOf, parseMonth } from '../../statute/calendar-date.ts';
import { instantAt } from '../../statute/working-hours.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { noticeTime } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { nextCode } from '../items/index.ts';
import { organiserLabel } from '../leave/index.ts';
import { activityTime, KIND_LABEL } from './text.ts';

// Planned activities (大同 第六条 S1, 第七条 S3, 第十一条 S4; 山西 第二十一条 S9, 第三十一条 S10, 第四十一条 S14):
// created by staff with invitees, who are invited with 参加 / 请假 answers and reminded the day before;
// attendance recorded afterwards becomes a line of each attendee's duty record (S15).

export interface ActivityInput {
  kind: ActivityKind;
  title: string;
  organiser: string;
  congress?: string | undefined;
  group?: string | undefined;
  station?: string | undefined;
  startsAt: string;
  endsAt: string;
  place?: string | undefined;
  invitees: string[];
}

/** A deputy's seat in a congress by their chat id. */
export async function seatByUserid(db: Db, congressId: number, userid: string) {
  return findSeatByChatId(db, congressId, userid);
}

async function resolveCongress(
  db: Db,
  input: ActivityInput,
  tokenCongressId: number | null,
): Promise<number> {
  if (input.congress !== undefined) {
    const c = await findCongressByName(db, input.congress);
    if (!c) throw new AppError('not_found', `没有名为「${input.congress}」的人大`);
    if (tokenCongressId !== null && c.id !== tokenCongressId)
      throw new AppError('forbidden', '您的令牌只能管理所属人大');
    return c.id;
  }
  if (tokenCongressId !== null) return tokenCongressId;
  const live = await listLiveCongresses(db);
  if (live.length === 1) return live[0]!.id;
  throw new AppError('invalid_body', '有多个人大，请用字段「congress」指明活动所属的人大');
}

/**
 * When the day-before reminder goes out: 09:00 on the last working day before the activity's day (the day
 * before, unless that is a rest day). Null when that time has passed already (the invitation suffices).
 */
export function reminderTime(cal: WorkCalendar, startsAt: Date, now: Date, timeZone: string): Date | null {
  const day = dateAt(startsAt, timeZone);
  let d = addDays(day, -1);
  for (let i = 0; i < 15; i++) {
    const w = cal.isWorkday(d);
    if (!w.ok || w.value) break;
    d = addDays(d, -1);
  }
  const at = instantAt(d, 9, timeZone);
  return at > now && at < startsAt ? at : null;
}

export async function createActivity(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: ActivityInput,
  by: { actor: string; tokenCongressId: number | null },
) {
  const tz = deps.config.timezone;
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (Number.isNaN(startsAt.getTime())) throw new AppError('invalid_body', '字段「startsAt」不是有效的时间');
  if (Number.isNaN(endsAt.getTime())) throw new AppError('invalid_body', '字段「endsAt」不是有效的时间');
  if (endsAt <= startsAt) throw new AppError('invalid_body', '字段「endsAt」应晚于「startsAt」');
  const congressId = await resolveCongress(deps.db, input, by.tokenCongressId);
  let groupId: number | null = null;
  if (input.group !== undefined) {
    const g = await findGroupOfCongress(deps.db, congressId, input.group);
    if (!g) throw new AppError('invalid_body', `字段「group」：没有名为「${input.group}」的小组`);
    groupId = g.id;
  }
  if ((input.kind === 'small_group' || input.kind === 'large_group') && groupId === null) {
    throw new AppError('invalid_body', '小组、大组活动须用字段「group」指明是哪个组（大同 第六条）');
  }
  let stationId: number | null = null;
  if (input.station !== undefined) {
    const s = await findStationOfCongress(deps.db, congressId, input.station);
    if (!s) throw new AppError('invalid_body', `字段「station」：没有名为「${input.station}」的联络站`);
    stationId = s.id;
  }
  if (input.kind === 'station' && stationId === null) {
    throw new AppError('invalid_body', '联络站活动须用字段「station」指明联络站（山西 第三十一条）');
  }
  const invitees: { mandateId: number; personId: number }[] = [];
  const unknown: string[] = [];
  for (const u of [...new Set(input.invitees)]) {
    const seat = await seatByUserid(deps.db, congressId, u);
    if (seat && seat.role === 'deputy') invitees.push({ mandateId: seat.mandateId, personId: seat.personId });
    else unknown.push(u);
  }
  if (unknown.length > 0) {
    throw new AppError('invalid_body', `字段「invitees」：以下账号不是该人大的代表：${unknown.join('、')}`, {
      unknown,
    });
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const code = await nextCode(trx, 'HD', Number(dateAt(startsAt, tz).slice(0, 4)));
    const activity = await insertActivity(trx, {
      code,
      congressId,
      kind: input.kind,
      title: input.title,
      organiser: input.organiser,
      groupId,
      stationId,
      startsAt,
      endsAt,
      place: input.place ?? null,
      createdBy: by.actor,
      at: now,
    });
    await insertInvitations(
      trx,
      activity.id,
      invitees.map((i) => i.mandateId),
    );
    // An activity recorded once it has begun (or after it ended) is a record of what happened: nobody is
    // asked to answer 参加 / 请假 for it, and nobody is reminded of it.
    if (startsAt <= now) return { activity, invited: invitees.length, invitationsSent: 0, reminderAt: null };
    const cal = await loadWorkCalendar(trx);
    const notBefore = await noticeTime(trx, deps.clock, tz);
    const remindAt = reminderTime(cal, startsAt, now, tz);
    // The organiser as deputies read it: a person of the roster by name, never by their account id.
    const organiser = await organiserLabel(trx, congressId, input.organiser);
    const when = activityTime(startsAt, endsAt, tz);
    const where = input.place ? `\n地点：${input.place}` : '';
    for (const i of invitees) {
      await enqueueToPerson(
        trx,
        i.personId,
        {
          text:
            `【活动邀请】${code} ${input.title}（${KIND_LABEL[input.kind]}）\n时间：${when}${where}\n组织单位：${organiser}\n` +
            `请回复“参加 ${code}”；因故不能参加，请回复“请假 ${code} 事由”（大同 第十一条：向组织单位请假）。`,
          buttons: [
            { label: '参加', command: `参加 ${code}` },
            { label: '请假', command: `请假 ${code}` },
          ],
        },
        { idempotencyKey: `activity:${code}:invite:p${i.personId}`, cause: `activity:${code}`, notBefore },
      );
      // The day-before reminder is queued now; a deputy who asks for leave has it withdrawn.
      if (remindAt) await queueReminder(trx, activity, i.personId, { at: remindAt, organiser, tz });
    }
    return { activity, invited: invitees.length, invitationsSent: invitees.length, reminderAt: remindAt };
  });
}

export const reminderKey = (code: string, personId: number): string =>
  `activity:${code}:reminder:p${personId}`;

/**
 * Queues the day-before reminder of an activity to one invitee. `again` keys a reminder queued anew (a
 * deputy who asked leave and then answered 参加): its key still starts with reminderKey's, so a later
 * 请假 withdraws it too.
 */
export async function queueReminder(
  trx: Db,
  a: { code: string; title: string; starts_at: Date; ends_at: Date; place: string | null },
  personId: number,
  w: { at: Date; organiser: string; tz: string; again?: string },
): Promise<void> {
  const where = a.place ? `\n地点：${a.place}` : '';
  await enqueueToPerson(
    trx,
    personId,
    {
      text: `【活动提醒】明天：${a.code} ${a.title}\n时间：${activityTime(a.starts_at, a.ends_at, w.tz)}${where}\n组织单位：${w.organiser}`,
    },
    {
      idempotencyKey: `${reminderKey(a.code, personId)}${w.again ? `:${w.again}` : ''}`,
      cause: `activity:${a.code}:reminder`,
      notBefore: w.at,
    },
  );
}

/** Records who came; each attendance is a line of the deputy's duty record (S15). */
export async function recordAttendance(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { code: string; userids: string[]; tokenCongressId: number | null },
) {
  const activity = await findActivityByCode(deps.db, input.code);
  if (!activity || (input.tokenCongressId !== null && activity.congress_id !== input.tokenCongressId)) {
    throw new AppError('not_found', `没有活动 ${input.code}`);
  }
  const tz = deps.config.timezone;
  if (activity.starts_at > deps.clock.now()) {
    throw new AppError(
      'conflict',
      `活动 ${activity.code} 尚未开始（${activityTime(activity.starts_at, activity.ends_at, tz)}），不能登记出席；请在活动开始后登记。`,
    );
  }
  const seats: { mandateId: number; userid: string }[] = [];
  const unknown: string[] = [];
  for (const u of [...new Set(input.userids)]) {
    const seat = await seatByUserid(deps.db, activity.congress_id, u);
    if (seat) seats.push({ mandateId: seat.mandateId, userid: u });
    else unknown.push(u);
  }
  if (unknown.length > 0) {
    throw new AppError('invalid_body', `以下账号不是该人大的代表：${unknown.join('、')}`, { unknown });
  }
  const day = dateAt(activity.starts_at, tz);
  const organiser = await organiserLabel(deps.db, activity.congress_id, activity.organiser);
  return deps.db.transaction().execute(async (trx) => {
    const marked = await markAttended(
      trx,
      activity.id,
      seats.map((s) => s.mandateId),
    );
    for (const m of marked) {
      await recordDutyEvent(trx, {
        mandateId: m,
        occurredOn: day,
        kind: 'activity.attended',
        summary: `参加${KIND_LABEL[activity.kind]}：${activity.title}（${organiser}）`,
        ref: activity.code,
      });
    }
    return { code: activity.code, recorded: marked.length, already: seats.length - marked.length };
  });
}

/** 山西 第三十一条 (S10): half a working day. */
export const HALF_WORKING_DAY_MS = 4 * 3600_000;

/** A station's receptions held in a month ('YYYY-MM'), each with whether it lasted half a working day. */
export async function stationReceptions(deps: Pick<Deps, 'db' | 'config'>, stationId: number, month: string) {
  const m = parseMonth(month);
  if (!m) throw new AppError('bad_request', `“${month}”不是有效的月份（应为 YYYY-MM）`);
  const tz = deps.config.timezone;
  const from = instantAt(dateOf(m.year, m.month, 1), 0, tz);
  const next = m.month === 12 ? dateOf(m.year + 1, 1, 1) : dateOf(m.year, m.month + 1, 1);
  const to = instantAt(next, 0, tz);
  const rows = await listStationActivities(deps.db, stationId, from, to);
  return rows.map((r) => ({
    code: r.code,
    title: r.title,
    minutes: Math.round((r.ends_at.getTime() - r.starts_at.getTime()) / 60_000),
    counts: r.ends_at.getTime() - r.starts_at.getTime() >= HALF_WORKING_DAY_MS,
  }));
}

/** 山西 第三十一条 (S10): whether the station held at least one reception of half a working day in the month. */
export async function stationReceptionsMet(
  deps: Pick<Deps, 'db' | 'config'>,
  stationId: number,
  month: string,
): Promise<boolean> {
  return (await stationReceptions(deps, stationId, month)).some((r) => r.counts);
}
