import type { Db } from '../../../db/client.ts';
import { listAttendedActivities, listGroupActivitiesIn } from '../../../db/repositories/activities.ts';
import { listDutyEvents } from '../../../db/repositories/duties.ts';
import { isLiveMandate } from '../../../db/repositories/mandates.ts';
import { listDeputySeatsOfPerson } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { addDays, dateAt, todayIn } from '../../statute/calendar-date.ts';
import { formatDate } from '../../statute/date-text.ts';
import { periodContaining } from '../../statute/rule-periods.ts';
import { instantAt } from '../../statute/working-hours.ts';

// `我的履职 [YYYY]`: 山西 第四十三条 (S15) the year's duty record; the deputy's own minimums not yet met —
// 山西 第二十一条 (S9, yearly: a station activity) and 第四十一条 (S14, per term: a collective study); and
// their groups' — 大同 第六条 (S1: small group quarterly, large group half-yearly). A group's minimum binds
// the group, so it is said of the group ("your group has not met"), never of the deputy.

type SDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export async function dutySummary(
  deps: SDeps,
  input: { personId: number; year?: number | undefined; congressName?: string | undefined },
): Promise<string> {
  const tz = deps.config.timezone;
  const today = todayIn(deps.clock, tz);
  const thisYear = Number(today.slice(0, 4));
  const year = input.year ?? thisYear;
  if (year > thisYear) return `${year}年还没有到，暂无履职记录。`;
  // A deputy with several mandates may ask about one congress.
  const seats = (await listDeputySeatsOfPerson(deps.db, input.personId)).filter(
    (s) => input.congressName === undefined || s.congress === input.congressName,
  );
  if (seats.length === 0) return '您没有代表职务，暂无履职记录。';
  // A year outside every term held has no record and no requirement to meet.
  const inTerm = (x: { term_starts_on: string | null; term_ends_on: string | null }) =>
    (x.term_starts_on === null || Number(x.term_starts_on.slice(0, 4)) <= year) &&
    (x.term_ends_on === null || year <= Number(x.term_ends_on.slice(0, 4)));
  if (!seats.some(inTerm)) {
    const terms = seats
      .filter((x) => x.term_starts_on && x.term_ends_on)
      .map((x) => `${x.congress}：${x.term_starts_on!.slice(0, 4)}年至${x.term_ends_on!.slice(0, 4)}年`);
    return `${year}年不在您的代表任期内${terms.length > 0 ? `（${terms.join('；')}）` : ''}，没有履职记录。发“我的履职”可查看今年的。`;
  }
  const events = await listDutyEvents(
    deps.db,
    seats.map((s) => s.id),
    `${year}-01-01`,
    `${year}-12-31`,
  );
  const lines: string[] = [`【${year}年履职记录】`];
  if (events.length === 0) lines.push('本年度暂无记录。');
  for (const e of events) {
    lines.push(
      `${formatDate(e.occurred_on)} ${e.summary}${e.ref && !e.summary.includes(e.ref) ? `（${e.ref}）` : ''}${e.entered_by_staff ? '〔工作人员代录〕' : ''}`,
    );
  }

  const from = instantAt(`${year}-01-01`, 0, tz);
  const to = instantAt(`${year + 1}-01-01`, 0, tz);
  const own: string[] = [];
  const groups: string[] = [];
  const live = seats.filter(
    (x) => isLiveMandate({ status: x.status, congressArchived: x.archived_at !== null }) && inTerm(x),
  );
  // An attendance is recorded only once its activity has begun (recordAttendance); a group's activity
  // still ahead is planned, never held (groupLines).
  const now = deps.clock.now();
  for (const s of live) {
    const attendedYear = await listAttendedActivities(deps.db, [s.id], from, to);
    if (!attendedYear.some((a) => a.kind === 'station')) {
      own.push(`${s.congress}：${year}年还没有参加代表联络站活动（山西 第二十一条：每年不少于一次）`);
    }
    const attendedTerm = await listAttendedActivities(deps.db, [s.id], new Date(0), instantAt(today, 24, tz));
    if (!attendedTerm.some((a) => a.kind === 'study')) {
      own.push(`${s.congress}：本届还没有参加集体学习（山西 第四十一条：每届不少于一次）`);
    }
    if (year === thisYear) groups.push(...(await groupLines(deps.db, s, today, now, tz)));
  }
  if (own.length > 0) lines.push('', '【您尚未完成的要求】', ...own);
  else lines.push('', `您${year}年的联络站活动和本届集体学习要求均已完成。`);
  if (groups.length > 0) lines.push('', '【所在小组、大组】', ...groups);
  lines.push('', '如需出勤证明（大同 第十四条），请联系代表工作机构打印。');
  return lines.join('\n');
}

async function groupLines(
  db: Db,
  s: {
    small_group_id: number | null;
    large_group_id: number | null;
    small_group: string | null;
    large_group: string | null;
  },
  today: string,
  now: Date,
  tz: string,
): Promise<string[]> {
  const out: string[] = [];
  // The period running today (大同 第六条): while it runs the group has or has not met yet, never "failed".
  // An activity counts once it has begun (by the clock, as the statistics count it); one still ahead is
  // planned, said as such, never as held.
  const standing = async (groupId: number, name: string, months: 3 | 6) => {
    const span = periodContaining(today, months);
    const acts = await listGroupActivitiesIn(
      db,
      groupId,
      instantAt(span.starts, 0, tz),
      instantAt(addDays(span.ends, 1), 0, tz),
    );
    const held = acts.some((a) => a.starts_at <= now);
    const planned = acts.filter((a) => a.starts_at > now);
    const unit = months === 3 ? `代表小组「${name}」本季度` : `代表大组「${name}」本半年`;
    const minimum = months === 3 ? '小组每季度至少活动一次' : '大组每半年至少活动一次';
    out.push(
      held ? `您所在的${unit}已开展活动。` : `您所在的${unit}尚未开展活动（大同 第六条：${minimum}）。`,
    );
    if (planned.length > 0)
      out.push(
        `已安排、尚未举行：${planned.map((a) => `${formatDate(dateAt(a.starts_at, tz))} ${a.title}（${a.code}）`).join('；')}。`,
      );
  };
  if (s.small_group_id !== null) await standing(s.small_group_id, s.small_group ?? '', 3);
  if (s.large_group_id !== null) await standing(s.large_group_id, s.large_group ?? '', 6);
  return out;
}
