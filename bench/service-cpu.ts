// CPU time of the services the full path talks to, read from Linux's /proc: every process named `postgres`
// (the server and its backends) and `redis-server` on this machine. The bench runs them locally, so what
// they spend between two readings is what the load cost them (plus their own background work, small over a
// few seconds). Null where /proc cannot be read.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in USER_HZ ticks, 100 a second on every architecture it runs on. */
const TICK_MS = 10;

export interface ServiceCpu {
  postgresMs: number;
  redisMs: number;
}

function cpuMsOf(pid: string): number {
  // The command name is in parentheses and may hold spaces: the fields after it are counted from its end.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime: fields 14–17 of proc_pid_stat(5), so indexes 11–14 from the state (field 3).
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
}

export function serviceCpu(): ServiceCpu | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out: ServiceCpu = { postgresMs: 0, redisMs: 0 };
  for (const pid of pids) {
    try {
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (name === 'postgres') out.postgresMs += cpuMsOf(pid);
      else if (name === 'redis-server') out.redisMs += cpuMsOf(pid);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}
