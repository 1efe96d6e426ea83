// The per-deputy reminder evaluation as it was before the set-based engine (jobs/*.job.ts and
// jobs/reminder-ledger.ts, jobs/digest.ts at that time): a reference the set-based engine is compared
// with on a generated roster (test/integration/reminders-set-based.test.ts). Kept verbatim apart from
// imports and names, and the configuration now reaching the staff's choice and a group's route (a chat of
// WeCom's intelligent robot only while it is configured); not used by the service.
/* biome-ignore-all lint: a verbatim copy of earlier code, kept as a reference */
import type { Db } from '../../db/client.ts';
import { groupMet, listStationActivities } from '../../db/repositories/activities.ts';
import { listOpenDeadlines } from '../../db/repositories/deadlines.ts';
import { listBookingsOfMonth } from '../../db/repositories/reception.ts';
import type { ActivityKind } from '../../db/schema.ts';
import type { JobContext } from '../../jobs/reminder-ledger.ts';
import type { Deps } from '../../src/deps.ts';
import type { Executor } from '../../src/messaging/index.ts';
import { receptionDayFor } from '../../src/services/calendar/index.ts';
import {
  type Address,
  activeCongresses,
  addressesOf,
  congressesBoundBy,
  MAX_TEXT_BYTES,
  personByMention,
  queueText,
  staffTargets,
  type Target,
  targetKey,
} from '../../src/services/notices/index.ts';
import type { WorkCalendar } from '../../src/statute/calendar.ts';
import {
  addDays,
  dateAt,
  dateOf,
  daysInMonth,
  monthOf,
  parseDate,
  yearOf,
} from '../../src/statute/calendar-date.ts';
import { readCongressSettings } from '../../src/statute/congress-settings.ts';
import { formatStatutoryDate } from '../../src/statute/date-text.ts';
import type { RuleId } from '../../src/statute/rules.ts';
import { instantAt, nextSendingTime } from '../../src/statute/working-hours.ts';
import {
  activityHeld,
  deputiesWithoutStationVisit,
  deputyTargets,
  extendOutboxRow,
  insertLedgerRow,
  insertNewOutboxRow,
  latestOutboxRowLike,
  listMeetingGroups,
  listSessionsOpeningAfter,
  listStationsWithHead,
  openOrgansOfDeadline,
  setLedgerOutbox,
} from './reminders-reference-queries.ts';

interface RefJob {
  kind: 'reminders';
  name: string;
  rules: RuleId[];
  schedule?: string;
  summary: string;
  evaluate(ctx: JobContext): Promise<Reminder[]>;
}

/** A rule of the catalog, or 'calendar' for the holiday-arrangement reminder ("Counting time"). */
type ReminderRule = RuleId | 'calendar';

interface Reminder {
  rule: ReminderRule;
  /** The period the rule counts over, plus what it is about (e.g. '2026-Q3#group:4', 'deadline:7:14'). */
  period: string;
  target: Target;
  text: string;
  /** The first day the reminder is due. */
  dueOn: string;
  /** The event it announces: once that has passed, a catch-up no longer sends it. */
  eventOn: string;
}

interface QueuedReminder {
  rule: ReminderRule;
  period: string;
  target: string;
  late: boolean;
  notBefore: Date;
  outboxId: number | null;
}

const BATCH = 200;

/** Writes each reminder not yet in the ledger with its message; returns what was queued. */
async function recordReminders(
  deps: Pick<Deps, 'db' | 'config'>,
  cal: WorkCalendar,
  job: string,
  reminders: Reminder[],
  now: Date,
): Promise<QueuedReminder[]> {
  const tz = deps.config.timezone;
  const today = dateAt(now, tz);
  // CONTRACT §4: pushes only on working days between 09:00 and 18:00.
  const notBefore = nextSendingTime(cal, now, tz);
  const sendDate = dateAt(notBefore, tz);
  const queued: QueuedReminder[] = [];
  const due = reminders.filter((r) => r.eventOn >= today);
  // Reminders are written in batches, one transaction each: every ledger row still commits with the
  // outbox row that carries it, without paying a commit per reminder on a roster of thousands.
  for (let start = 0; start < due.length; start += BATCH) {
    const batch = due.slice(start, start + BATCH);
    const done = await deps.db.transaction().execute(async (trx) => {
      const out: QueuedReminder[] = [];
      for (const r of batch) {
        const target = targetKey(r.target);
        const late = today > r.dueOn;
        const ledgerId = await insertLedgerRow(trx, {
          rule: r.rule,
          period: r.period,
          target,
          job,
          dueOn: r.dueOn,
          eventOn: r.eventOn,
          late,
          at: now,
        });
        if (ledgerId === null) continue;
        let outboxId: number | null = null;
        for (const to of await addressesOf(trx, r.target, deps.config)) {
          const id = await addToDigest(trx, {
            targetKey: target,
            to,
            sendDate,
            notBefore,
            text: r.text,
            cause: `reminder:${r.rule}:${r.period}`,
          });
          outboxId ??= id;
        }
        await setLedgerOutbox(trx, ledgerId, outboxId);
        out.push({ rule: r.rule, period: r.period, target, late, notBefore, outboxId });
      }
      return out;
    });
    queued.push(...done);
  }
  return queued;
}

// CONTRACT §4: several reminders to one target on one day go as one digest. A reminder joins the target's
// digest of its sending day while that message is still waiting (not yet claimed by the outbox); once it
// went out, or when the digest would outgrow what the platform takes, the next reminder starts a new one.

const HEADER = '【履职提醒】';

/** A LIKE pattern matching `text` literally (target kinds such as wecom_robot hold an underscore). */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Adds a reminder to the digest of `target` for `sendDate` on one address; returns the outbox id that
 * carries it. Call inside the transaction that writes the reminder's ledger row.
 */
async function addToDigest(
  db: Executor,
  o: { targetKey: string; to: Address; sendDate: string; notBefore: Date; text: string; cause: string },
): Promise<number | null> {
  const base = `digest:${o.targetKey}:${o.sendDate}:${o.to.channel}:${o.to.targetKind}`;
  const latest = await latestOutboxRowLike(db, `${escapeLike(base)}#%`);
  const stored = latest?.payload as { text: string; count?: number } | undefined;
  if (latest && stored?.count !== undefined && latest.status === 'pending' && latest.attempts === 0) {
    // The stored digest's numbered lines, read back by its count; then this reminder as the next line.
    const lines =
      stored.count === 1
        ? `1. ${stored.text.slice(HEADER.length)}`
        : stored.text.slice(`${HEADER}今天有 ${stored.count} 项提醒：\n`.length);
    const count = stored.count + 1;
    const text = `${HEADER}今天有 ${count} 项提醒：\n${lines}\n${count}. ${o.text}`;
    if (Buffer.byteLength(text, 'utf8') <= MAX_TEXT_BYTES) {
      await extendOutboxRow(db, latest.id, { text, count }, o.cause);
      return latest.id;
    }
  }
  const n = latest ? Number(latest.idempotency_key.slice(base.length + 1).split(':')[0]) + 1 : 1;
  const text = `${HEADER}${o.text}`;
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
    // One reminder alone too long for one message: its own parts, split at sentence boundaries.
    return queueText(db, o.to, text, {
      idempotencyKey: `${base}#${n}`,
      cause: o.cause,
      notBefore: o.notBefore,
    });
  }
  return insertNewOutboxRow(db, {
    channel: o.to.channel,
    target_kind: o.to.targetKind,
    target_address: o.to.address,
    payload: JSON.stringify({ text, count: 1 }),
    idempotency_key: `${base}#${n}`,
    cause: o.cause,
    not_before: o.notBefore,
  });
}

// ---- jobs/group-activity.job.ts as it was
// 大同 第六条 (S1): 代表大组每半年、代表小组每季度至少活动一次. Ten working days before the quarter
// (small group) or half-year (large group) ends, where no activity of that group is recorded in the
// period, the group leader and staff are reminded: "your group has not met", never "you have not".

const LEAD_WORKING_DAYS_1 = 10;

function periodOf(
  today: string,
  months: 3 | 6,
): { key: string; starts: string; ends: string; label: string } {
  const p = parseDate(today)!;
  const index = Math.floor((p.month - 1) / months);
  const first = index * months + 1;
  const last = first + months - 1;
  const key = months === 3 ? `${p.year}-Q${index + 1}` : `${p.year}-H${index + 1}`;
  const label =
    months === 3 ? `${p.year}年第${index + 1}季度` : `${p.year}年${index === 0 ? '上' : '下'}半年`;
  return {
    key,
    starts: dateOf(p.year, first, 1),
    ends: dateOf(p.year, last, daysInMonth(p.year, last)),
    label,
  };
}

const groupActivityJob: RefJob = {
  kind: 'reminders',
  name: 'group-activity',
  rules: ['S1'],
  summary: '代表小组每季度、大组每半年活动提醒（期末前10个工作日，未记录活动时提醒组长和工作人员）',
  async evaluate({ deps, today, cal }) {
    const out: Reminder[] = [];
    const tz = deps.config.timezone;
    for (const congress of await congressesBoundBy(deps.db, 'S1')) {
      const groups = await listMeetingGroups(deps.db, congress.id);
      const staff = await staffTargets(deps.db, congress.id, deps.config);
      for (const g of groups) {
        const period = periodOf(today, g.kind === 'small' ? 3 : 6);
        const from = cal.addWorkdays(period.ends, -LEAD_WORKING_DAYS_1);
        if (!from.ok || today < from.value || today > period.ends) continue;
        if (await groupMet(deps.db, g.id, instantAt(period.starts, 0, tz), instantAt(period.ends, 24, tz)))
          continue;
        const what = g.kind === 'small' ? '代表小组' : '代表大组';
        const every = g.kind === 'small' ? '每季度' : '每半年';
        const ends = formatStatutoryDate(period.ends, from.provisional);
        const line = `${what}「${g.name}」${period.label}（至 ${ends}）还没有记录本组的活动。依照大同 第六条，${what}${every}至少活动一次，请及时安排并登记。`;
        const targets: Target[] = [...staff];
        if (g.leader_person_id !== null) targets.unshift({ kind: 'person', personId: g.leader_person_id });
        for (const target of targets) {
          out.push({
            rule: 'S1',
            period: `${period.key}#group:${g.id}`,
            target,
            text: line,
            dueOn: from.value,
            eventOn: period.ends,
          });
        }
      }
    }
    return out;
  },
};

// ---- jobs/reception-day.job.ts as it was
// 大同 第七条(九) (S2): the reception day of each month. Three working days before it, the deputies who
// may book are reminded; on the day, those who booked and the host.

const LEAD_WORKING_DAYS_2 = 3;

interface Booking {
  code: string;
  person_id: number;
  topic: string | null;
}

/** Booked (not cancelled) reception bookings of a month, in code order. */
async function bookingsOf(db: Db, congressId: number, month: string): Promise<Booking[]> {
  const rows = await listBookingsOfMonth(db, congressId, month);
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const receptionDayJob: RefJob = {
  kind: 'reminders',
  name: 'reception-day',
  rules: ['S2'],
  summary: '接待代表日提醒（前3个工作日提醒可预约的代表；当天提醒预约代表和主持人）',
  async evaluate({ deps, today, cal }) {
    const out: Reminder[] = [];
    const months = [monthOf(today), monthOf(addDays(`${monthOf(today)}-01`, 32))];
    for (const congress of await congressesBoundBy(deps.db, 'S2')) {
      const settings = readCongressSettings(congress.settings);
      for (const month of months) {
        let day: Awaited<ReturnType<typeof receptionDayFor>>;
        try {
          day = await receptionDayFor(deps, congress.id, month);
        } catch (err) {
          deps.log.warn({ err, congressId: congress.id, month }, 'reception day unknown');
          continue;
        }
        const date = day.date;
        const shown = formatStatutoryDate(date, day.provisional);
        const before = cal.addWorkdays(date, -LEAD_WORKING_DAYS_2);
        if (before.ok && today >= before.value && today < date && settings.whoMayBook !== 'none') {
          const who = await deputyTargets(
            deps.db,
            congress.id,
            settings.whoMayBook === 'all' ? undefined : settings.whoMayBook,
          );
          for (const target of who) {
            out.push({
              rule: 'S2',
              period: `${month}#before`,
              target,
              text: `${congress.name}本月接待代表日是 ${shown}，由主任或副主任接待代表（大同 第七条(九)）。如需预约，请发“预约接待日 ${month} 话题”。`,
              dueOn: before.value,
              eventOn: date,
            });
          }
        }
        if (today !== date) continue;
        const bookings = await bookingsOf(deps.db, congress.id, month);
        for (const b of bookings) {
          out.push({
            rule: 'S2',
            period: `${month}#day`,
            target: { kind: 'person', personId: b.person_id },
            text: `今天（${shown}）是接待代表日，您已预约（${b.code}${b.topic ? `，话题：${b.topic}` : ''}）。`,
            dueOn: date,
            eventOn: date,
          });
        }
        const hosts = settings.receptionHosts;
        const host = hosts.length > 0 ? hosts[(Number(month.slice(5, 7)) - 1) % hosts.length]! : null;
        const hostId = host ? await personByMention(deps.db, congress.id, host) : null;
        if (hostId !== null) {
          const topics = bookings.map((b, i) => `${i + 1}. ${b.topic ?? '（未填写话题）'}（${b.code}）`);
          const target: Target = { kind: 'person', personId: hostId };
          out.push({
            rule: 'S2',
            period: `${month}#day`,
            target,
            text:
              topics.length > 0
                ? `今天（${shown}）是接待代表日，由您接待。已有 ${topics.length} 位代表预约：\n${topics.join('\n')}`
                : `今天（${shown}）是接待代表日，由您接待。目前没有代表预约。`,
            dueOn: date,
            eventOn: date,
          });
        }
      }
    }
    return out;
  },
};

// ---- jobs/yearly-staff.job.ts as it was
// Yearly duties of the standing committee, reminded to staff from 1 October while none is recorded:
// 大同 第七条(十) (S3) 每年开展一至两次建言献策活动; 山西 第四十一条 (S14) 常委会每年组织集体学习不少于一次.

const FROM_MONTH_DAY = '10-01';

function yearlyStaffJob(o: {
  name: string;
  rule: RuleId;
  kind: ActivityKind;
  summary: string;
  text: (year: number) => string;
}): RefJob {
  return {
    kind: 'reminders',
    name: o.name,
    rules: [o.rule],
    summary: o.summary,
    async evaluate({ deps, today }) {
      const year = yearOf(today);
      const from = `${year}-${FROM_MONTH_DAY}`;
      if (today < from) return [];
      const tz = deps.config.timezone;
      const out: Reminder[] = [];
      for (const congress of await congressesBoundBy(deps.db, o.rule)) {
        const yearStart = instantAt(`${year}-01-01`, 0, tz);
        const yearEnd = instantAt(`${year}-12-31`, 24, tz);
        if (await activityHeld(deps.db, congress.id, o.kind, yearStart, yearEnd)) continue;
        for (const target of await staffTargets(deps.db, congress.id, deps.config)) {
          out.push({
            rule: o.rule,
            period: `${year}#congress:${congress.id}`,
            target,
            text: `${congress.name}：${o.text(year)}`,
            dueOn: from,
            eventOn: `${year}-12-31`,
          });
        }
      }
      return out;
    },
  };
}

const campaignJob = yearlyStaffJob({
  name: 'yearly-campaign',
  rule: 'S3',
  kind: 'campaign',
  summary: '每年建言献策活动提醒（10月1日起，当年未记录时提醒工作人员）',
  text: (y) =>
    `${y}年还没有记录建言献策活动。依照大同 第七条(十)，每年开展一至两次建言献策活动，请在年底前安排。`,
});

const studyJob = yearlyStaffJob({
  name: 'yearly-study',
  rule: 'S14',
  kind: 'study',
  summary: '常委会每年集体学习提醒（10月1日起，当年未记录时提醒工作人员）',
  text: (y) =>
    `${y}年还没有记录代表集体学习。依照山西 第四十一条，常委会每年组织集体学习不少于一次，请在年底前安排。`,
});

// ---- jobs/station-activity.job.ts as it was
// 山西 第二十一条 (S9): 代表每年参加代表联络站（点）活动不少于一次. From 1 October, each active deputy
// who has not attended a station activity this year is reminded.

const stationActivityJob: RefJob = {
  kind: 'reminders',
  name: 'station-activity',
  rules: ['S9'],
  summary: '代表每年参加联络站活动提醒（10月1日起提醒当年尚未参加的代表）',
  async evaluate({ deps, today }) {
    const year = yearOf(today);
    const from = `${year}-10-01`;
    if (today < from) return [];
    const tz = deps.config.timezone;
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S9')) {
      const rows = await deputiesWithoutStationVisit(
        deps.db,
        congress.id,
        instantAt(`${year}-01-01`, 0, tz),
        instantAt(`${year}-12-31`, 24, tz),
      );
      for (const r of rows) {
        out.push({
          rule: 'S9',
          period: `${year}#congress:${congress.id}`,
          target: { kind: 'person', personId: r.person_id },
          text: `您${year}年还没有参加代表联络站活动的记录。依照山西 第二十一条，代表每年参加联络站（点）活动不少于一次，请在年底前安排进站。`,
          dueOn: from,
          eventOn: `${year}-12-31`,
        });
      }
    }
    return out;
  },
};

// ---- jobs/station-reception.job.ts as it was
// 山西 第三十一条 (S10): 代表联络站每月至少安排代表接待群众一次，时间不少于半个工作日. From the 20th,
// the head of each station (站长, 第三十三条) without such a reception recorded this month is reminded.

const FROM_DAY = 20;
/** Half of an eight-hour working day. */
const HALF_WORKING_DAY_MS = 4 * 3600_000;

const stationReceptionJob: RefJob = {
  kind: 'reminders',
  name: 'station-reception',
  rules: ['S10'],
  summary: '联络站每月接待群众提醒（20日起，当月未记录半个工作日以上的接待时提醒站长）',
  async evaluate({ deps, today }) {
    const p = parseDate(today)!;
    if (p.day < FROM_DAY) return [];
    const month = monthOf(today);
    const first = dateOf(p.year, p.month, 1);
    const last = dateOf(p.year, p.month, daysInMonth(p.year, p.month));
    const tz = deps.config.timezone;
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S10')) {
      for (const s of await listStationsWithHead(deps.db, congress.id)) {
        const receptions = await listStationActivities(
          deps.db,
          s.id,
          instantAt(first, 0, tz),
          instantAt(last, 24, tz),
        );
        const enough = receptions.some(
          (r) => new Date(r.ends_at).getTime() - new Date(r.starts_at).getTime() >= HALF_WORKING_DAY_MS,
        );
        if (enough) continue;
        out.push({
          rule: 'S10',
          period: `${month}#station:${s.id}`,
          target: { kind: 'person', personId: s.head_person_id! },
          text: `联络站「${s.name}」本月（${month}）还没有记录代表接待群众活动。依照山西 第三十一条，联络站每月至少安排代表接待群众一次，时间不少于半个工作日，请在月底前安排并登记。`,
          dueOn: dateOf(p.year, p.month, FROM_DAY),
          eventOn: last,
        });
      }
    }
    return out;
  },
};

// ---- jobs/feedback-clock.job.ts as it was
// 《代表法》第五十一条第二款 (S8) and 山西 第二十七条 (S8a): the feedback clocks in `deadlines`. 14 and 3 working days before
// the due date the handling organ's contact and staff are reminded; once overdue, staff are told.
// The organ is the one the suggestion was assigned to (suggestion_assignments.deadline_id); a clock with
// no organ recorded (e.g. an S8a report) reaches staff only.

const EARLY = 14;
const LATE = 3;

const feedbackClockJob: RefJob = {
  kind: 'reminders',
  name: 'feedback-clock',
  rules: ['S8', 'S8a'],
  summary: '建议答复与报告反馈期限提醒（到期前14、3个工作日提醒承办单位联系人和工作人员；逾期告知工作人员）',
  async evaluate({ deps, today, cal }) {
    const open = await listOpenDeadlines(deps.db);
    if (open.length === 0) return [];
    const congresses = await activeCongresses(deps.db);
    const staffOf = new Map<number, Target[]>();
    for (const c of congresses) staffOf.set(c.id, await staffTargets(deps.db, c.id, deps.config));
    const out: Reminder[] = [];
    for (const d of open) {
      const rule = d.kind === 'S8a' ? 'S8a' : 'S8';
      const article = rule === 'S8a' ? '山西 第二十七条' : '《代表法》第五十一条第二款';
      const staff =
        d.congress_id !== null ? (staffOf.get(d.congress_id) ?? []) : [...staffOf.values()].flat();
      const due = formatStatutoryDate(d.due_on, d.provisional);
      const early = cal.addWorkdays(d.due_on, -EARLY);
      const late = cal.addWorkdays(d.due_on, -LATE);
      if (!early.ok || !late.ok) continue;
      let window: { key: string; from: string; text: string; event: string } | null = null;
      if (today >= early.value && today < late.value) {
        window = {
          key: `${EARLY}`,
          from: early.value,
          text: `「${d.label}」（${d.subject_id}）的答复期限是 ${due}，还有约 ${EARLY} 个工作日（${article}）。`,
          event: d.due_on,
        };
      } else if (today >= late.value && today <= d.due_on) {
        window = {
          key: `${LATE}`,
          from: late.value,
          text: `「${d.label}」（${d.subject_id}）的答复期限是 ${due}，只剩 ${LATE} 个工作日以内，请督促按时答复（${article}）。`,
          event: d.due_on,
        };
      } else if (today > d.due_on) {
        window = {
          key: 'overdue',
          from: addDays(d.due_on, 1),
          text: `「${d.label}」（${d.subject_id}）已超过答复期限 ${due}，尚未办结，请督办（${article}）。`,
          event: today,
        };
      }
      if (!window) continue;
      const organs = window.key === 'overdue' ? [] : await openOrgansOfDeadline(deps.db, d.id);
      const targets: Target[] = [...organs.map((organId) => ({ kind: 'organ' as const, organId })), ...staff];
      for (const target of targets) {
        out.push({
          rule,
          period: `deadline:${d.id}:${window.key}`,
          target,
          text: window.text,
          dueOn: window.from,
          eventOn: window.event,
        });
      }
    }
    return out;
  },
};

// ---- jobs/session-leave.job.ts as it was
// 山西 第八条 (S5): leave from a session must be asked in writing before it opens (县级以上 decided by the
// 主任会议, township by the 主席团). Five working days before a registered session, its deputies are told.

const LEAD_WORKING_DAYS_7 = 5;

const sessionLeaveJob: RefJob = {
  kind: 'reminders',
  name: 'session-leave',
  rules: ['S5'],
  summary: '会议请假提示（登记的会议开幕前5个工作日，提醒代表须在会前书面请假）',
  async evaluate({ deps, today, cal }) {
    const out: Reminder[] = [];
    for (const congress of await congressesBoundBy(deps.db, 'S5')) {
      for (const s of await listSessionsOpeningAfter(deps.db, congress.id, today)) {
        const from = cal.addWorkdays(s.starts_on, -LEAD_WORKING_DAYS_7);
        if (!from.ok || today < from.value) continue;
        const decider = congress.level === 'township' ? '主席团' : '常委会主任会议';
        const opens = formatStatutoryDate(s.starts_on, from.provisional);
        for (const target of await deputyTargets(deps.db, congress.id)) {
          out.push({
            rule: 'S5',
            period: `session:${s.id}`,
            target,
            text: `${s.name}将于 ${opens} 开幕。因故不能出席的，须在开幕前书面请假，由${decider}决定（山西 第八条）。如需请假，请发“请假 ${s.name} 事由”。`,
            dueOn: from.value,
            eventOn: s.starts_on,
          });
        }
      }
    }
    return out;
  },
};

// ---- jobs/holiday-arrangement.job.ts as it was
// "Counting time" (regulations/README.md): every statutory date rests on the State Council's holiday
// arrangement. From 1 December, while next year's is not loaded, staff are reminded to load it
// (`npm run cli -- calendar load`, or corrections by hand); until then next year's dates are provisional.

const holidayArrangementJob: RefJob = {
  kind: 'reminders',
  name: 'holiday-arrangement',
  rules: [],
  schedule: '0 8 * * *',
  summary: '次年放假安排提醒（12月1日起，次年放假安排尚未载入时提醒工作人员）',
  async evaluate({ deps, today, cal }) {
    const year = yearOf(today) + 1;
    if (today < `${year - 1}-12-01`) return [];
    const source = cal.yearSource(year);
    if (source.ok && source.value !== 'provisional') return [];
    const out: Reminder[] = [];
    for (const congress of await activeCongresses(deps.db)) {
      for (const target of await staffTargets(deps.db, congress.id, deps.config)) {
        out.push({
          rule: 'calendar',
          period: `holidays:${year}#congress:${congress.id}`,
          target,
          text: `${year}年的放假安排还没有载入，${year}年的接待日和答复期限暂按暂定日历计算。国务院公布后，请运行“calendar load”载入，或在日历中更正。`,
          dueOn: `${year - 1}-12-01`,
          eventOn: `${year}-12-31`,
        });
      }
    }
    return out;
  },
};

/** The reference jobs, by the names of jobs/job-list.ts. */
export const REFERENCE_JOBS: readonly RefJob[] = [
  receptionDayJob,
  groupActivityJob,
  campaignJob,
  studyJob,
  stationActivityJob,
  stationReceptionJob,
  feedbackClockJob,
  sessionLeaveJob,
  holidayArrangementJob,
];

/** Runs one reference job as the scheduler did: evaluate per deputy, then one ledger row and digest at a time. */
export async function runReferenceJob(deps: Deps, cal: WorkCalendar, job: RefJob, now: Date) {
  const today = dateAt(now, deps.config.timezone);
  const due = await job.evaluate({ deps, now, today, cal });
  return recordReminders(deps, cal, job.name, due, now);
}
