import { createHash } from 'node:crypto';
import type { WecomConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { ReplyButton } from '../../messaging/index.ts';
import type { KvStore } from '../../store/types.ts';
import { AccessTokenCache, type FetchedToken } from '../access-token-cache.ts';
import {
  DOWNLOAD_TIMEOUT_MS,
  goneFor,
  type MediaDownload,
  readCapped,
  retryLater,
} from '../media-download.ts';
import { type BudgetResult, takeCorpBudget, takeMemberBudget, takeRobotBudget } from './budgets.ts';
import { failure, failureForErrcode, TOKEN_ERRCODES, type WecomFailure, type WecomResult } from './errors.ts';
import type { MenuButton } from './menu.ts';

// The outbound WeCom API: app messages to a member (message/send), the app menu (menu/create) and
// group robots (webhook/send). Every answer is a value (errors.ts); nothing here throws for the platform.
// The access token travels in the query string, so a log line names the path only.

/** WeCom's largest text message, in UTF-8 bytes (message/send and robot text). */
export const MAX_TEXT_BYTES = 2048;
/**
 * How long WeCom drops a repeat of the same request (message/send enable_duplicate_check,
 * duplicate_check_interval: default 1800 s, at most 4 hours). The longest, so that a send whose answer
 * timed out can be repeated safely for as long as possible (the outbox relies on it).
 */
export const DUPLICATE_CHECK_SEC = 4 * 3600;
/** How long we remember a sent idempotency key ourselves. */
const SENT_TTL_MS = DUPLICATE_CHECK_SEC * 1000;
/** Button interaction cards take at most six buttons. */
const MAX_CARD_BUTTONS = 6;

export interface WecomClientOptions {
  config: WecomConfig;
  store: KvStore;
  log: Logger;
  /** Per HTTP call. */
  timeoutMs?: number;
}

export interface SendOptions {
  /** Unique per message: a repeat with the same key is not sent again. */
  idempotencyKey: string;
}

export type SendResult = WecomResult<{ msgId?: string; duplicate?: boolean }>;

export interface TemplateCard {
  title: string;
  description?: string;
  /** Each button sends its command back as a template_card_event (normalize.ts). */
  buttons: ReplyButton[];
}

interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export class WecomClient {
  private readonly cfg: WecomConfig;
  private readonly store: KvStore;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly app: string;
  private readonly tokens: AccessTokenCache<WecomFailure>;

  constructor(opts: WecomClientOptions) {
    this.cfg = opts.config;
    this.store = opts.store;
    this.log = opts.log;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.app = `${opts.config.corpId}:${opts.config.agentId}`;
    this.tokens = new AccessTokenCache<WecomFailure>(
      opts.store,
      `wecom:token:${this.app}`,
      () => this.fetchToken(),
      () => failure('timeout', '等待企业微信访问令牌超时', true, { retryAfterMs: 5_000 }),
    );
  }

  /** A text message to one member. */
  async sendText(touser: string, text: string, opts: SendOptions): Promise<SendResult> {
    if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
      return failure('content_too_long', `消息超过 ${MAX_TEXT_BYTES} 字节，需分条发送`, false);
    }
    if (text.trim() === '') return failure('platform_error', '消息内容为空', false);
    return this.sendToMember(touser, opts, { msgtype: 'text', text: { content: text } });
  }

  /** A button interaction card: one button per choice. */
  async sendTemplateCard(touser: string, card: TemplateCard, opts: SendOptions): Promise<SendResult> {
    if (card.buttons.length === 0 || card.buttons.length > MAX_CARD_BUTTONS) {
      return failure('platform_error', `按钮数量须为 1 到 ${MAX_CARD_BUTTONS} 个`, false);
    }
    if (card.buttons.some((b) => Buffer.byteLength(b.command, 'utf8') > 1024)) {
      return failure('platform_error', '按钮命令过长', false);
    }
    return this.sendToMember(touser, opts, {
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        main_title: { title: card.title, ...(card.description ? { desc: card.description } : {}) },
        // Unique per app and message; only letters, digits and _-@ are allowed.
        task_id: `m_${hash(opts.idempotencyKey).slice(0, 40)}`,
        button_list: card.buttons.map((b) => ({ text: b.label, style: 1, key: b.command })),
      },
    });
  }

  /** Publishes the app's menu (menu/create). */
  async createMenu(buttons: MenuButton[]): Promise<WecomResult> {
    const answer = await this.callWithToken(
      '/cgi-bin/menu/create',
      { agentid: String(this.cfg.agentId) },
      {
        button: buttons,
      },
    );
    return answer.ok ? { ok: true } : answer;
  }

  /** A text message through a group robot's webhook. */
  async sendRobotText(
    webhookKey: string,
    text: string,
    mentionedUserids: string[] = [],
  ): Promise<WecomResult> {
    if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
      return failure('content_too_long', `消息超过 ${MAX_TEXT_BYTES} 字节，需分条发送`, false);
    }
    const budget = await takeRobotBudget(this.store, webhookKey);
    if (!budget.allowed) return this.overBudget(budget, '群机器人每分钟最多发送 20 条消息');
    const answer = await this.http(
      '/cgi-bin/webhook/send',
      { key: webhookKey },
      {
        msgtype: 'text',
        text: { content: text, ...(mentionedUserids.length > 0 ? { mentioned_list: mentionedUserids } : {}) },
      },
    );
    if (!answer.ok) return answer;
    const errcode = answer.body.errcode ?? 0;
    return errcode === 0 ? { ok: true } : this.platformFailure('/cgi-bin/webhook/send', answer.body);
  }

  private async sendToMember(
    touser: string,
    opts: SendOptions,
    message: Record<string, unknown>,
  ): Promise<SendResult> {
    if (touser === '' || touser.includes('|') || touser === '@all') {
      return failure('invalid_recipient', '一次只能发给一名成员', false);
    }
    const sentKey = `wecom:sent:${this.app}:${hash(opts.idempotencyKey).slice(0, 32)}`;
    if ((await this.store.get(sentKey)) !== null) return { ok: true, duplicate: true };
    const budget = await takeMemberBudget(this.store, this.app, touser);
    if (!budget.allowed)
      return this.overBudget(budget, '对同一成员的消息超过每分钟 30 条或每小时 1000 条的上限');
    const corp = await takeCorpBudget(this.store, this.cfg.corpId, 'message/send');
    if (!corp.allowed)
      return this.overBudget(corp, '本企业调用发送消息接口超过每分钟 1 万次或每小时 15 万次的上限');
    const answer = await this.callWithToken(
      '/cgi-bin/message/send',
      {},
      {
        touser,
        agentid: this.cfg.agentId,
        ...message,
        // WeCom drops an identical request within the interval: a resend after a crash repeats nothing.
        enable_duplicate_check: 1,
        duplicate_check_interval: DUPLICATE_CHECK_SEC,
      },
    );
    if (!answer.ok) return answer;
    const invalid = String(answer.body.invaliduser ?? '');
    if (invalid !== '') return failure('invalid_recipient', '接收人不存在或不在应用可见范围内', false);
    await this.store.set(sentKey, '1', SENT_TTL_MS);
    const msgId = answer.body.msgid;
    return { ok: true, ...(typeof msgId === 'string' && msgId !== '' ? { msgId } : {}) };
  }

  /**
   * What a member sent (a photo, a voice message, a file) by its media_id (GET /cgi-bin/media/get),
   * which WeCom keeps for three days. An error comes back as JSON with an errcode: 40007 (no such
   * media_id, or it expired) means it is gone; a refused token is refreshed once.
   */
  async downloadMedia(mediaId: string, maxBytes: number): Promise<MediaDownload> {
    const path = '/cgi-bin/media/get';
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      if (!token.ok) return retryLater(token.message);
      const query = new URLSearchParams({ access_token: token.token, media_id: mediaId }).toString();
      let res: Response;
      try {
        res = await fetch(`${this.cfg.apiBase}${path}?${query}`, {
          signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
        });
      } catch (err) {
        // The error text can carry the URL, and with it the token: log its kind only.
        this.log.warn(
          { channel: 'wecom', path, error: (err as { name?: string }).name },
          'wecom media unreachable',
        );
        return retryLater('无法连接企业微信，稍后重试');
      }
      if (res.status >= 500 || res.status === 429) {
        await res.body?.cancel().catch(() => {});
        this.log.warn({ channel: 'wecom', path, status: res.status }, 'wecom media server error');
        return retryLater(`企业微信服务器错误（HTTP ${res.status}），稍后重试`);
      }
      const type = res.headers.get('content-type') ?? '';
      if (res.ok && !/json|text\/plain/i.test(type)) return readCapped(res, maxBytes);
      const body = (await res.json().catch(() => ({}))) as ApiAnswer;
      const errcode = body.errcode ?? -1;
      if (TOKEN_ERRCODES.has(errcode) && attempt === 0) {
        await this.tokens.invalidate(token.token);
        continue;
      }
      this.log.warn({ channel: 'wecom', path, errcode }, 'wecom media refused');
      if (errcode === 40007) return goneFor('企业微信已不再提供该文件（错误码 40007，超过三天或已失效）');
      const f = failureForErrcode(errcode, String(body.errmsg ?? ''));
      return f.retryable ? retryLater(f.message) : goneFor(f.message);
    }
  }

  private overBudget(budget: BudgetResult, message: string): WecomFailure {
    const retryAfterMs = budget.allowed ? 0 : budget.retryAfterMs;
    return failure('rate_limited', `${message}，稍后再发`, true, { retryAfterMs });
  }

  /** Calls an API that needs the access token; refreshes the token once when WeCom refuses it (appchat.ts uses it too). */
  async callWithToken(
    path: string,
    query: Record<string, string>,
    body: unknown,
  ): Promise<{ ok: true; body: ApiAnswer } | WecomFailure> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      // Nothing was sent yet: a token that did not come in time is a plain retry, never an unknown outcome.
      if (!token.ok) return token.code === 'timeout' ? { ...token, code: 'token_timeout' } : token;
      const answer = await this.http(path, { access_token: token.token, ...query }, body);
      if (!answer.ok) return answer;
      const errcode = answer.body.errcode ?? 0;
      if (errcode === 0) return answer;
      if (TOKEN_ERRCODES.has(errcode) && attempt === 0) {
        this.log.info({ channel: 'wecom', path, errcode }, 'access token refused, refreshing');
        await this.tokens.invalidate(token.token);
        continue;
      }
      return this.platformFailure(path, answer.body);
    }
  }

  private async fetchToken(): Promise<WecomResult<FetchedToken>> {
    const answer = await this.http(
      '/cgi-bin/gettoken',
      { corpid: this.cfg.corpId, corpsecret: this.cfg.secret },
      undefined,
    );
    if (!answer.ok) return answer;
    const b = answer.body;
    if ((b.errcode ?? 0) !== 0) return this.platformFailure('/cgi-bin/gettoken', b);
    if (typeof b.access_token !== 'string' || b.access_token === '') {
      return failure('server_error', '企业微信没有返回访问令牌', true, { retryAfterMs: 5_000 });
    }
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 7200;
    return { ok: true, token: b.access_token, expiresInSec: expiresIn };
  }

  private platformFailure(path: string, body: ApiAnswer): WecomFailure {
    const f = failureForErrcode(body.errcode ?? -1, String(body.errmsg ?? ''));
    const level = f.code === 'configuration' ? 'error' : 'warn';
    this.log[level]({ channel: 'wecom', path, errcode: f.errcode, code: f.code }, 'wecom api refused');
    return f;
  }

  /** One HTTP call. GET without a body, POST JSON with one. Logs the path, never the query. */
  private async http(
    path: string,
    query: Record<string, string>,
    body: unknown,
  ): Promise<{ ok: true; body: ApiAnswer } | WecomFailure> {
    const url = `${this.cfg.apiBase}${path}?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.log.warn({ channel: 'wecom', path, timeoutMs: this.timeoutMs }, 'wecom api timed out');
        return failure('timeout', `企业微信 ${this.timeoutMs} 毫秒内没有应答，稍后重试`, true, {
          retryAfterMs: 10_000,
        });
      }
      // The error text of a failed fetch can carry the URL, and with it the token: log its kind only.
      this.log.warn({ channel: 'wecom', path, error: name ?? 'unknown' }, 'wecom api unreachable');
      return failure('network_error', '无法连接企业微信，稍后重试', true, { retryAfterMs: 10_000 });
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      return failure('network_error', '企业微信的应答中断，稍后重试', true, { retryAfterMs: 10_000 });
    }
    if (res.status >= 500 || res.status === 429) {
      this.log.warn({ channel: 'wecom', path, status: res.status }, 'wecom api server error');
      return failure('server_error', `企业微信服务器错误（HTTP ${res.status}），稍后重试`, true, {
        retryAfterMs: 10_000,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok || parsed === null || typeof parsed !== 'object') {
      this.log.warn({ channel: 'wecom', path, status: res.status }, 'wecom api unreadable answer');
      return failure('server_error', `企业微信的应答无法识别（HTTP ${res.status}）`, res.ok, {
        retryAfterMs: 10_000,
      });
    }
    this.log.debug(
      { channel: 'wecom', path, errcode: (parsed as ApiAnswer).errcode ?? 0 },
      'wecom api called',
    );
    return { ok: true, body: parsed as ApiAnswer };
  }
}

/** The client for the configured app, or undefined when WeCom is not configured. */
export function createWecomClient(deps: {
  config: { wecom: WecomConfig | undefined };
  store: KvStore;
  log: Logger;
}): WecomClient | undefined {
  return deps.config.wecom
    ? new WecomClient({ config: deps.config.wecom, store: deps.store, log: deps.log })
    : undefined;
}
