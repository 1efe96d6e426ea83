import Router from '@koa/router';
import type { Context } from 'koa';
import type { Deps } from '../../deps.ts';
import {
  failCallback,
  Refusal,
  type RefusalOutcome,
  readCallbackBody,
  refuse as refuseCallback,
} from '../callback-refusal.ts';
import type { InboundHandler } from '../types.ts';
import { createWecomCipher, type DecryptFailure, pooledRandomBytes } from './crypto.ts';
import { envelopeSchema } from './inbound-schema.ts';
import { normalizeWecomMessage } from './normalize.ts';
import { computeSignature, verifySignature } from './signature.ts';
import { parseWecomXml, replyEnvelopeXml, textReplyXml } from './xml.ts';

// The WeCom callback edge: verify → decrypt → parse → ChatMessage → the dispatcher → (encrypted) reply.
//
// Refusals (CONTRACT §2): who the caller is, is settled by the signature, the timestamp and the receive id,
// and each failure there is 401. Once the signature holds, a body that still cannot be read (bad XML,
// Encrypt that is not base64 or whose padding or length is broken) is 400. XML that cannot be parsed at
// all is 400 even before the signature, because the signature covers the Encrypt inside it.
// Every refusal leaves one log line (no secret, no message text) and one metric; the handler is not called.

/** WeCom retries after 5 s; answer well inside that. */
const ANSWER_BUDGET_MS = 4000;
/** WeCom truncates a passive reply at 2048 bytes. */
const MAX_REPLY_BYTES = 2048;
/** Callbacks more than this far from our clock are refused (replays). */
const MAX_SKEW_MS = 300_000;

export type WecomRouteDeps = Pick<Deps, 'config' | 'clock' | 'log' | 'metrics'>;

type Outcome =
  | 'verified'
  | 'reply'
  | 'deferred'
  | 'none'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'wrong_receiver'
  | 'malformed'
  | 'too_large'
  | 'error';

/**
 * The query string, decoded as WeCom encodes it: percent-escapes only. URLSearchParams would turn a
 * literal `+` of a base64 echostr into a space and break it.
 */
export function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      const k = decodeURIComponent(name);
      // The first occurrence wins: a repeated parameter cannot replace a signed one.
      if (!out.has(k)) out.set(k, decodeURIComponent(value));
    } catch {
      // A broken escape: leave the parameter out, and the checks below refuse the request.
    }
  }
  return out;
}

const DECRYPT_REFUSAL: Record<DecryptFailure, RefusalOutcome> = {
  bad_base64: 'malformed',
  bad_padding: 'malformed',
  bad_length: 'malformed',
  wrong_receiver: 'wrong_receiver',
};

/**
 * The routes of the WeCom self-built app's callback URL. Needs `deps.config.wecom`; the handler is the
 * dispatcher.
 */
export function createWecomRouter(deps: WecomRouteDeps, handler: InboundHandler): Router {
  const cfg = deps.config.wecom;
  if (!cfg) throw new Error('createWecomRouter needs the WeCom configuration (WECOM_*)');
  const cipher = createWecomCipher(cfg.encodingAesKey, cfg.corpId);
  const router = new Router();

  const record = (outcome: Outcome) => deps.metrics.inboundCallbacks.inc({ channel: 'wecom', outcome });

  const refuse = (ctx: Context, r: Refusal) => refuseCallback(ctx, r, deps, 'wecom');

  /** Checks signature and timestamp, then decrypts; throws a Refusal. */
  const open = (query: Map<string, string>, encrypt: string): string => {
    const signature = query.get('msg_signature');
    const timestamp = query.get('timestamp');
    const nonce = query.get('nonce');
    if (!signature || !timestamp || nonce === undefined) {
      throw new Refusal('bad_signature', 'missing msg_signature, timestamp or nonce');
    }
    if (!/^\d{1,12}$/.test(timestamp)) throw new Refusal('stale_timestamp', 'timestamp is not a number');
    if (Math.abs(Number(timestamp) * 1000 - deps.clock.now().getTime()) > MAX_SKEW_MS) {
      throw new Refusal('stale_timestamp', 'timestamp more than 300 s from now');
    }
    if (!verifySignature(cfg.token, timestamp, nonce, encrypt, signature)) {
      throw new Refusal('bad_signature', 'signature does not match');
    }
    const opened = cipher.decrypt(encrypt);
    if (!opened.ok) throw new Refusal(DECRYPT_REFUSAL[opened.reason], opened.reason);
    return opened.message;
  };

  // URL verification, when an administrator saves the callback URL.
  router.get('/wecom/callback', (ctx) => {
    try {
      const query = parseQuery(ctx.querystring);
      const echostr = query.get('echostr');
      if (!echostr) throw new Refusal('malformed', 'missing echostr');
      const plain = open(query, echostr);
      record('verified');
      ctx.status = 200;
      ctx.type = 'text/plain';
      ctx.body = plain;
    } catch (err) {
      if (err instanceof Refusal) return refuse(ctx, err);
      throw err;
    }
  });

  router.post('/wecom/callback', async (ctx) => {
    const started = performance.now();
    let from = '';
    try {
      const query = parseQuery(ctx.querystring);
      const raw = await readCallbackBody(ctx);
      const outer = parseWecomXml(raw.toString('utf8'));
      if (!outer) throw new Refusal('malformed', 'envelope is not XML');
      const envelope = envelopeSchema.safeParse(outer);
      if (!envelope.success) throw new Refusal('malformed', 'envelope without Encrypt');
      const plain = open(query, envelope.data.Encrypt);
      if (envelope.data.AgentID && envelope.data.AgentID !== String(cfg.agentId)) {
        throw new Refusal('wrong_receiver', 'AgentID is not ours');
      }
      const inner = parseWecomXml(plain);
      if (!inner) throw new Refusal('malformed', 'message is not XML');
      const normalized = normalizeWecomMessage(inner);
      if (!normalized.ok) throw new Refusal('malformed', normalized.reason);
      const msg = normalized.message;
      from = msg.senderId;

      const spent = performance.now() - started;
      const outcome = await handler.handle(msg, {
        budgetMs: Math.max(0, Math.floor(ANSWER_BUDGET_MS - spent)),
        maxReplyBytes: MAX_REPLY_BYTES,
      });
      record(outcome.kind);
      ctx.status = 200;
      if (outcome.kind !== 'reply') {
        ctx.body = '';
        return;
      }
      const now = deps.clock.now();
      const createTime = Math.floor(now.getTime() / 1000);
      const content = truncateUtf8(outcome.reply.text, MAX_REPLY_BYTES);
      if (content.length < outcome.reply.text.length) {
        deps.log.warn(
          { channel: 'wecom', bytes: Buffer.byteLength(outcome.reply.text) },
          'passive reply cut',
        );
      }
      const encrypted = cipher.encrypt(textReplyXml(from, cfg.corpId, createTime, content));
      const timestamp = String(createTime);
      const nonce = pooledRandomBytes(8).toString('hex');
      ctx.type = 'text/xml';
      ctx.body = replyEnvelopeXml(
        encrypted,
        computeSignature(cfg.token, timestamp, nonce, encrypted),
        timestamp,
        nonce,
      );
    } catch (err) {
      failCallback(ctx, err, deps, 'wecom');
    }
  });

  return router;
}

/** Cuts a text to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, max: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return text;
  let end = max;
  // Step back over UTF-8 continuation bytes (top bits 10) to the start of the cut character.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
