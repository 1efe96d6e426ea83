import type { Db } from '../../../db/client.ts';
import { type AuditSource, writeAudit } from '../../../db/repositories/audit.ts';
import { type AnswerRow, answersOfItem } from '../../../db/repositories/organ-side.ts';
import {
  type AssignmentView,
  assignmentsOf,
  lockSuggestion,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Photo } from '../../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { formatDate } from '../../statute/date-text.ts';
import { type Actor, notFound, recordChange } from './records.ts';
import { currentRound } from './text.ts';

// What every action of an organ's contact shares, whichever way it comes (the API, the console's organ
// forms, chat): the organ's open assignment of the item, and one audit row written in the change's own
// transaction with the assignment (and the organ's answer) before and after the change.

/** A contact acting for one organ (a token with role 'organ', or a contact in chat). */
export interface OrganActor extends Actor {
  organId: number;
}

/** Where an organ's action came from, for its audit row (the API, the console or chat). */
export type OrganAudit = AuditSource;

/** An assignment as its audit row keeps it: where it stands for the organ, never the item's words. */
export interface AssignmentAuditState {
  status: AssignmentView['status'];
  signedAt: string | null;
  /** A return request waiting for the office's decision. */
  returnRequested: boolean;
  /** The status of the organ's last answer on this assignment, or null. */
  answer: AnswerRow['status'] | null;
  /** That answer's id, or null. */
  answerId: number | null;
  /**
   * That answer's words and how many files go with it (a 涉密 item's: the names of the fields it has, never
   * their words), or null.
   */
  answerFields: Record<string, string | null> | string[] | null;
  answerFiles: number;
}

/**
 * The organ's open assignment of the current round. An assignment the organ already answered is a
 * conflict that says so (the organ still sees the item); another organ's contact is told it does not exist.
 */
export async function ownOpen(trx: Db, item: SuggestionRow, organId: number): Promise<AssignmentView> {
  const round = currentRound(item, await assignmentsOf(trx, [item.id]));
  const open = round.find((a) => a.organ_id === organId && a.status === 'open');
  if (open) return open;
  if (round.some((a) => a.organ_id === organId && a.status === 'answered'))
    throw new AppError('conflict', `${item.code} 本单位已经答复，不能再申请退回或答复`);
  throw notFound(item.code);
}

export async function lockForOrgan(trx: Db, code: string): Promise<SuggestionRow> {
  const item = await lockSuggestion(trx, code);
  if (!item) throw notFound(code);
  return item;
}

const isoOrNull = (t: Date | string | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The words of an answer as an audit row keeps them: a 涉密 item's are named, never kept. */
export function answerWordsForAudit(
  item: Pick<SuggestionRow, 'secret'>,
  fields: Record<string, string | null>,
): Record<string, string | null> | string[] {
  return item.secret ? Object.keys(fields).filter((k) => fields[k] !== null) : fields;
}

/** An answer's parts as staff read them: 已办理 / 计划办理 (with its 落实时限) / 不能办理 (with why). */
export function answerLines(fields: Record<string, string | null | undefined>): string {
  const l: string[] = [];
  if (fields.done) l.push(`已办理：${fields.done}`);
  if (fields.planned)
    l.push(
      `计划办理：${fields.planned}${fields.plannedBy ? `（落实时限 ${formatDate(fields.plannedBy)}）` : ''}`,
    );
  if (fields.cannot)
    l.push(`不能办理：${fields.cannot}${fields.cannotReason ? `（原因：${fields.cannotReason}）` : ''}`);
  return l.join('\n');
}

/**
 * An answer's words as its history row shows them, on a line of their own after what happened: staff see
 * what the organ said on the item's page, not only that it said something. A 涉密 item's stay on its page.
 */
export function answerWordsForHistory(
  item: Pick<SuggestionRow, 'secret'>,
  fields: Record<string, string | null | undefined>,
): string {
  const lines = item.secret ? '' : answerLines(fields);
  return lines ? `\n${lines}` : '';
}

async function assignmentState(
  trx: Db,
  item: SuggestionRow,
  assignmentId: number,
): Promise<AssignmentAuditState> {
  const a = (await assignmentsOf(trx, [item.id])).find((x) => x.id === assignmentId);
  if (!a) throw new Error(`assignment ${assignmentId} of item ${item.id} not found`);
  const last = (await answersOfItem(trx, item.id)).filter((x) => x.assignment_id === assignmentId).at(-1);
  return {
    status: a.status,
    signedAt: isoOrNull(a.signed_at),
    returnRequested: a.return_requested_at !== null && a.return_decision === null,
    answer: last?.status ?? null,
    answerId: last?.id ?? null,
    answerFields: last ? answerWordsForAudit(item, last.fields as Record<string, string | null>) : null,
    answerFiles: Array.isArray(last?.attachments) ? (last.attachments as Photo[]).length : 0,
  };
}

export type OrganAction =
  | 'assignment.sign'
  | 'assignment.return_request'
  | 'assignment.return_withdraw'
  | 'assignment.answer'
  | 'assignment.answer_add'
  | 'assignment.answer_withdraw'
  | 'assignment.extension_request';

/**
 * Runs one organ action on its assignment inside the caller's transaction and writes its one audit row:
 * the assignment before and after, what the action said (`detail`, which the action returns: a 涉密
 * item's words never in it), and where it came from. An action that would change nothing (a repeat 签收)
 * returns before calling this: it writes no row.
 */
export async function auditedOrganAction<T>(
  trx: Db,
  by: { actor: OrganActor; audit: OrganAudit },
  action: OrganAction,
  what: { item: SuggestionRow; a: AssignmentView },
  change: () => Promise<{ result: T; detail?: Record<string, unknown> }>,
): Promise<T> {
  const { item, a } = what;
  const before = await assignmentState(trx, item, a.id);
  const done = await change();
  await writeAudit(trx, {
    actor: by.actor.id,
    action,
    subjectType: 'suggestion_assignment',
    subjectId: a.id,
    detail: {
      code: item.code,
      organ: a.organ_name,
      role: a.role,
      round: a.round,
      ...done.detail,
    },
    source: by.audit,
    before: { code: item.code, organ: a.organ_name, ...before },
    after: { code: item.code, organ: a.organ_name, ...(await assignmentState(trx, item, a.id)) },
  });
  return done.result;
}

/**
 * A history row (its id) with no message to the deputies: an organ's action (the organ is answered where
 * it acted), or a step of the office's on the organs' side that tells whom it concerns itself.
 */
export const historyOnly = (
  trx: Db,
  item: SuggestionRow,
  actor: Actor,
  now: Date,
  e: { action: string; summary: string; reason?: string | null; detail?: Record<string, unknown> },
): Promise<number> => recordChange(trx, item, { actor, ...e, message: null }, now);

/** The most an organ's reason (退回, 延期) holds. */
const ORGAN_REASON_MAX = 500;

/** An organ's reason, trimmed; refused when missing (with how to write it) or too long. */
export function organReason(raw: string, example: string): string {
  const reason = raw.trim();
  if (reason === '') throw new AppError('bad_request', example);
  if (reason.length > ORGAN_REASON_MAX)
    throw new AppError('bad_request', `理由最多 ${ORGAN_REASON_MAX} 个字`);
  return reason;
}
