import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Gauge } from 'prom-client';
import type { Clock } from '../../clock.ts';
import type { DingtalkConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Reply, SendResult } from '../../messaging/index.ts';
import type { Metrics } from '../../metrics.ts';
import { todayIn } from '../../statute/calendar-date.ts';
import type { KvStore } from '../../store/types.ts';
import { AccessTokenCache, type FetchedToken } from '../access-token-cache.ts';
import { getDownload, goneFor, type MediaDownload, retryLater } from '../media-download.ts';

export type ApiFailure = Extract<SendResult, { ok: false }>;

// The enterprise robot's outbound API (api.dingtalk.com, new version): the access token, one-to-one
// messages (POST /v1.0/robot/oToMessages/batchSend, at most 20 userIds a call) and group messages
// (POST /v1.0/robot/groupMessages/send, to a group the robot is in, by openConversationId).
// Every answer is a value; nothing here throws for the platform. The token travels in the
// x-acs-dingtalk-access-token header and never reaches a log line. Each HTTP call is counted per month
// (standard organisations get about 5,000 API calls a month, DESIGN.md).

/** batchSend takes at most 20 userIds a call. */
export const MAX_USERS_PER_CALL = 20;
/** How long a sent idempotency key is remembered: the outbox's retries of one row fall well inside it. */
const SENT_TTL_MS = 24 * 3600_000;
/** A month's counter outlives its month a little, so last month's figure is still readable on the 1st. */
const METER_TTL_MS = 40 * 24 * 3600_000;
/** Standard organisations' monthly API calls (DESIGN.md); a warning is logged when most are used. */
export const MONTHLY_API_CALLS = 5_000;
const METER_WARN_AT = Math.floor(MONTHLY_API_CALLS * 0.8);

export type DingtalkMessage =
  | { msgKey: 'sampleText'; msgParam: { content: string } }
  | { msgKey: 'sampleMarkdown'; msgParam: { title: string; text: string } };

/** A link in DingTalk markdown that, when tapped, sends `command` back into the chat as the person. */
export const sendBackLink = (command: string): string =>
  `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;

/** The markdown form of an answer with choices: the text, then one tappable line per button. */
export function markdownOf(reply: Reply): { title: string; text: string } {
  const firstLine = reply.text.split('\n').find((l) => l.trim() !== '') ?? '消息';
  const title = [...firstLine.trim()].slice(0, 20).join('');
  // DingTalk markdown needs two trailing spaces for a line break inside a paragraph.
  const body = reply.text.split('\n').join('  \n');
  const links = (reply.buttons ?? []).map(
    (b) => `- [${b.label.replace(/[[\]]/g, '')}](${sendBackLink(b.command)})`,
  );
  return { title, text: links.length > 0 ? `${body}\n\n${links.join('\n')}` : body };
}

/** Plain text, or markdown with tappable choices when the answer has buttons. */
export function messageOf(reply: Reply): DingtalkMessage {
  return reply.buttons && reply.buttons.length > 0
    ? { msgKey: 'sampleMarkdown', msgParam: markdownOf(reply) }
    : { msgKey: 'sampleText', msgParam: { content: reply.text } };
}

export type BatchResult =
  | {
      ok: true;
      /** userIds DingTalk does not know (not in the organisation, or left it). */
      invalidUserIds: string[];
      /** userIds DingTalk held back for sending to them too often: try them later. */
      flowControlledUserIds: string[];
      duplicate?: boolean;
    }
  | ApiFailure;

export interface SendOptions {
  /** Unique per message: a repeat with the same key is not sent again. */
  idempotencyKey: string;
}

export interface DingtalkApiClientOptions {
  config: DingtalkConfig;
  store: KvStore;
  log: Logger;
  clock: Clock;
  /** APP_TIMEZONE: the month of the call meter. */
  timeZone: string;
  /** Per HTTP call. */
  timeoutMs?: number;
}

const fail = (code: string, message: string, retryable: boolean, retryAfterMs?: number): ApiFailure => ({
  ok: false,
  code,
  message,
  retryable,
  ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

type HttpAnswer = { ok: true; status: number; body: Record<string, unknown> } | ApiFailure;

/** Token refusals after which one refresh and one retry are worth it. */
const TOKEN_CODES = new Set([
  'invalidauthentication',
  'invalidaccesstoken',
  'accesstokenexpired',
  'tokenexpired',
]);

/** What a DingTalk error answer (HTTP 4xx/5xx with code and message) comes to. */
export function failureOf(status: number, code: string, message: string): ApiFailure {
  const lower = code.toLowerCase();
  const detail = code ? `（${code}）` : `（HTTP ${status}）`;
  if (status >= 500) return fail('server_error', `钉钉服务器错误${detail}，稍后重试`, true, 10_000);
  if (
    status === 429 ||
    lower.includes('qpslimit') ||
    lower.includes('throttl') ||
    lower.includes('flowcontrol')
  ) {
    return fail('rate_limited', `钉钉接口调用过于频繁${detail}，稍后重试`, true, 2_000);
  }
  if (lower.includes('quota')) {
    return fail('quota_exhausted', `钉钉本月接口调用次数已用完${detail}，请联系管理员扩容`, true, 3_600_000);
  }
  if (status === 401 || TOKEN_CODES.has(lower)) {
    return fail('token_rejected', `钉钉拒绝了访问令牌${detail}`, true, 60_000);
  }
  if (lower.includes('ipnotinwhitelist')) {
    return fail(
      'configuration',
      `服务器 IP 不在钉钉应用的出口 IP 白名单中，请在开发者后台添加${detail}`,
      false,
    );
  }
  if (status === 403) {
    return fail(
      'configuration',
      `钉钉应用没有调用此接口的权限，请在开发者后台开通“企业机器人消息推送”${detail}`,
      false,
    );
  }
  if (lower.includes('robotcode') || lower.includes('robot.not')) {
    return fail(
      'configuration',
      `机器人编码不正确或机器人已停用，请检查 DINGTALK_ROBOT_CODE${detail}`,
      false,
    );
  }
  if (lower.includes('staffid') || lower.includes('userid') || lower.includes('conversation')) {
    return fail('invalid_recipient', `接收人或群会话不存在，或机器人不在群中${detail}`, false);
  }
  return fail('platform_error', `钉钉返回错误${detail}：${message.slice(0, 200)}`, false);
}

/** Counts API calls per calendar month in the store, shared by every instance. */
export class ApiCallMeter {
  private readonly store: KvStore;
  private readonly clock: Clock;
  private readonly timeZone: string;
  private readonly prefix: string;
  private readonly log: Logger;

  constructor(o: { store: KvStore; clock: Clock; timeZone: string; appKey: string; log: Logger }) {
    this.store = o.store;
    this.clock = o.clock;
    this.timeZone = o.timeZone;
    this.log = o.log;
    this.prefix = `dingtalk:api-calls:${hash(o.appKey).slice(0, 16)}`;
  }

  month(): string {
    return todayIn(this.clock, this.timeZone).slice(0, 7);
  }

  async count(month = this.month()): Promise<number> {
    return Number((await this.store.get(`${this.prefix}:${month}`)) ?? 0);
  }

  /** Adds one call. The store has no increment, so a short lock makes the read-and-write atomic. */
  async add(): Promise<void> {
    const key = `${this.prefix}:${this.month()}`;
    for (let i = 0; i < 40; i++) {
      const owner = await this.store.acquireLock(`${key}:lock`, 2_000);
      if (!owner) {
        await sleep(5);
        continue;
      }
      try {
        const n = Number((await this.store.get(key)) ?? 0) + 1;
        await this.store.set(key, String(n), METER_TTL_MS);
        if (n === METER_WARN_AT || n === MONTHLY_API_CALLS) {
          this.log.warn(
            { channel: 'dingtalk', month: key.slice(-7), calls: n },
            'dingtalk monthly api calls running out',
          );
        }
      } finally {
        await this.store.releaseLock(`${key}:lock`, owner);
      }
      return;
    }
    this.log.warn({ channel: 'dingtalk' }, 'dingtalk api call not metered (meter lock busy)');
  }
}

/** Shows this month's metered calls in /metrics as dingtalk_api_calls_month. */
export function exposeApiCalls(metrics: Metrics, meter: ApiCallMeter): void {
  const name = 'dingtalk_api_calls_month';
  if (metrics.registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help: `DingTalk API calls this calendar month (standard organisations get about ${MONTHLY_API_CALLS})`,
    registers: [metrics.registry],
    async collect() {
      this.set(await meter.count());
    },
  });
}

export class DingtalkApiClient {
  readonly meter: ApiCallMeter;
  private readonly cfg: DingtalkConfig;
  private readonly store: KvStore;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly tokens: AccessTokenCache<ApiFailure>;
  private readonly app: string;

  constructor(o: DingtalkApiClientOptions) {
    this.cfg = o.config;
    this.store = o.store;
    this.log = o.log;
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.app = hash(o.config.appKey).slice(0, 16);
    this.meter = new ApiCallMeter({
      store: o.store,
      clock: o.clock,
      timeZone: o.timeZone,
      appKey: o.config.appKey,
      log: o.log,
    });
    this.tokens = new AccessTokenCache<ApiFailure>(
      o.store,
      `dingtalk:token:${this.app}`,
      () => this.fetchToken(),
      () => fail('timeout', '等待钉钉访问令牌超时，稍后重试', true, 5_000),
    );
  }

  /** One message to each of `userIds` (one-to-one chats with the robot), 20 a call. */
  async sendToUsers(userIds: string[], message: DingtalkMessage, opts: SendOptions): Promise<BatchResult> {
    const ids = [...new Set(userIds.map((u) => u.trim()).filter((u) => u !== ''))];
    if (ids.length === 0) return fail('invalid_recipient', '没有接收人', false);
    const invalid: string[] = [];
    const flowControlled: string[] = [];
    let allDuplicate = true;
    for (let i = 0; i < ids.length; i += MAX_USERS_PER_CALL) {
      const chunk = ids.slice(i, i + MAX_USERS_PER_CALL);
      const sentKey = `dingtalk:sent:${this.app}:${hash(`${opts.idempotencyKey}|${chunk.join(',')}`).slice(0, 32)}`;
      if ((await this.store.get(sentKey)) !== null) continue;
      allDuplicate = false;
      const answer = await this.callWithToken('/v1.0/robot/oToMessages/batchSend', {
        robotCode: this.cfg.robotCode,
        userIds: chunk,
        msgKey: message.msgKey,
        msgParam: JSON.stringify(message.msgParam),
      });
      // Earlier chunks stay sent (their keys are stored): a retry sends only what is left.
      if (!answer.ok) return answer;
      invalid.push(...strings(answer.body.invalidStaffIdList));
      const held = strings(answer.body.flowControlledStaffIdList);
      flowControlled.push(...held);
      // A chunk with held-back users is not marked sent, so its retry reaches them (the others may see it twice).
      if (held.length === 0) await this.store.set(sentKey, '1', SENT_TTL_MS);
    }
    return {
      ok: true,
      invalidUserIds: invalid,
      flowControlledUserIds: flowControlled,
      ...(allDuplicate ? { duplicate: true } : {}),
    };
  }

  /** One message to a group the robot is in. */
  async sendToConversation(
    openConversationId: string,
    message: DingtalkMessage,
    opts: SendOptions,
  ): Promise<SendResult> {
    if (openConversationId.trim() === '') return fail('invalid_recipient', '没有群会话 ID', false);
    const sentKey = `dingtalk:sent:${this.app}:${hash(`${opts.idempotencyKey}|group:${openConversationId}`).slice(0, 32)}`;
    if ((await this.store.get(sentKey)) !== null) return { ok: true };
    const answer = await this.callWithToken('/v1.0/robot/groupMessages/send', {
      robotCode: this.cfg.robotCode,
      openConversationId,
      msgKey: message.msgKey,
      msgParam: JSON.stringify(message.msgParam),
    });
    if (!answer.ok) return answer;
    await this.store.set(sentKey, '1', SENT_TTL_MS);
    return { ok: true };
  }

  /**
   * What a person sent the robot (a picture, a voice message, a file) by its downloadCode: POST
   * /v1.0/robot/messageFiles/download with the robotCode answers a short-lived downloadUrl, then a GET of
   * it brings the bytes. A downloadCode is good for a short while only, so this runs as soon as it came.
   */
  async downloadMessageFile(downloadCode: string, maxBytes: number): Promise<MediaDownload> {
    const answer = await this.callWithToken('/v1.0/robot/messageFiles/download', {
      downloadCode,
      robotCode: this.cfg.robotCode,
    });
    if (!answer.ok) return answer.retryable ? retryLater(answer.message) : goneFor(answer.message);
    const url = answer.body.downloadUrl;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url))
      return retryLater('钉钉没有返回下载地址，稍后重试');
    return getDownload(url, maxBytes);
  }

  /** Calls an API that needs the token; refreshes the token once when DingTalk refuses it. */
  private async callWithToken(path: string, body: unknown): Promise<HttpAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      // Nothing was sent yet: a token that did not come in time is a plain retry, never an unknown outcome.
      if (!token.ok) return token.code === 'timeout' ? { ...token, code: 'token_timeout' } : token;
      const answer = await this.http(path, body, token.token);
      if (!answer.ok) return answer;
      if (answer.status >= 200 && answer.status < 300) return answer;
      const code = String(answer.body.code ?? '');
      const failure = failureOf(answer.status, code, String(answer.body.message ?? ''));
      if (failure.code === 'token_rejected' && attempt === 0) {
        this.log.info({ channel: 'dingtalk', path, code }, 'dingtalk access token refused, refreshing');
        await this.tokens.invalidate(token.token);
        continue;
      }
      const level = failure.code === 'configuration' || failure.code === 'quota_exhausted' ? 'error' : 'warn';
      this.log[level](
        { channel: 'dingtalk', path, status: answer.status, code, outcome: failure.code },
        'dingtalk api refused',
      );
      return failure;
    }
  }

  private async fetchToken(): Promise<({ ok: true } & FetchedToken) | ApiFailure> {
    const path = '/v1.0/oauth2/accessToken';
    const answer = await this.http(path, { appKey: this.cfg.appKey, appSecret: this.cfg.appSecret });
    if (!answer.ok) return answer;
    const b = answer.body;
    if (answer.status >= 500) return failureOf(answer.status, String(b.code ?? ''), '');
    if (answer.status >= 400) {
      const code = String(b.code ?? '');
      this.log.error(
        { channel: 'dingtalk', path, status: answer.status, code },
        'dingtalk refused the app credentials',
      );
      return fail(
        'configuration',
        `钉钉应用的 AppKey 或 AppSecret 不正确，请检查 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET（${code || `HTTP ${answer.status}`}）`,
        false,
      );
    }
    if (typeof b.accessToken !== 'string' || b.accessToken === '') {
      return fail('server_error', '钉钉没有返回访问令牌，稍后重试', true, 5_000);
    }
    const expiresIn = typeof b.expireIn === 'number' && b.expireIn > 0 ? b.expireIn : 7200;
    return { ok: true, token: b.accessToken, expiresInSec: expiresIn };
  }

  /** One POST. Logs the path and status, never the token or the body. */
  private async http(path: string, body: unknown, token?: string): Promise<HttpAnswer> {
    await this.meter.add();
    let res: Response;
    try {
      res = await fetch(`${this.cfg.apiBase}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(token ? { 'x-acs-dingtalk-access-token': token } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'unknown';
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.log.warn({ channel: 'dingtalk', path, timeoutMs: this.timeoutMs }, 'dingtalk api timed out');
        return fail('timeout', `钉钉 ${this.timeoutMs} 毫秒内没有应答，稍后重试`, true, 10_000);
      }
      this.log.warn({ channel: 'dingtalk', path, error: name }, 'dingtalk api unreachable');
      return fail('network_error', '无法连接钉钉，稍后重试', true, 10_000);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      return fail('network_error', '钉钉的应答中断，稍后重试', true, 10_000);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.log.warn({ channel: 'dingtalk', path, status: res.status }, 'dingtalk api unreadable answer');
      return res.status >= 500 || res.status === 429
        ? failureOf(res.status, '', '')
        : fail('server_error', `钉钉的应答无法识别（HTTP ${res.status}）`, true, 10_000);
    }
    this.log.debug({ channel: 'dingtalk', path, status: res.status }, 'dingtalk api called');
    return { ok: true, status: res.status, body: parsed as Record<string, unknown> };
  }
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The client for the configured robot, or undefined when DingTalk is not configured. */
export function createDingtalkApiClient(deps: {
  config: { dingtalk: DingtalkConfig | undefined; timezone: string };
  store: KvStore;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
}): DingtalkApiClient | undefined {
  if (!deps.config.dingtalk) return undefined;
  const client = new DingtalkApiClient({
    config: deps.config.dingtalk,
    store: deps.store,
    log: deps.log,
    clock: deps.clock,
    timeZone: deps.config.timezone,
  });
  exposeApiCalls(deps.metrics, client.meter);
  return client;
}
