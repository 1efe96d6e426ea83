import type { Db } from '../../../db/client.ts';
import {
  type AnswerRow,
  answersOfItem,
  clearReturnRequest,
  setAnswerContent,
  setAnswerReview,
} from '../../../db/repositories/organ-side.ts';
import {
  type AnswerFields,
  type AssignmentView,
  assignmentsOf,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Photo } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import {
  answerWordsForAudit,
  answerWordsForHistory,
  auditedOrganAction,
  historyOnly,
  lockForOrgan,
  type OrganActor,
  type OrganAudit,
  ownOpen,
} from './organ-acts.ts';
import { notFound, noticeToStaff } from './records.ts';
import { answerVerb, currentRound, titleOf } from './text.ts';

// What an organ takes back or adds after sending it, before the office has acted on it: its answer while
// it waits for review (《代表法》第五十一条第二款: the office reviews what reaches the deputy, so until then
// the answer is still the organ's to change), and its return request while undecided. Each is a history
// row and one audit row, like every organ action.

type OrganDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** How an answer the organ itself took back reads in its review note (status 'returned'). */
export const WITHDRAWN_NOTE = '承办单位撤回';

/** Files (photos sent in chat) an answer may carry from chat at most. */
export const CHAT_FILES_MAX = 9;

/** The words an answer may gain: what was done, what is planned, what cannot be done and why. */
export type AddedWords = Partial<Pick<AnswerFields, 'done' | 'planned' | 'cannot' | 'cannotReason'>>;

const ADDED_MAX = 5000;

/**
 * The organ's assignment of the current round (open, or answered by an assisting organ) and its last
 * answer; another organ's contact is told the item does not exist.
 */
async function lastAnswerOf(
  trx: Db,
  item: SuggestionRow,
  organId: number,
): Promise<{ a: AssignmentView; last: AnswerRow | undefined }> {
  const round = currentRound(item, await assignmentsOf(trx, [item.id]));
  const a = round.find((x) => x.organ_id === organId && (x.status === 'open' || x.status === 'answered'));
  if (!a) throw notFound(item.code);
  const last = (await answersOfItem(trx, item.id)).filter((x) => x.assignment_id === a.id).at(-1);
  return { a, last };
}

/** The organ's answer still waiting for review, or why there is none to change. */
async function pendingAnswerOf(
  trx: Db,
  item: SuggestionRow,
  organId: number,
  doing: string,
): Promise<{ a: AssignmentView; pending: AnswerRow }> {
  const { a, last } = await lastAnswerOf(trx, item, organId);
  const verb = answerVerb(item.kind);
  if (last?.status === 'pending_review') return { a, pending: last };
  if (last?.status === 'approved')
    throw new AppError(
      'conflict',
      `${item.code} 的${verb}已经审核通过并发给代表，不能再${doing}；如需更正，请与人大常委会代表工作机构联系。`,
    );
  if (last?.status === 'to_lead')
    throw new AppError(
      'conflict',
      `${item.code} 的协办意见已经送承办单位，不能再${doing}；如需更正，请直接告诉承办单位。`,
    );
  throw new AppError('conflict', `${item.code} 本单位没有等待审核的${verb}，无需${doing}。`);
}

/**
 * The organ takes back its answer while it waits for the office's review: it never reaches the deputy,
 * and the organ may send a new one. Recorded as returned with the note 「承办单位撤回」 and the words said.
 */
export async function withdrawOrganAnswer(
  deps: OrganDeps,
  input: { code: string; actor: OrganActor; audit: OrganAudit; reason?: string | undefined },
): Promise<{ code: string; answerId: number }> {
  const now = deps.clock.now();
  const reason = input.reason?.trim().slice(0, 500) || null;
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const { a, pending } = await pendingAnswerOf(trx, item, input.actor.organId, '撤回');
    const change = async () => {
      const verb = answerVerb(item.kind);
      const note = reason ? `${WITHDRAWN_NOTE}：${reason}` : WITHDRAWN_NOTE;
      await setAnswerReview(trx, pending.id, { status: 'returned', note, by: input.actor.id }, now);
      const eventId = await historyOnly(trx, item, input.actor, now, {
        action: 'answer_withdrawn',
        summary: `${a.organ_name}撤回待审核的${verb}，将重新提交`,
        reason,
        detail: { organ: a.organ_name, answerId: pending.id },
      });
      await noticeToStaff(
        trx,
        await loadWorkCalendar(trx),
        item,
        `answerwithdrawn${pending.id}:e${eventId}`,
        `【${verb}撤回】${a.organ_name}撤回了${item.kind} ${item.code}「${titleOf(item)}」待审核的${verb}，不用再审核这一份；修改后会重新提交。`,
        now,
        deps.config.timezone,
      );
      return {
        result: { code: item.code, answerId: pending.id },
        detail: { answerId: pending.id, ...(item.secret ? {} : { reason }) },
      };
    };
    return auditedOrganAction(trx, input, 'assignment.answer_withdraw', { item, a }, change);
  });
}

/**
 * More words or photos for the organ's answer while it waits for review (a clerk who sends the rest a
 * moment later): appended to its fields and files, never replacing what was sent.
 */
export async function addToOrganAnswer(
  deps: OrganDeps,
  input: {
    code: string;
    actor: OrganActor;
    audit: OrganAudit;
    words?: AddedWords | undefined;
    attachments?: Photo[] | undefined;
  },
): Promise<{ code: string; answerId: number; files: number }> {
  const now = deps.clock.now();
  const words = Object.fromEntries(
    Object.entries(input.words ?? {}).flatMap(([k, v]) => (v?.trim() ? [[k, v.trim()]] : [])),
  ) as Record<string, string>;
  const files = input.attachments ?? [];
  if (Object.keys(words).length === 0 && files.length === 0)
    throw new AppError('bad_request', '请写明要补充的办理情况，或发照片。');
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const { a, pending } = await pendingAnswerOf(trx, item, input.actor.organId, '补充');
    const fields = { ...(pending.fields as Record<string, string | null>) };
    for (const [k, v] of Object.entries(words)) fields[k] = fields[k] ? `${fields[k]}；${v}` : v;
    if (Object.values(fields).some((v) => (v?.length ?? 0) > ADDED_MAX))
      throw new AppError('bad_request', `每一项最多 ${ADDED_MAX} 个字，请精简后再补充。`);
    const attachments = [
      ...(Array.isArray(pending.attachments) ? (pending.attachments as Photo[]) : []),
      ...files,
    ];
    if (attachments.length > CHAT_FILES_MAX)
      throw new AppError('bad_request', `一份答复最多带 ${CHAT_FILES_MAX} 张照片或文件。`);
    const change = async () => {
      await setAnswerContent(trx, pending.id, { fields, attachments });
      await historyOnly(trx, item, input.actor, now, {
        action: 'answer_added',
        summary: `${a.organ_name}补充待审核的${answerVerb(item.kind)}${files.length > 0 ? `（照片或文件 ${files.length} 个）` : ''}${answerWordsForHistory(item, words)}`,
        detail: {
          organ: a.organ_name,
          answerId: pending.id,
          files: files.length,
          ...(item.secret ? {} : { added: words }),
        },
      });
      return {
        result: { code: item.code, answerId: pending.id, files: attachments.length },
        detail: { answerId: pending.id, added: answerWordsForAudit(item, words), files: files.length },
      };
    };
    return auditedOrganAction(trx, input, 'assignment.answer_add', { item, a }, change);
  });
}

/**
 * The organ takes back its return request before the office decided it, and goes on handling the item;
 * what the contact said with it ("不退回了，我们来协调") is kept on the history row.
 */
export async function withdrawReturnRequest(
  deps: OrganDeps,
  input: { code: string; actor: OrganActor; audit: OrganAudit; said?: string | undefined },
): Promise<{ code: string }> {
  const now = deps.clock.now();
  const said = input.said?.trim().slice(0, 500) || null;
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockForOrgan(trx, input.code);
    const a = await ownOpen(trx, item, input.actor.organId);
    if (!a.return_requested_at || a.return_decision !== null)
      throw new AppError('conflict', `${item.code} 本单位没有等待决定的退回申请，无需撤回。`);
    const change = async () => {
      await clearReturnRequest(trx, a.id);
      const eventId = await historyOnly(trx, item, input.actor, now, {
        action: 'return_withdrawn',
        summary: `${a.organ_name}撤回退回申请，继续办理${said ? `\n${input.actor.name}：${said}` : ''}`,
        reason: a.return_request_reason,
        detail: { organ: a.organ_name, ...(said ? { said } : {}) },
      });
      await noticeToStaff(
        trx,
        await loadWorkCalendar(trx),
        item,
        `returnwithdrawn${eventId}`,
        `【退回申请撤回】${a.organ_name}撤回了${item.kind} ${item.code}「${titleOf(item)}」的退回申请，继续办理，不用再决定。`,
        now,
        deps.config.timezone,
      );
      return { result: { code: item.code }, detail: item.secret || !said ? {} : { said } };
    };
    return auditedOrganAction(trx, input, 'assignment.return_withdraw', { item, a }, change);
  });
}
