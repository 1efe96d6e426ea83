import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The embedded database has one writer: the serving process, or a CLI run while no server runs. These
// start the real server and CLI as child processes on one DATA_DIR.

const root = join(import.meta.dirname, '../..');
const ADMIN_TOKEN = 'owner-test-admin-token-0123456789';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string>, opts: { uid?: number } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  });
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    run.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    run.stderr += d.toString();
  });
  const exited = new Promise<Run>((resolve) =>
    child.on('exit', (code) => {
      run.code = code;
      resolve(run);
    }),
  );
  return { child, run, exited };
}

const runNode = (args: string[], env: Record<string, string>, opts?: { uid?: number }) =>
  start(args, env, opts).exited;

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const HEADER = '人大,层级,姓名,企业微信账号,角色\n';
const CONGRESS = '大同市第十六届人民代表大会,市';

describe('one owner of the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dl-owner-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const lockPath = join(dataDir, 'owner.lock');
  const socketPath = join(dataDir, 'control.sock');
  const first = join(dir, 'first.csv');
  const second = join(dir, 'second.csv');
  writeFileSync(first, `${HEADER}${CONGRESS},张三,ZhangSan,代表\n${CONGRESS},李四,LiSi,代表\n`);
  writeFileSync(
    second,
    `${HEADER}${CONGRESS},张三,ZhangSan,代表\n${CONGRESS},李四,LiSi,代表\n${CONGRESS},王五,WangWu,代表\n`,
  );
  const env = { DATA_DIR: dataDir };
  const writeLock = (pid: number, role: 'server' | 'cli') =>
    writeFileSync(lockPath, JSON.stringify({ pid, host: hostname(), role, since: new Date().toISOString() }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a CLI without a server takes over a dead holder’s lock, holds it while it runs, and a held lock turns a server and a CLI away', async () => {
    // A lock left by a process that is gone.
    const dead = start(['-e', ''], {});
    await dead.exited;
    writeLock(dead.child.pid as number, 'server');

    const cli = start(['src/cli.ts', 'roster', 'import', first], env);
    let heldByCli = false;
    const watching = until('the CLI', () => {
      try {
        const h = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; role: string };
        if (h.pid === cli.child.pid && h.role === 'cli') heldByCli = true;
      } catch {
        // Not there (yet, or any more).
      }
      return cli.run.code !== null;
    });
    const imported = await cli.exited;
    await watching;
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('新增 2 条');
    expect(heldByCli).toBe(true);
    expect(existsSync(lockPath)).toBe(false);

    // A live CLI (this process stands in for it) holds the directory: neither a server nor a CLI opens it.
    writeLock(process.pid, 'cli');
    const [server, other] = await Promise.all([
      runNode(['src/main.ts'], { ...env, PORT: '0', HOST: '127.0.0.1' }),
      runNode(['src/cli.ts', 'roster', 'import', second], env),
    ]);
    expect(server.code).toBe(1);
    expect(server.stderr).toContain(`正由命令行进程使用（进程号 ${process.pid}`);
    expect(server.stderr).toContain('服务未启动');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('命令未执行');
    expect(other.stdout).toBe('');
    rmSync(lockPath);
  }, 180_000);

  it('a CLI import runs in the running server, which sees it; a second server is refused; only the owner reaches the socket', async () => {
    const port = await freePort();
    const server = start(['src/main.ts'], {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADMIN_TOKEN,
    });
    try {
      await until(
        'the server',
        () => server.run.stdout.includes('"msg":"listening"') || server.run.code !== null,
      );
      expect(server.run.code).toBeNull();

      // The socket and its directory are the owner's alone.
      const sock = statSync(socketPath);
      expect(sock.isSocket()).toBe(true);
      expect(sock.mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);

      const uid = process.getuid?.();
      const [imported, twin, stranger] = await Promise.all([
        runNode(['src/cli.ts', 'roster', 'import', second], env),
        runNode(['src/main.ts'], { ...env, PORT: '0', HOST: '127.0.0.1' }),
        // Another user (root can switch to nobody) is refused by the file permissions.
        uid === 0
          ? runNode(
              [
                '-e',
                `require('node:net').createConnection(${JSON.stringify(socketPath)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(0)})`,
              ],
              {},
              { uid: 65534 },
            )
          : Promise.resolve(null),
      ]);
      // The earlier import (made while no server ran) and this one are the same database.
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('导入完成：新增 1 条，更新 0 条，未变 2 条，拒绝 0 条');
      expect(server.run.stdout).toContain('"command":"roster import"');

      expect(twin.code).not.toBe(0);
      expect(twin.stderr).toContain('已由另一个服务进程使用');
      expect(twin.stderr).toContain('同一数据目录只能运行一个服务');
      if (stranger) expect(stranger.stdout.trim()).toBe('EACCES');

      const res = await fetch(`http://127.0.0.1:${port}/api/deputies`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const names = ((await res.json()) as { name: string }[]).map((d) => d.name).sort();
      expect(names).toEqual(['张三', '李四', '王五'].sort());

      // A file the CLI cannot read: said as before, and nothing is imported.
      const missing = await runNode(['src/cli.ts', 'roster', 'import', join(dir, 'none.csv')], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('无法读取文件');
      expect(missing.stderr).toContain('ENOENT');
    } finally {
      server.child.kill('SIGTERM');
    }
    const stopped = await server.exited;
    expect(stopped.code).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(lockPath)).toBe(false);
  }, 180_000);
});
