import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// The embedded database (PGlite) has exactly one writer: the process holding DATA_DIR/owner.lock. The lock
// file is created exclusively (O_EXCL) and names its holder; a holder on this host whose pid is gone is
// stale and taken over at once, a holder on another host (a shared volume) is stale once its heartbeat (the
// file's mtime, touched every HEARTBEAT_MS) is older than STALE_MS.

export type LockRole = 'server' | 'cli';

export interface LockHolder {
  pid: number;
  host: string;
  role: LockRole;
  since: string;
}

export const LOCK_FILE = 'owner.lock';
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;
/** A takeover guard older than this was left by a process that died while taking over. */
const GUARD_STALE_MS = 10_000;

export class DataDirBusyError extends Error {
  readonly dataDir: string;
  readonly lockPath: string;
  /** Null when the lock file could not be read (being written, or not ours to read). */
  readonly holder: LockHolder | null;

  constructor(dataDir: string, lockPath: string, holder: LockHolder | null) {
    super(
      `data directory ${dataDir} is in use by ${holder ? `${holder.role} pid ${holder.pid} on ${holder.host}` : 'another process'} (${lockPath})`,
    );
    this.name = 'DataDirBusyError';
    this.dataDir = dataDir;
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

export interface DataDirLock {
  path: string;
  holder: LockHolder;
  release(): void;
}

interface Seen {
  raw: string;
  holder: LockHolder | null;
  mtimeMs: number;
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    if (v.role !== 'server' && v.role !== 'cli') return null;
    return { pid: v.pid, host: v.host, role: v.role, since: String(v.since ?? '') };
  } catch {
    return null;
  }
}

function readLock(path: string): Seen | null {
  try {
    const raw = readFileSync(path, 'utf8');
    const { mtimeMs } = statSync(path);
    return { raw, holder: parseHolder(raw), mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(seen: Seen, now: number): boolean {
  const h = seen.holder;
  if (h && h.host === hostname()) return h.pid === process.pid || !pidAlive(h.pid);
  // Another host's holder (or a file still being written): only a silent heartbeat makes it stale.
  return now - seen.mtimeMs > STALE_MS;
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a stale lock file, unless another process is taking it over at the same moment. */
function removeStale(path: string, seen: Seen): boolean {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, String(process.pid))) {
    const g = readLock(guard);
    if (g && Date.now() - g.mtimeMs > GUARD_STALE_MS) unlinkSync(guard);
    return false;
  }
  try {
    // Only the file judged stale is removed, never one a faster process has just created.
    const again = readLock(path);
    if (again && again.raw === seen.raw) unlinkSync(path);
    return true;
  } finally {
    unlinkSync(guard);
  }
}

/**
 * Takes DATA_DIR's lock for this process, or throws DataDirBusyError naming its holder. The lock is
 * released by release(), and in any case when the process exits.
 */
export function acquireDataDirLock(dataDir: string, role: LockRole): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), role, since: new Date().toISOString() };
  const content = `${JSON.stringify(holder)}\n`;
  let last: Seen | null = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (tryCreate(path, content)) return held(path, holder, content);
    last = readLock(path);
    if (last === null) continue;
    if (!isStale(last, Date.now())) break;
    removeStale(path, last);
  }
  throw new DataDirBusyError(dataDir, path, last?.holder ?? null);
}

function held(path: string, holder: LockHolder, content: string): DataDirLock {
  const beat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // The file is gone (removed by hand); release() below then removes nothing.
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    process.off('exit', release);
    try {
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { path, holder, release };
}
