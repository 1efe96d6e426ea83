import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import { createWecomCipher } from '../channels/wecom/crypto.ts';
import { computeSignature } from '../channels/wecom/signature.ts';
import { parseWecomXml } from '../channels/wecom/xml.ts';
import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import type { OutboundEnvelope } from '../messaging/index.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { FakeDingtalkStreamGateway, FakeWecomAibotGateway, waitFor } from './fake-gateways.ts';

// `simulate <userid> <text>`: one chat message through the real WeCom callback path (signature,
// encryption, parsing, dispatcher, commands, database), with credentials made up for the run. Answers
// that would go out later through the API are kept and printed instead of sent.

export interface SimulationResult {
  /** The passive reply, decrypted, if the callback answered with one. */
  reply: string | null;
  /** Messages queued for the sender through the API (long or late answers). */
  later: string[];
  status: number;
}

/** A runtime whose only sender keeps what it is given. */
function simulatorRuntime(deps: Deps): { runtime: Runtime; captured: OutboundEnvelope[] } {
  const captured: OutboundEnvelope[] = [];
  const runtime = createRuntime(deps, {
    senders: {
      simulator: {
        send: async (msg) => {
          captured.push(msg);
          return { ok: true };
        },
      },
    },
    // Messages are recorded as the simulator's own, so nothing it queues can reach a real user.
    channel: 'simulator',
  });
  return { runtime, captured };
}

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

export async function simulateWecomMessage(
  baseDeps: Deps,
  userid: string,
  text: string,
): Promise<SimulationResult> {
  const wecom = {
    corpId: `wwsim${randomBytes(6).toString('hex')}`,
    agentId: 1000001,
    secret: randomBytes(16).toString('hex'),
    token: randomBytes(12).toString('hex'),
    encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
    apiBase: 'http://127.0.0.1:9',
  };
  const config: Config = { ...baseDeps.config, wecom };
  const deps: Deps = { ...baseDeps, config };
  const { runtime, captured } = simulatorRuntime(deps);
  const app = createApp(deps, runtime);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    const cipher = createWecomCipher(wecom.encodingAesKey, wecom.corpId);
    const now = deps.clock.now();
    const createTime = Math.floor(now.getTime() / 1000);
    const msgId = `${BigInt(now.getTime()) * 1000n + BigInt(randomBytes(2).readUInt16BE(0) % 1000)}`;
    const inner =
      `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><FromUserName>${cdata(userid)}</FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(text)}</Content>` +
      `<MsgId>${msgId}</MsgId><AgentID>${wecom.agentId}</AgentID></xml>`;
    const encrypt = cipher.encrypt(inner);
    const timestamp = String(createTime);
    const nonce = randomBytes(6).toString('hex');
    const signature = computeSignature(wecom.token, timestamp, nonce, encrypt);
    const body = `<xml><ToUserName>${cdata(wecom.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(String(wecom.agentId))}</AgentID></xml>`;
    const res = await fetch(
      `http://127.0.0.1:${port}/wecom/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body },
    );
    const answer = await res.text();
    let reply: string | null = null;
    if (answer.trim() !== '') {
      const outer = parseWecomXml(answer);
      const opened = typeof outer?.Encrypt === 'string' ? cipher.decrypt(outer.Encrypt) : null;
      if (opened?.ok) {
        const content = parseWecomXml(opened.message)?.Content;
        reply = typeof content === 'string' ? content : null;
      }
    }
    await runtime.dispatcher.drain();
    for (let i = 0; i < 5; i++) {
      const r = await runtime.outbox.runOnce();
      if (r.claimed === 0) break;
    }
    return { reply, later: captured.map((m) => m.payload.text), status: res.status };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export type LongConnectionMode = 'wecom-bot' | 'dingtalk-stream';

/**
 * `simulate --wecom-bot|--dingtalk-stream <userid> <text>`: one message through an outbound-only channel
 * (its real client, lease, dispatcher, commands and database) against a local fake gateway started for
 * the run, with credentials made up for it. The answer that came back over the connection is the reply.
 */
export async function simulateLongConnection(
  baseDeps: Deps,
  mode: LongConnectionMode,
  userid: string,
  text: string,
): Promise<SimulationResult> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(16).toString('hex');
  const wecomGw =
    mode === 'wecom-bot' ? await new FakeWecomAibotGateway(`aibsim${id}`, secret).start() : null;
  const dingGw =
    mode === 'dingtalk-stream' ? await new FakeDingtalkStreamGateway(`dingsim${id}`, secret).start() : null;
  // Only the simulated connection: the configured platforms are left alone.
  const config: Config = {
    ...baseDeps.config,
    wecomBot: wecomGw ? { botId: wecomGw.botId, secret, wsUrl: wecomGw.url } : undefined,
    dingtalk: dingGw
      ? {
          appKey: dingGw.clientId,
          appSecret: secret,
          robotCode: dingGw.clientId,
          apiBase: dingGw.url,
          oapiBase: dingGw.url,
          mode: 'stream',
        }
      : undefined,
  };
  const deps: Deps = { ...baseDeps, config };
  const { runtime, captured } = simulatorRuntime(deps);
  const conn = runtime.connections[0]!;
  conn.start();
  try {
    await waitFor(() => conn.connected, 10_000);
    let reply: string | null = null;
    if (wecomGw) {
      const sent = wecomGw.text(userid, text)!;
      reply = (await waitFor(() => wecomGw.answerTo(sent.reqId), 6000).catch(() => undefined)) ?? null;
    } else if (dingGw) {
      const body = dingGw.robotBody(userid, text);
      dingGw.push(body);
      reply = (await waitFor(() => dingGw.replyFor(body), 6000).catch(() => undefined)) ?? null;
    }
    await runtime.dispatcher.drain();
    for (let i = 0; i < 5; i++) {
      const r = await runtime.outbox.runOnce();
      if (r.claimed === 0) break;
    }
    return { reply, later: captured.map((m) => m.payload.text), status: 200 };
  } catch {
    return { reply: null, later: [], status: 503 };
  } finally {
    await conn.stop();
    await wecomGw?.close();
    await dingGw?.close();
  }
}
