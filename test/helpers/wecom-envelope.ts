import { createCipheriv, randomBytes } from 'node:crypto';
import { getSignature, decrypt as referenceDecrypt, encrypt as referenceEncrypt } from '@wecom/crypto';

// Builds what WeCom sends to the callback URL: signed, encrypted envelopes. Encryption here uses
// @wecom/crypto, an implementation independent of the channel's own, so the two check each other.

export const TEST_WECOM = {
  corpId: 'ww5f3c0e9b2a7d41aa',
  agentId: 1000002,
  secret: 'app-secret-for-tests-0123456789abcdef',
  token: 'CallbackToken2026',
  encodingAesKey: 'Zk7Qm2VxR9pL4sT8wYc1Nd6Gh3Jb5Ke0Af2Hn7Uq9Mr',
} as const;

/** The WECOM_* variables for createTestDeps / loadConfig. */
export function wecomEnv(apiBase = 'http://127.0.0.1:9'): Record<string, string> {
  return {
    WECOM_CORP_ID: TEST_WECOM.corpId,
    WECOM_AGENT_ID: String(TEST_WECOM.agentId),
    WECOM_SECRET: TEST_WECOM.secret,
    WECOM_TOKEN: TEST_WECOM.token,
    WECOM_ENCODING_AES_KEY: TEST_WECOM.encodingAesKey,
    WECOM_API_BASE: apiBase,
  };
}

const inCdata = (s: string) => `<![CDATA[${s}]]>`;

export interface InnerMessage {
  from?: string;
  createTime?: number;
  /** Extra fields, in order, e.g. { MsgType: 'text', Content: '帮助', MsgId: '1' }. */
  fields: Record<string, string>;
}

/** A decrypted callback message as WeCom writes it. */
export function innerXml(m: InnerMessage): string {
  const parts = [
    `<ToUserName>${inCdata(TEST_WECOM.corpId)}</ToUserName>`,
    `<FromUserName>${inCdata(m.from ?? 'ZhangSan')}</FromUserName>`,
    `<CreateTime>${m.createTime ?? 1_790_000_000}</CreateTime>`,
    ...Object.entries(m.fields).map(([k, v]) => `<${k}>${inCdata(v)}</${k}>`),
    `<AgentID>${TEST_WECOM.agentId}</AgentID>`,
  ];
  return `<xml>${parts.join('')}</xml>`;
}

export const textXml = (content: string, o: { from?: string; msgId?: string; createTime?: number } = {}) =>
  innerXml({
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(o.createTime !== undefined ? { createTime: o.createTime } : {}),
    fields: { MsgType: 'text', Content: content, MsgId: o.msgId ?? '7300000000000000001' },
  });

export interface CallbackParts {
  timestamp?: string;
  nonce?: string;
  /** Replace the encrypted payload (after signing, unless `signOver` says otherwise). */
  encrypt?: string;
  /** Sign this value instead of the real encrypt (for a body that was altered after signing). */
  signature?: string;
  receiveId?: string;
  agentId?: string;
  encodingAesKey?: string;
}

export function encryptForTest(
  plain: string,
  receiveId: string = TEST_WECOM.corpId,
  key: string = TEST_WECOM.encodingAesKey,
) {
  return referenceEncrypt(key, plain, receiveId);
}

/**
 * Encrypts raw bytes (already including random, length, message and receive id) with the given
 * padding bytes appended, so tests can send broken padding.
 */
export function encryptWithRawPadding(plainWithoutPad: Buffer, pad: Buffer): string {
  const key = Buffer.from(`${TEST_WECOM.encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plainWithoutPad, pad])), cipher.final()]).toString(
    'base64',
  );
}

/** The plaintext layout: 16 random bytes, length, message, receive id. */
export function plaintextLayout(message: string, receiveId: string = TEST_WECOM.corpId): Buffer {
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  return Buffer.concat([randomBytes(16), len, msg, Buffer.from(receiveId, 'utf8')]);
}

export const sign = (timestamp: string, nonce: string, encrypt: string, token: string = TEST_WECOM.token) =>
  getSignature(token, timestamp, nonce, encrypt);

/** Query string with percent-encoding as WeCom sends it. */
export function queryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
}

export interface SignedCallback {
  query: string;
  body: string;
  encrypt: string;
  timestamp: string;
  nonce: string;
}

/** A POST callback: the envelope XML and the signed query for one inner message. */
export function signedCallback(inner: string, now: Date, parts: CallbackParts = {}): SignedCallback {
  const timestamp = parts.timestamp ?? String(Math.floor(now.getTime() / 1000));
  const nonce = parts.nonce ?? randomBytes(5).toString('hex');
  const encrypt =
    parts.encrypt ?? encryptForTest(inner, parts.receiveId ?? TEST_WECOM.corpId, parts.encodingAesKey);
  const signature = parts.signature ?? sign(timestamp, nonce, encrypt);
  const body =
    `<xml><ToUserName>${inCdata(TEST_WECOM.corpId)}</ToUserName>` +
    `<Encrypt>${inCdata(encrypt)}</Encrypt><AgentID>${inCdata(parts.agentId ?? String(TEST_WECOM.agentId))}</AgentID></xml>`;
  return {
    query: queryString({ msg_signature: signature, timestamp, nonce }),
    body,
    encrypt,
    timestamp,
    nonce,
  };
}

export interface OpenedReply {
  signatureValid: boolean;
  receiveId: string;
  /** The decrypted inner reply XML. */
  xml: string;
  /** The inner reply's fields. */
  toUser: string;
  fromUser: string;
  msgType: string;
  content: string;
}

/** Opens a passive reply as WeCom would: checks its signature and decrypts it. */
export function openReply(envelope: string): OpenedReply {
  const field = (xml: string, tag: string) => {
    const m = new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(xml);
    return m ? (m[1] ?? m[2] ?? '') : '';
  };
  const encrypt = field(envelope, 'Encrypt');
  const signatureValid =
    sign(field(envelope, 'TimeStamp'), field(envelope, 'Nonce'), encrypt) === field(envelope, 'MsgSignature');
  const { message, id } = referenceDecrypt(TEST_WECOM.encodingAesKey, encrypt);
  // Content is one CDATA section, or several where the text held a "]]>": join them back.
  const rawContent = /<Content><!\[CDATA\[([\s\S]*)\]\]><\/Content>/.exec(message)?.[1] ?? '';
  const content = rawContent.replaceAll(']]><![CDATA[', '');
  return {
    signatureValid,
    receiveId: id,
    xml: message,
    toUser: field(message, 'ToUserName'),
    fromUser: field(message, 'FromUserName'),
    msgType: field(message, 'MsgType'),
    content,
  };
}
