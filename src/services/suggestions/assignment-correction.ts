import type { Db } from '../../../db/client.ts';
import type { AuditSource } from '../../../db/repositories/audit.ts';
import { answersOfItem } from '../../../db/repositories/organ-side.ts';
import { withdrawUnsent } from '../../../db/repositories/outbox.ts';
import {
  type AssignmentView,
  assignmentsOf,
  findSuggestionByCode,
  type SuggestionRow,
  updateSuggestion,
} from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { type OrganRow, organsMeant, organsNamed } from '../organs/index.ts';
import { moveAssignment } from './handling.ts';
import { sendLetter } from './letter.ts';
import { type Actor, lockInScope, notFound, reachOrgan, recordChange, type Scope } from './records.ts';
import { writeStaffRow } from './staff-audit.ts';
import { answerVerb, CORRECTED_REASON, currentRound, roleLabel, titleOf } from './text.ts';

// A 交办 to the wrong organ, corrected by staff ("不对，是水务局") before that organ signed for it or
// answered: the item moves to the right organ on the clock it already had (the deputy's statutory date
// does not change for the office's slip), the wrong organ's letter is withdrawn, and, if it went out, the
// organ is told it was withdrawn. Once signed for, only 退回 or 改办 move it (new clock).

type CorrectionDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** What a correction would do: the organ that leaves, the one meant, and the date that stays. */
export interface OrganCorrection {
  code: string;
  from: string;
  to: string;
  role: string;
  due: string;
}

/** The organ a name written in a correction means ("水务局" → 市水务局); refused when none or several. */
export async function organWritten(db: Db, written: string): Promise<OrganRow> {
  try {
    return (await organsNamed(db, [written]))[0]!;
  } catch (err) {
    const meant = organsMeant(err, { lead: written, assisting: [] });
    if (!meant) throw err;
    return (await organsNamed(db, [meant.organs.lead]))[0]!;
  }
}

/** The open assignment a correction moves (the lead's), or why there is none that may be moved. */
async function movable(db: Db, item: SuggestionRow, to: OrganRow): Promise<AssignmentView> {
  if (item.status === 'submitted')
    throw new AppError('conflict', `${item.code} 还没有交办，可以直接发“交办 ${item.code} ${to.name}”`);
  const open = currentRound(item, await assignmentsOf(db, [item.id])).filter((a) => a.status === 'open');
  const a = open.find((x) => x.role === 'lead') ?? open[0];
  if (!a) throw new AppError('conflict', `${item.code} 目前没有正在办理的单位，不能更正交办`);
  if (open.some((x) => x.organ_id === to.id))
    throw new AppError('conflict', `${item.code} 已经由${to.name}办理，不用更正`, { sameOrgan: true });
  const instead = `如确需改由${to.name}办理：可请${a.organ_name}发“申请退回 ${item.code} 理由”，或在「工作平台 → 建议」打开这一项用“改办”办理（新单位的答复期限从改办之日起算）`;
  if (a.signed_at)
    throw new AppError('conflict', `${a.organ_name}已经签收了 ${item.code}，交办不能再直接更正。${instead}`);
  const answered = (await answersOfItem(db, item.id)).some((x) => x.assignment_id === a.id);
  if (answered || a.return_requested_at)
    throw new AppError(
      'conflict',
      `${a.organ_name}已经${answered ? '答复' : '申请退回'}了 ${item.code}，交办不能再直接更正。${instead}`,
    );
  return a;
}

const described = (item: SuggestionRow, a: AssignmentView, to: OrganRow): OrganCorrection => ({
  code: item.code,
  from: a.organ_name,
  to: to.name,
  role: roleLabel(a.role),
  due: `${formatStatutoryDate(a.due_on!, a.due_provisional)}前${answerVerb(item.kind)}`,
});

/** Whether `code` may have its 交办 corrected to the organ written: what would change, or a refusal. */
export async function previewOrganCorrection(
  deps: Pick<Deps, 'db'>,
  input: { code: string; to: string; scope: Scope },
): Promise<OrganCorrection> {
  const item = await findSuggestionByCode(deps.db, input.code);
  if (!item || (input.scope !== null && !input.scope.includes(item.congress_id))) throw notFound(input.code);
  const to = await organWritten(deps.db, input.to);
  return described(item, await movable(deps.db, item, to), to);
}

/** Tells the organ that leaves; its letter not yet sent is withdrawn instead. */
async function withdrawFrom(
  trx: Db,
  item: SuggestionRow,
  a: AssignmentView,
  o: { organ: OrganRow; key: string; now: Date; timeZone: string },
): Promise<boolean> {
  const ofOrgan = [
    `suggestion:${item.code}:%:organ${a.organ_id}:`,
    `suggestion:${item.code}:%:phone${a.organ_id}:`,
  ];
  if (!(await withdrawUnsent(trx, ofOrgan, '交办更正，已改交其他单位'))) return false;
  const cal = await loadWorkCalendar(trx);
  const text = `【撤回交办】${item.kind} ${item.code}「${titleOf(item)}」交办有误，已从贵单位撤回，改交其他单位办理。贵单位无需签收或办理，之前收到的交办函作废。`;
  await reachOrgan(trx, cal, o.organ, item, o.key, text, o.now, o.timeZone);
  return true;
}

/**
 * The 交办 of `code` corrected to the organ written: same role, same statutory date. Audited (the
 * assignment before and after) and in the item's history; the deputies are told the right organ.
 */
export async function correctAssignedOrgan(
  deps: CorrectionDeps,
  input: { code: string; to: string; actor: Actor; scope: Scope; audit: AuditSource },
): Promise<OrganCorrection & { item: SuggestionRow; fromTold: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const to = await organWritten(trx, input.to);
    const a = await movable(trx, item, to);
    const [from] = await organsNamed(trx, [a.organ_name]);
    const cal = await loadWorkCalendar(trx);
    const reason = `${CORRECTED_REASON}：原交办${a.organ_name}有误`;
    // The clock of the 交办 it corrects: the statutory date stays as first given.
    const { added } = await moveAssignment(trx, cal, item, a, to, {
      reason,
      startsOn: a.assigned_on,
      actor: input.actor,
      now,
    });
    await updateSuggestion(trx, item.id, {}, now);
    const said = { ...described(item, added, to), from: a.organ_name };
    const eventId = await recordChange(
      trx,
      item,
      {
        actor: input.actor,
        action: 'assignment_corrected',
        summary: `交办更正：${a.organ_name} → ${to.name}（${said.role}）`,
        reason,
        detail: { from: a.organ_name, to: to.name, role: a.role, dueOn: added.due_on },
        message: `交办单位更正：改由${to.name}${said.role}（原写的${a.organ_name}有误），期限不变：${said.due}。`,
      },
      now,
    );
    const fromTold = await withdrawFrom(trx, item, a, {
      organ: from!,
      key: `corrected${eventId}`,
      now,
      timeZone: deps.config.timezone,
    });
    await sendLetter(trx, cal, item, added, to, `corrected${eventId}`, now, deps.config.timezone);
    await writeStaffRow(trx, input, {
      action: 'assignment.correct',
      subjectType: 'suggestion_assignment',
      subjectId: added.id,
      code: item.code,
      detail: { from: a.organ_name, to: to.name, role: a.role, fromTold },
      before: { code: item.code, assignment: a.id, organ: a.organ_name, status: 'open', dueOn: a.due_on },
      after: { code: item.code, assignment: added.id, organ: to.name, status: 'open', dueOn: added.due_on },
    });
    return { ...said, item, fromTold };
  });
}
