import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const root = join(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(
  args: string[],
  env: Record<string, string>,
  until?: (out: string) => boolean,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until?.(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('starting the process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops on bad configuration with one readable line per bad variable and no stack trace', async () => {
    const run = await runNode(['src/main.ts'], {
      PORT: 'x',
      APP_TIMEZONE: 'Nowhere/Land',
      DATA_DIR: dataDir,
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/PORT/);
    expect(lines[1]).toMatch(/APP_TIMEZONE/);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('starts on the embedded database, serves, and stops cleanly on SIGTERM', async () => {
    const run = await runNode(
      ['src/main.ts'],
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      (out) => out.includes('"msg":"listening"'),
    );
    expect(run.stdout).toContain('using the embedded PostgreSQL');
    expect(run.stdout).toContain('in-process store (single instance only)');
    expect(run.stdout).toContain('"msg":"stopped"');
    expect(run.code).toBe(0);
  });

  it('starts as npm start does: every module compiled ahead, so the service strips no type itself', async () => {
    const { prestart, start } = (pkg as { scripts: { prestart: string; start: string } }).scripts;
    const flags = (script: string) => script.split(/\s+/).filter((t) => t.startsWith('--'));
    // Node files its compile cache by the V8 settings: the step ahead must use the same ones as the start.
    expect(flags(start)).toContain('--import=./src/compile-cache.js');
    expect(flags(prestart)).toEqual(flags(start));
    expect(prestart).toMatch(/ src\/compile-ahead\.ts$/);
    const cache = mkdtempSync(join(tmpdir(), 'dl-cache-'));
    const dir = mkdtempSync(join(tmpdir(), 'dl-cached-'));
    try {
      const ahead = await runNode([...flags(prestart), 'src/compile-ahead.ts'], {
        NODE_COMPILE_CACHE: cache,
      });
      expect(ahead.stderr).toBe('');
      expect(ahead.code).toBe(0);
      const run = await runNode(
        [...flags(start), 'src/main.ts'],
        {
          NODE_COMPILE_CACHE: cache,
          NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          LOG_LEVEL: 'info',
        },
        (out) => out.includes('"msg":"listening"'),
      );
      expect(run.stdout).toContain('"msg":"stopped"');
      expect(run.code).toBe(0);
      // Node's own account of its cache: the entry point and what it imports found stripped, nothing missing.
      const found =
        run.stderr.match(/retrieving transpile cache for StrippedTypeScript \S+\.ts\.\.\.success/g) ?? [];
      expect(run.stderr).toMatch(
        /transpile cache for StrippedTypeScript file:\/\/\S+\/src\/main\.ts\.\.\.success/,
      );
      expect(found.length).toBeGreaterThan(100);
      expect(run.stderr).not.toContain('no transpile cache');
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('migrates from the CLI, and a second run has nothing to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-cli-'));
    try {
      const first = await runNode(['src/cli.ts', 'migrate'], { DATA_DIR: dir });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('已执行迁移');
      const second = await runNode(['src/cli.ts', 'migrate'], { DATA_DIR: dir });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('数据库已是最新');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the simulate command', () => {
  // Four processes, each opening the embedded database: seconds alone, up to two minutes on a machine busy
  // with the rest of the suite, so the time allowed is twice that.
  it('sends a message through the real WeCom path and prints the answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-sim-'));
    // Run as `npm run cli` runs it: the compile cache the first command fills serves the ones after it.
    const cli = (pkg as { scripts: { cli: string } }).scripts.cli
      .split(/\s+/)
      .filter((t) => t.startsWith('--'));
    const env = { DATA_DIR: dir, NODE_COMPILE_CACHE: join(dir, 'compile-cache') };
    const runCli = (args: string[]) => runNode([...cli, 'src/cli.ts', ...args], env);
    try {
      const csv = join(dir, 'roster.csv');
      writeFileSync(
        csv,
        '人大,层级,姓名,企业微信账号,角色\n大同市第十六届人民代表大会,市,张三,ZhangSan,代表\n',
      );
      const imported = await runCli(['roster', 'import', csv]);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const known = await runCli(['simulate', 'zhangsan', '帮助']);
      expect(known.code).toBe(0);
      expect(known.stdout).toContain('直接用平常的话告诉我就行');
      const stranger = await runCli(['simulate', 'nobody', '帮助']);
      expect(stranger.stdout).toContain('不在本系统的代表名册中');
      const usage = await runCli(['simulate']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('用法');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
