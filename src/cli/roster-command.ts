import { isAppError } from '../errors.ts';
import { ENCODING_LABEL, type ImportSummary, importRosterFile } from '../services/roster/index.ts';
import { type CliCommand, type CliIo, readInputBytes } from './command.ts';

// `roster import <file.csv|file.xlsx>`: the same import as POST /api/roster, with progress on a terminal.

/** The import's summary as staff read it (zh-CN). */
export function printSummary(io: CliIo, s: ImportSummary): void {
  io.out(
    `导入完成：新增 ${s.created} 条，更新 ${s.updated} 条，未变 ${s.unchanged} 条，拒绝 ${s.rejected.length} 条，名册中缺少 ${s.missing.length} 人`,
  );
  if (s.encoding) {
    io.out(
      s.encoding === 'xlsx' ? `文件格式：${ENCODING_LABEL.xlsx}` : `文件编码：${ENCODING_LABEL[s.encoding]}`,
    );
  }
  if (s.ignoredColumns.length > 0) io.out(`未识别的列（已忽略）：${s.ignoredColumns.join('、')}`);
  if (s.rejected.length > 0) {
    io.out('被拒绝的行（这些行没有写入任何内容）：');
    for (const r of s.rejected) io.out(`  第 ${r.line} 行：${r.reason}`);
  }
  if (s.renamed.length > 0) {
    io.out('已改名的人员（账号与已登记的人相同而姓名不同，请核对）：');
    for (const r of s.renamed) io.out(`  第 ${r.line} 行：「${r.from}」改为「${r.to}」`);
  }
  if (s.missing.length > 0) {
    io.out('已在系统中、但本次名册中没有的人员（未删除，请核对）：');
    for (const m of s.missing) {
      const ids = [m.wecomUserid, m.dingtalkUserid, m.mobile].filter(Boolean).join(' / ');
      io.out(`  [${m.id}] ${m.name}（${m.congress}）${ids ? ` ${ids}` : ''}`);
    }
  }
}

export const rosterCommand: CliCommand = {
  words: ['roster', 'import'],
  usage: 'roster import <file.csv|file.xlsx>',
  summary: '导入代表名册（与 POST /api/roster 相同）',
  needsDeps: true,
  inputFiles: (args) => args.slice(0, 1),
  async run(args, io, deps) {
    const file = args[0];
    if (!file || args.length > 1) {
      io.err('用法: npm run cli -- roster import <file.csv|file.xlsx>');
      return 2;
    }
    let bytes: Buffer;
    try {
      bytes = await readInputBytes(io, file);
    } catch (err) {
      io.err(`无法读取文件 ${file}：${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      return 1;
    }
    let shown = false;
    try {
      const summary = await importRosterFile(deps!, bytes, {
        actor: 'cli',
        timeZone: deps!.config.timezone,
        onProgress: (done, total) => {
          if (!io.tty) return;
          shown = true;
          io.progress(`导入中：${done}/${total} 行（${Math.floor((done / Math.max(total, 1)) * 100)}%）`);
        },
      });
      if (shown) io.progress('');
      printSummary(io, summary);
      return 0;
    } catch (err) {
      if (shown) io.progress('');
      if (isAppError(err)) {
        io.err(`导入失败：${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
