// The load generator of the callbacks bench, a process of its own (bench/callbacks.ts spawns it): autocannon
// against one server for a fixed time with a number of connections, each request a fresh signed,
// encrypted WeCom callback (its own MsgId, so dedupe never answers for the full path). Reads its task as
// JSON from argv[2]; prints the result as one JSON line.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createWecomCipher } from '../src/channels/wecom/crypto.ts';
import { computeSignature } from '../src/channels/wecom/signature.ts';
import type { WecomConfig } from '../src/config.ts';

export interface LoadTask {
  url: string;
  connections: number;
  seconds: number;
  /**
   * What the deputies write: 帮助 (a reply only) or a suggestion (a database write); `{n}` in it becomes the
   * request's own number.
   */
  text: string;
  senders: number;
  wecom: WecomConfig;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
  /** CPU time this process spent over the run (user and system): what generating the load cost. */
  cpuMs: number;
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;

function callbacks(t: LoadTask): () => { path: string; body: string } {
  const w = t.wecom;
  const cipher = createWecomCipher(w.encodingAesKey, w.corpId);
  // MsgIds unique across runs of one bench: a random high part and a counter.
  let seq = BigInt(`0x${randomBytes(4).toString('hex')}`) << 24n;
  return () => {
    seq += 1n;
    const now = Math.floor(Date.now() / 1000);
    const inner =
      `<xml><ToUserName>${cdata(w.corpId)}</ToUserName><FromUserName>${cdata(`bench${Number(seq % BigInt(t.senders))}`)}</FromUserName>` +
      `<CreateTime>${now}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(t.text.replace('{n}', String(seq & 0xffffffn)))}</Content>` +
      `<MsgId>${7400000000000000000n + seq}</MsgId><AgentID>${w.agentId}</AgentID></xml>`;
    const encrypt = cipher.encrypt(inner);
    const nonce = randomBytes(5).toString('hex');
    const sig = computeSignature(w.token, String(now), nonce, encrypt);
    return {
      // encrypt_type is what the peer (node-webot wechat) reads to take its encrypted mode.
      path: `/wecom/callback?msg_signature=${sig}&timestamp=${now}&nonce=${nonce}&encrypt_type=aes`,
      body: `<xml><ToUserName>${cdata(w.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(String(w.agentId))}</AgentID></xml>`,
    };
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as LoadTask;
  const next = callbacks(task);
  const cpu0 = process.cpuUsage();
  const result = await autocannon({
    url: task.url,
    connections: task.connections,
    duration: task.seconds,
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const cb = next();
          return { ...req, path: cb.path, body: cb.body };
        },
      },
    ],
  });
  const out: LoadResult = {
    requests: result.requests.total,
    seconds: result.duration,
    rps: Math.round(result.requests.total / result.duration),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMs: cpuMsSince(cpu0),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// Run as a process of its own; imported (for its constants and types) it does nothing.
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
