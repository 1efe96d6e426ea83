// Three callback paths side by side over loopback:
//   bare      a Koa route answering "success" (the ceiling)
//   edge      signature check + decryption + XML parsing, the handler answering nothing
//   full      the whole path: dedupe, sender lookup, command, database write, encrypted passive reply
// Requests are bounded in count and time.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { createApp } from '../src/app.ts';
import { createWecomCipher } from '../src/channels/wecom/crypto.ts';
import { createWecomRouter } from '../src/channels/wecom/route.ts';
import { computeSignature } from '../src/channels/wecom/signature.ts';
import type { Config, WecomConfig } from '../src/config.ts';
import { createRuntime } from '../src/runtime.ts';
import { openBenchBackend } from './backend.ts';

export interface CallbackOptions {
  requests: number;
  concurrency: number;
  maxSeconds: number;
}

export interface CallbackResult {
  path: string;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
}

const DEPUTIES = 50;
const cdata = (s: string) => `<![CDATA[${s}]]>`;

function callbackFactory(wecom: WecomConfig): () => { path: string; body: string } {
  const cipher = createWecomCipher(wecom.encodingAesKey, wecom.corpId);
  let seq = 0n;
  return () => {
    seq += 1n;
    const now = Math.floor(Date.now() / 1000);
    const inner =
      `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><FromUserName>${cdata(`bench${Number(seq % BigInt(DEPUTIES))}`)}</FromUserName>` +
      `<CreateTime>${now}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata('帮助')}</Content>` +
      `<MsgId>${7400000000000000000n + seq}</MsgId><AgentID>${wecom.agentId}</AgentID></xml>`;
    const encrypt = cipher.encrypt(inner);
    const nonce = randomBytes(5).toString('hex');
    const sig = computeSignature(wecom.token, String(now), nonce, encrypt);
    return {
      path: `/wecom/callback?msg_signature=${sig}&timestamp=${now}&nonce=${nonce}`,
      body: `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(String(wecom.agentId))}</AgentID></xml>`,
    };
  };
}

async function drive(
  name: string,
  base: string,
  next: () => { path: string; body: string },
  o: CallbackOptions,
): Promise<CallbackResult> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + o.maxSeconds * 1000;
  const worker = async () => {
    while (sent < o.requests && performance.now() < deadline) {
      sent++;
      const cb = next();
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
  await Promise.all(Array.from({ length: o.concurrency }, worker));
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

export async function benchCallbacks(config: Config, o: CallbackOptions): Promise<CallbackResult[]> {
  const wecom: WecomConfig = {
    corpId: 'wwbench0000000001',
    agentId: 1000002,
    secret: 'bench-secret',
    token: 'BenchToken',
    encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
    // Replies are passive (in the HTTP answer); nothing is sent to WeCom, and this port refuses.
    apiBase: 'http://127.0.0.1:9',
  };
  const backend = await openBenchBackend({ ...config, wecom });
  const { deps } = backend;
  const next = callbackFactory(wecom);
  const results: CallbackResult[] = [];
  try {
    const congress = await deps.db
      .insertInto('congresses')
      .values({ name: '压测人大', level: 'city', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < DEPUTIES; i++) {
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
      await drive(name, base, next, o); // warm-up pass is not reported
      results.push(await drive(name, base, next, o));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    await runtime.dispatcher.drain();
  } finally {
    await backend.close();
  }
  return results;
}
