import { listAttendedActivities } from '../../../db/repositories/activities.ts';
import { findDeputyMandate } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { addDays, isValidDate } from '../../statute/calendar-date.ts';
import { instantAt } from '../../statute/working-hours.ts';

// 大同 第十四条, 山西 第三十九条 (S19): the activities a deputy attended in a period, for the printable
// certificate (出勤证明) their employer receives.

export async function attendedInPeriod(
  deps: Pick<Deps, 'db' | 'config'>,
  input: { mandateId: number; from: string; to: string; tokenCongressId: number | null },
) {
  if (!isValidDate(input.from)) throw new AppError('bad_request', '参数 from 应为 YYYY-MM-DD 日期');
  if (!isValidDate(input.to)) throw new AppError('bad_request', '参数 to 应为 YYYY-MM-DD 日期');
  if (input.to < input.from) throw new AppError('bad_request', '参数 to 不能早于 from');
  const deputy = await findDeputyMandate(deps.db, input.mandateId);
  if (!deputy || (input.tokenCongressId !== null && deputy.congress_id !== input.tokenCongressId)) {
    throw new AppError('not_found', `没有编号为 ${input.mandateId} 的代表`);
  }
  const tz = deps.config.timezone;
  const activities = await listAttendedActivities(
    deps.db,
    [deputy.id],
    instantAt(input.from, 0, tz),
    instantAt(addDays(input.to, 1), 0, tz),
  );
  return { deputy, activities };
}
