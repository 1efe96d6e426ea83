// `npm run bench`: in one run (BENCH_PARTS picks some of them, comma-separated),
//   callbacks  three callback paths side by side over loopback (bench/callbacks.ts)
//   reminders  every reminder job on a roster of 100,000 deputies in 10,000 groups (bench/reminders.ts)
//   broadcast  a notice to 1,000 groups sharing robots, through the rate limiter (bench/broadcast.ts)
// Uses DATABASE_URL / REDIS_URL when set (as in production), else PGlite and the in-process store; each
// part works in a fresh schema (or PGlite directory) and key prefix of its own, dropped afterwards.
// Results go to bench/results/<time>.json and tables on stdout. See docs/bench.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { type BroadcastBench, benchBroadcast } from './broadcast.ts';
import { benchCallbacks, type CallbackResult } from './callbacks.ts';
import { benchReminders, type ReminderBench } from './reminders.ts';

const PARTS = ['callbacks', 'reminders', 'broadcast'] as const;
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

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const parts = partsToRun();
  const database = config.databaseUrl ? 'postgres' : 'pglite';
  const store = config.redisUrl ? 'redis' : 'memory';
  const deputies = int('BENCH_DEPUTIES', database === 'postgres' ? 100_000 : 20_000, 100);
  console.log(`database: ${database}, store: ${store}, parts: ${parts.join(', ')}`);

  const out: {
    callbacks?: { requests: number; concurrency: number; results: CallbackResult[] };
    reminders?: ReminderBench & { scaledDown: boolean };
    broadcast?: BroadcastBench;
  } = {};

  if (parts.includes('callbacks')) {
    const o = {
      requests: int('BENCH_REQUESTS', 3000),
      concurrency: int('BENCH_CONCURRENCY', 16),
      maxSeconds: int('BENCH_MAX_SECONDS', 60),
    };
    const results = await benchCallbacks(config, o);
    out.callbacks = { requests: o.requests, concurrency: o.concurrency, results };
    console.log(`\ncallbacks: ${o.requests} requests per path, ${o.concurrency} at a time`);
    console.table(results);
  }

  if (parts.includes('reminders')) {
    const scaledDown = deputies < 100_000;
    if (database === 'pglite' && process.env.BENCH_DEPUTIES === undefined)
      console.log(
        `\nreminders: PGlite, so the roster is scaled down to ${deputies} deputies (BENCH_DEPUTIES)`,
      );
    const r = await benchReminders(config, deputies);
    out.reminders = { ...r, scaledDown };
    console.log(
      `\nreminders: ${r.roster.deputies} deputies, ${r.roster.groups} small groups, ${r.roster.stations} stations` +
        `${scaledDown ? ' (scaled down from 100000 deputies / 10000 groups)' : ''}; seeded in ${r.seedSeconds} s; run at ${r.runAt}`,
    );
    console.table([
      ...r.jobs,
      {
        job: 'total',
        rules: '',
        seconds: r.total.seconds,
        queued: r.total.queued,
        outboxRows: r.total.outboxRows,
        newOutboxRows: r.total.outboxRows,
        againSeconds: r.total.againSeconds,
        againQueued: r.total.againQueued,
        outcome: '',
      },
    ]);
    if (r.total.againQueued > 0) console.log('reminders: THE SECOND RUN QUEUED REMINDERS AGAIN');
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

  mkdirSync(join('bench', 'results'), { recursive: true });
  const file = join('bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), database, store, ...out }, null, 2));
  console.log(`\nwritten to ${file}`);
}

await main();
