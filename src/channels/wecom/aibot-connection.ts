import { createHash, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { WecomBotConfig } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import type { OutboundEnvelope, OutboundSender, Reply, SendResult } from '../../messaging/index.ts';
import { NOT_SAVED } from '../dingtalk/not-saved.ts';
import { DEFAULT_CONNECTION_TIMING, LongConnection, type LongConnectionTiming } from '../long-connection.ts';
import { type ChatMessage, type InboundHandler, NotRecordedError } from '../types.ts';
import { rememberMediaKey } from './aibot-media.ts';
import { aibotBodySchema, normalizeAibotFrame } from './aibot-normalize.ts';
import { ROBOT_MINUTE } from './budgets.ts';

// WeCom's intelligent robot over its long connection (智能机器人长连接): the service connects out to
// WECOM_BOT_WS_URL, logs in with aibot_subscribe (bot id and secret), receives aibot_msg_callback and
// aibot_event_callback frames, answers on the same connection with aibot_respond_msg (the frame's
// req_id), pushes with aibot_send_msg and keeps the connection with ping frames.
//
// Written on `ws` rather than the official @wecom/aibot-node-sdk: the SDK reconnects on its own timers
// without jitter and gives up after a fixed number of attempts, cannot be held back while another
// instance holds the connection (the lease), and cannot be driven by short test intervals; its frames
// are few and documented, so the client is small.
//
// Never lose a message: a frame is answered only after the message is recorded (the dispatcher's
// outcome). WeCom does not push a frame again, so when recording failed the person is told at once
// that nothing was saved and asked to send it again — never an answer that pretends it was handled.

/** What the robot answers within; a slower answer goes later through the outbox (aibot_send_msg). */
const ANSWER_BUDGET_MS = 3000;
/** A stream reply carries at most 20,480 bytes; a longer answer goes out in parts through the outbox. */
const MAX_REPLY_BYTES = 20_000;
/** How long a group the robot was @-mentioned in is remembered (for staff to bind it). */
const SEEN_GROUP_TTL_MS = 90 * 24 * 3600_000;

export type AibotDeps = Pick<Deps, 'store' | 'log' | 'metrics' | 'clock'>;

interface Frame {
  cmd?: string;
  headers?: { req_id?: string };
  body?: unknown;
  errcode?: number;
  errmsg?: string;
}

/** The answer's text, with the choices written out (the robot's stream reply has no buttons). */
export function aibotText(reply: Pick<Reply, 'text' | 'buttons'>): string {
  const choices = (reply.buttons ?? []).map((b) => `· ${b.label}：发送「${b.command}」`);
  return choices.length > 0 ? `${reply.text}\n\n${choices.join('\n')}` : reply.text;
}

export class WecomAibotConnection extends LongConnection {
  private readonly cfg: WecomBotConfig;
  private readonly handler: InboundHandler;
  private readonly waiting = new Map<string, (f: Frame) => void>();

  constructor(
    deps: AibotDeps,
    handler: InboundHandler,
    cfg: WecomBotConfig,
    timing: LongConnectionTiming = DEFAULT_CONNECTION_TIMING,
  ) {
    super(deps, 'wecom_bot', `lease:wecom-bot:${cfg.botId}`, timing);
    this.cfg = cfg;
    this.handler = handler;
  }

  protected async openSocket(): Promise<WebSocket> {
    return new WebSocket(this.cfg.wsUrl);
  }

  protected onOpen(): void {
    void this.request('aibot_subscribe', `aibot_subscribe_${randomUUID()}`, {
      bot_id: this.cfg.botId,
      secret: this.cfg.secret,
    }).then((answer) => {
      if (answer === null) {
        this.deps.log.warn({ channel: this.channel }, 'no answer to the login: connection dropped');
        this.ws?.terminate();
      } else if (answer.errcode === 0) this.markConnected();
      else this.authFailed(`errcode ${answer.errcode ?? '?'}: ${answer.errmsg ?? ''}`.trim());
    });
  }

  protected sendHeartbeat(): void {
    this.sendFrame({ cmd: 'ping', headers: { req_id: `ping_${randomUUID()}` } });
  }

  protected onFrame(_ws: WebSocket, text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      this.deps.log.warn({ channel: this.channel }, 'frame is not JSON: ignored');
      return;
    }
    const reqId = frame.headers?.req_id ?? '';
    if (frame.cmd === 'aibot_msg_callback') {
      this.track(this.onMessage(reqId, frame.body));
      return;
    }
    if (frame.cmd === 'aibot_event_callback') {
      const event = (frame.body as { event?: { eventtype?: string } } | undefined)?.event?.eventtype;
      // A newer connection for this robot was made: this one ends without a reconnect storm.
      if (event === 'disconnected_event') this.displaced();
      else if (event === 'enter_chat') this.track(this.onEnterChat(reqId, frame.body));
      return;
    }
    if (reqId.startsWith('ping_')) {
      this.heartbeatAnswered();
      return;
    }
    const waiter = this.waiting.get(reqId);
    if (waiter) waiter(frame);
  }

  /** Sends a frame and waits for the answer with the same req_id; null when none came in time. */
  private request(cmd: string, reqId: string, body: unknown): Promise<Frame | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(reqId);
        resolve(null);
      }, this.timing.answerTimeoutMs);
      timer.unref();
      this.waiting.set(reqId, (f) => {
        clearTimeout(timer);
        this.waiting.delete(reqId);
        resolve(f);
      });
      if (!this.sendFrame({ cmd, headers: { req_id: reqId }, body })) {
        clearTimeout(timer);
        this.waiting.delete(reqId);
        resolve(null);
      }
    });
  }

  private count(outcome: string): void {
    this.deps.metrics.inboundCallbacks.inc({ channel: 'wecom_bot', outcome });
  }

  private async onMessage(reqId: string, body: unknown): Promise<void> {
    const normalized = normalizeAibotFrame(body, this.deps.clock.now());
    if (!normalized.ok) {
      this.deps.log.warn({ channel: this.channel, reason: normalized.reason }, 'robot frame not understood');
      this.count('malformed');
      return;
    }
    const msg = normalized.message;
    if (normalized.media) await rememberMediaKey(this.deps.store, normalized.media);
    await this.learnGroup(msg);
    await this.answer(reqId, msg, 'aibot_respond_msg');
  }

  /** A person opened the chat with the robot: answered like WeCom's enter_agent (a welcome). */
  private async onEnterChat(reqId: string, body: unknown): Promise<void> {
    const b = aibotBodySchema.safeParse(body);
    if (!b.success) return;
    const msg: ChatMessage = {
      channel: 'wecom',
      messageKey: b.data.msgid,
      senderId: b.data.from.userid,
      kind: 'event',
      event: { type: 'enter_agent' },
      platformType: 'aibot_enter_chat',
      createdAt: this.deps.clock.now(),
      conversation: { kind: 'private', id: b.data.from.userid },
      replyTarget: { kind: 'wecom_bot', address: b.data.from.userid },
    };
    await this.answer(reqId, msg, 'aibot_respond_welcome_msg');
  }

  private async answer(reqId: string, msg: ChatMessage, cmd: string): Promise<void> {
    let outcome: Awaited<ReturnType<InboundHandler['handle']>>;
    try {
      outcome = await this.handler.handle(msg, {
        budgetMs: ANSWER_BUDGET_MS,
        maxReplyBytes: MAX_REPLY_BYTES,
      });
    } catch (err) {
      if (!(err instanceof NotRecordedError)) throw err;
      // WeCom does not push the frame again: the person hears at once that nothing was saved.
      this.count('not_recorded');
      await this.respond(cmd, reqId, { text: NOT_SAVED });
      return;
    }
    this.count(outcome.kind);
    if (outcome.kind === 'reply') await this.respond(cmd, reqId, outcome.reply);
  }

  private async respond(cmd: string, reqId: string, reply: Reply): Promise<void> {
    const content = aibotText(reply);
    const body =
      cmd === 'aibot_respond_welcome_msg'
        ? { msgtype: 'text', text: { content } }
        : { msgtype: 'stream', stream: { id: randomUUID(), finish: true, content } };
    const answer = await this.request(cmd, reqId, body);
    if (answer?.errcode !== 0) {
      this.deps.log.warn(
        { channel: this.channel, errcode: answer?.errcode ?? null },
        'robot answer not confirmed by WeCom',
      );
    }
  }

  /** A group the robot is in is logged once with its chatid, so staff can bind it to a deputy group. */
  private async learnGroup(msg: ChatMessage): Promise<void> {
    const conv = msg.conversation;
    if (conv?.kind !== 'group' || !conv.id) return;
    const key = `wecom:bot-group-seen:${createHash('sha256').update(conv.id).digest('hex').slice(0, 32)}`;
    if (await this.deps.store.setIfAbsent(key, conv.id, SEEN_GROUP_TTL_MS)) {
      this.deps.log.info(
        { channel: this.channel, chatid: conv.id },
        'wecom robot group seen: bind its chatid (wecom_bot) to reach it with notices',
      );
    }
  }

  /** aibot_send_msg to a chat (a person's userid, or a group's chatid), within the robot's budget. */
  async push(chatid: string, text: string): Promise<SendResult> {
    if (!this.connected) {
      return {
        ok: false,
        code: 'not_connected',
        message: '企业微信智能机器人长连接未建立',
        retryable: true,
        retryAfterMs: 5_000,
      };
    }
    const id = createHash('sha256').update(chatid).digest('hex').slice(0, 24);
    const budget = await this.deps.store.takeWindow(`wecom:budget:aibot:${id}`, ROBOT_MINUTE);
    if (!budget.allowed) {
      return {
        ok: false,
        code: 'rate_limited',
        message: 'robot budget',
        retryable: true,
        retryAfterMs: budget.retryAfterMs,
      };
    }
    const answer = await this.request('aibot_send_msg', `aibot_send_msg_${randomUUID()}`, {
      chatid,
      msgtype: 'markdown',
      markdown: { content: text },
    });
    if (answer === null) {
      return {
        ok: false,
        code: 'timeout',
        message: 'no answer from WeCom',
        retryable: true,
        unknownOutcome: true,
      };
    }
    if (answer.errcode === 0) return { ok: true };
    const code = answer.errcode ?? -1;
    return {
      ok: false,
      code: code === 45009 ? 'rate_limited' : `wecom_${code}`,
      message: answer.errmsg ?? '',
      // -1 (busy) and 45009 (too fast) pass; anything else (no such chat, not allowed) is for good.
      retryable: code === -1 || code === 45009,
    };
  }
}

/** The outbox's way out over the robot's connection (target kind wecom_bot); held rows only (runtime.ts). */
export function aibotSender(conn: WecomAibotConnection): OutboundSender {
  return {
    async send(msg: OutboundEnvelope): Promise<SendResult> {
      return conn.push(msg.targetAddress, aibotText(msg.payload));
    },
  };
}
