// `npm run bench`: in one run (BENCH_PARTS picks some of them, comma-separated),
//   callbacks         the callback paths and the node-webot peer side by side, each server in its own
//                     process, the load from another (autocannon; bench/callbacks.ts)
//   reminders         every reminder job on a roster of 100,000 deputies in 10,000 groups (bench/reminders.ts)
//   reminders-pglite  the same on PGlite with 20,000 deputies (when the main run is on PostgreSQL)
//   broadcast         a notice to 1,000 groups sharing robots, through the rate limiter (bench/broadcast.ts)
//   parser            the chat parser's time per 200-character message; p99 must stay under 1 ms (bench/parser.ts)
// Uses DATABASE_URL / REDIS_URL when set (as in production), else PGlite and the in-process store; each
// part works in a fresh schema (or PGlite directory) and key prefix of its own, dropped afterwards.
// Results go to bench/results/<time>.json and tables on stdout. See docs/bench.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { type BroadcastBench, benchBroadcast } from './broadcast.ts';
import { benchCallbacks, type CallbackBench } from './callbacks.ts';
import { benchParser, type ParserBench } from './parser.ts';
import { benchReminders, type ReminderBench } from './reminders.ts';

const PARTS = ['callbacks', 'reminders', 'reminders-pglite', 'broadcast', 'parser'] as const;
type Part = (typeof PARTS)[number];

const int = (name: string, fallback: number, min = 1): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer of at least ${min}`);
  return v;
};

function partsToRun(): Part[] {
  const raw = process.env.BENCH_PARTS?.trim();
  if (!raw) return [...PARTS];
  const asked = raw.split(',').map((p) => p.trim());
  const unknown = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_PARTS: unknown part ${unknown.join(', ')} (${PARTS.join(', ')})`);
  return PARTS.filter((p) => asked.includes(p));
}

/** A reminder run's jobs and their total, as printed for either engine. */
const reminderTable = (r: ReminderBench) => [
  ...r.jobs,
  {
    job: 'total',
    rules: '',
    queued: r.total.queued,
    outboxRows: r.total.outboxRows,
    againQueued: r.total.againQueued,
  },
];

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const parts = partsToRun();
  const database = config.databaseUrl ? 'postgres' : 'pglite';
  const store = config.redisUrl ? 'redis' : 'memory';
  const deputies = int('BENCH_DEPUTIES', database === 'postgres' ? 100_000 : 20_000, 100);
  console.log(`database: ${database}, store: ${store}, parts: ${parts.join(', ')}`);

  const out: {
    callbacks?: CallbackBench;
    ratios?: CallbackBench['ratios'];
    latency?: CallbackBench['latency'];
    reminders?: ReminderBench & { scaledDown: boolean };
    remindersPglite?: ReminderBench;
    broadcast?: BroadcastBench;
    parser?: ParserBench;
  } = {};

  if (parts.includes('callbacks')) {
    const o = {
      connections: int('BENCH_CONNECTIONS', 64),
      seconds: int('BENCH_SECONDS', 5),
      rounds: int('BENCH_ROUNDS', 3),
    };
    const c = await benchCallbacks(o);
    out.callbacks = c;
    out.ratios = c.ratios;
    out.latency = c.latency;
    console.log(
      `\ncallbacks: ${o.connections} connections, ${o.rounds} rounds of ${o.seconds} s per path, interleaved (medians)`,
    );
    console.table(
      c.paths.map(({ rounds: _r, ...p }) => ({
        ...p,
        toBare: Math.round((p.rps / c.paths[0]!.rps) * 100) / 100,
        toPeer: Math.round((p.rps / c.paths.at(-1)!.rps) * 100) / 100,
      })),
    );
    console.log('ratios', c.ratios, 'parser', c.parser, 'peak RSS (MB)', c.peakRssMb);
    console.log("V8 heap at each server's peak (MB):", c.heapAtPeakMb);
    console.log('round by round, to the peer (lowest, highest):', c.ratioSpread);
    console.log('CPU per request (ms): the serving process, PostgreSQL, Redis, the load generator');
    console.table(c.cpuPerRequestMs);
  }

  if (parts.includes('reminders')) {
    const scaledDown = deputies < 100_000;
    if (database === 'pglite' && process.env.BENCH_DEPUTIES === undefined)
      console.log(
        `\nreminders: PGlite, so the roster is scaled down to ${deputies} deputies (BENCH_DEPUTIES)`,
      );
    const r = await benchReminders(config, deputies, int('BENCH_LEDGER_MONTHS', 0, 0));
    out.reminders = { ...r, scaledDown };
    console.log(
      `\nreminders: ${r.roster.deputies} deputies, ${r.roster.groups} small groups, ${r.roster.stations} stations` +
        `${scaledDown ? ' (scaled down from 100000 deputies / 10000 groups)' : ''}${r.historyRows > 0 ? `, ${r.historyRows} ledger rows of past months` : ''}; seeded in ${r.seedSeconds} s; run at ${r.runAt}`,
    );
    console.table(reminderTable(r));
    console.log(
      `the day's run: ${r.total.seconds} s; the same run again: ${r.total.againSeconds} s` +
        (database === 'postgres' && !scaledDown ? ' (goals: at most 5 s and 0.5 s)' : ''),
    );
    if (r.total.againQueued > 0) console.log('reminders: THE SECOND RUN QUEUED REMINDERS AGAIN');
  }

  if (parts.includes('reminders-pglite') && database === 'postgres') {
    const n = int('BENCH_PGLITE_DEPUTIES', 20_000, 100);
    const r = await benchReminders({ ...config, databaseUrl: undefined }, n);
    out.remindersPglite = r;
    console.log(`\nreminders on PGlite: ${r.roster.deputies} deputies, ${r.roster.groups} small groups`);
    console.table(reminderTable(r));
    console.log(
      `the day's run: ${r.total.seconds} s; the same run again: ${r.total.againSeconds} s` +
        (n === 20_000 ? ' (goal: at most 15 s)' : ''),
    );
  }

  if (parts.includes('broadcast')) {
    const b = await benchBroadcast(config, {
      groups: int('BENCH_GROUPS', 1000),
      robotKeys: int('BENCH_ROBOT_KEYS', 10),
    });
    out.broadcast = b;
    console.log(
      `\nbroadcast: ${b.groups} groups on ${b.robotKeys} robot keys (up to ${b.maxGroupsPerKey} groups a key)`,
    );
    console.table([b]);
    if (!b.everyGroupOnce) console.log('broadcast: NOT EVERY GROUP GOT THE NOTICE EXACTLY ONCE');
  }

  if (parts.includes('parser')) {
    const p = benchParser();
    out.parser = p;
    console.log(`\nparser: ${p.messages} messages of ${p.chars} characters, ${p.rounds} rounds each`);
    console.table([p]);
    if (!p.underOneMsAtP99) console.log('parser: THE 99TH PERCENTILE IS 1 MS OR MORE');
  }

  mkdirSync(join('bench', 'results'), { recursive: true });
  const file = join('bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), database, store, ...out }, null, 2));
  console.log(`\nwritten to ${file}`);
}

await main();
