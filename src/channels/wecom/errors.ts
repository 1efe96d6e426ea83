// What a call to the WeCom API can come to. Platform failures are values, never exceptions, so the
// outbox can decide: retry later (retryable), give up (not retryable), or tell staff (configuration).

export type WecomFailureCode =
  /** Our own budget for this member or robot is spent: not sent, try after retryAfterMs. */
  | 'rate_limited'
  /** WECOM_* is wrong (secret, corp id, agent id, trusted IP): no retry helps until staff fix it. */
  | 'configuration'
  /** The access token was refused even after one refresh. */
  | 'token_rejected'
  /** The text is longer than WeCom takes (2048 bytes): split it before sending. */
  | 'content_too_long'
  /** No recipient is in the app's visible range, or the userid does not exist. */
  | 'invalid_recipient'
  /** WeCom refused the message itself (empty text, a type it does not take): resending cannot help. */
  | 'content_refused'
  /** The robot webhook key is not (or no longer) valid. */
  | 'invalid_webhook'
  /** Any other errcode. */
  | 'platform_error'
  /** HTTP 5xx or an unreadable answer. */
  | 'server_error'
  /** No answer in time: the call may have been carried out (an unknown outcome for a send). */
  | 'timeout'
  /** No access token in time: nothing was sent, a plain retry. */
  | 'token_timeout'
  | 'network_error';

export type WecomFailure = {
  ok: false;
  code: WecomFailureCode;
  /** Chinese, for staff (the outbox shows it). Never contains a token or a secret. */
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  /** The platform's errcode, when it gave one. */
  errcode?: number;
};

export type WecomResult<T = Record<never, never>> = ({ ok: true } & T) | WecomFailure;

export const failure = (
  code: WecomFailureCode,
  message: string,
  retryable: boolean,
  extra: { retryAfterMs?: number; errcode?: number } = {},
): WecomFailure => ({ ok: false, code, message, retryable, ...extra });

/** Access-token errcodes after which one refresh and one retry are worth it. */
export const TOKEN_ERRCODES = new Set([40014, 41001, 42001]);

/** Maps a WeCom errcode (全局错误码) to a failure. */
export function failureForErrcode(errcode: number, errmsg: string): WecomFailure {
  const detail = `（错误码 ${errcode}）`;
  switch (errcode) {
    case 40001:
      return failure('configuration', `企业微信应用 Secret 不正确，请检查 WECOM_SECRET${detail}`, false, {
        errcode,
      });
    case 40013:
      return failure('configuration', `企业 ID 不正确，请检查 WECOM_CORP_ID${detail}`, false, { errcode });
    case 40056:
    case 301002:
      return failure('configuration', `应用 AgentId 不正确，请检查 WECOM_AGENT_ID${detail}`, false, {
        errcode,
      });
    case 60020:
      return failure(
        'configuration',
        `服务器 IP 不在应用的企业可信 IP 中，请在管理后台添加${detail}`,
        false,
        {
          errcode,
        },
      );
    case 48002:
      return failure('configuration', `应用没有调用此接口的权限，请在管理后台开通${detail}`, false, {
        errcode,
      });
    case 40014:
    case 41001:
    case 42001:
      return failure('token_rejected', `企业微信拒绝了访问令牌${detail}`, true, {
        errcode,
        retryAfterMs: 60_000,
      });
    case 45009:
    case 45033:
      return failure('rate_limited', `企业微信调用频率超限，稍后重试${detail}`, true, {
        errcode,
        retryAfterMs: 60_000,
      });
    case -1:
      return failure('server_error', `企业微信系统繁忙，稍后重试${detail}`, true, {
        errcode,
        retryAfterMs: 5_000,
      });
    case 45002:
      return failure('content_too_long', `消息内容超过企业微信的长度上限${detail}`, false, { errcode });
    case 40003:
    case 60111:
    case 81013:
    case 82001:
      return failure('invalid_recipient', `接收人不存在或不在应用可见范围内${detail}`, false, { errcode });
    case 44004:
    case 40008:
      return failure(
        'content_refused',
        `企业微信拒绝了消息内容（空内容或不支持的消息类型）${detail}`,
        false,
        {
          errcode,
        },
      );
    case 93000:
      return failure('invalid_webhook', `群机器人 webhook 地址无效，请重新绑定${detail}`, false, { errcode });
    default:
      // errmsg is the platform's English text with a request id; it carries no credentials.
      return failure('platform_error', `企业微信返回错误${detail}：${errmsg.slice(0, 200)}`, false, {
        errcode,
      });
  }
}
