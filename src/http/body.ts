import type { Context, Middleware } from 'koa';
import { AppError } from '../errors.ts';
import { findInvalidText, hasInvalidCodePoints } from '../text-safety.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

// How long a refused over-size request may go on sending before its connection is cut.
const LINGER_MS = 2000;

/** A byte limit as staff read it: "1 MiB", "16 MiB", "512 KiB". */
export function describeLimit(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} 字节`;
}

/**
 * An over-size request is answered 413 and its connection closed once the answer is out: the rest of
 * the body is never read, so a client sending it in chunks is not left waiting on a connection that
 * can no longer be used.
 */
function tooLarge(ctx: Context, limit: number): AppError {
  ctx.res.shouldKeepAlive = false;
  ctx.set('Connection', 'close');
  const socket = ctx.req.socket;
  ctx.res.once('finish', () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  ctx.req.resume();
  return new AppError('payload_too_large', `请求内容过大（上限 ${describeLimit(limit)}）`, {
    limitBytes: limit,
  });
}

/** Reads the raw request body, refusing more than `limit` bytes with 413. */
export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const cached = (ctx.state as { rawBody?: Buffer }).rawBody;
  if (cached) return cached;
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(ctx, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  const req = ctx.req;
  // Read with listeners rather than `for await`: leaving an async iterator early destroys the request.
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(ctx, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  const body = Buffer.concat(chunks);
  (ctx.state as { rawBody?: Buffer }).rawBody = body;
  return body;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a JSON body; a body that is not JSON is 400 `invalid_body`, one whose bytes are not UTF-8 or
 * whose text holds a code point no text may hold (NUL, a lone surrogate, U+FFFE…) 400 `invalid_text`.
 */
export async function readJson(ctx: Context, limit = MAX_BODY_BYTES): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  if (raw.length === 0) return {};
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    throw new AppError('invalid_text', '请求内容不是有效的 UTF-8 文本');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_body', '请求内容不是有效的 JSON');
  }
  const where = findInvalidText(value);
  if (where !== null) {
    throw new AppError(
      'invalid_text',
      `${where === '' ? '请求内容' : `字段 ${where} `}含有无法保存的字符（如空字符 U+0000 或不成对的代理项），请删去后重试`,
      { fields: [where] },
    );
  }
  return value;
}

/** Refuses (400 `invalid_text`) a request whose path or query holds a code point no text may hold. */
export function refuseInvalidUrlText(): Middleware {
  return async (ctx, next) => {
    let path = ctx.path;
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape is the router's to answer.
    }
    const values = Object.values(ctx.query).flatMap((v) => (Array.isArray(v) ? v : [v ?? '']));
    if (hasInvalidCodePoints(path) || values.some((v) => hasInvalidCodePoints(v))) {
      throw new AppError('invalid_text', '请求地址中含有无法处理的字符（如空字符 U+0000），请删去后重试');
    }
    await next();
  };
}

/** Reads a text body as UTF-8. */
export async function readText(ctx: Context): Promise<string> {
  return (await readRawBody(ctx)).toString('utf8');
}
