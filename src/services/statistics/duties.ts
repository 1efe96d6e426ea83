import {
  type DeputyActivityRow,
  listDeputyActivity,
  listGroupActivities,
  listSessionAttendance,
  listStationActivities,
  type SessionAttendanceRow,
  type UnitActivityRow,
} from '../../../db/repositories/statistics.ts';
import type { Deps } from '../../deps.ts';
import { addDays, todayIn } from '../../statute/calendar-date.ts';
import {
  type PeriodMonths,
  type PeriodStanding,
  periodContaining,
  periodStanding,
  periodsOverlapping,
} from '../../statute/rule-periods.ts';
import { instantAt } from '../../statute/working-hours.ts';
import { complianceStatusLabel, PLANNED_MARK } from './text.ts';

// Leave and attendance per deputy and session (S4, S5, S6), and whether groups (S1) and stations (S10)
// met their periods. Counts over the rows the repository returns.

type StatDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

export interface Period {
  from: string;
  to: string;
  congressIds: number[] | null;
}

/** One deputy at one session: 出席, 请假 (approved), 缺席 (without approved leave). */
export interface SessionAttendance {
  sessionId: number;
  session: string;
  startsOn: string;
  deputy: string;
  mandateId: number;
  leaveCode: string | null;
  leaveStatus: string | null;
  standing: '出席' | '请假' | '缺席';
}

const standingOf = (r: SessionAttendanceRow): SessionAttendance['standing'] =>
  !r.absent ? '出席' : r.absence_excused || r.leave_status === 'approved' ? '请假' : '缺席';

export async function sessionAttendance(deps: StatDeps, p: Period): Promise<SessionAttendance[]> {
  const rows = await listSessionAttendance(deps.db, p);
  return rows.map((r) => ({
    sessionId: r.session_id,
    session: r.session_name,
    startsOn: r.starts_on,
    deputy: r.person_name,
    mandateId: r.mandate_id,
    leaveCode: r.leave_code,
    leaveStatus: r.leave_status,
    standing: standingOf(r),
  }));
}

const bounds = (deps: StatDeps, p: Period) => ({
  fromAt: instantAt(p.from, 0, deps.config.timezone),
  toAt: instantAt(addDays(p.to, 1), 0, deps.config.timezone),
});

export async function deputyActivity(deps: StatDeps, p: Period): Promise<DeputyActivityRow[]> {
  return listDeputyActivity(deps.db, { ...p, ...bounds(deps, p) });
}

/** One group or station in one period of its rule: the activities held, and where that leaves the rule. */
export interface ComplianceRow {
  rule: 'S1' | 'S10';
  unit: string;
  unitKind: string;
  period: string;
  periodStarts: string;
  periodEnds: string;
  required: string;
  /** The rule's minimum per period (one activity, 大同 第六条; one reception, 山西 第三十一条). */
  minimum: number;
  /** Activities begun by now. */
  held: number;
  /** Activities of the period recorded but not begun yet (only while it runs). */
  planned: number;
  /** met / unmet once the period is over; in_progress while it runs; upcoming before it begins. */
  status: PeriodStanding;
  /** Whether the period met the rule; null until it is over. */
  met: boolean | null;
  /** The status as staff read it: 达标, 未达标, 进行中，目前 0/1… */
  statusLabel: string;
  activities: string[];
}

/** 山西 第三十一条 (S10): 时间不少于半个工作日 — four hours at the station. */
const HALF_WORKING_DAY_MS = 4 * 3600 * 1000;

/** Each rule counts at least one activity per period. */
const MINIMUM = 1;

/** The instants bounding whole periods of `months` that overlap [from, to]: a period is judged whole. */
function wholePeriodBounds(deps: StatDeps, p: Period, months: PeriodMonths) {
  const tz = deps.config.timezone;
  return {
    fromAt: instantAt(periodContaining(p.from, months).starts, 0, tz),
    toAt: instantAt(addDays(periodContaining(p.to, months).ends, 1), 0, tz),
    congressIds: p.congressIds,
  };
}

function compliance(
  deps: StatDeps,
  rows: UnitActivityRow[],
  rule: 'S1' | 'S10',
  periodOf: (kind: string) => { months: PeriodMonths; required: string },
  p: Period,
  counts: (r: UnitActivityRow) => boolean,
): ComplianceRow[] {
  const units = new Map<number, { name: string; kind: string; acts: UnitActivityRow[] }>();
  for (const r of rows) {
    const u = units.get(r.unit_id) ?? { name: r.unit_name, kind: r.unit_kind, acts: [] };
    if (r.activity_code !== null && counts(r)) u.acts.push(r);
    units.set(r.unit_id, u);
  }
  const out: ComplianceRow[] = [];
  const tz = deps.config.timezone;
  const today = todayIn(deps.clock, tz);
  const now = deps.clock.now().getTime();
  for (const u of units.values()) {
    const { months, required } = periodOf(u.kind);
    for (const s of periodsOverlapping(p.from, p.to, months)) {
      const fromAt = instantAt(s.starts, 0, tz).getTime();
      const toAt = instantAt(addDays(s.ends, 1), 0, tz).getTime();
      const inPeriod = u.acts.filter(
        (a) => a.starts_at!.getTime() >= fromAt && a.starts_at!.getTime() < toAt,
      );
      const held = inPeriod.filter((a) => a.starts_at!.getTime() <= now);
      const status = periodStanding(s, today, held.length, MINIMUM);
      const row = {
        rule,
        unit: u.name,
        unitKind: u.kind === 'small' ? '代表小组' : u.kind === 'large' ? '代表大组' : '代表联络站',
        period: s.label,
        periodStarts: s.starts,
        periodEnds: s.ends,
        required,
        minimum: MINIMUM,
        held: held.length,
        planned: inPeriod.length - held.length,
        status,
        met: status === 'met' ? true : status === 'unmet' ? false : null,
        activities: inPeriod.map(
          (a) =>
            `${a.activity_code} ${a.activity_title ?? ''}`.trim() +
            (a.starts_at!.getTime() > now ? PLANNED_MARK : ''),
        ),
      };
      out.push({ ...row, statusLabel: complianceStatusLabel(row) });
    }
  }
  return out;
}

/** 大同 第六条 (S1): 大组每半年、小组每季度至少活动一次. */
export async function groupCompliance(deps: StatDeps, p: Period): Promise<ComplianceRow[]> {
  // Half-years hold the quarters: a quarter cut by the period asked is still counted whole.
  const rows = await listGroupActivities(deps.db, wholePeriodBounds(deps, p, 6));
  return compliance(
    deps,
    rows,
    'S1',
    (kind) =>
      kind === 'large'
        ? { months: 6 as const, required: '每半年至少活动一次' }
        : { months: 3 as const, required: '每季度至少活动一次' },
    p,
    () => true,
  );
}

/** 山西 第三十一条 (S10): 联络站每月至少安排代表接待群众一次，时间不少于半个工作日. */
export async function stationCompliance(deps: StatDeps, p: Period): Promise<ComplianceRow[]> {
  const rows = await listStationActivities(deps.db, wholePeriodBounds(deps, p, 1));
  return compliance(
    deps,
    rows,
    'S10',
    () => ({ months: 1 as const, required: '每月至少接待一次，不少于半个工作日' }),
    p,
    (r) => r.ends_at!.getTime() - r.starts_at!.getTime() >= HALF_WORKING_DAY_MS,
  );
}
