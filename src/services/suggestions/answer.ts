import type { Db } from '../../../db/client.ts';
import { type AuditSource, writeAudit } from '../../../db/repositories/audit.ts';
import { closeDeadline } from '../../../db/repositories/deadlines.ts';
import { type AnswerRow, answersOfItem, setAnswerReview } from '../../../db/repositories/organ-side.ts';
import {
  type AnswerFields,
  type AssignmentView,
  assignmentsOf,
  endAssignment,
  eventsOf,
  findSuggestionByCode,
  followersOf,
  insertEvent,
  insertFollowUp,
  isFollower,
  listSuggestions,
  listSuggestionsOfPerson,
  lockSuggestion,
  recordAnswer,
  type SuggestionRow,
  updateSuggestion,
} from '../../../db/repositories/suggestions.ts';
import type { Rating } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { ReplyButton } from '../../messaging/index.ts';
import { correspondingDay, parseDate, todayIn } from '../../statute/calendar-date.ts';
import { formatDate } from '../../statute/date-text.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { organsByIds } from '../organs/index.ts';
import { openAssignment, settingsOf } from './handling.ts';
import { answerWordsForAudit } from './organ-acts.ts';
import {
  type Actor,
  lockInScope,
  notFound,
  noticeToStaff,
  reachOpenOrgans,
  reachOrgan,
  recordChange,
  type Scope,
  SYSTEM_ACTOR,
} from './records.ts';
import { auditedStaffAction } from './staff-audit.ts';
import {
  answerText,
  answerVerb,
  currentRound,
  dueLine,
  RATING_LABEL,
  ratingReasonText,
  rehandleText,
  roleLabel,
  SECRET_NOTICE,
  titleOf,
} from './text.ts';

// 答复 with the structured fields offices use, the deputy's rating (满意 / 基本满意 / 不满意), 重办 after
// 不满意, and 未表态 when no rating comes within a month.

type AnswerDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** No rating within this many months of the answer closes the item as 未表态. */
export const RATING_WINDOW_MONTHS = 1;

export const ratingButtons = (code: string): ReplyButton[] => [
  { label: '满意', command: `满意 ${code}` },
  { label: '基本满意', command: `基本满意 ${code}` },
  { label: '不满意', command: `不满意 ${code}` },
];

function checkFields(f: AnswerFields, today: string): void {
  if (!f.done && !f.planned && !f.cannot) {
    throw new AppError('bad_request', '答复应写明已办理的情况、计划办理的事项或不能办理的事项（至少一项）');
  }
  if (f.plannedBy !== null) {
    if (!parseDate(f.plannedBy)) throw new AppError('bad_request', `落实时限“${f.plannedBy}”不是有效的日期`);
    if (f.plannedBy < today) throw new AppError('bad_request', `落实时限 ${f.plannedBy} 早于今天`);
    if (!f.planned) throw new AppError('bad_request', '写了落实时限，请同时写明计划办理的事项');
  }
  if (f.cannot && !f.cannotReason) throw new AppError('bad_request', '不能办理的事项，请写明原因');
}

// ---- 答复 -----------------------------------------------------------------------------------------

export interface AnswerOutcome {
  item: SuggestionRow;
  assignment: AssignmentView;
  /** True when the lead organ answered: the deputy was asked to rate it. */
  ratingRequested: boolean;
  /**
   * The deputies asked to rate it (empty unless ratingRequested). The caller makes it their last item in
   * chat, so 满意 / 不满意 without a code means this item (CONTRACT §3).
   */
  askedToRate: number[];
}

/**
 * 答复 by one organ (the only one handling it, or the one named). The lead organ's answer is the answer
 * the deputy rates; an assisting organ's is passed on as it comes. A promised 落实时限 is recorded as a
 * follow-up for the reminder job (suggestion_follow_ups).
 */
export async function answerSuggestion(
  deps: AnswerDeps,
  input: {
    code: string;
    organ?: string | undefined;
    fields: AnswerFields;
    actor: Actor;
    scope: Scope;
    /** Lines the deputy reads after the fields (联系人, 文号 as staff wrote them). */
    extra?: string[] | undefined;
    /**
     * The organ's own answer waiting for review is set aside for this one. Without it, such an answer
     * refuses the staff answer (conflict, `details.pendingAnswer`): which one to keep is asked, never guessed.
     */
    replacePending?: boolean | undefined;
    /** Where it came from: its audit row ('suggestion.answer', and 'answer.set_aside' for each set aside). */
    audit?: AuditSource | undefined;
  },
): Promise<AnswerOutcome> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const fields = trimFields(input.fields);
  checkFields(fields, today);
  const out = await deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    if (item.status !== 'assigned' && item.status !== 'rehandling') {
      throw new AppError(
        'conflict',
        `${item.code} 目前不在办理中（${item.status === 'submitted' ? '尚未交办' : '已答复或已办结'}），不能答复`,
      );
    }
    const open = currentRound(item, await assignmentsOf(trx, [item.id])).filter((a) => a.status === 'open');
    let found: AssignmentView | undefined;
    if (input.organ !== undefined) {
      found = open.find((a) => a.organ_name === input.organ);
      if (!found) {
        throw new AppError(
          'not_found',
          `${item.code} 没有正在办理的单位“${input.organ}”（正在办理：${open.map((a) => a.organ_name).join('、') || '无'}）`,
        );
      }
    } else if (open.length === 1) found = open[0];
    else if (open.length === 0) throw new AppError('conflict', `${item.code} 目前没有正在办理的单位`);
    else {
      throw new AppError(
        'bad_request',
        `${item.code} 有 ${open.length} 个单位在办理（${open.map((a) => a.organ_name).join('、')}），请写明是哪个单位的答复，如：答复 ${item.code} ${open[0]!.organ_name}：已办理……`,
      );
    }
    const target = found!;
    const pending = (await answersOfItem(trx, item.id)).filter(
      (a) => a.assignment_id === target.id && a.status === 'pending_review',
    );
    if (pending.length > 0 && !input.replacePending) throw pendingRefusal(item, pending.at(-1)!);
    return auditedStaffAction(trx, input, 'suggestion.answer', item, async () => {
      const requestId = input.audit?.requestId ?? null;
      for (const p of pending) await setAside(trx, item, p, { actor: input.actor, now, requestId, deps });
      const result = await deliverAnswer(trx, {
        item,
        target,
        fields,
        actor: input.actor,
        today,
        now,
        ...(input.extra ? { extra: input.extra } : {}),
      });
      const detail = {
        organ: target.organ_name,
        role: target.role,
        round: target.round,
        // As an organ's answer row keeps it (organ-acts.ts): a 涉密 item's words named, never kept.
        answerFields: answerWordsForAudit(item, { ...fields }),
        setAside: pending.map((p) => p.id),
      };
      return { result, detail };
    });
  });
  return {
    item: out.item,
    assignment: out.assignment,
    ratingRequested: out.ratingRequested,
    askedToRate: out.followers.map((f) => f.person_id),
  };
}

/** What the organ's answer waiting for review says, for staff to compare (never a 涉密 item's words). */
function pendingWords(item: SuggestionRow, a: AnswerRow): string {
  if (item.secret) return '';
  const f = a.fields as Record<string, string | null>;
  return [f.done, f.planned, f.cannot]
    .filter(Boolean)
    .join('；')
    .replace(/[。.；;]+$/, '');
}

/** A staff answer refused while the organ's own waits for review: which to keep is the caller's question. */
function pendingRefusal(item: SuggestionRow, a: AnswerRow): AppError {
  const verb = answerVerb(item.kind);
  const words = pendingWords(item, a);
  return new AppError(
    'conflict',
    `${a.organ_name}已经提交了 ${item.code} 的${verb}，正等待审核${words ? `：“${words.length > 60 ? `${words.slice(0, 60)}…` : words}”` : ''}。请先在「工作平台 → 答复审核」审核，或说明用工作人员录入的${verb}代替它。`,
    { pendingAnswer: { id: a.id, organ: a.organ_name, words } },
  );
}

/**
 * The organ's answer waiting for review, set aside for the staff answer recorded instead: marked returned
 * with why, a history row, an audit row, and the organ told it need not revise it.
 */
async function setAside(
  trx: Db,
  item: SuggestionRow,
  a: AnswerRow,
  o: { actor: Actor; now: Date; requestId: string | null; deps: AnswerDeps },
): Promise<void> {
  const verb = answerVerb(item.kind);
  const note = `工作人员已直接录入${verb}，此${verb}未采用`;
  await setAnswerReview(trx, a.id, { status: 'returned', note, by: o.actor.id }, o.now);
  const eventId = await insertEvent(trx, {
    suggestionId: item.id,
    at: o.now,
    actor: o.actor.id,
    actorName: o.actor.name,
    action: 'answer_set_aside',
    summary: `${a.organ_name}提交的${verb}未采用（工作人员直接录入${verb}）`,
    reason: null,
    detail: { answerId: a.id, organ: a.organ_name },
  });
  const [organ] = await organsByIds(trx, [a.organ_id]);
  const cal = await loadWorkCalendar(trx);
  await reachOrgan(
    trx,
    cal,
    organ!,
    item,
    `answeraside${a.id}:e${eventId}`,
    `【${verb}未采用】${item.kind} ${item.code}「${titleOf(item)}」：人大常委会代表工作机构已直接录入本项的${verb}，贵单位提交的${verb}不再审核，无需修改。`,
    o.now,
    o.deps.config.timezone,
  );
  await writeAudit(trx, {
    actor: o.actor.id,
    action: 'answer.set_aside',
    subjectType: 'suggestion_answer',
    subjectId: a.id,
    detail: { code: item.code, organ: a.organ_name, reason: note },
    requestId: o.requestId,
    before: { code: item.code, answer: a.id, status: 'pending_review' },
    after: { code: item.code, answer: a.id, status: 'returned', reviewNote: note },
  });
}

/**
 * Records an organ's answer on its assignment and tells the deputies: the lead's answer asks them to rate
 * it. Called by staff 答复 directly, and when the office approves an organ's answer held for review.
 * `extra`: lines the approved answer adds (结果分类, 文号, 联系人).
 */
export async function deliverAnswer(
  trx: Db,
  input: {
    item: SuggestionRow;
    target: AssignmentView;
    fields: AnswerFields;
    actor: Actor;
    today: string;
    now: Date;
    extra?: string[];
  },
): Promise<{
  item: SuggestionRow;
  assignment: AssignmentView;
  ratingRequested: boolean;
  followers: { person_id: number }[];
}> {
  const { item, target, fields, today, now } = input;
  const extra = input.extra && input.extra.length > 0 && !item.secret ? `\n${input.extra.join('\n')}` : '';
  await recordAnswer(trx, target.id, { ...fields, answeredOn: today, answeredBy: input.actor.id });
  if (target.deadline_id) await closeDeadline(trx, target.deadline_id, now);
  if (fields.plannedBy && fields.planned) {
    await insertFollowUp(trx, {
      suggestionId: item.id,
      assignmentId: target.id,
      organId: target.organ_id,
      dueOn: fields.plannedBy,
      promise: fields.planned,
    });
  }
  const isLead = target.role === 'lead';
  if (isLead) await updateSuggestion(trx, item.id, { status: 'answered', answered_on: today }, now);
  const after: SuggestionRow = isLead ? { ...item, status: 'answered', answered_on: today } : item;
  const answered: AssignmentView = { ...target, ...answeredView(fields, today, input.actor.id) };
  const body = item.secret ? SECRET_NOTICE : `${answerText(answered)}${extra}`;
  const verb = answerVerb(item.kind);
  const message = isLead
    ? `${target.organ_name}已${verb}：\n${body}\n请评价：回复“满意”“基本满意”或“不满意”（可附说明）。` +
      `${RATING_WINDOW_MONTHS}个月内未评价的，按“未表态”办结。`
    : `协办单位${target.organ_name}已${verb}：\n${body}`;
  await recordChange(
    trx,
    after,
    {
      actor: input.actor,
      action: 'answered',
      summary: `${target.organ_name}（${roleLabel(target.role)}）${verb}`,
      detail: { organ: target.organ_name, role: target.role, ...(item.secret ? {} : { fields }) },
      message,
      ...(isLead ? { buttons: ratingButtons(item.code) } : {}),
    },
    now,
  );
  const followers = isLead ? await followersOf(trx, item.id) : [];
  return { item: after, assignment: answered, ratingRequested: isLead, followers };
}

/** The structured fields checked and trimmed, as 答复 checks them (reused by an organ's own answer). */
export const checkAnswerFields = (f: AnswerFields, today: string): void => checkFields(f, today);
export const trimAnswerFields = (f: AnswerFields): AnswerFields => trimFields(f);

function trimFields(f: AnswerFields): AnswerFields {
  const t = (s: string | null) => (s === null ? null : s.trim() === '' ? null : s.trim());
  return {
    done: t(f.done),
    planned: t(f.planned),
    plannedBy: t(f.plannedBy),
    cannot: t(f.cannot),
    cannotReason: t(f.cannotReason),
    signedBy: t(f.signedBy),
  };
}

const answeredView = (f: AnswerFields, today: string, by: string) => ({
  status: 'answered' as const,
  answer_done: f.done,
  answer_planned: f.planned,
  answer_planned_by: f.plannedBy,
  answer_cannot: f.cannot,
  answer_cannot_reason: f.cannotReason,
  answer_signed_by: f.signedBy,
  answered_on: today,
  answered_by: by,
});

// ---- rating ---------------------------------------------------------------------------------------

export type RateOutcome =
  | {
      kind: 'rated';
      item: SuggestionRow;
      rating: Rating;
      rehandling: AssignmentView[];
      /** The deputy's earlier rating, when this one changed it. */
      changedFrom?: Rating;
    }
  /** No code and several answers wait for a rating: the deputy picks one. */
  | { kind: 'choose'; codes: string[] };

/** Sent back to the organs by a 不满意 and not answered again yet. */
const isBeingRehandled = (item: SuggestionRow): boolean =>
  item.status === 'rehandling' && item.rating === 'dissatisfied';

/** A rating of an item a 不满意 sent back: why it is not taken now, and who can help if it was a slip. */
const rehandledAlready = (item: SuggestionRow): AppError =>
  new AppError(
    'conflict',
    `${item.code} 已评价为“不满意”，正在重新办理，承办单位会重新${answerVerb(item.kind)}。重新${answerVerb(item.kind)}后可以再评价；如果刚才是按错了，请告诉代表工作机构，由他们跟承办单位说明。`,
  );

/** Ends every open assignment (a new round or the close supersedes them) and closes their clocks. */
async function endOpen(trx: Db, item: SuggestionRow, why: string, now: Date): Promise<AssignmentView[]> {
  const all = await assignmentsOf(trx, [item.id]);
  for (const a of all.filter((x) => x.status === 'open')) {
    await endAssignment(trx, a.id, 'superseded', why, now);
    if (a.deadline_id) await closeDeadline(trx, a.deadline_id, now);
  }
  return all;
}

/**
 * 满意 / 基本满意 close the item; 不满意 reopens handling (重办) by the organs of the round, each with a new
 * clock of the congress's reHandlingMonths (S8). `code` absent: the item just answered, or the only one
 * waiting for a rating.
 */
export async function rateSuggestion(
  deps: AnswerDeps,
  input: {
    personId: number;
    actor: Actor;
    rating: Exclude<Rating, 'no_response'>;
    code?: string | undefined;
    lastItem?: string | undefined;
    comment?: string | undefined;
  },
): Promise<RateOutcome> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  let code = input.code;
  if (code === undefined) {
    const mine = await listSuggestionsOfPerson(deps.db, input.personId);
    const waiting = mine.filter((s) => s.status === 'answered');
    const last = mine.find((s) => s.code === input.lastItem);
    if (last?.status === 'answered') code = last.code;
    // "满意", then "不对，不满意": the rating just given, changed.
    else if (last && (await ratingToChange(deps.db, last, input.personId, now))) code = last.code;
    // "不满意", then "按错了，应该是满意": the item is with the organs again; said so, not "nothing to rate".
    else if (last && isBeingRehandled(last)) throw rehandledAlready(last);
    else if (waiting.length === 1) code = waiting[0]!.code;
    else if (waiting.length === 0)
      throw new AppError('conflict', '您目前没有等待评价的答复。发“查询”可查看您的事项。');
    else return { kind: 'choose', codes: waiting.map((s) => s.code) };
  }
  const c = code;
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockSuggestion(trx, c);
    if (!item || !(await isFollower(trx, item.id, input.personId))) throw notFound(c);
    // "按错了，应该是不满意": the deputy's own rating of the last days, changed (see ratingToChange).
    const changing = await ratingToChange(trx, item, input.personId, now);
    if (changing === input.rating)
      throw new AppError(
        'conflict',
        `${item.code} 已经评价为“${RATING_LABEL[changing]}”了。要改的话，直接回复另一个评价即可，例如“${changing === 'satisfied' ? '基本满意' : '满意'}”。`,
      );
    if (isBeingRehandled(item) && !changing) throw rehandledAlready(item);
    if (item.status !== 'answered' && !changing) {
      throw new AppError(
        'conflict',
        item.status === 'closed'
          ? `${item.code} 已办结${item.rating ? `（评价：${RATING_LABEL[item.rating]}）` : ''}`
          : `${item.code} 还没有${answerVerb(item.kind)}，${answerVerb(item.kind)}后再评价`,
      );
    }
    const comment = input.comment?.trim() || null;
    const label = RATING_LABEL[input.rating];
    const author = (await followersOf(trx, item.id)).find((f) => f.person_id === input.personId);
    if (author) {
      await recordDutyEvent(trx, {
        mandateId: author.mandate_id,
        occurredOn: today,
        kind: 'suggestion.rated',
        summary: `评价${item.kind} ${item.code} 的${answerVerb(item.kind)}：${label}`,
        ref: item.code,
      });
    }
    if (changing && input.rating !== 'dissatisfied') {
      await updateSuggestion(trx, item.id, { rating: input.rating }, now);
      const rerated: SuggestionRow = { ...item, rating: input.rating };
      await recordChange(
        trx,
        rerated,
        {
          actor: input.actor,
          action: 'rated',
          summary: `更正评价：${RATING_LABEL[changing]} → ${label}`,
          reason: comment,
          detail: { rating: input.rating, before: changing },
          message: `${input.actor.name}把评价由“${RATING_LABEL[changing]}”改为“${label}”。`,
        },
        now,
      );
      return { kind: 'rated', item: rerated, rating: input.rating, rehandling: [], changedFrom: changing };
    }
    if (input.rating !== 'dissatisfied') {
      await endOpen(trx, item, '已办结', now);
      await updateSuggestion(trx, item.id, { status: 'closed', rating: input.rating, closed_at: now }, now);
      const closed: SuggestionRow = { ...item, status: 'closed', rating: input.rating, closed_at: now };
      await recordChange(
        trx,
        closed,
        {
          actor: input.actor,
          action: 'rated',
          summary: `评价：${label}`,
          reason: comment,
          detail: { rating: input.rating },
          message: `${input.actor.name}评价为“${label}”。`,
        },
        now,
      );
      await recordChange(
        trx,
        closed,
        { actor: SYSTEM_ACTOR, action: 'closed', summary: `办结（${label}）`, message: null },
        now,
      );
      return { kind: 'rated', item: closed, rating: input.rating, rehandling: [] };
    }
    // 不满意 → 重办: the organs that took part in the round handle it again on a new clock.
    const all = await endOpen(trx, item, '不满意，重办', now);
    const previous = currentRound(item, all).filter((a) => a.status === 'answered' || a.status === 'open');
    const round = item.round + 1;
    await updateSuggestion(
      trx,
      item.id,
      { status: 'rehandling', rating: 'dissatisfied', round, answered_on: null, closed_at: null },
      now,
    );
    const reopened: SuggestionRow = {
      ...item,
      status: 'rehandling',
      rating: 'dissatisfied',
      round,
      answered_on: null,
      closed_at: null,
    };
    await recordChange(
      trx,
      reopened,
      {
        actor: input.actor,
        action: 'rated',
        summary: changing ? `更正评价：${RATING_LABEL[changing]} → 不满意` : '评价：不满意',
        reason: comment,
        detail: changing ? { rating: input.rating, before: changing } : { rating: input.rating },
        message: `${input.actor.name}评价为“不满意”，将重新办理。`,
      },
      now,
    );
    const cal = await loadWorkCalendar(trx);
    const settings = await settingsOf(trx, item.congress_id);
    const organs = await organsByIds(trx, [...new Set(previous.map((a) => a.organ_id))]);
    for (const a of previous) {
      const organ = organs.find((o) => o.id === a.organ_id)!;
      await openAssignment(
        trx,
        cal,
        reopened,
        { organ, role: a.role, round, rehandling: true, startsOn: today },
        SYSTEM_ACTOR,
        settings,
        now,
      );
    }
    const fresh = currentRound(reopened, await assignmentsOf(trx, [item.id]));
    const lines = fresh.map((a) => dueLine(item.kind, a));
    const eventId = await recordChange(
      trx,
      reopened,
      {
        // Caused by the rating: the rater was answered in chat; other deputies following it are told.
        actor: input.actor,
        action: 'rehandling',
        summary: `重办（第 ${round} 轮）：${fresh.map((a) => a.organ_name).join('、')}，${settings.reHandlingMonths} 个月`,
        reason: comment,
        detail: { round, months: settings.reHandlingMonths, dueOn: fresh.map((a) => a.due_on) },
        message: `已转入重新办理：\n${lines.join('\n')}`,
      },
      now,
    );
    const text = rehandleText(item, comment, lines);
    for (const a of fresh) {
      const organ = organs.find((o) => o.id === a.organ_id)!;
      await reachOrgan(trx, cal, organ, reopened, `rehandle${eventId}`, text, now, deps.config.timezone);
    }
    await noticeToStaff(trx, cal, reopened, `rehandle${eventId}`, text, now, deps.config.timezone);
    return {
      kind: 'rated',
      item: reopened,
      rating: input.rating,
      rehandling: fresh,
      ...(changing ? { changedFrom: changing } : {}),
    };
  });
}

/** The deputy's own rating of the item that they may still change, or null. */
export async function ratingOpenToChange(
  deps: Pick<Deps, 'db' | 'clock'>,
  personId: number,
  code: string,
): Promise<Rating | null> {
  const item = await findSuggestionByCode(deps.db, code);
  return item ? ratingToChange(deps.db, item, personId, deps.clock.now()) : null;
}

/** How long a deputy may still change their own rating ("按错了"): a week, the time a chat is remembered. */
const RATING_CHANGE_MS = 7 * 24 * 3600_000;

/**
 * The rating a deputy may still change: their own 满意 or 基本满意 that closed the item within the last
 * week. A 不满意 has already sent the item back to the organs, and a close for want of a rating (未表态)
 * was nobody's word: neither is changed here.
 */
async function ratingToChange(
  trx: Db,
  item: SuggestionRow,
  personId: number,
  now: Date,
): Promise<Exclude<Rating, 'no_response' | 'dissatisfied'> | null> {
  if (item.status !== 'closed' || item.withdrawn_at) return null;
  if (item.rating !== 'satisfied' && item.rating !== 'basically_satisfied') return null;
  const rated = (await eventsOf(trx, item.id)).filter((e) => e.action === 'rated').at(-1);
  if (!rated || rated.actor !== `person:${personId}`) return null;
  return now.getTime() - new Date(rated.at).getTime() <= RATING_CHANGE_MS ? item.rating : null;
}

/**
 * 不满意 first, then (in another message) why: the reason is kept in the item's history and passed to the
 * organs handling it again. Only while the item is being handled again after the person's rating.
 */
export async function addRatingReason(
  deps: AnswerDeps,
  input: { personId: number; actor: Actor; code: string; reason: string },
): Promise<{ code: string }> {
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad_request', '请写明不满意的原因');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockSuggestion(trx, input.code);
    if (!item || !(await isFollower(trx, item.id, input.personId))) throw notFound(input.code);
    if (item.status !== 'rehandling' || item.rating !== 'dissatisfied')
      throw new AppError('conflict', `${item.code} 目前不在重新办理中`);
    const eventId = await recordChange(
      trx,
      item,
      { actor: input.actor, action: 'rating_reason', summary: '补充不满意的原因', reason, message: null },
      now,
    );
    const cal = await loadWorkCalendar(trx);
    const text = ratingReasonText(item, reason);
    await reachOpenOrgans(trx, cal, item, `reason${eventId}`, text, now, deps.config.timezone);
    return { code: item.code };
  });
}

/**
 * 未表态: every answered item without a rating a month after the answer is closed as 未表态, and the
 * deputies are told. The scheduler calls this once a day. Returns the codes closed.
 */
export async function closeUnratedSuggestions(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const due = (await listSuggestions(deps.db, { statuses: ['answered'] })).filter(
    (s) => s.answered_on !== null && correspondingDay(s.answered_on, RATING_WINDOW_MONTHS) < today,
  );
  const closed: string[] = [];
  for (const s of due) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const item = await lockSuggestion(trx, s.code);
      if (item?.status !== 'answered' || item.answered_on === null) return false;
      if (correspondingDay(item.answered_on, RATING_WINDOW_MONTHS) >= today) return false;
      await endOpen(trx, item, '已办结', now);
      await updateSuggestion(trx, item.id, { status: 'closed', rating: 'no_response', closed_at: now }, now);
      await recordChange(
        trx,
        { ...item, status: 'closed', rating: 'no_response' },
        {
          actor: SYSTEM_ACTOR,
          action: 'closed',
          summary: '办结（未表态）',
          reason: `自 ${item.answered_on} ${answerVerb(item.kind)}起${RATING_WINDOW_MONTHS}个月内未评价`,
          detail: { rating: 'no_response' },
          message: `${formatDate(item.answered_on)}${answerVerb(item.kind)}后${RATING_WINDOW_MONTHS}个月内没有收到您的评价，已按“未表态”办结。`,
        },
        now,
      );
      return true;
    });
    if (done) closed.push(s.code);
  }
  return closed;
}
