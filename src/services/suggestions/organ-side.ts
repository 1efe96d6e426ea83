import type { Db } from '../../../db/client.ts';
import { closeDeadline } from '../../../db/repositories/deadlines.ts';
import {
  type AnswerRow,
  answersOfItem,
  answersPendingReview,
  clearReminders,
  countReminder,
  insertAnswer,
  itemCodesOfOrgan,
  lockAnswer,
  markReturnDecided,
  markReturnRequested,
  markSigned,
  markSignReminded,
  openAssignmentsDueBy,
  organOfChatId,
  publishedItems,
  returnRequestsPending,
  setAnswerReview,
  setPublication,
  unsignedLeads,
} from '../../../db/repositories/organ-side.ts';
import {
  type AnswerFields,
  type AssignmentView,
  assignmentsOf,
  findSuggestionByCode,
  findSuggestionById,
  followersOf,
  isFollower,
  lockSuggestion,
  recordAnswer,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Photo } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueue } from '../../messaging/index.ts';
import type { WorkCalendar } from '../../statute/calendar.ts';
import { addDays, dayNumber, mondayOf, todayIn } from '../../statute/calendar-date.ts';
import { formatDate, formatStatutoryDate } from '../../statute/date-text.ts';
import { nextSendingTime } from '../../statute/working-hours.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import {
  keepUploadedContent,
  type MediaView,
  mediaContent,
  mediaViews,
  uploadedContent,
} from '../media/index.ts';
import { type OrganRow, organChatTargets, organsByIds } from '../organs/index.ts';
import { checkAnswerFields, deliverAnswer, trimAnswerFields } from './answer.ts';
import { settingsOf, transferAssignment } from './handling.ts';
import { type Letter, letterButtons, letterOf, returnByOf } from './letter.ts';
import {
  answerLines,
  answerWordsForAudit,
  answerWordsForHistory,
  auditedOrganAction,
  historyOnly,
  lockForOrgan,
  type OrganActor,
  type OrganAudit,
  organReason,
  ownOpen,
} from './organ-acts.ts';
import { WITHDRAWN_NOTE } from './organ-corrections.ts';
import {
  type Actor,
  lockInScope,
  notFound,
  noticeToStaff,
  reachOrgan,
  recordChange,
  type Scope,
  SYSTEM_ACTOR,
} from './records.ts';
import { answerVerb, currentRound, roleLabel, titleOf } from './text.ts';

// The organs' side: the 交办函 reaches every contact of the organ whole, the organ signs for it (签收) or asks
// to return it (退回申请) within the congress's working days, answers with the structured fields and a
// result class; the office reviews the answer (通过 / 退回修改) before the deputy receives it
// (《代表法》第五十一条第二款); every step is a history row.

export type { OrganActor, OrganAudit } from './organ-acts.ts';
export * from './organ-corrections.ts';
export * from './organ-extension.ts';

type OrganDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** A lead organ that has not signed within this many working days of 交办 is reminded. */
export const SIGN_REMINDER_WORKING_DAYS = 3;

// ---- 签收 and 退回申请 ------------------------------------------------------------------------------

export async function signForItem(
  deps: OrganDeps,
  input: { code: string; actor: OrganActor; audit: OrganAudit },
): Promise<{ code: string; organ: string; signedAt: Date; already: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const a = await ownOpen(trx, item, input.actor.organId);
    // A repeat changes nothing and writes nothing (no history row, no audit row).
    if (a.signed_at)
      return { code: item.code, organ: a.organ_name, signedAt: new Date(a.signed_at), already: true };
    const change = async () => {
      await markSigned(trx, a.id, input.actor.id, now);
      await historyOnly(trx, item, input.actor, now, {
        action: 'signed',
        summary: `${a.organ_name}（${roleLabel(a.role)}）签收，经办人${input.actor.name}`,
        detail: { organ: a.organ_name, role: a.role },
      });
      return { result: { code: item.code, organ: a.organ_name, signedAt: now, already: false } };
    };
    return auditedOrganAction(trx, input, 'assignment.sign', { item, a }, change);
  });
}

/**
 * 退回申请: allowed within the congress's working days of 交办 (returnWindowWorkingDays, default 5); the
 * office decides it (decideReturnRequest). Outside the window nothing changes.
 */
export async function requestReturn(
  deps: OrganDeps,
  input: { code: string; reason: string; actor: OrganActor; audit: OrganAudit },
): Promise<{ code: string; organ: string; returnBy: string | null }> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const reason = organReason(
    input.reason,
    '请写明申请退回的理由，如：申请退回 JY-2026-0012 不属于本单位职责',
  );
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const a = await ownOpen(trx, item, input.actor.organId);
    const cal = await loadWorkCalendar(trx);
    const settings = await settingsOf(trx, item.congress_id);
    const returnBy = returnByOf(cal, a.assigned_on, settings.returnWindowWorkingDays);
    if (returnBy === null || today > returnBy) {
      throw new AppError(
        'conflict',
        `${item.code} 于 ${formatDate(a.assigned_on)} 交办，申请退回应在 ${settings.returnWindowWorkingDays} 个工作日内（${returnBy ? formatDate(returnBy) : '期限'}前）提出，现已超过，请继续办理；确有困难请与人大常委会代表工作机构联系。`,
      );
    }
    if (a.return_requested_at && a.return_decision === null)
      throw new AppError('conflict', `${item.code} 已申请退回，正等待代表工作机构决定`);
    const change = async () => {
      await markReturnRequested(trx, a.id, reason, now);
      const eventId = await historyOnly(trx, item, input.actor, now, {
        action: 'return_requested',
        summary: `${a.organ_name}（${roleLabel(a.role)}）申请退回`,
        reason,
        detail: { organ: a.organ_name, role: a.role },
      });
      await noticeToStaff(
        trx,
        cal,
        item,
        `returnreq${eventId}`,
        `【退回申请】${a.organ_name}申请退回${item.kind} ${item.code}「${titleOf(item)}」，理由：${reason}。请决定改办其他单位或不同意退回。`,
        now,
        deps.config.timezone,
      );
      return {
        result: { code: item.code, organ: a.organ_name, returnBy },
        // A 涉密 item's words stay on its page: the reason is named, not kept.
        detail: item.secret ? { fields: ['reason'] } : { reason, returnBy },
      };
    };
    return auditedOrganAction(trx, input, 'assignment.return_request', { item, a }, change);
  });
}

/** The office decides a return request: 改办 to another organ, or kept by the organ that asked. */
export async function decideReturnRequest(
  deps: OrganDeps,
  input: {
    code: string;
    organ: string;
    decision: 'transfer' | 'keep';
    to?: string | undefined;
    note?: string | undefined;
    actor: Actor;
    scope: Scope;
  },
): Promise<{ code: string; decision: 'transferred' | 'kept' }> {
  const pending = await deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const a = currentRound(item, await assignmentsOf(trx, [item.id])).find(
      (x) => x.organ_name === input.organ && x.status === 'open',
    );
    if (!a?.return_requested_at || a.return_decision !== null)
      throw new AppError('conflict', `${item.code} 没有${input.organ}待决定的退回申请`);
    return { item, a };
  });
  if (input.decision === 'transfer') {
    if (!input.to) throw new AppError('bad_request', '改办请写明改由哪个单位办理');
    await transferAssignment(deps, {
      code: input.code,
      from: input.organ,
      to: input.to,
      reason: pending.a.return_request_reason ?? '承办单位申请退回',
      actor: input.actor,
      scope: input.scope,
    });
    await markReturnDecided(deps.db, pending.a.id, 'transferred');
    return { code: input.code, decision: 'transferred' };
  }
  const now = deps.clock.now();
  const note = input.note?.trim() || null;
  await deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    await markReturnDecided(trx, pending.a.id, 'kept');
    const eventId = await historyOnly(trx, item, input.actor, now, {
      action: 'return_refused',
      summary: `不同意${pending.a.organ_name}退回，仍由其${roleLabel(pending.a.role)}`,
      reason: note,
      detail: { organ: pending.a.organ_name },
    });
    const [organ] = await organsByIds(trx, [pending.a.organ_id]);
    const cal = await loadWorkCalendar(trx);
    await reachOrgan(
      trx,
      cal,
      organ!,
      item,
      `returnkept${eventId}`,
      `【退回申请】${item.code}「${titleOf(item)}」的退回申请未获同意${note ? `（${note}）` : ''}，请继续办理，期限不变。`,
      now,
      deps.config.timezone,
    );
  });
  return { code: input.code, decision: 'kept' };
}

// ---- answers held for review ------------------------------------------------------------------------

export interface OrganAnswerInput {
  fields: AnswerFields;
  resultClass?: string | undefined;
  docNo?: string | undefined;
  contact?: string | undefined;
  attachments?: Photo[] | undefined;
  /** Files the organ attaches (a reply letter, photos of the work done), kept in our own storage. */
  uploads?: AnswerUpload[] | undefined;
}

export interface AnswerUpload {
  name: string;
  contentType: string;
  content: Uint8Array;
}

/** An answer's attachments: at most this many, each at most this large. */
export const ANSWER_MAX_FILES = 5;
export const ANSWER_FILE_MAX_BYTES = 10 * 1024 * 1024;

export interface AnswerFile {
  /** 1-based, as in the download address. */
  index: number;
  name: string;
  size: number;
  contentType: string;
}

function checkUploads(uploads: AnswerUpload[]): void {
  if (uploads.length > ANSWER_MAX_FILES) throw new AppError('bad_request', `附件最多 ${ANSWER_MAX_FILES} 个`);
  for (const u of uploads) {
    const name = u.name.trim();
    if (name === '' || name.length > 100 || /[\\/\p{Cc}]/u.test(name))
      throw new AppError(
        'bad_request',
        `附件名“${name.slice(0, 100)}”无效：应为 1 至 100 个字的文件名，不含斜杠`,
      );
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(u.contentType))
      throw new AppError(
        'bad_request',
        `附件“${name}”的类型“${u.contentType.slice(0, 60)}”无效，例如 application/pdf`,
      );
    if (u.content.length === 0) throw new AppError('bad_request', `附件“${name}”是空文件`);
    if (u.content.length > ANSWER_FILE_MAX_BYTES)
      throw new AppError(
        'payload_too_large',
        `附件“${name}”过大（${(u.content.length / 1024 / 1024).toFixed(1)} MB），每个附件不超过 ${ANSWER_FILE_MAX_BYTES / 1024 / 1024} MB`,
      );
  }
}

const photosOf = (attachments: unknown): Photo[] =>
  Array.isArray(attachments) ? (attachments as Photo[]) : [];

/** An attachment we keep: a file uploaded with the answer, or a photo or file sent in chat (a media row). */
const isKept = (p: Photo): boolean => Boolean(p.sha256) || p.stored !== undefined;

const EXTENSION: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
};

/**
 * The files of each answer, as staff and the organ see them: an uploaded file by its name; a photo or file
 * sent in chat as 照片1.jpg / its own name, with its size once it is fetched from the platform.
 */
async function filesOfAnswers(
  deps: Pick<Deps, 'db'>,
  answers: readonly { attachments: unknown }[],
): Promise<AnswerFile[][]> {
  const ids = answers.flatMap((a) =>
    photosOf(a.attachments).flatMap((p) => (p.stored === undefined ? [] : [p.stored])),
  );
  const media = ids.length > 0 ? await mediaViews(deps, ids) : new Map<number, MediaView>();
  return answers.map((a) =>
    photosOf(a.attachments).flatMap((p, i) => {
      if (p.sha256)
        return [
          {
            index: i + 1,
            name: p.fileName ?? `附件${i + 1}`,
            size: p.size ?? 0,
            contentType: p.contentType ?? 'application/octet-stream',
          },
        ];
      if (p.stored === undefined) return [];
      const m = media.get(p.stored);
      const type = m?.contentType ?? (p.kind === 'file' ? 'application/octet-stream' : 'image/jpeg');
      return [
        {
          index: i + 1,
          name:
            p.fileName ??
            `${p.kind === 'file' ? '文件' : p.kind === 'video' ? '视频' : '照片'}${i + 1}${EXTENSION[type] ?? ''}`,
          size: m?.size ?? 0,
          contentType: type,
        },
      ];
    }),
  );
}

export interface AnswerView {
  id: number;
  organ: string;
  role: 'lead' | 'assist';
  /** 'to_lead': an assisting organ's part, passed to the lead organ (not reviewed by the office). */
  status: AnswerRow['status'];
  resultClass: string | null;
  resultLabel: string | null;
  docNo: string | null;
  contact: string | null;
  signedBy: string | null;
  fields: Record<string, string | null>;
  /** Returned by the organ itself (撤回) rather than by the office's review. */
  withdrawn: boolean;
  attachments: number;
  files: AnswerFile[];
  submittedAt: string;
  reviewNote: string | null;
  reviewedAt: string | null;
}

/**
 * An organ's answer: the lead's is held for the office's review; an assisting organ's part is recorded on
 * its assignment and goes to the lead organ's contacts.
 */
export async function submitOrganAnswer(
  deps: OrganDeps,
  input: { code: string; answer: OrganAnswerInput; actor: OrganActor; audit: OrganAudit },
): Promise<{ code: string; answerId: number; status: 'pending_review' | 'to_lead' }> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const fields = trimAnswerFields(input.answer.fields);
  checkAnswerFields(fields, today);
  const t = (s: string | undefined, max: number, what: string) => {
    const v = s?.trim() || null;
    if (v && v.length > max) throw new AppError('bad_request', `${what}最多 ${max} 个字`);
    return v;
  };
  const docNo = t(input.answer.docNo, 60, '文号');
  const contact = t(input.answer.contact, 100, '联系人');
  const uploads = input.answer.uploads ?? [];
  checkUploads(uploads);
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const a = await ownOpen(trx, item, input.actor.organId);
    if (item.status !== 'assigned' && item.status !== 'rehandling')
      throw new AppError('conflict', `${item.code} 目前不在办理中，不能答复`);
    const settings = await settingsOf(trx, item.congress_id);
    const rc = input.answer.resultClass?.trim().toUpperCase() || null;
    const classes = settings.resultClasses;
    if (a.role === 'lead') {
      if (!rc || !classes.some((c) => c.code === rc))
        throw new AppError(
          'bad_request',
          `请选择办理结果分类：${classes.map((c) => `${c.code} ${c.label}`).join('；')}`,
        );
      if (!fields.signedBy) throw new AppError('bad_request', '请写明签发人');
    }
    // While the organ asks to return the item, the office decides first (as the console's form refuses it).
    if (a.return_requested_at && a.return_decision === null)
      throw new AppError(
        'conflict',
        `${item.code} 已申请退回，正等待人大常委会代表工作机构决定，决定前不能答复；如不再申请退回，请先撤回退回申请。`,
      );
    const pending = (await answersOfItem(trx, item.id)).find(
      (x) => x.assignment_id === a.id && x.status === 'pending_review',
    );
    if (pending) throw new AppError('conflict', `${item.code} 的答复已提交，正等待代表工作机构审核`);
    const status = a.role === 'lead' ? ('pending_review' as const) : ('to_lead' as const);
    const stored = { ...fields } as Record<string, string | null>;
    const change = async () => {
      const kept: Photo[] = [...(input.answer.attachments ?? [])];
      for (const u of uploads) {
        const c = await keepUploadedContent(trx, { content: u.content, contentType: u.contentType });
        kept.push({
          kind: 'file',
          fileName: u.name.trim(),
          sha256: c.sha256,
          size: c.size,
          contentType: u.contentType,
        });
      }
      const answerId = await insertAnswer(trx, {
        suggestionId: item.id,
        assignmentId: a.id,
        organId: a.organ_id,
        role: a.role,
        status,
        fields: stored,
        resultClass: a.role === 'lead' ? rc : null,
        docNo,
        contact,
        attachments: kept,
        submittedBy: input.actor.id,
        at: now,
      });
      await clearReminders(trx, a.id);
      // An answer is the organ's receipt too: never reminded afterwards to sign for what it answered.
      if (!a.signed_at) await markSigned(trx, a.id, input.actor.id, now);
      const sent = { item, a, actor: input.actor, answerId, now, words: answerWordsForHistory(item, stored) };
      if (a.role === 'lead') await answerToReview(deps, trx, sent, rc);
      else await assistPartToLead(deps, trx, sent, { fields, contact, today });
      // What the form said: a 涉密 item's answer is named by its fields, never kept (it stays on its page).
      const words = answerWordsForAudit(item, stored);
      return {
        result: { code: item.code, answerId, status },
        detail: {
          answerId,
          status,
          resultClass: a.role === 'lead' ? rc : null,
          files: kept.length,
          ...(Array.isArray(words)
            ? { fields: [...words, ...(docNo ? ['docNo'] : []), ...(contact ? ['contact'] : [])] }
            : { fields: words, docNo, contact }),
        },
      };
    };
    return auditedOrganAction(trx, input, 'assignment.answer', { item, a }, change);
  });
}

/** An organ's answer just written, for what follows from it. */
interface SentAnswer {
  item: SuggestionRow;
  a: AssignmentView;
  actor: OrganActor;
  answerId: number;
  now: Date;
  /** Its words as the history row shows them (none for a 涉密 item). */
  words: string;
}

/** The lead organ's answer waits for the office's review (《代表法》第五十一条第二款): a history row and a notice. */
async function answerToReview(deps: OrganDeps, trx: Db, s: SentAnswer, rc: string | null): Promise<void> {
  const { item, a, answerId, now } = s;
  const verb = answerVerb(item.kind);
  const eventId = await historyOnly(trx, item, s.actor, now, {
    action: 'answer_submitted',
    summary: `${a.organ_name}（承办）提交${verb}，待审核${s.words}`,
    detail: { organ: a.organ_name, answerId, resultClass: rc },
  });
  await noticeToStaff(
    trx,
    await loadWorkCalendar(trx),
    item,
    `answer${answerId}:e${eventId}`,
    `【${verb}待审核】${a.organ_name}已提交${item.kind} ${item.code}「${titleOf(item)}」的${verb}，请审核（通过或退回修改）后再发给代表。`,
    now,
    deps.config.timezone,
  );
}

/** An assisting organ's part: recorded on its assignment (its clock stops), sent to the lead organ. */
async function assistPartToLead(
  deps: OrganDeps,
  trx: Db,
  s: SentAnswer,
  part: { fields: AnswerFields; contact: string | null; today: string },
): Promise<void> {
  const { item, a, answerId, now } = s;
  const f = part.fields;
  await recordAnswer(trx, a.id, { ...f, answeredOn: part.today, answeredBy: s.actor.id });
  if (a.deadline_id) await closeDeadline(trx, a.deadline_id, now);
  const eventId = await historyOnly(trx, item, s.actor, now, {
    action: 'assist_part',
    summary: `协办单位${a.organ_name}将协办意见送承办单位${s.words}`,
    detail: { organ: a.organ_name, answerId },
  });
  const lead = currentRound(item, await assignmentsOf(trx, [item.id])).find(
    (x) => x.role === 'lead' && x.status === 'open',
  );
  if (!lead) return;
  const [leadOrgan] = await organsByIds(trx, [lead.organ_id]);
  const body = item.secret ? '（涉密事项，协办意见请到人大常委会代表工作机构查看）' : answerLines({ ...f });
  await reachOrgan(
    trx,
    await loadWorkCalendar(trx),
    leadOrgan!,
    item,
    `assist${answerId}:e${eventId}`,
    `【协办意见】协办单位${a.organ_name}对${item.kind} ${item.code}「${titleOf(item)}」的办理意见：\n${body}` +
      `${f.signedBy ? `\n签发人：${f.signedBy}` : ''}${part.contact ? `\n联系人：${part.contact}` : ''}\n请在答复中统筹考虑。`,
    now,
    deps.config.timezone,
  );
}

/** `askedToRate` (approve only): the caller remembers the item for 满意 without a code. */
export interface ReviewOutcome {
  askedToRate: number[];
  code: string;
  answerId: number;
  status: 'approved' | 'returned';
}

/** The office's review: 通过 delivers the answer to the deputies with the rating buttons; 退回修改 returns it. */
export async function reviewOrganAnswer(
  deps: OrganDeps,
  input: {
    code: string;
    answerId: number;
    decision: 'approve' | 'return';
    note?: string | undefined;
    actor: Actor;
    scope: Scope;
  },
): Promise<ReviewOutcome> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const note = input.note?.trim() || null;
  if (input.decision === 'return' && !note) throw new AppError('bad_request', '退回修改请写明意见');
  if (note && note.length > 1000) throw new AppError('bad_request', '意见最多 1000 个字');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const ans = await lockAnswer(trx, input.answerId);
    if (!ans || ans.suggestion_id !== item.id)
      throw new AppError('not_found', `${item.code} 没有编号为 ${input.answerId} 的答复`);
    if (ans.status !== 'pending_review')
      throw new AppError(
        'conflict',
        `该答复${ans.status === 'approved' ? '已审核通过' : ans.status === 'returned' ? '已退回修改' : '是协办意见，不需审核'}`,
      );
    const cal = await loadWorkCalendar(trx);
    const [organ] = await organsByIds(trx, [ans.organ_id]);
    if (input.decision === 'return') {
      await setAnswerReview(trx, ans.id, { status: 'returned', note, by: input.actor.id }, now);
      const eventId = await historyOnly(trx, item, input.actor, now, {
        action: 'answer_returned',
        summary: `${ans.organ_name}的${answerVerb(item.kind)}退回修改`,
        reason: note,
        detail: { answerId: ans.id, organ: ans.organ_name },
      });
      await reachOrgan(
        trx,
        cal,
        organ!,
        item,
        `answerreturn${ans.id}:e${eventId}`,
        `【${answerVerb(item.kind)}退回修改】${item.kind} ${item.code}「${titleOf(item)}」的${answerVerb(item.kind)}经代表工作机构审核，需修改后重新提交。意见：${note}`,
        now,
        deps.config.timezone,
      );
      return { code: item.code, answerId: ans.id, status: 'returned', askedToRate: [] };
    }
    const target = currentRound(item, await assignmentsOf(trx, [item.id])).find(
      (a) => a.id === ans.assignment_id && a.status === 'open',
    );
    if (!target)
      throw new AppError(
        'conflict',
        `${item.code} 的这份${answerVerb(item.kind)}所属的交办已结束，不能再通过`,
      );
    const settings = await settingsOf(trx, item.congress_id);
    const label = settings.resultClasses.find((c) => c.code === ans.result_class)?.label;
    const extra = [
      ...(ans.result_class ? [`办理结果：${ans.result_class}类（${label ?? ''}）`] : []),
      ...(ans.doc_no ? [`文号：${ans.doc_no}`] : []),
      ...(ans.contact ? [`联系人：${ans.contact}`] : []),
      // The files themselves stay in our storage; the deputy is told they exist and where to see them.
      ...(photosOf(ans.attachments).filter(isKept).length > 0
        ? [`附件：${photosOf(ans.attachments).filter(isKept).length} 个，可在工作平台查看`]
        : []),
    ];
    const f = ans.fields as Record<string, string | null>;
    await setAnswerReview(trx, ans.id, { status: 'approved', note, by: input.actor.id }, now);
    const out = await deliverAnswer(trx, {
      item,
      target,
      fields: {
        done: f.done ?? null,
        planned: f.planned ?? null,
        plannedBy: f.plannedBy ?? null,
        cannot: f.cannot ?? null,
        cannotReason: f.cannotReason ?? null,
        signedBy: f.signedBy ?? null,
      },
      actor: input.actor,
      today,
      now,
      extra,
    });
    await reachOrgan(
      trx,
      cal,
      organ!,
      item,
      `answerok${ans.id}`,
      `【${answerVerb(item.kind)}已审核】${item.kind} ${item.code}「${titleOf(item)}」的${answerVerb(item.kind)}已审核通过并送代表。`,
      now,
      deps.config.timezone,
    );
    return {
      code: item.code,
      answerId: ans.id,
      status: 'approved',
      askedToRate: out.ratingRequested ? out.followers.map((x) => x.person_id) : [],
    };
  });
}

export async function answerViews(
  deps: Pick<Deps, 'db'>,
  itemId: number,
  congressId: number,
): Promise<AnswerView[]> {
  const settings = await settingsOf(deps.db, congressId);
  const answers = await answersOfItem(deps.db, itemId);
  const files = await filesOfAnswers(deps, answers);
  return answers.map((a, n) => {
    const f = a.fields as Record<string, string | null>;
    return {
      id: a.id,
      organ: a.organ_name,
      role: a.role,
      status: a.status,
      resultClass: a.result_class,
      resultLabel: settings.resultClasses.find((c) => c.code === a.result_class)?.label ?? null,
      docNo: a.doc_no,
      contact: a.contact,
      signedBy: f.signedBy ?? null,
      fields: f,
      attachments: Array.isArray(a.attachments) ? a.attachments.length : 0,
      files: files[n]!,
      submittedAt: new Date(a.submitted_at).toISOString(),
      withdrawn: a.status === 'returned' && (a.review_note ?? '').startsWith(WITHDRAWN_NOTE),
      reviewNote: a.review_note,
      reviewedAt: a.reviewed_at ? new Date(a.reviewed_at).toISOString() : null,
    };
  });
}

// ---- what an organ's contact sees -------------------------------------------------------------------

export interface OrganItemView {
  letter: Letter;
  status: SuggestionRow['status'];
  assignmentStatus: AssignmentView['status'];
  returnRequested: boolean;
  /** The reason of the organ's last return request, and the office's decision on it (null: none yet). */
  returnReason: string | null;
  returnDecision: 'kept' | 'transferred' | null;
  answers: AnswerView[];
  /** The congress's result classes, for the answer form. */
  resultClasses: { code: string; label: string }[];
}

/** One item as the organ's contact sees it; not_found when it was never assigned to the organ. */
export async function itemForOrgan(
  deps: Pick<Deps, 'db'>,
  code: string,
  organId: number,
): Promise<OrganItemView> {
  const item = await lockSuggestion(deps.db, code);
  if (!item) throw notFound(code);
  const all = await assignmentsOf(deps.db, [item.id]);
  const mine = [...all]
    .reverse()
    .find((a) => a.organ_id === organId && (a.status === 'open' || a.status === 'answered'));
  if (!mine) throw notFound(code);
  const cal = await loadWorkCalendar(deps.db);
  return {
    letter: await letterOf(deps.db, cal, item, mine, all),
    status: item.status,
    assignmentStatus: mine.status,
    returnRequested: mine.return_requested_at !== null && mine.return_decision === null,
    returnReason: mine.return_requested_at !== null ? mine.return_request_reason : null,
    returnDecision: mine.return_requested_at !== null ? mine.return_decision : null,
    answers: (await answerViews(deps, item.id, item.congress_id)).filter((a) => a.organ === mine.organ_name),
    resultClasses: (await settingsOf(deps.db, item.congress_id)).resultClasses,
  };
}

export async function itemsForOrgan(deps: Pick<Deps, 'db'>, organId: number): Promise<OrganItemView[]> {
  const out: OrganItemView[] = [];
  for (const code of await itemCodesOfOrgan(deps.db, organId, 200))
    out.push(await itemForOrgan(deps, code, organId));
  return out;
}

// ---- reminders ------------------------------------------------------------------------------------

/** A lead organ that has not signed within 3 working days of 交办 is reminded, once. */
export async function remindUnsignedLeads(deps: OrganDeps): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const cal = await loadWorkCalendar(deps.db);
  // Late when the 3 working days after 交办 have all passed: assigned on or before the 4th working day back.
  const back = cal.addWorkdays(today, -(SIGN_REMINDER_WORKING_DAYS + 1));
  if (!back.ok) return [];
  const reminded: string[] = [];
  for (const u of await unsignedLeads(deps.db, back.value)) {
    await deps.db.transaction().execute(async (trx) => {
      const item = await findSuggestionById(trx, u.suggestion_id);
      if (!item) return;
      const [organ] = await organsByIds(trx, [u.organ_id]);
      await markSignReminded(trx, u.id, now);
      await reachOrgan(
        trx,
        cal,
        organ!,
        item,
        `signremind${u.id}`,
        `【签收提醒】${item.kind} ${item.code}「${titleOf(item)}」于 ${formatDate(u.assigned_on)} 交由贵单位承办，已超过 ${SIGN_REMINDER_WORKING_DAYS} 个工作日尚未签收，请回复“签收 ${item.code}”。`,
        now,
        deps.config.timezone,
        { buttons: letterButtons(item.code) },
      );
      await recordChange(
        trx,
        item,
        { actor: SYSTEM_ACTOR, action: 'sign_reminded', summary: `提醒${organ!.name}签收`, message: null },
        now,
      );
      reminded.push(item.code);
    });
  }
  return reminded;
}

/**
 * Counts one more reminder (催办 or 督办) left unanswered by an organ; from the third on, the organ's
 * leader receives it too (《代表法》第五十二条 督促办理).
 */
export async function escalateIfUnanswered(
  trx: Db,
  cal: WorkCalendar,
  item: SuggestionRow,
  a: AssignmentView,
  organ: OrganRow,
  key: string,
  text: string,
  now: Date,
  timeZone: string,
): Promise<boolean> {
  const n = await countReminder(trx, a.id);
  if (n <= 2) return false;
  await reachOrgan(
    trx,
    cal,
    organ,
    item,
    `${key}:leader`,
    `【请领导关注】此前已提醒 ${n - 1} 次未获答复。\n${text}`,
    now,
    timeZone,
    {
      leaders: true,
    },
  );
  return true;
}

/** 督办 by the office: reaches the contacts of every organ handling the item, and its leader after two. */
export async function superviseItem(
  deps: OrganDeps,
  input: { code: string; note: string; actor: Actor; scope: Scope },
): Promise<{ code: string; organs: string[]; escalated: string[] }> {
  const now = deps.clock.now();
  const note = input.note.trim();
  if (note === '') throw new AppError('bad_request', '请写明督办意见');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const round = currentRound(item, await assignmentsOf(trx, [item.id]));
    const open = round.filter((a) => a.status === 'open');
    if (open.length === 0) throw new AppError('conflict', `${item.code} 目前没有正在办理的单位`);
    const [cal, organs] = [
      await loadWorkCalendar(trx),
      await organsByIds(trx, [...new Set(open.map((a) => a.organ_id))]),
    ];
    const eventId = await historyOnly(trx, item, input.actor, now, {
      action: 'supervised',
      summary: `督办：${open.map((a) => a.organ_name).join('、')}`,
      reason: note,
    });
    const escalated: string[] = [];
    for (const a of open) {
      const organ = organs.find((o) => o.id === a.organ_id)!;
      const text = `【督办】${item.kind} ${item.code}「${titleOf(item)}」，贵单位为${roleLabel(a.role)}单位，${answerVerb(item.kind)}期限 ${a.due_on ? formatStatutoryDate(a.due_on, a.due_provisional) : '（未定）'}。督办意见：${note}`;
      await reachOrgan(trx, cal, organ, item, `supervise${eventId}`, text, now, deps.config.timezone);
      if (
        await escalateIfUnanswered(
          trx,
          cal,
          item,
          a,
          organ,
          `supervise${eventId}`,
          text,
          now,
          deps.config.timezone,
        )
      )
        escalated.push(organ.name);
    }
    return { code: item.code, organs: open.map((a) => a.organ_name), escalated };
  });
}

// ---- publication ----------------------------------------------------------------------------------

export async function setItemPublication(
  deps: OrganDeps,
  input: { code: string; publish: boolean; withholdName?: boolean | undefined; actor: Actor; scope: Scope },
): Promise<{ code: string; published: boolean; withholdName: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    // 涉密 items are never on the public pages.
    if (input.publish && item.secret) throw new AppError('conflict', `${item.code} 是涉密事项，不能公开`);
    const withholdName = input.withholdName ?? item.withhold_name;
    await setPublication(trx, item.id, { publishedAt: input.publish ? now : null, withholdName }, now);
    await historyOnly(trx, item, input.actor, now, {
      action: input.publish ? 'published' : 'unpublished',
      summary: input.publish ? `网上公开${withholdName ? '（不公开代表姓名）' : ''}` : '撤下网上公开',
    });
    return { code: item.code, published: input.publish, withholdName };
  });
}

/**
 * A deputy asks that their name be left off the public pages (in chat): recorded on the item, as the
 * office's 不公开姓名 would; whether the item is published stays the office's choice.
 */
export async function withholdNameOnRequest(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { code: string; personId: number; actor: Actor },
): Promise<{ code: string; already: boolean; published: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, null);
    // Someone else's item is "not found": its existence is not theirs to learn.
    if (!(await isFollower(trx, item.id, input.personId))) throw notFound(input.code);
    const published = item.published_at !== null;
    if (item.withhold_name) return { code: item.code, already: true, published };
    await setPublication(
      trx,
      item.id,
      { publishedAt: item.published_at ? new Date(item.published_at) : null, withholdName: true },
      now,
    );
    await historyOnly(trx, item, input.actor, now, {
      action: 'withhold_name',
      summary: '代表要求网上公开时不公开其姓名',
    });
    return { code: item.code, already: false, published };
  });
}

// ---- the public pages -----------------------------------------------------------------------------

export interface PublicItem {
  code: string;
  kind: string;
  title: string;
  congress: string;
  /** Null when the deputies asked that their names be withheld. */
  deputies: string[] | null;
  organs: string[];
  status: string;
  resultClass: string | null;
  resultLabel: string | null;
  /** The approved lead answer in short; null until one was approved. */
  summary: string | null;
  answeredOn: string | null;
}

const PUBLIC_STATUS: Record<SuggestionRow['status'], string> = {
  submitted: '待交办',
  assigned: '办理中',
  answered: '已答复',
  rehandling: '重新办理中',
  closed: '已办结',
};

const shorten = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/**
 * What the public pages show of the items the office published (山西 第三十七条 网上公示): never a 涉密
 * item (the query excludes them whatever was stored), never a deputy's contact, the names only when not
 * withheld, the organs, the status, the result class and the approved answer in short.
 */
export async function publicResults(deps: Pick<Deps, 'db'>): Promise<PublicItem[]> {
  const rows = await publishedItems(deps.db);
  const all = await assignmentsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  const out: PublicItem[] = [];
  for (const r of rows) {
    const settings = await settingsOf(deps.db, r.congress_id);
    const answers = (await answersOfItem(deps.db, r.id)).filter(
      (a) => a.status === 'approved' && a.role === 'lead',
    );
    const last = answers.at(-1);
    const f = (last?.fields ?? {}) as Record<string, string | null>;
    const summary = last ? shorten([f.done, f.planned, f.cannot].filter(Boolean).join('；'), 200) : null;
    const mine = all.filter(
      (a) => a.suggestion_id === r.id && (a.status === 'open' || a.status === 'answered'),
    );
    const round = Math.max(0, ...mine.map((a) => a.round));
    out.push({
      code: r.code,
      kind: r.kind,
      title: titleOf({ secret: false, title: r.title, content: r.content }, 40),
      congress: r.congress_name,
      deputies: r.withhold_name ? null : (await followersOf(deps.db, r.id)).map((d) => d.name),
      organs: mine.filter((a) => a.round === round).map((a) => `${a.organ_name}（${roleLabel(a.role)}）`),
      status: PUBLIC_STATUS[r.status],
      resultClass: last?.result_class ?? null,
      resultLabel: settings.resultClasses.find((c) => c.code === last?.result_class)?.label ?? null,
      summary,
      answeredOn: last?.reviewed_at ? new Date(last.reviewed_at).toISOString().slice(0, 10) : null,
    });
  }
  return out;
}

/** The organ a chat sender is a contact of, with the contact's name; undefined for anyone else. */
export const organContactOfChat = (
  deps: Pick<Deps, 'db'>,
  channel: 'wecom' | 'dingtalk',
  senderId: string,
): Promise<{ organId: number; name: string } | undefined> => organOfChatId(deps.db, channel, senderId);

/** The organs' weekly digest looks this many days ahead. */
export const DIGEST_DAYS_AHEAD = 14;

/**
 * Each organ's contacts get one message a week listing its items due within 14 days or overdue, sent in
 * working hours. Run daily: the first run of a week sends it, later runs find it queued (one key a week).
 * Returns the organs reached.
 */
export async function sendOrganDigests(deps: OrganDeps): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const cal = await loadWorkCalendar(deps.db);
  const week = mondayOf(today);
  const rows = await openAssignmentsDueBy(deps.db, addDays(today, DIGEST_DAYS_AHEAD));
  const byOrgan = new Map<number, typeof rows>();
  for (const r of rows) byOrgan.set(r.organ_id, [...(byOrgan.get(r.organ_id) ?? []), r]);
  const reached: string[] = [];
  const organs = await organsByIds(deps.db, [...byOrgan.keys()]);
  for (const organ of organs) {
    const list = byOrgan.get(organ.id)!;
    const lines = list.map((r) => {
      const left = dayNumber(r.due_on) - dayNumber(today);
      const when = left < 0 ? `已超期 ${-left} 天` : left === 0 ? '今天到期' : `还有 ${left} 天`;
      return `${r.code}「${titleOf(r)}」${roleLabel(r.role)}，期限 ${formatStatutoryDate(r.due_on, r.provisional)}，${when}`;
    });
    const text = `【本周到期提醒】${organ.name}有 ${list.length} 件事项将在 ${DIGEST_DAYS_AHEAD} 天内到期或已超期：\n${lines.join('\n')}`;
    const targets = await organChatTargets(deps.db, organ);
    if (targets.length === 0) continue;
    const notBefore = nextSendingTime(cal, now, deps.config.timezone);
    for (const t of targets) {
      await enqueue(deps.db, {
        channel: t.channel,
        targetKind: 'user',
        targetAddress: t.address,
        payload: { text },
        idempotencyKey: `organ-digest:${organ.id}:${week}:${t.channel}:${t.address}`,
        cause: `organ-digest:${organ.id}`,
        notBefore,
      });
    }
    reached.push(organ.name);
  }
  return reached;
}

// ---- the office's queue ---------------------------------------------------------------------------

export interface OfficeQueue {
  answers: {
    code: string;
    title: string;
    answerId: number;
    organ: string;
    resultClass: string | null;
    resultLabel: string | null;
    text: string;
    signedBy: string | null;
    docNo: string | null;
    contact: string | null;
    submittedAt: string;
    files: AnswerFile[];
  }[];
  returnRequests: { code: string; title: string; organ: string; reason: string; requestedAt: string }[];
}

/** What waits for the office: organs' answers to review and return requests to decide. */
export async function officeQueue(deps: Pick<Deps, 'db'>, scope: Scope): Promise<OfficeQueue> {
  const answers = await answersPendingReview(deps.db, scope);
  const out: OfficeQueue = { answers: [], returnRequests: [] };
  const files = await filesOfAnswers(deps, answers);
  for (const [n, a] of answers.entries()) {
    const classes = (await settingsOf(deps.db, a.congress_id)).resultClasses;
    const f = a.fields as Record<string, string | null>;
    out.answers.push({
      code: a.code,
      title: titleOf(a),
      answerId: a.id,
      organ: a.organ_name,
      resultClass: a.result_class,
      resultLabel: classes.find((c) => c.code === a.result_class)?.label ?? null,
      // Staff see a 涉密 item's answer in the console (it never leaves over the platforms).
      text: answerLines(f),
      signedBy: f.signedBy ?? null,
      docNo: a.doc_no,
      contact: a.contact,
      submittedAt: new Date(a.submitted_at).toISOString(),
      files: files[n]!,
    });
  }
  for (const r of await returnRequestsPending(deps.db, scope)) {
    out.returnRequests.push({
      code: r.code,
      title: titleOf(r),
      organ: r.organ_name,
      reason: r.return_request_reason ?? '',
      requestedAt: r.return_requested_at ? new Date(r.return_requested_at).toISOString() : '',
    });
  }
  return out;
}

/**
 * The kept bytes of an answer's n-th attachment: staff within their congresses, an organ's contact for
 * its own answers; null otherwise.
 */
export async function answerFile(
  deps: Pick<Deps, 'db'>,
  input: { code: string; answerId: number; index: number; scope: Scope; organId?: number | undefined },
): Promise<{ name: string; content: Uint8Array; contentType: string } | null> {
  const item = await findSuggestionByCode(deps.db, input.code);
  if (!item || (input.scope !== null && !input.scope.includes(item.congress_id))) return null;
  const ans = (await answersOfItem(deps.db, item.id)).find((a) => a.id === input.answerId);
  if (!ans || (input.organId !== undefined && ans.organ_id !== input.organId)) return null;
  const p = photosOf(ans.attachments)[input.index - 1];
  if (!p || !isKept(p)) return null;
  const c = p.sha256 ? await uploadedContent(deps, p.sha256) : await mediaContent(deps, p.stored!);
  const [named] = (await filesOfAnswers(deps, [{ attachments: [p] }]))[0]!;
  return c
    ? {
        name: p.fileName ?? named?.name ?? `附件${input.index}`,
        content: c.content,
        contentType: p.contentType ?? c.contentType,
      }
    : null;
}

/** The attachments of an item's answers, for the item's page (staff within their congresses). */
export async function answerFilesForStaff(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
): Promise<{ answerId: number; organ: string; status: AnswerRow['status']; files: AnswerFile[] }[]> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || (scope !== null && !scope.includes(item.congress_id))) return [];
  const answers = await answersOfItem(deps.db, item.id);
  const files = await filesOfAnswers(deps, answers);
  return answers
    .map((a, n) => ({ answerId: a.id, organ: a.organ_name, status: a.status, files: files[n]! }))
    .filter((a) => a.files.length > 0);
}
