import { writeAudit } from '../../../db/repositories/audit.ts';
import { findCongressByName } from '../../../db/repositories/congresses.ts';
import { insertSession, type SessionRow } from '../../../db/repositories/sessions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';

// 山西 第八条 (S5): the sessions (会议) of a congress, by which leave is routed and absences counted (S6).

export interface SessionView {
  id: number;
  congress: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

export const sessionView = (s: SessionRow, congress: string): SessionView => ({
  id: s.id,
  congress,
  name: s.name,
  startsOn: s.starts_on,
  endsOn: s.ends_on,
});

/** Records a session of the named congress (a bound token: only its own), with its audit row. */
export async function createSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { congress: string; name: string; startsOn: string; endsOn: string },
  by: { actor: string; tokenCongressId: number | null; requestId: string | null },
): Promise<SessionView> {
  if (input.endsOn < input.startsOn) throw new AppError('invalid_body', '闭幕日期不能早于开幕日期');
  const c = await findCongressByName(deps.db, input.congress);
  if (!c) throw new AppError('invalid_body', `没有名为「${input.congress}」的人大`);
  if (by.tokenCongressId !== null && by.tokenCongressId !== c.id)
    throw new AppError('forbidden', '您的令牌只能管理所属人大');
  return deps.db.transaction().execute(async (trx) => {
    const s = await insertSession(trx, {
      congressId: c.id,
      name: input.name,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      at: deps.clock.now(),
    });
    const view = sessionView(s, c.name);
    await writeAudit(trx, {
      actor: by.actor,
      action: 'session.create',
      subjectType: 'session',
      subjectId: s.id,
      requestId: by.requestId,
      before: null,
      after: view,
    });
    return view;
  });
}
