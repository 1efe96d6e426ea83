import type { Db } from '../../../db/client.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import { closeDeadline, findDeadline } from '../../../db/repositories/deadlines.ts';
import {
  type AssignmentView,
  assignmentsOf,
  endAssignment,
  findSuggestionByCode,
  followersOf,
  insertAssignment,
  type SuggestionRow,
  setAssignmentDeadline,
  updateSuggestion,
} from '../../../db/repositories/suggestions.ts';
import type { AssignmentRole, DeadlineKind } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { dateOf, daysInMonth, shiftedDate, todayIn } from '../../statute/calendar-date.ts';
import { type CongressSettings, readCongressSettings } from '../../statute/congress-settings.ts';
import { formatDate, formatStatutoryDate, shiftWords } from '../../statute/date-text.ts';
import { checkExtension, extensionCapOn, S8_MONTHS, S8A_MONTHS } from '../../statute/feedback-deadlines.ts';
import { extendDeadline, loadWorkCalendar, startDeadline } from '../calendar/index.ts';
import { type OrganRow, type Organs, organsByIds, organsNamed } from '../organs/index.ts';
import { sendLetter } from './letter.ts';
import { type Actor, lockInScope, reachOrgan, recordChange, type Scope } from './records.ts';
import { type AuditSource, auditedStaffAction } from './staff-audit.ts';
import {
  answerVerb,
  currentRound,
  dueLine,
  extendedText,
  isReport,
  roleLabel,
  unknownCodeText,
} from './text.ts';

// Handling an item: 交办 to a lead organ and any assisting organs, each with its own clock; 延期 within
// the cap; 退回 and 改办 recorded with the organ's reason.

type HandlingDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface HandlingOutcome {
  item: SuggestionRow;
  /** The assignments of the current round after the change. */
  assignments: AssignmentView[];
}

export async function settingsOf(trx: Db, congressId: number): Promise<CongressSettings> {
  const c = await findCongressById(trx, congressId);
  return readCongressSettings(c?.settings);
}

/** The clock an assignment runs on: S8a for a report, the re-handling period after 不满意, else S8. */
function clockOf(
  item: SuggestionRow,
  rehandling: boolean,
  s: CongressSettings,
): { kind: DeadlineKind; months: number } {
  // 山西 第二十七条 (S8a): feedback on a report within three months of its transfer.
  if (isReport(item.kind) && !rehandling) return { kind: 'S8a', months: S8A_MONTHS };
  // S8 re-handling after 不满意: the congress's reHandlingMonths (local 办理办法).
  if (rehandling) return { kind: 'S8-rehandle', months: s.reHandlingMonths };
  // 《代表法》第五十一条第二款 (S8): 自交办之日起三个月内答复.
  return { kind: 'S8', months: S8_MONTHS };
}

/** Opens one organ's assignment with its clock, in the caller's transaction. */
export async function openAssignment(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  o: { organ: OrganRow; role: AssignmentRole; round: number; rehandling: boolean; startsOn: string },
  actor: Actor,
  settings: CongressSettings,
  now: Date,
): Promise<void> {
  const a = await insertAssignment(trx, {
    suggestionId: item.id,
    round: o.round,
    organId: o.organ.id,
    role: o.role,
    assignedOn: o.startsOn,
    assignedBy: actor.id,
  });
  const clock = clockOf(item, o.rehandling, settings);
  const followers = await followersOf(trx, item.id);
  const d = await startDeadline(
    trx,
    cal,
    {
      kind: clock.kind,
      subjectType: 'suggestion_assignment',
      subjectId: String(a.id),
      congressId: item.congress_id,
      label: `${item.kind} ${item.code}（${o.organ.name}${roleLabel(o.role)}）的${answerVerb(item.kind)}期限`,
      startsOn: o.startsOn,
      months: clock.months,
      personIds: followers.map((f) => f.person_id),
    },
    now,
  );
  await setAssignmentDeadline(trx, a.id, d.id);
}

/** Tells an organ's contacts of its new assignment (in working hours; staff phone when no chat id). */
async function tellOrgan(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  a: AssignmentView,
  organ: OrganRow,
  key: string,
  deps: HandlingDeps,
  now: Date,
): Promise<void> {
  // The whole 交办函 with the buttons 签收 / 申请退回 (涉密: only where to collect it).
  await sendLetter(trx, cal, item, a, organ, key, now, deps.config.timezone);
}

const dueLines = (item: SuggestionRow, list: AssignmentView[]): string =>
  list.map((a) => dueLine(item.kind, a)).join('\n');

/**
 * 交办: the lead organ and any assisting organs, each with its own clock from today (S8; S8a for a report).
 * Allowed while the item waits for 交办, or when every organ of the current round returned it.
 */
export async function assignSuggestion(
  deps: HandlingDeps,
  input: {
    code: string;
    organs: Organs;
    actor: Actor;
    scope: Scope;
    /** Where it came from: its audit row ('suggestion.assign'); absent inside a step audited as a whole. */
    audit?: AuditSource | undefined;
  },
): Promise<HandlingOutcome> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    return auditedStaffAction(trx, input, 'suggestion.assign', item, async () => {
      const result = await assignLocked(deps, trx, item, input, { now, today });
      const organs = result.assignments.map((a) => ({ organ: a.organ_name, role: a.role, dueOn: a.due_on }));
      return { result, detail: { organs } };
    });
  });
}

/** 交办 of the item locked in the caller's transaction. */
async function assignLocked(
  deps: HandlingDeps,
  trx: Db,
  item: SuggestionRow,
  input: { organs: Organs; actor: Actor },
  at: { now: Date; today: string },
): Promise<HandlingOutcome> {
  const { now, today } = at;
  const before = currentRound(item, await assignmentsOf(trx, [item.id]));
  if (item.status !== 'submitted') {
    const open = before.filter((a) => a.status === 'open').map((a) => a.organ_name);
    const why =
      item.status === 'closed'
        ? '已办结'
        : open.length > 0
          ? `已交办${open.join('、')}办理`
          : `目前状态为“${item.status === 'answered' ? '已答复' : '办理中'}”`;
    throw new AppError(
      'conflict',
      `${item.code} ${why}，不能再次交办。如需改由其他单位办理，请在「工作平台 → 建议」打开这一项，用“改办”办理。`,
    );
  }
  const names = [input.organs.lead, ...input.organs.assisting.filter((n) => n !== input.organs.lead)];
  const organs = await organsNamed(trx, names);
  const cal = await loadWorkCalendar(trx);
  const settings = await settingsOf(trx, item.congress_id);
  const round = Math.max(item.round, 1);
  const rehandling = item.round > 1;
  for (const [i, organ] of organs.entries()) {
    await openAssignment(
      trx,
      cal,
      item,
      { organ, role: i === 0 ? 'lead' : 'assist', round, rehandling, startsOn: today },
      input.actor,
      settings,
      now,
    );
  }
  await updateSuggestion(trx, item.id, { status: rehandling ? 'rehandling' : 'assigned', round }, now);
  const after = { ...item, status: 'assigned' as const, round };
  const fresh = currentRound(after, await assignmentsOf(trx, [item.id])).filter((a) => a.status === 'open');
  const added = fresh.filter((a) => organs.some((o) => o.id === a.organ_id));
  const eventId = await recordChange(
    trx,
    after,
    {
      actor: input.actor,
      action: 'assigned',
      summary: `交办：${added.map((a) => `${a.organ_name}（${roleLabel(a.role)}）`).join('、')}`,
      detail: { organs: added.map((a) => ({ organ: a.organ_name, role: a.role, dueOn: a.due_on })) },
      message: `已交办，${answerVerb(item.kind)}期限：\n${dueLines(item, added)}\n办理进展会随时告诉您，也可发“查询 ${item.code}”查看。`,
    },
    now,
  );
  for (const a of added) {
    const organ = organs.find((o) => o.id === a.organ_id)!;
    await tellOrgan(trx, cal, after, a, organ, `assigned${eventId}`, deps, now);
  }
  return { item: { ...after, updated_at: now }, assignments: fresh };
}

/** The open assignment of the current round by organ name; or every open one when no name is given. */
function pickOpen(item: SuggestionRow, all: AssignmentView[], organ: string | undefined): AssignmentView[] {
  const open = currentRound(item, all).filter((a) => a.status === 'open');
  if (open.length === 0) {
    throw new AppError('conflict', `${item.code} 目前没有正在办理的单位`);
  }
  if (organ === undefined) return open;
  const hit = open.filter((a) => a.organ_name === organ);
  if (hit.length === 0) {
    throw new AppError(
      'not_found',
      `${item.code} 没有正在办理的单位“${organ}”（正在办理：${open.map((a) => a.organ_name).join('、')}）`,
    );
  }
  return hit;
}

/**
 * A leading organ name in free text ("市公安局 需协调…", or as said without its level: "公安局：…"): the organ
 * and the rest.
 */
export function splitLeadingOrgan(text: string, names: string[]): { organ?: string; rest: string } {
  const t = text.trim();
  const said = names.flatMap((n) => [
    { n, as: n },
    // "住建局" for 市住建局: only when no other organ of the item reads the same.
    ...(/^[省市区县]./.test(n) && names.filter((o) => o.slice(1) === n.slice(1)).length === 1
      ? [{ n, as: n.slice(1) }]
      : []),
  ]);
  for (const { n, as } of said.sort((a, b) => b.as.length - a.as.length)) {
    if (t.startsWith(as)) {
      const rest = t.slice(as.length).replace(/^[\s:：,，、]+/, '');
      return { organ: n, rest };
    }
  }
  return { rest: t };
}

/** Why an item cannot have its deadline extended (null: it can). */
/** One organ's deadline moved by a 延期, as its history row keeps it (enough to take it back). */
export interface ExtensionMove {
  organ: string;
  from: string;
  /** The day asked for: the date given, or where the shift lands from `from` (before a rest day moves it). */
  requested: string;
  to: string;
  provisional: boolean;
  organId: number;
  deadlineId: number;
  fromProvisional: boolean;
  fromTarget: string | null;
}

/**
 * Whether staff may name `code` in 交办 at all: an item that does not exist (or is another congress's) is
 * said before the organs are asked for, with how to find the right code; null when it exists.
 */
export async function unknownItemForStaff(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
  word: string,
): Promise<string | null> {
  const item = await findSuggestionByCode(deps.db, code);
  return !item || (scope !== null && !scope.includes(item.congress_id)) ? unknownCodeText(code, word) : null;
}

/** Why an item cannot be extended at all, or null (staff's 延期, and an organ asking for one). */
export function cannotExtend(item: SuggestionRow): string | null {
  // 山西 第二十七条 (S8a) sets three months and provides no extension.
  if (isReport(item.kind)) return '视察、调研报告的反馈期限为三个月（山西 第二十七条），不能延期';
  if (item.status !== 'assigned' && item.status !== 'rehandling')
    return `${item.code} 目前不在办理中，不能延期`;
  return null;
}

/** The item 延期 is asked of, with the deadlines of its open organs; or why it cannot be extended at all. */
async function extensionBasis(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
): Promise<
  { refused: string } | { cal: WorkCalendar; cap: number; deadlines: { startsOn: string; dueOn: string }[] }
> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || (scope !== null && !scope.includes(item.congress_id)))
    return { refused: unknownCodeText(code, '延期') };
  const refused = cannotExtend(item);
  if (refused) return { refused };
  const open = currentRound(item, await assignmentsOf(deps.db, [item.id])).filter(
    (a) => a.status === 'open' && a.deadline_id !== null,
  );
  const deadlines: { startsOn: string; dueOn: string }[] = [];
  for (const a of open) {
    const d = await findDeadline(deps.db, a.deadline_id!);
    if (d) deadlines.push({ startsOn: d.starts_on, dueOn: d.due_on });
  }
  return {
    cal: await loadWorkCalendar(deps.db),
    cap: (await settingsOf(deps.db, item.congress_id)).extensionCapMonths,
    deadlines,
  };
}

/**
 * Why 延期 of `code` cannot go ahead (not found in scope, a report, not being handled; with `date`, a date
 * no open organ's deadline may move to), said before the rest is asked for; null when it can.
 */
export async function extensionRefusal(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
  date?: string,
): Promise<{ text: string; about: 'item' | 'date' } | null> {
  const basis = await extensionBasis(deps, code, scope);
  if ('refused' in basis) return { text: basis.refused, about: 'item' };
  if (date === undefined) return null;
  const failures: string[] = [];
  for (const d of basis.deadlines) {
    const shifted = shiftedDate(d.dueOn, date);
    const check = checkExtension(basis.cal, d.startsOn, d.dueOn, shifted ?? date, basis.cap);
    // "延期一个半月": where that lands, so the refusal says why.
    if (!check.ok)
      failures.push(
        shifted ? `再延${shiftWords(date)}是 ${formatDate(shifted)}，${check.message}` : check.message,
      );
  }
  // Refused only when no open organ's deadline could take the date (one named later might).
  const open = basis.deadlines.length;
  return open > 0 && failures.length === open ? { text: failures[0]!, about: 'date' } : null;
}

/**
 * 延期 of `code` to a month said without its day ("延到明年10月", S8): the limits that fall within the month,
 * for the question that asks the day (`limits`: the deadline it must pass, the latest day it may reach); or,
 * when no day of it will do, why: the whole month past the cap of six months from 交办 (`cap`, saying where
 * the cap falls: nothing is asked), or not after the current deadline (`date`: another date is asked for).
 */
export async function extensionMonth(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
  month: string,
): Promise<{ refused: string; about: 'item' | 'date' | 'cap' } | { limits: string[] }> {
  const basis = await extensionBasis(deps, code, scope);
  if ('refused' in basis) return { refused: basis.refused, about: 'item' };
  const [year, mon] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const first = dateOf(year, mon, 1);
  const last = dateOf(year, mon, daysInMonth(year, mon));
  const checks = basis.deadlines.map((d) => ({
    ...d,
    first: checkExtension(basis.cal, d.startsOn, d.dueOn, first, basis.cap),
    last: checkExtension(basis.cal, d.startsOn, d.dueOn, last, basis.cap),
    capOn: extensionCapOn(basis.cal, d.startsOn, basis.cap),
  }));
  const said = `${year}年${mon}月`;
  const pastCap = checks.find((c) => !c.first.ok && c.first.reason === 'past_cap');
  if (pastCap && checks.every((c) => !c.first.ok && c.first.reason === 'past_cap')) {
    const cap = pastCap.first.ok ? '' : `${pastCap.first.message}；`;
    const latest = pastCap.capOn.ok
      ? `要延到最迟那天，请发“延期 ${code} ${pastCap.capOn.value.endsOn} 理由”。`
      : '';
    return { refused: `${cap}${said}整个月都在这之后，没有延期。${latest}`, about: 'cap' };
  }
  const early = checks.find((c) => !c.last.ok && c.last.reason === 'not_after_current');
  if (early && checks.every((c) => !c.last.ok && c.last.reason === 'not_after_current'))
    return {
      refused: `${said}整个月都不晚于现在的期限 ${formatDate(early.dueOn)}，没有延期。`,
      about: 'date',
    };
  const limits: string[] = [];
  const one = checks[0];
  if (one && one.dueOn >= first) limits.push(`须晚于现在的期限 ${formatDate(one.dueOn)}`);
  if (one?.capOn.ok && one.capOn.value.endsOn <= last)
    limits.push(`最迟 ${formatStatutoryDate(one.capOn.value.endsOn, one.capOn.provisional)}`);
  return { limits };
}

/**
 * 延期 (S8): moves the due date of the open assignments (or of one organ) to `date`, moved off a rest day,
 * with who approved it and why. Refused past the cap (six months from 交办): nothing changes then.
 */
export async function extendSuggestion(
  deps: HandlingDeps,
  input: {
    code: string;
    date: string;
    reason: string;
    organ?: string | undefined;
    approvedBy?: string | undefined;
    actor: Actor;
    scope: Scope;
    /** Where it came from: its audit row ('suggestion.extend'). */
    audit?: AuditSource | undefined;
  },
): Promise<HandlingOutcome & { moved: ExtensionMove[] }> {
  const now = deps.clock.now();
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad_request', '请写明延期的理由');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    return auditedStaffAction(trx, input, 'suggestion.extend', item, async () => {
      const { result, moved, approver, why } = await extendLocked(deps, trx, item, { ...input, reason, now });
      const organs = moved.map((m) => ({ organ: m.organ, from: m.from, to: m.to }));
      // The reason staff gave is what the API's row kept of its form; a 涉密 item's stays on its page.
      const said = item.secret ? {} : { reason: why };
      return {
        result: { ...result, moved },
        detail: { requested: input.date, approvedBy: approver, organs, ...said },
      };
    });
  });
}

/** 延期 of the item locked in the caller's transaction. */
async function extendLocked(
  deps: HandlingDeps,
  trx: Db,
  item: SuggestionRow,
  input: {
    date: string;
    reason: string;
    organ?: string | undefined;
    approvedBy?: string | undefined;
    actor: Actor;
    now: Date;
  },
): Promise<{ result: HandlingOutcome; moved: ExtensionMove[]; approver: string; why: string }> {
  const { now, reason } = input;
  const refused = cannotExtend(item);
  if (refused) throw new AppError('conflict', refused);
  const all = await assignmentsOf(trx, [item.id]);
  let organ = input.organ;
  let why = reason;
  if (organ === undefined) {
    const split = splitLeadingOrgan(
      reason,
      currentRound(item, all)
        .filter((a) => a.status === 'open')
        .map((a) => a.organ_name),
    );
    if (split.organ && split.rest !== '') {
      organ = split.organ;
      why = split.rest;
    }
  }
  const targets = pickOpen(item, all, organ);
  const cal = await loadWorkCalendar(trx);
  const settings = await settingsOf(trx, item.congress_id);
  const moved: ExtensionMove[] = [];
  for (const a of targets) {
    // What the deadline was, so an extension taken back right after restores it exactly (extension-undo.ts).
    const was = await findDeadline(trx, a.deadline_id!);
    // 《代表法》第五十一条第二款 (S8): 涉及面广、处理难度大的，六个月内答复 — extendDeadline refuses past the cap.
    // "延期一个月": each organ's own deadline moved by that much.
    const requested = shiftedDate(a.due_on!, input.date) ?? input.date;
    const d = await extendDeadline(trx, cal, a.deadline_id!, requested, settings.extensionCapMonths, now);
    moved.push({
      organ: a.organ_name,
      from: a.due_on!,
      requested,
      to: d.due_on,
      provisional: d.provisional,
      organId: a.organ_id,
      deadlineId: d.id,
      fromProvisional: was?.provisional ?? false,
      fromTarget: was?.target_on ?? null,
    });
  }
  const approver = input.approvedBy?.trim() || input.actor.name;
  const lines = moved.map(
    (m) =>
      `${m.organ}：${formatStatutoryDate(m.from, false)} 延至 ${formatStatutoryDate(m.to, m.provisional)}`,
  );
  await updateSuggestion(trx, item.id, {}, now);
  const eventId = await recordChange(
    trx,
    item,
    {
      actor: input.actor,
      action: 'extended',
      summary: `延期：${lines.join('；')}（批准：${approver}）`,
      reason: why,
      detail: { moved, requested: input.date, approvedBy: approver },
      message: `答复期限延长：\n${lines.join('\n')}\n原因：${why}`,
    },
    now,
  );
  // The organs work to the new date too: each is told its own (in working hours; staff phone otherwise).
  const organs = await organsByIds(
    trx,
    targets.map((a) => a.organ_id),
  );
  for (const [i, a] of targets.entries()) {
    const m = moved[i]!;
    const text = extendedText(item, a, m.from, formatStatutoryDate(m.to, m.provisional), why);
    await reachOrgan(
      trx,
      cal,
      organs.find((o) => o.id === a.organ_id)!,
      item,
      `extend${eventId}`,
      text,
      now,
      deps.config.timezone,
    );
  }
  return {
    result: { item, assignments: currentRound(item, await assignmentsOf(trx, [item.id])) },
    moved,
    approver,
    why,
  };
}

/**
 * 退回: an organ sends its assignment back (not its business), with its reason. When no organ of the
 * round is left handling it, the item waits for a new 交办.
 */
export async function returnAssignment(
  deps: HandlingDeps,
  input: { code: string; organ: string; reason: string; actor: Actor; scope: Scope },
): Promise<HandlingOutcome> {
  const now = deps.clock.now();
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad_request', '请写明退回的理由');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const [a] = pickOpen(item, await assignmentsOf(trx, [item.id]), input.organ);
    await endAssignment(trx, a!.id, 'returned', reason, now);
    if (a!.deadline_id) await closeDeadline(trx, a!.deadline_id, now);
    const left = currentRound(item, await assignmentsOf(trx, [item.id])).filter((x) => x.status === 'open');
    const leadLeft = left.some((x) => x.role === 'lead');
    const status = left.length === 0 ? 'submitted' : item.status;
    await updateSuggestion(trx, item.id, { status }, now);
    const next = leadLeft ? '其余单位继续办理。' : '工作人员将重新确定承办单位，交办后会告诉您新的答复期限。';
    await recordChange(
      trx,
      { ...item, status },
      {
        actor: input.actor,
        action: 'returned',
        summary: `${a!.organ_name}退回`,
        reason,
        detail: { organ: a!.organ_name, role: a!.role },
        message: `${a!.organ_name}（${roleLabel(a!.role)}）已退回，理由：${reason}。${next}`,
      },
      now,
    );
    return {
      item: { ...item, status },
      assignments: currentRound(item, await assignmentsOf(trx, [item.id])),
    };
  });
}

/**
 * Ends `a` and opens its role for `to` in the same round, on a clock from `startsOn` (改办: today; a
 * corrected 交办: the day of the 交办, so the statutory date stays). The organ is not told here.
 */
export async function moveAssignment(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  a: AssignmentView,
  to: OrganRow,
  o: { reason: string; startsOn: string; actor: Actor; now: Date },
): Promise<{ added: AssignmentView; fresh: AssignmentView[] }> {
  const round = currentRound(item, await assignmentsOf(trx, [item.id]));
  if (round.some((x) => x.status === 'open' && x.organ_id === to.id)) {
    throw new AppError('conflict', `${to.name} 已在办理 ${item.code}`);
  }
  await endAssignment(trx, a.id, 'transferred', o.reason, o.now);
  if (a.deadline_id) await closeDeadline(trx, a.deadline_id, o.now);
  const settings = await settingsOf(trx, item.congress_id);
  await openAssignment(
    trx,
    cal,
    item,
    {
      organ: to,
      role: a.role,
      round: item.round,
      rehandling: item.status === 'rehandling',
      startsOn: o.startsOn,
    },
    o.actor,
    settings,
    o.now,
  );
  const fresh = currentRound(item, await assignmentsOf(trx, [item.id]));
  const added = fresh.find((x) => x.status === 'open' && x.organ_id === to.id)!;
  return { added, fresh };
}

/** 改办: an organ's assignment moves to another organ, which gets a new clock from today. */
export async function transferAssignment(
  deps: HandlingDeps,
  input: { code: string; from: string; to: string; reason: string; actor: Actor; scope: Scope },
): Promise<HandlingOutcome> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad_request', '请写明改办的理由');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const all = await assignmentsOf(trx, [item.id]);
    const [a] = pickOpen(item, all, input.from);
    const [to] = await organsNamed(trx, [input.to]);
    const cal = await loadWorkCalendar(trx);
    const { added, fresh } = await moveAssignment(trx, cal, item, a!, to!, {
      reason,
      startsOn: today,
      actor: input.actor,
      now,
    });
    const eventId = await recordChange(
      trx,
      item,
      {
        actor: input.actor,
        action: 'transferred',
        summary: `改办：${a!.organ_name} → ${to!.name}（${roleLabel(a!.role)}）`,
        reason,
        detail: { from: a!.organ_name, to: to!.name, role: a!.role, dueOn: added.due_on },
        message:
          `改由${to!.name}${roleLabel(a!.role)}（原${a!.organ_name}，理由：${reason}），` +
          `${formatStatutoryDate(added.due_on!, added.due_provisional)}前${answerVerb(item.kind)}。`,
      },
      now,
    );
    await tellOrgan(trx, cal, item, added, to!, `transferred${eventId}`, deps, now);
    return { item, assignments: fresh };
  });
}
