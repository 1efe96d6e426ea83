import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import type { SendResult } from '../../messaging/index.ts';
import type { KvStore, WindowSpec } from '../../store/types.ts';
import { robotQuery } from './robot-signature.ts';

// DingTalk custom group robots (自定义机器人): POST {oapi}/robot/send with a signed query. They take 20
// messages a minute and then block for 10 minutes (errcode 130101), so a budget acts in advance. The
// idempotency key travels as msgUuid for tracing only: DingTalk documents no duplicate check for robots, so
// a send with no answer is not resent (this sender has no duplicate window: the outbox marks it unknown).

/** 20 in any minute, counted as DingTalk counts them. */
export const DINGTALK_ROBOT_MINUTE: WindowSpec = { limit: 20, windowMs: 60_000 };
/** How long DingTalk blocks a robot that went past its limit. */
export const ROBOT_BLOCK_MS = 10 * 60_000;

export interface DingtalkRobotClientOptions {
  oapiBase: string;
  store: KvStore;
  log: Logger;
  clock: Clock;
  timeoutMs?: number;
}

const robotId = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 24);

export class DingtalkRobotClient {
  private readonly o: DingtalkRobotClientOptions;

  constructor(o: DingtalkRobotClientOptions) {
    this.o = o;
  }

  async sendText(
    accessToken: string,
    secret: string | null,
    text: string,
    msgUuid: string,
  ): Promise<SendResult> {
    const id = robotId(accessToken);
    const budget = await this.o.store.takeWindow(`dingtalk:budget:robot:${id}`, DINGTALK_ROBOT_MINUTE);
    if (!budget.allowed) {
      return {
        ok: false,
        code: 'rate_limited',
        message: '钉钉群机器人每分钟最多发送 20 条消息，稍后再发',
        retryable: true,
        retryAfterMs: budget.retryAfterMs,
      };
    }
    const url = `${this.o.oapiBase}/robot/send?${robotQuery(accessToken, secret, this.o.clock.now().getTime())}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ msgtype: 'text', text: { content: text }, msgUuid }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
    } catch (err) {
      // The error may carry the URL and so the access token: log its kind only.
      const name = (err as { name?: string }).name ?? 'unknown';
      this.o.log.warn({ channel: 'dingtalk', robot: id, error: name }, 'dingtalk robot unreachable');
      const timeout = name === 'TimeoutError' || name === 'AbortError';
      return {
        ok: false,
        code: timeout ? 'timeout' : 'network_error',
        message: timeout ? '钉钉没有及时应答，稍后重试' : '无法连接钉钉，稍后重试',
        retryable: true,
      };
    }
    const body = await res.text().catch(() => '');
    if (res.status >= 500) {
      this.o.log.warn({ channel: 'dingtalk', robot: id, status: res.status }, 'dingtalk robot server error');
      return {
        ok: false,
        code: 'server_error',
        message: `钉钉服务器错误（HTTP ${res.status}），稍后重试`,
        retryable: true,
      };
    }
    let answer: { errcode?: number; errmsg?: string };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      return {
        ok: false,
        code: 'server_error',
        message: `钉钉的应答无法识别（HTTP ${res.status}）`,
        retryable: true,
      };
    }
    const errcode = answer.errcode ?? 0;
    if (errcode === 0) return { ok: true };
    this.o.log.warn({ channel: 'dingtalk', robot: id, errcode }, 'dingtalk robot refused');
    const detail = `（错误码 ${errcode}）`;
    switch (errcode) {
      case 130101:
        // DingTalk has blocked this robot for ten minutes: this robot only waits.
        return {
          ok: false,
          code: 'rate_limited',
          message: `钉钉群机器人发送过快，已被限流 10 分钟${detail}`,
          retryable: true,
          retryAfterMs: ROBOT_BLOCK_MS,
        };
      case 310000:
        return {
          ok: false,
          code: 'configuration',
          message: `钉钉群机器人签名、关键词或 IP 校验未通过，请检查绑定${detail}`,
          retryable: false,
        };
      case 300001:
      case 400101:
      case 400102:
        return {
          ok: false,
          code: 'invalid_webhook',
          message: `钉钉群机器人 webhook 无效或已停用，请重新绑定${detail}`,
          retryable: false,
        };
      default:
        if (errcode === -1)
          return { ok: false, code: 'server_error', message: `钉钉系统繁忙${detail}`, retryable: true };
        return {
          ok: false,
          code: 'platform_error',
          message: `钉钉返回错误${detail}：${String(answer.errmsg ?? '').slice(0, 200)}`,
          retryable: false,
        };
    }
  }
}
