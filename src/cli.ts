import { buildDeps, closeDeps } from './bootstrap.ts';
import type { CliIo } from './cli/command.ts';
import { cliCommands } from './cli/commands.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: Boolean(process.stdout.isTTY),
  progress: (line) => {
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
  },
};

function usage(): void {
  io.out('用法: npm run cli -- <命令>');
  for (const c of cliCommands) io.out(`  ${c.usage.padEnd(40)} ${c.summary}`);
}

async function main(argv: string[]): Promise<number> {
  const sorted = [...cliCommands].sort((a, b) => b.words.length - a.words.length);
  const cmd = sorted.find((c) => c.words.every((w, i) => argv[i] === w));
  if (!cmd) {
    if (argv.length > 0) io.err(`未知命令: ${argv.join(' ')}`);
    usage();
    return argv.length > 0 ? 2 : 0;
  }
  const args = argv.slice(cmd.words.length);
  if (!cmd.needsDeps) return cmd.run(args, io, undefined);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) io.err(`配置错误 ${line}`);
      return 1;
    }
    throw err;
  }
  // Operator output goes to the terminal; the service log only carries warnings here.
  const deps = await buildDeps(config, {
    log: createLogger(process.env.LOG_LEVEL ? config.logLevel : 'error', process.stderr),
    migrate: cmd.autoMigrate !== false,
  });
  try {
    return await cmd.run(args, io, deps);
  } finally {
    await closeDeps(deps);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    io.err(`失败: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
