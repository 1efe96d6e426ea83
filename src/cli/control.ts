import { chmodSync, mkdtempSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { DataDirBusyError } from '../../db/data-dir-lock.ts';
import type { Deps } from '../deps.ts';
import type { CliCommand, CliIo } from './command.ts';
import { findCliCommand } from './commands.ts';

// The control channel: with the embedded database the serving process owns DATA_DIR, and a CLI command
// that needs the database runs inside it, through DATA_DIR/control.sock. The socket is the owner's alone
// (0600, in a 0700 directory): its file permissions are the credential. One request per connection, JSON
// lines: the CLI sends {argv, tty, files}; the server answers {out}/{err}/{progress} lines, then {exit}.

export const CONTROL_SOCKET = 'control.sock';
/** The largest request (a roster file travels in it). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

// A file travels as base64, so its bytes arrive as they are on disk (a GBK roster, an .xlsx).
type FileEntry = { base64: string } | { text: string } | { error: string };

interface ControlRequest {
  argv: string[];
  tty: boolean;
  files: Record<string, FileEntry>;
}

type ControlAnswer = { out: string } | { err: string } | { progress: string } | { exit: number };

export interface ControlServer {
  path: string;
  /** Stops accepting commands and waits for those running. */
  close(): Promise<void>;
}

function parseRequest(line: string): ControlRequest | null {
  try {
    const v = JSON.parse(line) as Partial<ControlRequest>;
    if (!Array.isArray(v.argv) || !v.argv.every((a) => typeof a === 'string')) return null;
    const files = v.files && typeof v.files === 'object' ? v.files : {};
    return { argv: v.argv, tty: v.tty === true, files };
  } catch {
    return null;
  }
}

/** Runs one command on behalf of a CLI, with the server's own dependencies. */
async function serve(deps: Deps, conn: Socket, line: string): Promise<void> {
  const send = (a: ControlAnswer) => {
    if (!conn.destroyed) conn.write(`${JSON.stringify(a)}\n`);
  };
  const finish = (code: number) => {
    send({ exit: code });
    conn.end();
  };
  const req = parseRequest(line);
  const found = req ? findCliCommand(req.argv) : null;
  if (!req || !found?.cmd.needsDeps) {
    send({ err: req ? `服务不执行此命令：${req.argv.join(' ')}` : '无法读取命令行发来的请求' });
    finish(2);
    return;
  }
  const io: CliIo = {
    out: (l) => send({ out: l }),
    err: (l) => send({ err: l }),
    tty: req.tty,
    progress: (l) => {
      if (req.tty) send({ progress: l });
    },
    readFile: async (path) => {
      const f = req.files[path];
      if (f && 'text' in f) return f.text;
      if (f && 'base64' in f) return Buffer.from(f.base64, 'base64').toString('utf8');
      throw Object.assign(new Error(`cannot read ${path}`), { code: f?.error ?? 'ENOENT' });
    },
    readFileBytes: async (path) => {
      const f = req.files[path];
      if (f && 'base64' in f) return Buffer.from(f.base64, 'base64');
      if (f && 'text' in f) return Buffer.from(f.text, 'utf8');
      throw Object.assign(new Error(`cannot read ${path}`), { code: f?.error ?? 'ENOENT' });
    },
  };
  deps.log.info({ command: found.cmd.words.join(' ') }, 'control command');
  try {
    finish(await found.cmd.run(found.args, io, deps));
  } catch (err) {
    deps.log.error({ err, command: found.cmd.words.join(' ') }, 'control command failed');
    send({ err: `失败: ${err instanceof Error ? err.message : String(err)}` });
    finish(1);
  }
}

/** Opens DATA_DIR/control.sock in the serving process (which holds DATA_DIR's lock). */
export async function startControlServer(deps: Deps, dataDir: string): Promise<ControlServer> {
  try {
    chmodSync(dataDir, 0o700);
  } catch (err) {
    deps.log.warn({ err, dataDir }, 'data directory permissions not narrowed to its owner');
  }
  // Left over from a process that died: this process holds the lock, so nothing else uses them.
  for (const name of readdirSync(dataDir)) {
    if (name.startsWith('.control-')) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
  const path = join(dataDir, CONTROL_SOCKET);
  const running = new Set<Promise<void>>();
  /** Connections that have not sent their request yet: closing does not wait for them. */
  const waiting = new Set<Socket>();
  const server = createServer((conn) => {
    waiting.add(conn);
    conn.on('close', () => waiting.delete(conn));
    let buf = '';
    conn.setEncoding('utf8');
    const onData = (chunk: string) => {
      buf += chunk;
      const nl = chunk.includes('\n') ? buf.indexOf('\n') : -1;
      if (nl < 0 && buf.length <= MAX_REQUEST_BYTES) return;
      conn.off('data', onData);
      waiting.delete(conn);
      const p = serve(deps, conn, nl < 0 ? '' : buf.slice(0, nl)).finally(() => running.delete(p));
      running.add(p);
    };
    conn.on('data', onData);
    conn.on('error', () => {
      // The CLI went away; the command still finishes here.
    });
  });
  // The socket is made in a private (0700) directory, narrowed to 0600, and only then moved into place:
  // at no moment can another user connect to it.
  const dir = mkdtempSync(join(dataDir, '.control-'));
  const made = join(dir, 's');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(made, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(made, 0o600);
  renameSync(made, path);
  rmSync(dir, { recursive: true, force: true });
  deps.log.info({ path }, 'control channel open');
  return {
    path,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const conn of waiting) conn.destroy();
      await closed;
      await Promise.allSettled([...running]);
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * Runs a command in the server that owns dataDir. Null when no server answers on the control socket (the
 * caller then opens the database itself, under the lock).
 */
export async function runThroughServer(
  dataDir: string,
  cmd: CliCommand,
  argv: string[],
  args: string[],
  io: CliIo,
): Promise<number | null> {
  const conn = await new Promise<Socket | null>((resolve) => {
    const c = createConnection({ path: join(dataDir, CONTROL_SOCKET) });
    c.once('connect', () => resolve(c));
    c.once('error', () => resolve(null));
  });
  if (!conn) return null;
  const files: Record<string, FileEntry> = {};
  for (const f of cmd.inputFiles?.(args) ?? []) {
    try {
      files[f] = { base64: (await readFile(f)).toString('base64') };
    } catch (err) {
      files[f] = { error: (err as NodeJS.ErrnoException).code ?? String(err) };
    }
  }
  return new Promise<number>((resolve) => {
    let buf = '';
    let exit: number | null = null;
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const a = JSON.parse(buf.slice(0, nl)) as ControlAnswer;
        buf = buf.slice(nl + 1);
        if ('out' in a) io.out(a.out);
        else if ('err' in a) io.err(a.err);
        else if ('progress' in a) io.progress(a.progress);
        else exit = a.exit;
      }
    });
    conn.on('error', () => {});
    conn.on('close', () => {
      if (exit === null) io.err('与服务的连接中断，命令的结果未知，请查看服务日志。');
      resolve(exit ?? 1);
    });
    conn.write(`${JSON.stringify({ argv, tty: io.tty, files } satisfies ControlRequest)}\n`);
  });
}

/** What an operator reads when DATA_DIR's lock is held by another process. */
export function dataDirBusyText(err: DataDirBusyError, who: 'server' | 'cli'): string {
  const h = err.holder;
  const outcome = who === 'server' ? '服务未启动' : '命令未执行';
  const head =
    h === null
      ? `数据目录 ${err.dataDir} 正被另一个进程使用，${outcome}。`
      : h.role === 'server' && who === 'server'
        ? `数据目录 ${err.dataDir} 已由另一个服务进程使用（进程号 ${h.pid}，主机 ${h.host}），同一数据目录只能运行一个服务。`
        : h.role === 'server'
          ? `数据目录 ${err.dataDir} 由服务进程使用（进程号 ${h.pid}，主机 ${h.host}），但它没有在 ${join(err.dataDir, CONTROL_SOCKET)} 应答，${outcome}；请稍后再试，或先停止服务。`
          : `数据目录 ${err.dataDir} 正由命令行进程使用（进程号 ${h.pid}，主机 ${h.host}），${outcome}；请等它结束后再试。`;
  return `${head}若确认没有进程在使用它，可删除锁文件 ${err.lockPath}。`;
}
