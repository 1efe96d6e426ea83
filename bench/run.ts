// `npm run bench`: three callback paths side by side over loopback, in one run.
//   bare      a Koa route answering "success" (the ceiling)
//   edge      signature check + decryption + XML parsing, the handler answering nothing
//   full      the whole path: dedupe, sender lookup, command, database write, encrypted passive reply
// Uses DATABASE_URL / REDIS_URL when set (as in production), else the embedded database and in-process store.
// Results go to bench/results/<time>.json and a table on stdout. Requests are bounded in count and time.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Router from '@koa/router';
import Koa from 'koa';
import { createApp } from '../src/app.ts';
import { buildDeps, closeDeps } from '../src/bootstrap.ts';
import { createWecomCipher } from '../src/channels/wecom/crypto.ts';
import { createWecomRouter } from '../src/channels/wecom/route.ts';
import { computeSignature } from '../src/channels/wecom/signature.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createRuntime } from '../src/runtime.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 60);

const wecom = {
  corpId: 'wwbench0000000001',
  agentId: 1000002,
  secret: 'bench-secret',
  token: 'BenchToken',
  encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
  apiBase: 'http://127.0.0.1:9',
};

const cdata = (s: string) => `<![CDATA[${s}]]>`;
const cipher = createWecomCipher(wecom.encodingAesKey, wecom.corpId);
let seq = 0n;

function callback(): { path: string; body: string } {
  seq += 1n;
  const now = Math.floor(Date.now() / 1000);
  const inner =
    `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><FromUserName>${cdata(`bench${Number(seq % 50n)}`)}</FromUserName>` +
    `<CreateTime>${now}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata('帮助')}</Content>` +
    `<MsgId>${7400000000000000000n + seq}</MsgId><AgentID>${wecom.agentId}</AgentID></xml>`;
  const encrypt = cipher.encrypt(inner);
  const nonce = randomBytes(5).toString('hex');
  const sig = computeSignature(wecom.token, String(now), nonce, encrypt);
  return {
    path: `/wecom/callback?msg_signature=${sig}&timestamp=${now}&nonce=${nonce}`,
    body: `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(String(wecom.agentId))}</AgentID></xml>`,
  };
}

interface Result {
  path: string;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
}

async function drive(name: string, base: string): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1000;
  const worker = async () => {
    while (sent < REQUESTS && performance.now() < deadline) {
      sent++;
      const cb = callback();
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${cb.path}`, {
          method: 'POST',
          body: cb.body,
          headers: { 'content-type': 'text/xml' },
        });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 100) /
    100;
  return {
    path: name,
    requests: latencies.length,
    errors,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(latencies.length / seconds),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
  };
}

async function listen(app: Koa): Promise<{ base: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const env = { ...process.env, DATA_DIR: process.env.DATA_DIR ?? join('bench', 'results', 'data') };
  const config = { ...loadConfig(env), wecom };
  const deps = await buildDeps(config, { log: createLogger('error') });
  const results: Result[] = [];
  try {
    // Fifty deputies on the roster.
    const congress = await deps.db
      .insertInto('congresses')
      .values({ name: `压测人大${Date.now()}`, level: 'city', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 50; i++) {
      const p = await deps.db
        .insertInto('people')
        .values({ name: `代表${i}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.db
        .insertInto('person_identities')
        .values({
          person_id: p.id,
          channel: 'wecom',
          external_id: `bench${i}`,
          external_id_norm: `bench${i}`,
        })
        .onConflict((oc) => oc.columns(['channel', 'external_id_norm']).doNothing())
        .execute();
      await deps.db
        .insertInto('mandates')
        .values({ person_id: p.id, congress_id: congress.id, role: 'deputy' })
        .execute();
    }

    const bare = new Koa();
    const bareRouter = new Router();
    bareRouter.post('/wecom/callback', (ctx) => {
      ctx.body = 'success';
    });
    bare.use(bareRouter.routes());
    const edge = new Koa();
    edge.use(createWecomRouter(deps, { handle: async () => ({ kind: 'none' }) }).routes());
    const runtime = createRuntime(deps);
    const full = createApp(deps, runtime);

    for (const [name, app] of [
      ['bare', bare],
      ['edge', edge],
      ['full', full],
    ] as const) {
      const { base, server } = await listen(app);
      await drive(name, base); // warm-up pass is not reported
      results.push(await drive(name, base));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    await runtime.dispatcher.drain();
  } finally {
    await closeDeps(deps);
  }
  mkdirSync(join('bench', 'results'), { recursive: true });
  const file = join('bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        database: config.databaseUrl ? 'postgres' : 'pglite',
        store: config.redisUrl ? 'redis' : 'memory',
        results,
      },
      null,
      2,
    ),
  );
  console.table(results);
  console.log(`written to ${file}`);
}

await main();
