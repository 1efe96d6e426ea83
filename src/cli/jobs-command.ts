import { JOBS, jobByName, jobSchedule } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import type { Deps } from '../deps.ts';
import { scopeText } from '../statute/rule-scope.ts';
import { ruleById } from '../statute/rules.ts';
import type { CliCommand, CliIo } from './command.ts';

// `jobs list` and `jobs run <job> [--now <ISO time>]` (CONTRACT §6).

const ruleText = (id: string): string => {
  const r = ruleById(id);
  return r ? `${r.id}（${r.article}；适用：${scopeText(r.id)}）` : id;
};

/** The lines `jobs list` prints (exported for tests). */
export function jobsListLines(): string[] {
  const lines = ['任务名称 | 时间表（APP_TIMEZONE） | 依据 | 说明'];
  for (const j of JOBS) {
    const rules =
      j.rules.length > 0 ? j.rules.map(ruleText).join('、') : '计算期间（民法典 第二百零一条至第二百零三条）';
    lines.push(`${j.name} | ${jobSchedule(j)} | ${rules} | ${j.summary}`);
  }
  return lines;
}

async function run(args: string[], io: CliIo, deps: Deps): Promise<number> {
  const name = args[0];
  const job = name ? jobByName(name) : undefined;
  if (!job) {
    io.err(name ? `没有名为“${name}”的任务。` : '请写出任务名称。');
    io.err(`可用的任务：${JOBS.map((j) => j.name).join('、')}`);
    return 2;
  }
  let now = deps.clock.now();
  const at = args.indexOf('--now');
  if (at >= 0) {
    const text = args[at + 1] ?? '';
    const parsed = new Date(text);
    if (text === '' || Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
      io.err(`“${text}”不是有效的时间（应为 ISO 格式，如 2026-10-09T09:00:00+08:00）`);
      return 2;
    }
    now = parsed;
  }
  const report = await runJob(deps, job, now);
  if (report.outcome === 'busy') {
    io.err(`任务 ${job.name} 正在其他实例上运行，稍后再试。`);
    return 1;
  }
  if (report.outcome === 'failed') {
    io.err(`任务 ${job.name} 运行失败，详见日志。`);
    return 1;
  }
  for (const l of report.lines) io.out(l);
  if (job.kind === 'reminders') {
    for (const q of report.queued) {
      io.out(
        `${q.rule} ${q.period} → ${q.target}${q.late ? '（补发）' : ''}，发送时间不早于 ${q.notBefore.toISOString()}${q.outboxId === null ? '（对象没有聊天账号，未排队）' : ''}`,
      );
    }
    const { queued, late } = report.counts;
    io.out(`任务 ${job.name}：新排队提醒 ${queued} 条${late > 0 ? `，其中补发 ${late} 条` : ''}`);
  }
  return 0;
}

export const jobsListCommand: CliCommand = {
  words: ['jobs', 'list'],
  usage: 'jobs list',
  summary: '列出所有定时任务、时间表及所依据的规则',
  needsDeps: false,
  run: async (_args, io) => {
    for (const l of jobsListLines()) io.out(l);
    return 0;
  },
};

export const jobsRunCommand: CliCommand = {
  words: ['jobs', 'run'],
  usage: 'jobs run <任务名称> [--now <ISO 时间>]',
  summary: '按给定时间运行一次任务，并列出排队的消息',
  needsDeps: true,
  run: (args, io, deps) => run(args, io, deps!),
};
