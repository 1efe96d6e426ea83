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
import { addDays, parseDate } from '../../statute/calendar-date.ts';
import { instantAt } from '../../statute/working-hours.ts';

// Leave and attendance per deputy and session (S4, S5, S6), and whether groups (S1) and stations (S10)
// met their periods. Counts over the rows the repository returns.

type StatDeps = Pick<Deps, 'db' | 'config'>;

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

/** One group or station in one period of its rule: the activities held, and whether that met the rule. */
export interface ComplianceRow {
  rule: 'S1' | 'S10';
  unit: string;
  unitKind: string;
  period: string;
  required: string;
  held: number;
  met: boolean;
  activities: string[];
}

interface Slot {
  label: string;
  from: string;
  to: string;
}

/** The periods of a year that overlap [from, to]: quarters, halves or months. */
function slots(p: Period, months: number): Slot[] {
  const out: Slot[] = [];
  const start = parseDate(p.from)!;
  const end = parseDate(p.to)!;
  for (let y = start.year; y <= end.year; y++) {
    for (let m = 1; m <= 12; m += months) {
      const from = `${y}-${String(m).padStart(2, '0')}-01`;
      const nextMonth = m + months;
      const to = addDays(
        nextMonth > 12 ? `${y + 1}-01-01` : `${y}-${String(nextMonth).padStart(2, '0')}-01`,
        -1,
      );
      if (to < p.from || from > p.to) continue;
      const label =
        months === 3
          ? `${y}年第${(m + 2) / 3}季度`
          : months === 6
            ? `${y}年${m === 1 ? '上' : '下'}半年`
            : `${y}年${m}月`;
      out.push({ label, from, to });
    }
  }
  return out;
}

/** 山西 第三十一条 (S10): 时间不少于半个工作日 — four hours at the station. */
const HALF_WORKING_DAY_MS = 4 * 3600 * 1000;

function compliance(
  deps: StatDeps,
  rows: UnitActivityRow[],
  rule: 'S1' | 'S10',
  periodOf: (kind: string) => { months: number; required: string },
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
  for (const u of units.values()) {
    const { months, required } = periodOf(u.kind);
    for (const s of slots(p, months)) {
      const fromAt = instantAt(s.from, 0, tz).getTime();
      const toAt = instantAt(addDays(s.to, 1), 0, tz).getTime();
      const held = u.acts.filter((a) => a.starts_at!.getTime() >= fromAt && a.starts_at!.getTime() < toAt);
      out.push({
        rule,
        unit: u.name,
        unitKind: u.kind === 'small' ? '代表小组' : u.kind === 'large' ? '代表大组' : '代表联络站',
        period: s.label,
        required,
        held: held.length,
        met: held.length >= 1,
        activities: held.map((a) => `${a.activity_code} ${a.activity_title ?? ''}`.trim()),
      });
    }
  }
  return out;
}

/** 大同 第六条 (S1): 大组每半年、小组每季度至少活动一次. */
export async function groupCompliance(deps: StatDeps, p: Period): Promise<ComplianceRow[]> {
  const rows = await listGroupActivities(deps.db, { ...bounds(deps, p), congressIds: p.congressIds });
  return compliance(
    deps,
    rows,
    'S1',
    (kind) =>
      kind === 'large'
        ? { months: 6, required: '每半年至少活动一次' }
        : { months: 3, required: '每季度至少活动一次' },
    p,
    () => true,
  );
}

/** 山西 第三十一条 (S10): 联络站每月至少安排代表接待群众一次，时间不少于半个工作日. */
export async function stationCompliance(deps: StatDeps, p: Period): Promise<ComplianceRow[]> {
  const rows = await listStationActivities(deps.db, { ...bounds(deps, p), congressIds: p.congressIds });
  return compliance(
    deps,
    rows,
    'S10',
    () => ({ months: 1, required: '每月至少接待一次，不少于半个工作日' }),
    p,
    (r) => r.ends_at!.getTime() - r.starts_at!.getTime() >= HALF_WORKING_DAY_MS,
  );
}
