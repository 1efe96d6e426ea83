import type { AuditSource } from '../../../db/repositories/audit.ts';
import { findDeadline, updateDeadlineDue } from '../../../db/repositories/deadlines.ts';
import { withdrawUnsent } from '../../../db/repositories/outbox.ts';
import { eventsOf, type SuggestionRow, updateSuggestion } from '../../../db/repositories/suggestions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { organsByIds } from '../organs/index.ts';
import type { ExtensionMove } from './handling.ts';
import { type Actor, lockInScope, reachOrgan, recordChange, type Scope } from './records.ts';
import { auditedStaffAction } from './staff-audit.ts';
import { answerVerb, titleOf } from './text.ts';

// 延期 taken back right after it was recorded ("撤销延期", "不对，不延期了"): each organ's due date returns
// to what it was, the item's history and the audit log say so, and whoever was told of the extension is
// told it no longer stands; a notice of it not yet sent is withdrawn instead.

type UndoDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface ExtensionUndone {
  code: string;
  item: SuggestionRow;
  /** Each organ with the due date it has again. */
  restored: { organ: string; due: string }[];
  /** Organs that had been told of the extension (and are now told it is taken back). */
  organsTold: string[];
  deputiesTold: boolean;
}

/** Why nothing can be taken back: said in plain words, with what to do instead. */
const cannot = (item: SuggestionRow, why: string): AppError =>
  new AppError(
    'conflict',
    `${item.code} ${why}，不能撤销延期。如需调整期限，请重新发“延期 ${item.code} 日期 理由”，或在「工作平台 → 建议」中办理`,
  );

/**
 * Takes back the 延期 of `code` when it is the item's latest change and its deadlines still stand as it
 * left them. Audited as every staff step on an item is (the item and its organs' due dates before and after,
 * `detail.via`) and in the item's history.
 */
export async function undoExtension(
  deps: UndoDeps,
  input: { code: string; actor: Actor; scope: Scope; audit: AuditSource },
): Promise<ExtensionUndone> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    const last = (await eventsOf(trx, item.id)).at(-1);
    if (last?.action !== 'extended') {
      throw cannot(item, last ? '延期之后已经有了新的办理记录（或没有延期过）' : '没有延期过');
    }
    const moves = ((last.detail as { moved?: Partial<ExtensionMove>[] }).moved ?? []).filter(
      (m): m is ExtensionMove => typeof m.deadlineId === 'number' && typeof m.organId === 'number',
    );
    if (moves.length === 0) throw cannot(item, '这次延期是较早的记录');
    for (const m of moves) {
      const d = await findDeadline(trx, m.deadlineId);
      if (!d || d.closed_at || d.due_on !== m.to) throw cannot(item, `${m.organ}的期限已经有了变化`);
    }
    return auditedStaffAction(trx, input, 'suggestion.extend_undo', item, async () => {
      for (const m of moves)
        await updateDeadlineDue(trx, m.deadlineId, {
          dueOn: m.from,
          provisional: m.fromProvisional,
          targetOn: m.fromTarget,
          at: now,
        });
      const restored = moves.map((m) => ({
        organ: m.organ,
        due: formatStatutoryDate(m.from, m.fromProvisional),
      }));
      const lines = restored.map((r) => `${r.organ}：${r.due}前${answerVerb(item.kind)}`);

      // The deputies were told of the extension at once; a notice still waiting is withdrawn, not corrected.
      const toDeputies = `suggestion:${item.code}:e${last.id}:p`;
      const deputiesTold = await withdrawUnsent(trx, [toDeputies], '延期已撤销');
      await updateSuggestion(trx, item.id, {}, now);
      const eventId = await recordChange(
        trx,
        item,
        {
          actor: input.actor,
          action: 'extension_undone',
          summary: `撤销延期：${lines.join('；')}`,
          detail: {
            extensionEvent: last.id,
            restored: moves.map((m) => ({ organ: m.organ, dueOn: m.from })),
          },
          message: deputiesTold
            ? `刚才通知的延期已撤销，${answerVerb(item.kind)}期限恢复为：\n${lines.join('\n')}`
            : null,
        },
        now,
      );

      const cal = await loadWorkCalendar(trx);
      const organs = await organsByIds(
        trx,
        moves.map((m) => m.organId),
      );
      const organsTold: string[] = [];
      for (const m of moves) {
        const prefixes = [
          `suggestion:${item.code}:extend${last.id}:organ${m.organId}:`,
          `suggestion:${item.code}:extend${last.id}:phone${m.organId}:`,
        ];
        if (!(await withdrawUnsent(trx, prefixes, '延期已撤销'))) continue;
        organsTold.push(m.organ);
        const organ = organs.find((o) => o.id === m.organId);
        if (!organ) continue;
        await reachOrgan(
          trx,
          cal,
          organ,
          item,
          `extendundo${eventId}`,
          `【延期撤销】${item.kind} ${item.code}「${titleOf(item)}」此前通知的延期已撤销，贵单位的${answerVerb(item.kind)}期限恢复为 ${formatStatutoryDate(m.from, m.fromProvisional)}，请按原期限办理。`,
          now,
          deps.config.timezone,
        );
      }
      // The row shows each organ's date going back, as the 延期's row showed it going forward.
      const back = moves.map((m) => ({ organ: m.organ, from: m.to, to: m.from }));
      return {
        result: { code: item.code, item, restored, organsTold, deputiesTold },
        detail: { extensionEvent: last.id, organs: back, organsTold, deputiesTold },
      };
    });
  });
}
