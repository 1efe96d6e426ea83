// One server of the callbacks bench, in a process of its own (bench/callbacks.ts forks it), so the load
// generator (another process) measures the server and the server's peak RSS is its own:
//   bare   a Koa route answering "success" (the ceiling)
//   edge   signature check + decryption + XML parsing, the handler answering nothing
//   full   the real app (dedupe, sender lookup, command, database write, encrypted passive reply) on the
//          database and store of DATABASE_URL / REDIS_URL (else PGlite and the in-process store)
//   peer   the node-webot `wechat` package in encrypted mode: verify, decrypt, parse, encrypted reply (the
//          text our 帮助 answers a deputy, BENCH_PEER_REPLY)
// Started with the mode as argument and the WeCom settings in BENCH_WECOM; sends {port} over IPC when
// listening, {counts, cpuMs} (its own CPU time so far) when asked ('counts') and {peakRss} when asked
// ('report'). Closes on 'stop'.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import type { Config, WecomConfig } from '../src/config.ts';
import { loadConfig } from '../src/config.ts';
import type { openBenchBackend } from './backend.ts';

export type ServeMode = 'bare' | 'edge' | 'full' | 'peer';

/**
 * Deputies the full path knows (senders bench0 … bench999): more than the connections, so messages in flight
 * together come from different people, as on a real roster (one person's messages are handled in turn).
 */
export const BENCH_DEPUTIES = 1000;

let peakRss = process.memoryUsage.rss();
let atPeak = process.memoryUsage();
// The resident size alone each time (cheap); the heap's figures only at a new peak, since reading them walks
// the heap's spaces and the sampler is not to cost the server it measures.
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) {
    peakRss = rss;
    atPeak = process.memoryUsage();
  }
}, 50);
sampler.unref();

/**
 * The full server's PostgreSQL queries, store commands and writes on the store's socket, counted for the
 * bench to divide by the messages handled (PGlite's queries are not counted).
 */
const counts = { queries: 0, storeCommands: 0, storeWrites: 0 };

async function countRoundTrips(deps: Awaited<ReturnType<typeof openBenchBackend>>['deps']): Promise<void> {
  const pg = (await import('pg')).default;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    counts.queries++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const redis = (deps.store as { redis?: { on(e: string, f: () => void): void; stream?: unknown } }).redis;
  if (!redis) return;
  const r = redis as unknown as {
    sendCommand: (...a: unknown[]) => unknown;
    stream?: { write: (...a: unknown[]) => unknown };
  };
  const send = r.sendCommand;
  r.sendCommand = function (this: unknown, ...args: unknown[]) {
    counts.storeCommands++;
    return send.apply(this, args);
  };
  const stream = r.stream;
  if (!stream) return;
  const write = stream.write;
  stream.write = function (this: unknown, ...args: unknown[]) {
    counts.storeWrites++;
    return write.apply(this, args);
  };
}

// BENCH_HEAP_PROF (a folder): the full server samples what it allocates, the garbage too (every 32 KiB),
// and writes it there as a .heapprofile when it stops: where the collector's work comes from.
let heapSession: import('node:inspector/promises').Session | undefined;

async function startHeapSampling(): Promise<void> {
  if (!process.env.BENCH_HEAP_PROF) return;
  const { Session } = await import('node:inspector/promises');
  heapSession = new Session();
  heapSession.connect();
  await heapSession.post('HeapProfiler.startSampling', {
    samplingInterval: 32768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

async function writeHeapProfile(): Promise<void> {
  const dir = process.env.BENCH_HEAP_PROF;
  if (!heapSession || !dir) return;
  const { profile } = await heapSession.post('HeapProfiler.stopSampling');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`${dir}/full-${process.pid}.heapprofile`, JSON.stringify(profile));
}

/** Staff members of the bench's congress (benchstaff0 …): each suggestion queues a notice to each of them. */
const BENCH_STAFF = 3;

async function seedDeputies(deps: Awaited<ReturnType<typeof openBenchBackend>>['deps']): Promise<void> {
  const congress = await deps.db
    .insertInto('congresses')
    .values({ name: '压测人大', level: 'city', settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const seats = [
    ...Array.from({ length: BENCH_DEPUTIES }, (_, i) => ({
      name: `代表${i}`,
      id: `bench${i}`,
      role: 'deputy' as const,
    })),
    ...Array.from({ length: BENCH_STAFF }, (_, i) => ({
      name: `工作人员${i}`,
      id: `benchstaff${i}`,
      role: 'staff' as const,
    })),
  ];
  const people = await deps.db
    .insertInto('people')
    .values(seats.map((s) => ({ name: s.name })))
    .returning('id')
    .execute();
  await deps.db
    .insertInto('person_identities')
    .values(
      people.map((p, i) => ({
        person_id: p.id,
        channel: 'wecom' as const,
        external_id: seats[i]!.id,
        external_id_norm: seats[i]!.id,
      })),
    )
    .execute();
  await deps.db
    .insertInto('mandates')
    .values(people.map((p, i) => ({ person_id: p.id, congress_id: congress.id, role: seats[i]!.role })))
    .execute();
}

/** The node-webot peer: connect-style middleware on a plain HTTP server (it reads req.query). */
async function peerHandler(wecom: WecomConfig): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  // @ts-expect-error: the package ships no types
  const wechat = (await import('wechat')).default as (
    config: unknown,
    handle: (req: unknown, res: { reply(text: string): void }) => void,
  ) => (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
  const peerReply = process.env.BENCH_PEER_REPLY ?? '您好，这是帮助。';
  const middleware = wechat(
    { token: wecom.token, appid: wecom.corpId, encodingAESKey: wecom.encodingAesKey },
    (_req, res) => res.reply(peerReply),
  );
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    (req as unknown as { query: Record<string, string> }).query = Object.fromEntries(url.searchParams);
    middleware(req, res, (err) => {
      res.statusCode = err ? 400 : 404;
      res.end();
    });
  };
}

async function main(): Promise<void> {
  const mode = process.argv[2] as ServeMode;
  const wecom = JSON.parse(process.env.BENCH_WECOM ?? '{}') as WecomConfig;
  const config: Config = { ...loadConfig(process.env), wecom };
  let server: Server;
  let close: () => Promise<void> = async () => {};
  if (mode === 'peer') {
    server = createServer(await peerHandler(wecom));
  } else if (mode === 'bare') {
    const app = new Koa();
    const router = new Router();
    router.post('/wecom/callback', (ctx) => {
      ctx.body = 'success';
    });
    app.use(router.routes());
    server = createServer(app.callback());
  } else {
    // Imported here, so the bare and peer processes carry no database driver in their memory.
    const { openBenchBackend } = await import('./backend.ts');
    const backend = await openBenchBackend(config);
    const { deps } = backend;
    if (mode === 'edge') {
      const { createWecomRouter } = await import('../src/channels/wecom/route.ts');
      const app = new Koa();
      app.use(createWecomRouter(deps, { handle: async () => ({ kind: 'none' }) }).routes());
      server = createServer(app.callback());
      close = () => backend.close();
    } else {
      await seedDeputies(deps);
      await countRoundTrips(deps);
      const { createRuntime } = await import('../src/runtime.ts');
      const { createApp } = await import('../src/app.ts');
      const runtime = createRuntime(deps);
      server = createServer(createApp(deps, runtime).callback());
      await startHeapSampling();
      close = async () => {
        await runtime.dispatcher.drain();
        await backend.close();
      };
    }
  }
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('message', async (msg: unknown) => {
    if (msg === 'counts') {
      const cpu = process.cpuUsage();
      process.send?.({ counts, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    if (msg === 'report') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ peakRss, atPeak, counts, memory: process.memoryUsage() });
    }
    if (msg === 'stop') {
      await writeHeapProfile();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await close().catch(() => {});
      process.send?.({ stopped: true, peakRss });
      process.exit(0);
    }
  });
  // A bench stopped midway (Ctrl-C, a timeout) leaves no server running, holding a core and a schema.
  process.on('disconnect', () => {
    void close()
      .catch(() => {})
      .finally(() => process.exit(1));
  });
}

// Run as a process of its own; imported (for its constants and types) it does nothing.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
