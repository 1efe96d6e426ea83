import type { Db } from '../../../db/client.ts';
import { type AuditSource, writeAudit } from '../../../db/repositories/audit.ts';
import {
  type AssignmentView,
  assignmentsOf,
  findSuggestionByCode,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { Actor } from './records.ts';
import { currentRound } from './text.ts';

// What every step staff take on an item shares, whichever way it comes (the API, the console's forms,
// chat): one audit row written in the change's own transaction, with the item as it stood before and after
// (its status and its organs, never its words) and where the step came from (`detail.via`). The route of
// the API or the console that passes `audit` marks its request audited, so the trail writes no second row.

export type { AuditSource };

export type StaffAction =
  | 'suggestion.assign'
  | 'suggestion.extend'
  | 'suggestion.extend_undo'
  | 'suggestion.answer'
  | 'suggestion.proxy';

/** An assignment of the current round as an audit row keeps it. */
interface AssignmentAuditState {
  id: number;
  organ: string;
  role: AssignmentView['role'];
  status: AssignmentView['status'];
  dueOn: string | null;
}

/** An item as an audit row keeps it: where it stands and with whom, never what it says (涉密 or not). */
export interface ItemAuditState {
  code: string;
  status: SuggestionRow['status'];
  round: number;
  assignments: AssignmentAuditState[];
}

export async function itemAuditState(trx: Db, code: string): Promise<ItemAuditState | null> {
  const item = await findSuggestionByCode(trx, code);
  if (!item) return null;
  return {
    code: item.code,
    status: item.status,
    round: item.round,
    assignments: currentRound(item, await assignmentsOf(trx, [item.id])).map((a) => ({
      id: a.id,
      organ: a.organ_name,
      role: a.role,
      status: a.status,
      dueOn: a.due_on,
    })),
  };
}

/**
 * Runs one staff step on `item` inside the caller's transaction and, when the caller says where it came
 * from (`by.audit`), writes its one audit row: the item before and after, what the step did (`detail`,
 * which the step returns: a 涉密 item's words never in it), who and where from. Without `by.audit` (a step
 * inside another the caller audits itself, such as filing a report) it writes nothing.
 */
export async function auditedStaffAction<T>(
  trx: Db,
  by: StaffBy,
  action: StaffAction,
  item: Pick<SuggestionRow, 'id' | 'code'>,
  change: () => Promise<{ result: T; detail?: Record<string, unknown> }>,
): Promise<T> {
  const before = by.audit ? await itemAuditState(trx, item.code) : null;
  const done = await change();
  await writeStaffAudit(trx, by, action, item, { before, detail: done.detail });
  return done.result;
}

/** A step that made the item (代录): its audit row, with nothing before it. */
export const auditItemMade = (
  trx: Db,
  by: StaffBy,
  action: StaffAction,
  item: Pick<SuggestionRow, 'id' | 'code'>,
  detail: Record<string, unknown>,
): Promise<void> => writeStaffAudit(trx, by, action, item, { before: null, detail });

export interface StaffBy {
  actor: Actor;
  audit?: AuditSource | null | undefined;
}

async function writeStaffAudit(
  trx: Db,
  by: StaffBy,
  action: StaffAction,
  item: Pick<SuggestionRow, 'id' | 'code'>,
  what: { before: ItemAuditState | null; detail: Record<string, unknown> | undefined },
): Promise<void> {
  if (!by.audit) return;
  await writeStaffRow(trx, by, {
    action,
    subjectType: 'suggestion',
    subjectId: item.id,
    code: item.code,
    detail: what.detail,
    before: what.before,
    after: await itemAuditState(trx, item.code),
  });
}

/**
 * The one way a staff step's audit row is written, when its caller said where it came from (`by.audit`):
 * who, where from (`detail.via`, `request_id`), the item's code first in `detail`. A step whose subject is
 * not the item itself (a 交办 corrected: the assignment) gives its own subject and states.
 */
export async function writeStaffRow(
  trx: Db,
  by: StaffBy,
  row: {
    action: StaffAction | 'assignment.correct';
    subjectType: 'suggestion' | 'suggestion_assignment';
    subjectId: number;
    code: string;
    detail: Record<string, unknown> | undefined;
    before: unknown;
    after: unknown;
  },
): Promise<void> {
  const audit = by.audit;
  if (!audit) return;
  await writeAudit(trx, {
    actor: by.actor.id,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    detail: { code: row.code, ...row.detail },
    source: audit,
    before: row.before,
    after: row.after,
  });
}
