import type { Deps } from '../deps.ts';
import { isAppError } from '../errors.ts';
import {
  importHolidayNotice,
  loadCalendarYears,
  loadWorkCalendar,
  type NoticeImport,
} from '../services/calendar/index.ts';
import type { DayInfo, YearSource } from '../statute/calendar.ts';
import { formatDate, formatStatutoryDate } from '../statute/date-text.ts';
import { publishedCalendar } from '../statute/published-calendar.ts';
import { type CliCommand, type CliIo, readInputFile } from './command.ts';

// `calendar show <year>`, `calendar load` and `calendar import <notice.txt> [--yes]`.

const SOURCE_TEXT: Record<YearSource, string> = {
  published: '国务院公布的放假安排',
  corrected: '放假安排或法定假日，含工作人员更正',
  provisional: '暂定日历（尚未公布放假安排：周末加《全国年节及纪念日放假办法》规定的假日）',
};

const KIND_TEXT: Record<DayInfo['kind'], string> = { workday: '工作日', weekend: '周末', holiday: '休息日' };

/** The lines `calendar show` prints for a year (exported for tests). */
export async function calendarShowLines(
  deps: Pick<Deps, 'db'>,
  yearText: string,
): Promise<{ code: number; lines: string[] }> {
  if (!/^\d{4}$/.test(yearText)) return { code: 2, lines: [`“${yearText}”不是有效的年份（应为四位数字）`] };
  const year = Number(yearText);
  const cal = await loadWorkCalendar(deps.db);
  const source = cal.yearSource(year);
  const days = cal.yearDays(year);
  if (!source.ok) return { code: 1, lines: [source.error.message] };
  if (!days.ok) return { code: 1, lines: [days.error.message] };
  const lines = [
    `${year} 年工作日历`,
    `来源：${SOURCE_TEXT[source.value]}（chinese-days ${publishedCalendar.packageVersion}）`,
    `全年工作日 ${days.value.filter((d) => d.kind === 'workday').length} 天`,
  ];
  for (let m = 1; m <= 12; m++) {
    const prefix = `${year}-${String(m).padStart(2, '0')}-`;
    const month = days.value.filter((d) => d.date.startsWith(prefix));
    const work = month.filter((d) => d.kind === 'workday').length;
    lines.push('', `${m} 月：工作日 ${work} 天，休息日 ${month.length - work} 天`);
    // Plain weekdays and weekends are the rule; list only what differs from it.
    for (const d of month) {
      if (!d.name && !d.makeup && d.source !== 'corrected') continue;
      const tag = d.source === 'corrected' ? '（更正）' : '';
      const kind = d.makeup ? '调休上班' : KIND_TEXT[d.kind];
      lines.push(
        `  ${formatStatutoryDate(d.date, d.source === 'provisional')} ${kind} ${d.name ?? ''}${tag}`.trimEnd(),
      );
    }
  }
  return { code: 0, lines };
}

async function show(args: string[], io: CliIo, deps: Deps): Promise<number> {
  const { code, lines } = await calendarShowLines(deps, args[0] ?? '');
  for (const l of lines) (code === 0 ? io.out : io.err)(l);
  return code;
}

async function load(io: CliIo, deps: Deps): Promise<number> {
  const r = await loadCalendarYears(deps);
  io.out(
    `chinese-days ${r.packageVersion}：已公布 ${publishedCalendar.firstYear}–${publishedCalendar.lastYear} 年放假安排`,
  );
  io.out(r.loaded.length > 0 ? `本次载入：${r.loaded.join('、')} 年` : '没有新的放假安排需要载入');
  if (r.provisional.length > 0) io.out(`暂定日历：${r.provisional.join('、')} 年（尚未公布放假安排）`);
  if (r.changes.length === 0) io.out('没有日期因此改变');
  for (const c of r.changes) {
    io.out(
      `  ${c.what}：${formatDate(c.oldDate)} → ${formatStatutoryDate(c.newDate, c.newProvisional)}，已通知 ${c.messagesQueued} 条`,
    );
  }
  return 0;
}

export const calendarShowCommand: CliCommand = {
  words: ['calendar', 'show'],
  usage: 'calendar show <年份>',
  summary: '显示一年的工作日历及其来源',
  needsDeps: true,
  run: (args, io, deps) => show(args, io, deps!),
};

export const calendarLoadCommand: CliCommand = {
  words: ['calendar', 'load'],
  usage: 'calendar load',
  summary: '载入 chinese-days 中新公布的放假安排，并重算受影响的日期',
  needsDeps: true,
  run: (_args, io, deps) => load(io, deps!),
};

const DAY_KIND_TEXT = { workday: '工作日', weekend: '周末', holiday: '休息日' } as const;

/** What `calendar import` prints: the notice read, what changes against the calendar now, who is told. */
export function noticeImportLines(r: NoticeImport): string[] {
  const lines = [
    `${r.title}${r.number ? `（${r.number}）` : ''}，${r.issuedOn}`,
    `${r.year} 年现为：${SOURCE_TEXT[r.previousSource]}`,
    '',
    '通知安排的日期：',
  ];
  for (const d of r.days) {
    const now = `${DAY_KIND_TEXT[d.before.kind]}${d.before.name ? `（${d.before.name}）` : ''}`;
    lines.push(
      `  ${formatDate(d.date)} ${d.kind === 'workday' ? '调休上班' : '放假'}（${d.festival}）；原为${now}`,
    );
  }
  lines.push('', r.differences.length > 0 ? '与现在的日历不同的日期：' : '与现在的日历相比，没有哪一天改变');
  for (const d of r.differences) {
    lines.push(`  ${formatDate(d.date)}：${DAY_KIND_TEXT[d.before.kind]} → ${DAY_KIND_TEXT[d.after.kind]}`);
  }
  lines.push('', r.changes.length > 0 ? '将改变的接待日和期限：' : '没有已存的接待日或期限因此改变');
  for (const c of r.changes) {
    const told = c.toldNames.length > 0 ? `，通知 ${c.toldNames.join('、')}` : '';
    lines.push(
      `  ${c.what}：${formatStatutoryDate(c.oldDate, c.oldProvisional)} → ${formatStatutoryDate(c.newDate, c.newProvisional)}${told}`,
    );
  }
  lines.push(
    '',
    r.confirmed
      ? `已载入 ${r.year} 年放假安排，受影响的日期已重新计算，并已通知相关人员。`
      : '以上为预览，没有写入任何内容。确认无误后加 --yes 再运行一次即载入。',
  );
  return lines;
}

async function importNotice(args: string[], io: CliIo, deps: Deps): Promise<number> {
  const yes = args.includes('--yes');
  const files = args.filter((a) => a !== '--yes');
  if (files.length !== 1) {
    io.err('用法: npm run cli -- calendar import <通知全文.txt> [--yes]');
    return 2;
  }
  let text: string;
  try {
    text = await readInputFile(io, files[0]!);
  } catch (err) {
    io.err(`无法读取文件 ${files[0]}：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return 1;
  }
  try {
    const r = await importHolidayNotice(deps, { text, confirm: yes, actor: 'cli' });
    for (const l of noticeImportLines(r)) io.out(l);
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      io.err(`未载入：${err.message}`);
      return 1;
    }
    throw err;
  }
}

export const calendarImportCommand: CliCommand = {
  words: ['calendar', 'import'],
  usage: 'calendar import <通知全文.txt> [--yes]',
  summary: '读取国务院办公厅的放假安排通知：预览变化，加 --yes 载入并重算受影响的日期',
  needsDeps: true,
  inputFiles: (args) => args.filter((a) => a !== '--yes').slice(0, 1),
  run: (args, io, deps) => importNotice(args, io, deps!),
};
