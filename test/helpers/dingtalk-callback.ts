import { createHmac, randomBytes } from 'node:crypto';

// Builds what DingTalk posts to an enterprise robot's HTTP callback: a JSON message with the headers
// `timestamp` (ms) and `sign`. The sign is computed here independently of the channel's own code.

export const TEST_DINGTALK = {
  appKey: 'dingq5xk2tjw8hfe3nma',
  appSecret: 'AppSecretForTests_0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF',
  robotCode: 'dingq5xk2tjw8hfe3nma',
} as const;

/** The DINGTALK_* variables for createTestDeps / loadConfig. */
export function dingtalkEnv(apiBase = 'http://127.0.0.1:9'): Record<string, string> {
  return {
    DINGTALK_APP_KEY: TEST_DINGTALK.appKey,
    DINGTALK_APP_SECRET: TEST_DINGTALK.appSecret,
    DINGTALK_ROBOT_CODE: TEST_DINGTALK.robotCode,
    DINGTALK_API_BASE: apiBase,
    DINGTALK_OAPI_BASE: apiBase,
  };
}

export function signFor(timestampMs: number, secret: string = TEST_DINGTALK.appSecret): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  mac.update(Buffer.from(`${timestampMs}\n${secret}`, 'utf8'));
  return mac.digest('base64');
}

export interface CallbackMessage {
  /** The sender's enterprise userid (senderStaffId); null leaves it out (someone outside the organisation). */
  staffId?: string | null;
  text?: string;
  msgId?: string;
  /** A group conversation: its openConversationId and title. */
  group?: { id: string; title?: string };
  robotCode?: string;
  msgtype?: string;
  content?: Record<string, unknown>;
  createAt?: number;
}

/** A robot callback body as DingTalk writes it. */
export function callbackBody(m: CallbackMessage): Record<string, unknown> {
  const now = m.createAt ?? Date.now();
  const staffId = m.staffId === undefined ? 'zhangsan01' : m.staffId;
  const msgtype = m.msgtype ?? 'text';
  return {
    conversationId: m.group?.id ?? `cid${randomBytes(12).toString('base64')}`,
    ...(m.group ? { conversationTitle: m.group.title ?? '代表小组' } : {}),
    atUsers: m.group ? [{ dingtalkId: '$:LWCP_v1:$robot' }] : [],
    chatbotCorpId: 'ding0123456789abcdef',
    chatbotUserId: '$:LWCP_v1:$robot',
    msgId: m.msgId ?? `msg${randomBytes(12).toString('base64')}`,
    senderNick: '张三',
    isAdmin: false,
    ...(staffId !== null ? { senderStaffId: staffId } : {}),
    sessionWebhookExpiredTime: now + 90 * 60_000,
    createAt: now,
    senderCorpId: 'ding0123456789abcdef',
    conversationType: m.group ? '2' : '1',
    senderId: `$:LWCP_v1:$${randomBytes(9).toString('base64')}`,
    ...(m.group ? { isInAtList: true } : {}),
    sessionWebhook: `https://oapi.dingtalk.com/robot/sendBySession?session=${randomBytes(16).toString('hex')}`,
    robotCode: m.robotCode ?? TEST_DINGTALK.robotCode,
    msgtype,
    ...(msgtype === 'text' ? { text: { content: m.text ?? '帮助' } } : {}),
    ...(m.content ? { content: m.content } : {}),
  };
}

export interface PostOptions {
  timestampMs?: number;
  sign?: string;
  /** A raw body instead of JSON.stringify(body). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** Posts a signed callback; returns the status and the parsed JSON (or the text when not JSON). */
export async function postCallback(
  baseUrl: string,
  body: unknown,
  o: PostOptions = {},
): Promise<{ status: number; json: Record<string, unknown> | null; text: string }> {
  const ts = o.timestampMs ?? Date.now();
  const res = await fetch(`${baseUrl}/dingtalk/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      timestamp: String(ts),
      sign: o.sign ?? signFor(ts),
      ...o.headers,
    },
    body: o.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

/** The text a person sees in a JSON reply message (text content or markdown text). */
export function replyText(json: Record<string, unknown> | null): string {
  if (!json) return '';
  if (json.msgtype === 'text') return String((json.text as { content?: unknown }).content ?? '');
  if (json.msgtype === 'markdown') return String((json.markdown as { text?: unknown }).text ?? '');
  return '';
}
