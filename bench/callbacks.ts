// The callback paths side by side, each server in a process of its own (bench/serve.ts) and the load from
// another (bench/load.ts, autocannon), so what is measured is the server, not the load generator:
//   bare         a Koa route answering "success" (the ceiling)
//   edge         signature check + decryption + XML parsing, the handler answering nothing
//   fullHelp     the real app answering 帮助 (dedupe, sender lookup, command, encrypted passive reply)
//   fullSuggest  the real app recording a suggestion (a database write, a staff notice queued)
//   peer         the node-webot `wechat` package in encrypted mode (verify, decrypt, parse, encrypted reply)
// In rounds, the paths interleaved within each round, so a slow minute of the machine falls on all of them;
// per path the median of the rounds is reported. Plus the command parser's p99 per message, in process.
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import { plainHelp } from '../src/bot/dialog/help.ts';
import type { Role } from '../src/bot/language/command-catalog.ts';
import { parseCommand } from '../src/bot/language/command-parser.ts';
import type { WecomConfig } from '../src/config.ts';
import corpus from '../test/fixtures/phrasings.json' with { type: 'json' };
import type { LoadResult, LoadTask } from './load.ts';
import { BENCH_DEPUTIES, type ServeMode } from './serve.ts';
import { serviceCpu } from './service-cpu.ts';

const run = promisify(execFile);

export interface CallbackOptions {
  connections: number;
  seconds: number;
  rounds: number;
}

export const PATHS = ['bare', 'edge', 'fullHelp', 'fullSuggest', 'peer'] as const;
export type PathName = (typeof PATHS)[number];

const SERVER_OF: Record<PathName, ServeMode> = {
  bare: 'bare',
  edge: 'edge',
  fullHelp: 'full',
  fullSuggest: 'full',
  peer: 'peer',
};
const TEXT_OF: Record<PathName, string> = {
  bare: '帮助',
  edge: '帮助',
  fullHelp: '帮助',
  // {n}: each request's own number, so every suggestion is a new one. The same words again from one deputy
  // are answered as a repeat without a write (handlers/suggestion-submit.ts), which is not what is measured.
  fullSuggest: '建议 小区门口的路灯坏了两个月，晚上出行不便，请有关部门尽快修复（第{n}号楼）',
  peer: '帮助',
};

export interface PathResult {
  path: PathName;
  /** Medians over the rounds. */
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Peak resident memory of the process serving the path, over the whole run (MB). */
  peakRssMb: number;
  rounds: LoadResult[];
}

export interface CallbackBench {
  connections: number;
  secondsPerRound: number;
  rounds: number;
  paths: PathResult[];
  ratios: {
    fullHelpToPeer: number;
    fullHelpToBare: number;
    fullSuggestToPeer: number;
    edgeToBare: number;
    peerToBare: number;
  };
  latency: { fullHelp: { p50Ms: number; p99Ms: number }; fullSuggest: { p50Ms: number; p99Ms: number } };
  parser: { messages: number; p50Us: number; p99Us: number };
  peakRssMb: Record<ServeMode, number>;
  /**
   * The V8 heap when each server's resident memory peaked (MB): what the garbage collector held (`heapTotal`)
   * and what was in it (`heapUsed`), the rest of the peak being code, buffers and the runtime itself.
   */
  heapAtPeakMb: Record<ServeMode, { heapTotal: number; heapUsed: number; external: number }>;
  /** Per message of the full paths over their rounds: database queries, store commands, store socket writes. */
  roundTrips: Record<'fullHelp' | 'fullSuggest', RoundTrips>;
  /**
   * The ratios to the peer round by round (each path and the peer loaded within seconds of each other):
   * their lowest and highest, so a reader sees how much the machine moved during the run.
   */
  ratioSpread: Record<'fullHelpToPeer' | 'fullSuggestToPeer', { min: number; max: number }>;
  /**
   * CPU time per request over the rounds of each path (ms): of the serving process, of PostgreSQL and
   * Redis on this machine (null where /proc cannot be read), and of the load generator. What a path costs,
   * whatever the machine's speed at the moment; the load generator shares the machine's cores with the rest.
   */
  cpuPerRequestMs: Record<
    PathName,
    { server: number; postgres: number | null; redis: number | null; loadGenerator: number }
  >;
}

interface RoundTrips {
  queries: number;
  storeCommands: number;
  storeWrites: number;
}

interface Served {
  child: ChildProcess;
  port: number;
}

/**
 * The Node settings `npm start` gives the service (package.json): the compile cache and the V8 settings, so
 * the bench serves as production does.
 */
/** BENCH_NODE_FLAGS: Node settings to try on our servers, after those of `npm start` (later ones win). */
const extraFlags = (): string[] => (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

function startFlags(): string[] {
  const start = (pkg as { scripts: { start: string } }).scripts.start;
  return start.split(/\s+/).filter((t) => t.startsWith('--'));
}

/**
 * What `npm start`'s prestart does (src/compile-ahead.ts), for the bench's servers too: their modules are
 * compiled into the cache before they start, so no server loads the type stripper (docs/OPERATIONS.md).
 */
async function compileAhead(): Promise<void> {
  const here = (f: string) => new URL(f, import.meta.url).pathname;
  await run(process.execPath, [
    ...startFlags(),
    here('../src/compile-ahead.ts'),
    here('./serve.ts'),
    here('./backend.ts'),
  ]);
}

function serve(mode: ServeMode, wecom: WecomConfig): Promise<Served> {
  const child = fork(new URL('./serve.ts', import.meta.url).pathname, [mode], {
    // The peer answers with the text our 帮助 answers a deputy, so both encrypt and send the same bytes.
    env: { ...process.env, BENCH_WECOM: JSON.stringify(wecom), BENCH_PEER_REPLY: plainHelp(['deputy']) },
    // Our servers run with the V8 settings of `npm start`; the peer with the runtime's defaults.
    // BENCH_CPU_PROF (a folder): the full server writes a V8 CPU profile there when it stops.
    execArgv: [
      ...process.execArgv,
      ...(mode === 'peer' ? [] : [...startFlags(), ...extraFlags()]),
      ...(mode === 'full' && process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server ${mode} exited (${code})`)));
    child.on('message', function onPort(m: unknown) {
      const port = (m as { port?: number }).port;
      if (port === undefined) return;
      child.off('message', onPort);
      child.removeAllListeners('exit');
      resolve({ child, port });
    });
  });
}

function ask<T>(child: ChildProcess, msg: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (m && typeof m === 'object' && key in m) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function load(task: LoadTask): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    [new URL('./load.ts', import.meta.url).pathname, JSON.stringify(task)],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;
const perMessage = (c: RoundTrips, messages: number): RoundTrips => ({
  queries: round2(c.queries / Math.max(1, messages)),
  storeCommands: round2(c.storeCommands / Math.max(1, messages)),
  storeWrites: round2(c.storeWrites / Math.max(1, messages)),
});

/** The command parser on every phrasing of the corpus, many times: per-message p50 and p99 in µs. */
function parserTimes(): CallbackBench['parser'] {
  const entries = (corpus.commands as { text: string; roles: Role[] }[]).map((e) => e);
  const times: number[] = [];
  for (let pass = 0; pass < 20; pass++) {
    for (const e of entries) {
      const t0 = performance.now();
      parseCommand(e.text, { now: corpus.now, roles: e.roles });
      times.push((performance.now() - t0) * 1000);
    }
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => round2(times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? 0);
  return { messages: times.length, p50Us: pct(0.5), p99Us: pct(0.99) };
}

export async function benchCallbacks(o: CallbackOptions): Promise<CallbackBench> {
  const wecom: WecomConfig = {
    corpId: 'wwbench0000000001',
    agentId: 1000002,
    secret: 'bench-secret',
    token: 'BenchToken',
    encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
    // Replies are passive (in the HTTP answer); nothing is sent to WeCom, and this port refuses.
    apiBase: 'http://127.0.0.1:9',
  };
  const servers = new Map<ServeMode, Served>();
  await compileAhead();
  try {
    for (const mode of ['bare', 'edge', 'full', 'peer'] as const) servers.set(mode, await serve(mode, wecom));
    const task = (path: PathName, seconds: number): LoadTask => ({
      url: `http://127.0.0.1:${servers.get(SERVER_OF[path])!.port}`,
      connections: o.connections,
      seconds,
      text: TEXT_OF[path],
      senders: BENCH_DEPUTIES,
      wecom,
    });
    // Warm-up (not reported): JIT, pools, caches.
    for (const path of PATHS) await load(task(path, 2));
    const rounds = new Map<PathName, LoadResult[]>(PATHS.map((p) => [p, []]));
    const counted = {
      fullHelp: { queries: 0, storeCommands: 0, storeWrites: 0 },
      fullSuggest: { queries: 0, storeCommands: 0, storeWrites: 0 },
    };
    const countsOf = (child: ChildProcess) =>
      ask<{ counts: RoundTrips; cpuMs: number }>(child, 'counts', 'counts');
    const cpu = new Map(PATHS.map((p) => [p, { server: 0, postgres: 0, redis: 0 }]));
    let servicesRead = true;
    for (let r = 0; r < o.rounds; r++) {
      for (const path of PATHS) {
        const server = servers.get(SERVER_OF[path])!.child;
        const before = await countsOf(server);
        const servicesBefore = serviceCpu();
        rounds.get(path)!.push(await load(task(path, o.seconds)));
        const servicesAfter = serviceCpu();
        const after = await countsOf(server);
        const spent = cpu.get(path)!;
        spent.server += after.cpuMs - before.cpuMs;
        if (servicesBefore && servicesAfter) {
          spent.postgres += servicesAfter.postgresMs - servicesBefore.postgresMs;
          spent.redis += servicesAfter.redisMs - servicesBefore.redisMs;
        } else servicesRead = false;
        if (path === 'fullHelp' || path === 'fullSuggest') {
          for (const k of ['queries', 'storeCommands', 'storeWrites'] as const)
            counted[path][k] += after.counts[k] - before.counts[k];
        }
      }
    }
    const peakRssMb = {} as Record<ServeMode, number>;
    const heapAtPeakMb = {} as CallbackBench['heapAtPeakMb'];
    for (const [mode, s] of servers) {
      const { peakRss, atPeak } = await ask<{ peakRss: number; atPeak: NodeJS.MemoryUsage }>(
        s.child,
        'report',
        'peakRss',
      );
      const mb = (n: number) => Math.round(n / 1048576);
      heapAtPeakMb[mode] = {
        heapTotal: mb(atPeak.heapTotal),
        heapUsed: mb(atPeak.heapUsed),
        external: mb(atPeak.external),
      };
      peakRssMb[mode] = Math.round(peakRss / 1048576);
    }
    const paths: PathResult[] = PATHS.map((path) => {
      const rs = rounds.get(path)!;
      return {
        path,
        rps: median(rs.map((x) => x.rps)),
        p50ms: median(rs.map((x) => x.p50ms)),
        p99ms: median(rs.map((x) => x.p99ms)),
        requests: rs.reduce((a, x) => a + x.requests, 0),
        errors: rs.reduce((a, x) => a + x.errors, 0),
        non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
        peakRssMb: peakRssMb[SERVER_OF[path]],
        rounds: rs,
      };
    });
    const of = (p: PathName) => paths.find((x) => x.path === p)!;
    const ratio = (a: PathName, b: PathName) => (of(b).rps > 0 ? round2(of(a).rps / of(b).rps) : 0);
    const spread = (p: PathName) => {
      const peer = rounds.get('peer')!;
      const each = rounds.get(p)!.map((x, i) => (peer[i]!.rps > 0 ? x.rps / peer[i]!.rps : 0));
      return { min: round2(Math.min(...each)), max: round2(Math.max(...each)) };
    };
    return {
      connections: o.connections,
      secondsPerRound: o.seconds,
      rounds: o.rounds,
      paths,
      ratios: {
        fullHelpToPeer: ratio('fullHelp', 'peer'),
        fullHelpToBare: ratio('fullHelp', 'bare'),
        fullSuggestToPeer: ratio('fullSuggest', 'peer'),
        edgeToBare: ratio('edge', 'bare'),
        peerToBare: ratio('peer', 'bare'),
      },
      latency: {
        fullHelp: { p50Ms: of('fullHelp').p50ms, p99Ms: of('fullHelp').p99ms },
        fullSuggest: { p50Ms: of('fullSuggest').p50ms, p99Ms: of('fullSuggest').p99ms },
      },
      parser: parserTimes(),
      peakRssMb,
      heapAtPeakMb,
      roundTrips: {
        fullHelp: perMessage(counted.fullHelp, of('fullHelp').requests),
        fullSuggest: perMessage(counted.fullSuggest, of('fullSuggest').requests),
      },
      ratioSpread: {
        fullHelpToPeer: spread('fullHelp'),
        fullSuggestToPeer: spread('fullSuggest'),
      },
      cpuPerRequestMs: Object.fromEntries(
        PATHS.map((p) => {
          const spent = cpu.get(p)!;
          const per = (ms: number) => Math.round((ms / Math.max(1, of(p).requests)) * 1000) / 1000;
          return [
            p,
            {
              server: per(spent.server),
              postgres: servicesRead ? per(spent.postgres) : null,
              redis: servicesRead ? per(spent.redis) : null,
              loadGenerator: per(rounds.get(p)!.reduce((a, x) => a + x.cpuMs, 0)),
            },
          ];
        }),
      ) as CallbackBench['cpuPerRequestMs'],
    };
  } finally {
    for (const s of servers.values()) {
      await Promise.race([ask(s.child, 'stop', 'stopped'), new Promise((r) => setTimeout(r, 30_000))]);
      if (s.child.exitCode === null)
        await new Promise((r) => {
          s.child.once('exit', r);
          setTimeout(r, 10_000);
        });
      s.child.kill();
    }
  }
}
