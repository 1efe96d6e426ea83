import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { findBindingByAddress } from '../../../db/repositories/groups.ts';
import type { Deps } from '../../deps.ts';
import type { Reply } from '../../messaging/index.ts';
import { failCallback, Refusal, readCallbackBody } from '../callback-refusal.ts';
import { type ChatMessage, type InboundHandler, NotRecordedError, type PlatformAlerts } from '../types.ts';
import { markdownOf } from './api-client.ts';
import { verifyCallbackSign } from './callback-signature.ts';
import { QUOTA_SPENT_CODE, quotaNoticeSchema } from './inbound-schema.ts';
import { normalizeDingtalkMessage } from './normalize.ts';
import { tellNotSaved } from './not-saved.ts';

// The enterprise robot's HTTP callback: verify (timestamp, sign, robotCode) → parse → ChatMessage → the
// dispatcher → a JSON reply message in the response, or {"msgtype":"empty"} when the answer goes later
// through the API (api-sender.ts).
//
// Refusals (CONTRACT §2): a missing or wrong sign, a timestamp more than an hour from our clock, or a
// robotCode that is not ours is 401; a body that is not the JSON of a robot message is 400; over 1 MiB is
// 413. Each leaves one log line (no secret, no text) and one metric, and the handler is not called.

/** DingTalk waits about 2 s for the response; the dispatcher gets what is left of this. */
const ANSWER_BUDGET_MS = 1500;
/**
 * Largest answer carried in the response, in UTF-8 bytes. DingTalk takes longer robot messages, but
 * 4,000 bytes (about 1,300 Chinese characters) is already several phone screens; a longer answer goes
 * out in parts through the API, each at most this long.
 */
export const MAX_REPLY_BYTES = 4000;
/** The callback's sign covers only the timestamp: refuse anything further than an hour from now. */
const MAX_SKEW_MS = 3_600_000;
/** How long a group the robot was @-mentioned in is remembered (for staff to bind it). */
const SEEN_GROUP_TTL_MS = 90 * 24 * 3600_000;

export type DingtalkRouteDeps = Pick<Deps, 'config' | 'clock' | 'log' | 'metrics' | 'db' | 'store'>;

type Outcome =
  | 'reply'
  | 'deferred'
  | 'none'
  | 'quota_spent'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'wrong_receiver'
  | 'malformed'
  | 'too_large'
  | 'error';

/** The JSON reply message: markdown with tappable choices when the answer has buttons, else text. */
export function replyMessage(reply: Reply): Record<string, unknown> {
  if (reply.buttons && reply.buttons.length > 0) return { msgtype: 'markdown', markdown: markdownOf(reply) };
  return { msgtype: 'text', text: { content: reply.text } };
}

const EMPTY = { msgtype: 'empty' };

export function createDingtalkRouter(
  deps: DingtalkRouteDeps,
  handler: InboundHandler,
  alerts: PlatformAlerts,
): Router {
  const cfg = deps.config.dingtalk;
  if (!cfg) throw new Error('createDingtalkRouter needs the DingTalk configuration (DINGTALK_*)');
  const router = new Router();
  const record = (outcome: Outcome) => deps.metrics.inboundCallbacks.inc({ channel: 'dingtalk', outcome });

  router.post('/dingtalk/callback', async (ctx) => {
    const started = performance.now();
    let received: ChatMessage | undefined;
    try {
      const timestamp = ctx.get('timestamp');
      const sign = ctx.get('sign');
      if (!timestamp || !sign) throw new Refusal('bad_signature', 'missing timestamp or sign header');
      if (!/^\d{1,15}$/.test(timestamp)) throw new Refusal('stale_timestamp', 'timestamp is not a number');
      if (Math.abs(Number(timestamp) - deps.clock.now().getTime()) > MAX_SKEW_MS) {
        throw new Refusal('stale_timestamp', 'timestamp more than 3600 s from now');
      }
      if (!verifyCallbackSign(cfg.appSecret, timestamp, sign))
        throw new Refusal('bad_signature', 'sign does not match');

      const raw = await readCallbackBody(ctx);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Refusal('malformed', 'body is not JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new Refusal('malformed', 'body is not a JSON object');
      }
      const robotCode = (body as { robotCode?: unknown }).robotCode;
      if (robotCode !== undefined && robotCode !== cfg.robotCode) {
        throw new Refusal('wrong_receiver', 'robotCode is not ours');
      }
      await bindSign(deps, timestamp, sign, body, raw);

      const notice = quotaNoticeSchema.safeParse(body);
      if (notice.success) {
        await onPlatformError(deps, alerts, notice.data.errorCode);
        record(notice.data.errorCode === QUOTA_SPENT_CODE ? 'quota_spent' : 'none');
        ctx.status = 200;
        ctx.body = EMPTY;
        return;
      }

      const normalized = normalizeDingtalkMessage(body, deps.clock.now());
      if (!normalized.ok) throw new Refusal('malformed', normalized.reason);
      const msg = normalized.message;
      await learnConversation(deps, msg);

      const spent = performance.now() - started;
      received = msg;
      const outcome = await handler.handle(msg, {
        budgetMs: Math.max(0, Math.floor(ANSWER_BUDGET_MS - spent)),
        maxReplyBytes: MAX_REPLY_BYTES,
      });
      record(outcome.kind);
      ctx.status = 200;
      ctx.body = outcome.kind === 'reply' ? replyMessage(outcome.reply) : EMPTY;
    } catch (err) {
      // DingTalk documents no retry of a robot callback that failed: the person hears, through the
      // conversation's sessionWebhook, that nothing was saved; the callback is still not acknowledged.
      if (err instanceof NotRecordedError && received) await tellNotSaved(deps, received);
      failCallback(ctx, err, deps, 'dingtalk');
    }
  });

  return router;
}

const signKey = (timestamp: string, sign: string) =>
  `dingtalk:sign:${createHash('sha256').update(`${timestamp}\n${sign}`).digest('hex').slice(0, 40)}`;

/**
 * The sign covers only the timestamp, so a (timestamp, sign) pair is bound to the first message id and
 * body it came with, in the shared store, for as long as the timestamp is accepted. The same message
 * again passes (the dispatcher answers it as a repeat, with its stored answer); any other body under
 * that pair is a replay and refused (401), before anything is parsed further or recorded.
 */
async function bindSign(
  deps: DingtalkRouteDeps,
  timestamp: string,
  sign: string,
  body: object,
  raw: Buffer,
): Promise<void> {
  const msgId = (body as { msgId?: unknown }).msgId;
  const first = JSON.stringify({
    msgId: typeof msgId === 'string' ? msgId : '',
    body: createHash('sha256').update(raw).digest('hex'),
  });
  // Until the timestamp is refused as stale anyway, with a minute to spare.
  const ttl = Math.max(60_000, Number(timestamp) + MAX_SKEW_MS - deps.clock.now().getTime() + 60_000);
  const key = signKey(timestamp, sign);
  if (await deps.store.setIfAbsent(key, first, ttl)) return;
  if ((await deps.store.get(key)) !== first) {
    throw new Refusal('bad_signature', 'timestamp and sign already used with another message');
  }
}

const groupKey = (id: string) =>
  `dingtalk:group-seen:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;

/**
 * What an @ in a group teaches: the group's openConversationId (the callback's conversationId). A group
 * staff bound (group_bindings kind 'dingtalk_conversation') gets later answers in the group; any other
 * group is logged once, so staff can bind it (docs/OPERATIONS.md), and later answers go to the person.
 */
export async function learnConversation(deps: DingtalkRouteDeps, msg: ChatMessage): Promise<void> {
  const conv = msg.conversation;
  if (conv?.kind !== 'group' || !conv.id) return;
  const binding = await findBindingByAddress(deps.db, 'dingtalk_conversation', conv.id);
  if (binding) {
    msg.replyTarget = { kind: 'dingtalk_conversation', address: conv.id };
    return;
  }
  const first = await deps.store.setIfAbsent(
    groupKey(conv.id),
    JSON.stringify({ id: conv.id, title: conv.title ?? '' }),
    SEEN_GROUP_TTL_MS,
  );
  if (first) {
    deps.log.info(
      { channel: 'dingtalk', openConversationId: conv.id, groupTitle: conv.title ?? '' },
      'dingtalk group not bound yet: bind its openConversationId to reach it',
    );
  }
}

/**
 * A callback that carries an error instead of a message. 20001 (the monthly quota is spent) is logged,
 * counted and handed to the injected alert (the staff are told); the callback is answered either way.
 */
export async function onPlatformError(
  deps: DingtalkRouteDeps,
  alerts: PlatformAlerts,
  errorCode: string,
): Promise<void> {
  if (errorCode !== QUOTA_SPENT_CODE) {
    deps.log.warn({ channel: 'dingtalk', errorCode }, 'dingtalk callback carried an error code');
    return;
  }
  deps.log.warn({ channel: 'dingtalk', errorCode }, 'dingtalk robot quota spent: messages go unanswered');
  try {
    await alerts.quotaSpent();
  } catch (err) {
    // DingTalk has nothing to retry here.
    deps.log.error({ err, channel: 'dingtalk' }, 'dingtalk quota alert not queued');
  }
}
