import WebSocket from 'ws';
import type { DingtalkConfig } from '../../config.ts';
import { enqueue, type Reply } from '../../messaging/index.ts';
import {
  ConnectionAuthError,
  DEFAULT_CONNECTION_TIMING,
  LongConnection,
  type LongConnectionTiming,
} from '../long-connection.ts';
import { type ChatMessage, type InboundHandler, NotRecordedError, type PlatformAlerts } from '../types.ts';
import { QUOTA_SPENT_CODE, quotaNoticeSchema } from './inbound-schema.ts';
import { normalizeDingtalkMessage } from './normalize.ts';
import {
  type DingtalkRouteDeps,
  learnConversation,
  MAX_REPLY_BYTES,
  onPlatformError,
  replyMessage,
} from './route.ts';

// DingTalk Stream mode (outbound only): POST {DINGTALK_API_BASE}/v1.0/gateway/connections/open with the
// app's client id and secret and the robot topic → an endpoint and a one-time ticket; a WebSocket to
// endpoint?ticket=…; SYSTEM pings answered; CALLBACK frames of /v1.0/im/bot/messages/get carry the same
// message body as the HTTP callback.
//
// Written on `ws`, not the official dingtalk-stream package: that one hard-codes the gateway address,
// reconnects every second without backoff and acknowledges frames before they can be recorded. Here a
// frame is acknowledged by its messageId only after the dispatcher recorded the message; one that could
// not be recorded is left unacknowledged, so DingTalk pushes it again (for about a minute).

export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
const OPEN_PATH = '/v1.0/gateway/connections/open';
/**
 * No HTTP response waits here, but the ack should come soon (DingTalk pushes an unacknowledged frame
 * again): the dispatcher gets this long before the answer goes later through the outbox instead.
 */
const ANSWER_BUDGET_MS = 3000;
const REPLY_TIMEOUT_MS = 3000;

export type StreamDeps = DingtalkRouteDeps;

interface StreamFrame {
  specVersion?: string;
  type?: string;
  headers?: { topic?: string; messageId?: string; [k: string]: unknown };
  data?: string;
}

export class DingtalkStreamConnection extends LongConnection {
  private readonly cfg: DingtalkConfig;
  private readonly handler: InboundHandler;
  private readonly alerts: PlatformAlerts;
  private readonly full: StreamDeps;

  constructor(
    deps: StreamDeps,
    handler: InboundHandler,
    alerts: PlatformAlerts,
    timing: LongConnectionTiming = DEFAULT_CONNECTION_TIMING,
  ) {
    const cfg = deps.config.dingtalk;
    if (!cfg) throw new Error('DingtalkStreamConnection needs the DingTalk configuration (DINGTALK_*)');
    super(deps, 'dingtalk_stream', `lease:dingtalk-stream:${cfg.appKey}`, timing);
    this.cfg = cfg;
    this.handler = handler;
    this.alerts = alerts;
    this.full = deps;
  }

  /** Asks the gateway for an endpoint and ticket; a refusal of the credentials is an auth failure. */
  protected async openSocket(): Promise<WebSocket> {
    const res = await fetch(`${this.cfg.apiBase}${OPEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.cfg.appKey,
        clientSecret: this.cfg.appSecret,
        subscriptions: [{ type: 'CALLBACK', topic: ROBOT_TOPIC }],
        ua: 'npc-liaison',
      }),
      signal: AbortSignal.timeout(this.timing.answerTimeoutMs),
    });
    const text = await res.text();
    let body: { endpoint?: unknown; ticket?: unknown; code?: unknown; message?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // An HTML error page from a gateway in between: retried with backoff.
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new ConnectionAuthError(
        `HTTP ${res.status} ${String(body.code ?? '')} ${String(body.message ?? '')}`.trim(),
      );
    }
    if (!res.ok || typeof body.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new Error(`gateway answered HTTP ${res.status} without an endpoint`);
    }
    const url = new URL(body.endpoint);
    url.searchParams.set('ticket', body.ticket);
    return new WebSocket(url);
  }

  protected onOpen(): void {
    this.markConnected();
  }

  protected sendHeartbeat(ws: WebSocket): void {
    ws.ping();
  }

  protected onFrame(_ws: WebSocket, text: string): void {
    let frame: StreamFrame;
    try {
      frame = JSON.parse(text) as StreamFrame;
    } catch {
      this.deps.log.warn({ channel: this.channel }, 'frame is not JSON: ignored');
      return;
    }
    const topic = frame.headers?.topic;
    if (frame.type === 'SYSTEM') {
      this.heartbeatAnswered();
      if (topic === 'ping') {
        this.sendFrame({ code: 200, headers: frame.headers, message: 'OK', data: frame.data ?? '' });
      } else if (topic === 'disconnect') {
        // The gateway is about to close this connection (a deploy): the close reconnects.
        this.deps.log.info({ channel: this.channel }, 'gateway announced a disconnect');
      }
      return;
    }
    const messageId = frame.headers?.messageId;
    if (!messageId) return;
    if (frame.type === 'CALLBACK' && topic === ROBOT_TOPIC) {
      this.track(this.onRobotMessage(messageId, frame.data ?? ''));
      return;
    }
    // Nothing else is subscribed; anything that comes anyway is acknowledged so it is not pushed again.
    this.ack(messageId, frame.type === 'EVENT' ? { status: 'SUCCESS' } : { response: null });
  }

  private ack(messageId: string, data: unknown): void {
    this.sendFrame({
      code: 200,
      headers: { contentType: 'application/json', messageId },
      message: 'OK',
      data: JSON.stringify(data),
    });
  }

  private count(outcome: string): void {
    this.deps.metrics.inboundCallbacks.inc({ channel: 'dingtalk_stream', outcome });
  }

  private async onRobotMessage(messageId: string, data: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      body = null;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      // Never readable, however often it comes: acknowledged and counted.
      this.count('malformed');
      this.ack(messageId, { response: null });
      return;
    }
    const robotCode = (body as { robotCode?: unknown }).robotCode;
    if (robotCode !== undefined && robotCode !== this.cfg.robotCode) {
      this.count('wrong_receiver');
      this.ack(messageId, { response: null });
      return;
    }
    const notice = quotaNoticeSchema.safeParse(body);
    if (notice.success) {
      await onPlatformError(this.full, this.alerts, notice.data.errorCode);
      this.count(notice.data.errorCode === QUOTA_SPENT_CODE ? 'quota_spent' : 'none');
      this.ack(messageId, { response: null });
      return;
    }
    // The frame's messageId stands in when the body has no msgId of its own.
    const withId = { msgId: messageId, ...(body as object) };
    const normalized = normalizeDingtalkMessage(withId, this.deps.clock.now());
    if (!normalized.ok) {
      this.deps.log.warn({ channel: this.channel, reason: normalized.reason }, 'stream frame not understood');
      this.count('malformed');
      this.ack(messageId, { response: null });
      return;
    }
    const msg = normalized.message;
    await learnConversation(this.full, msg);
    let outcome: Awaited<ReturnType<InboundHandler['handle']>>;
    try {
      outcome = await this.handler.handle(msg, {
        budgetMs: ANSWER_BUDGET_MS,
        maxReplyBytes: MAX_REPLY_BYTES,
      });
    } catch (err) {
      if (!(err instanceof NotRecordedError)) throw err;
      // Not acknowledged: DingTalk pushes the frame again, and it is recorded then.
      this.count('not_recorded');
      return;
    }
    this.ack(messageId, { response: null });
    this.count(outcome.kind);
    if (outcome.kind === 'reply') await this.reply(msg, outcome.reply);
  }

  /**
   * The answer goes to the conversation's sessionWebhook, as the HTTP callback's response would carry it
   * (no API call spent); when that fails it is queued for the enterprise robot's API instead.
   */
  private async reply(msg: ChatMessage, reply: Reply): Promise<void> {
    if (await this.postToSession(msg, reply)) return;
    await enqueue(this.full.db, {
      channel: 'dingtalk',
      targetKind: msg.replyTarget?.kind ?? 'user',
      targetAddress: msg.replyTarget?.address ?? msg.senderId,
      payload: { text: reply.text, ...(reply.buttons ? { buttons: reply.buttons } : {}) },
      idempotencyKey: `reply:dingtalk:${msg.messageKey}:1`,
      cause: 'reply:stream',
    });
  }

  private async postToSession(msg: ChatMessage, reply: Reply): Promise<boolean> {
    const hook = msg.conversation?.sessionWebhook;
    if (!hook) return false;
    let url: URL;
    try {
      url = new URL(hook);
    } catch {
      return false;
    }
    // The address comes in the frame: used only when it is DingTalk's own.
    if (url.origin !== new URL(this.cfg.oapiBase).origin || url.pathname !== '/robot/sendBySession')
      return false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(replyMessage(reply)),
        signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
      });
      const answer = (await res.json().catch(() => ({}))) as { errcode?: number };
      return res.ok && (answer.errcode === undefined || answer.errcode === 0);
    } catch (err) {
      this.deps.log.warn(
        { channel: this.channel, error: (err as { name?: string }).name },
        'session reply failed',
      );
      return false;
    }
  }
}
