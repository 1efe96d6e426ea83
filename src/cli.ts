import { DataDirBusyError } from '../db/data-dir-lock.ts';
import { buildDeps, closeDeps } from './bootstrap.ts';
import type { CliCommand, CliIo } from './cli/command.ts';
import { cliCommands, findCliCommand } from './cli/commands.ts';
import { dataDirBusyText, runThroughServer } from './cli/control.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { Deps } from './deps.ts';
import { createLogger } from './logger.ts';

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: Boolean(process.stdout.isTTY),
  progress: (line) => {
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
  },
};

/** How long a CLI waits for a server that holds DATA_DIR but does not answer yet (it is starting). */
const SERVER_START_WAIT_MS = 15_000;

function usage(): void {
  io.out('用法: npm run cli -- <命令>');
  for (const c of cliCommands) io.out(`  ${c.usage.padEnd(40)} ${c.summary}`);
}

/**
 * The dependencies to run cmd here, or the exit code of its run elsewhere. With the embedded database a
 * running server owns DATA_DIR: the command runs in it through the control channel. Without one this
 * process opens the database under DATA_DIR's lock; a lock held by a server still starting is waited for.
 */
async function openDeps(
  config: Config,
  cmd: CliCommand,
  argv: string[],
  args: string[],
): Promise<Deps | number> {
  const deadline = Date.now() + SERVER_START_WAIT_MS;
  for (;;) {
    if (!config.databaseUrl) {
      const code = await runThroughServer(config.dataDir, cmd, argv, args, io);
      if (code !== null) return code;
    }
    try {
      // Operator output goes to the terminal; the service log only carries warnings here.
      return await buildDeps(config, {
        log: createLogger(process.env.LOG_LEVEL ? config.logLevel : 'error', process.stderr),
        migrate: cmd.autoMigrate !== false,
        owner: 'cli',
      });
    } catch (err) {
      if (!(err instanceof DataDirBusyError)) throw err;
      if (err.holder?.role !== 'server' || Date.now() > deadline) {
        io.err(dataDirBusyText(err, 'cli'));
        return 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const found = findCliCommand(argv);
  if (!found) {
    if (argv.length > 0) io.err(`未知命令: ${argv.join(' ')}`);
    usage();
    return argv.length > 0 ? 2 : 0;
  }
  const { cmd, args } = found;
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
  const deps = await openDeps(config, cmd, argv, args);
  if (typeof deps === 'number') return deps;
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
