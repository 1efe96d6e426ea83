import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirBusyError } from '../../db/data-dir-lock.ts';

// DATA_DIR's lock file on its own (the child-process cases are in data-dir-owner.test.ts).

describe('the data directory lock', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const holder = (host: string, pid: number) =>
    JSON.stringify({ pid, host, role: 'server', since: '2026-01-01T00:00:00.000Z' });

  it('is held once; a second taker is told who holds it; release frees it', () => {
    dir = mkdtempSync(join(tmpdir(), 'dl-lock-'));
    const lock = acquireDataDirLock(dir, 'cli');
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, role: 'cli' });
    // Another live process (the parent) writes the file after ours is gone from it.
    writeFileSync(join(dir, 'owner.lock'), holder(hostname(), process.ppid));
    const err = (() => {
      try {
        acquireDataDirLock(dir, 'server');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(DataDirBusyError);
    expect((err as DataDirBusyError).holder).toMatchObject({ pid: process.ppid, role: 'server' });
    // release() removes only its own file, not the one another process wrote meanwhile.
    lock.release();
    expect(existsSync(join(dir, 'owner.lock'))).toBe(true);
    rmSync(join(dir, 'owner.lock'));
    acquireDataDirLock(dir, 'server').release();
    expect(existsSync(join(dir, 'owner.lock'))).toBe(false);
  });

  it('takes over a lock naming this very pid, and another host’s lock only once its heartbeat is a minute old', () => {
    dir = mkdtempSync(join(tmpdir(), 'dl-lock-'));
    const path = join(dir, 'owner.lock');
    // A lock naming this process was left by an earlier life of it (a container restarted as pid 1).
    writeFileSync(path, holder(hostname(), process.pid));
    acquireDataDirLock(dir, 'server').release();

    writeFileSync(path, holder('another-host', 1));
    expect(() => acquireDataDirLock(dir, 'cli')).toThrow(DataDirBusyError);
    const old = new Date(Date.now() - 61_000);
    utimesSync(path, old, old);
    const lock = acquireDataDirLock(dir, 'cli');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();

    // A file still being written (unreadable) is held, not stale.
    writeFileSync(path, '');
    expect(() => acquireDataDirLock(dir, 'cli')).toThrow(DataDirBusyError);
  });
});
