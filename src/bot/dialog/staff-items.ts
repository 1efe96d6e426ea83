import type { KnownSender } from '../../../db/repositories/senders.ts';
import type { Deps } from '../../deps.ts';
import { pendingLeaveFor } from '../../services/leave/index.ts';
import { listForStaff } from '../../services/suggestions/index.ts';
import { shiftWords } from '../../statute/date-text.ts';
import { approverCongressesOf, staffCongressesOf } from '../dispatch/sender-roles.ts';
import type { ArgValue, SpecOf } from '../language/command-catalog.ts';
import { type ItemCandidate, short } from './item-words.ts';

// A staff command written without its code (批准, 不批准, 交办 市住建局): what is waiting for it is listed to
// choose from, never acted on unasked — these commands change things for other people.

export const STAFF_ITEM_COMMANDS: ReadonlySet<string> = new Set([
  'leave.approve',
  'leave.reject',
  'suggestion.assign',
  'suggestion.extend',
]);

/** The suggestions each command acts on: waiting to be handed over (交办), being handled (延期). */
const SUGGESTIONS_FOR: Readonly<Record<string, readonly ('submitted' | 'assigned' | 'rehandling')[]>> = {
  'suggestion.assign': ['submitted'],
  'suggestion.extend': ['assigned', 'rehandling'],
};

/** What waits for this command in the congresses where the sender may give it, oldest first. */
export async function staffItemsFor(
  deps: Deps,
  commandId: string,
  sender: KnownSender,
  today: string,
): Promise<ItemCandidate[]> {
  const statuses = SUGGESTIONS_FOR[commandId];
  if (statuses) {
    const items = await listForStaff(
      deps,
      { scope: staffCongressesOf(sender), statuses: [...statuses] },
      today,
    );
    return items
      .sort((a, b) => a.submittedOn.localeCompare(b.submittedOn) || a.code.localeCompare(b.code))
      .map((s) => {
        const about = s.secret ? '涉密事项' : short(s.title ?? s.content ?? '', 14);
        const who = s.deputies.map((d) => d.name).join('、');
        // Found by any of its words ("把路灯那个交给住建局"), not only those of its label; by the deputy's name
        // ("张大爷那个交给住建局"); one being handled by the organ handling it ("住建局的那个延期一个月").
        const handling =
          commandId === 'suggestion.extend'
            ? s.assignments.filter((a) => a.status === 'open').map((a) => a.organ)
            : [];
        const words = [s.secret ? about : `${s.title ?? ''} ${s.content ?? ''}`, who, ...handling].join(' ');
        return { code: s.code, label: `${s.code} ${who}「${about}」`, words, on: s.submittedOn };
      });
  }
  // An approver's, and those whose activity a staff member organises (大同 第十一条, S4).
  const rows = await pendingLeaveFor(deps, {
    personId: sender.personId,
    approverOf: approverCongressesOf(sender),
    staffOf: staffCongressesOf(sender),
  });
  return rows.map((r) => {
    // "第七次会议" rather than the congress's whole name again.
    const from = r.session_name?.replace(r.congress_name, '') || r.activity_title || '';
    return {
      code: r.code,
      label: `${r.code} ${r.deputy_name}「${short(from, 14)}」`,
      words: from,
      on: r.submitted_on,
      who: r.deputy_name,
    };
  });
}

/** Said when nothing waits for the command. */
export const NOTHING_WAITING: Readonly<Record<string, string>> = {
  'leave.approve': '目前没有待决定的请假。',
  'leave.reject': '目前没有待决定的请假。',
  'suggestion.assign': '目前没有待交办的建议。',
  'suggestion.extend': '目前没有办理中的建议可以延期。',
};

/** Where the listed items stand ("待交办的有：", "相符的待交办建议"). */
export const WAITING_NOUN: Readonly<Record<string, string>> = {
  'leave.approve': '待决定',
  'leave.reject': '待决定',
  'suggestion.assign': '待交办',
  'suggestion.extend': '办理中',
};

/** The rest of a command after its code, as it would be typed ("市住建局、市交通局", a reason). */
export function argsAfterCode(spec: SpecOf, args: Record<string, ArgValue>, codeName: string): string {
  return spec.args
    .filter((a) => a.name !== codeName && args[a.name] !== undefined)
    .map((a) => {
      const v = args[a.name]!;
      if (typeof v === 'object' && v !== null && 'lead' in v) return [v.lead, ...v.assisting].join('、');
      // A shift of the deadline as it is said ("1个月"), which the parser reads back.
      return typeof v === 'string' ? (shiftWords(v) ?? v) : String(v);
    })
    .map((t) => ` ${t}`)
    .join('');
}
