import type { Context } from 'koa';
import { AppError } from '../errors.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the raw request body, refusing more than `limit` bytes with 413. */
export async function readRawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const cached = (ctx.state as { rawBody?: Buffer }).rawBody;
  if (cached) return cached;
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new AppError('payload_too_large', '请求内容过大（上限 1 MiB）');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      ctx.req.resume();
      throw new AppError('payload_too_large', '请求内容过大（上限 1 MiB）');
    }
    chunks.push(buf);
  }
  const body = Buffer.concat(chunks);
  (ctx.state as { rawBody?: Buffer }).rawBody = body;
  return body;
}

/** Reads a JSON body; a body that is not JSON is 400 `invalid_body`. */
export async function readJson(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('invalid_body', '请求内容不是有效的 JSON');
  }
}

/** Reads a text body as UTF-8. */
export async function readText(ctx: Context): Promise<string> {
  return (await readRawBody(ctx)).toString('utf8');
}
