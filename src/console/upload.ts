import type { Context } from 'koa';
import { AppError } from '../errors.ts';
import { readRawBody } from '../http/body.ts';
import { hasInvalidCodePoints } from '../text-safety.ts';
import type { Form } from './csrf.ts';

// A console form with a file (the roster upload): multipart/form-data, parsed by the platform's own
// Fetch implementation. The text fields come back as the form (CSRF is checked on them as on any form);
// the files wait in the request's state for the page that asked for them.

/** A roster of 10,000 lines is a couple of megabytes; as POST /api/roster takes. */
export const UPLOAD_MAX_BYTES = 16 * 1024 * 1024;

export interface UploadedFile {
  name: string;
  bytes: Buffer;
  /** The type the browser gave it (empty when it gave none). */
  type: string;
}

export const isUpload = (ctx: Context): boolean => ctx.is('multipart/form-data') === 'multipart/form-data';

export async function readUpload(ctx: Context): Promise<Form> {
  const raw = await readRawBody(ctx, UPLOAD_MAX_BYTES);
  let parsed: FormData;
  try {
    parsed = await new Response(raw, { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw new AppError('invalid_body', '上传的表单无法读取，请重新选择文件后再试。');
  }
  const form: Form = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  for (const [k, v] of parsed) {
    if (typeof v === 'string') {
      if (hasInvalidCodePoints(k) || hasInvalidCodePoints(v))
        throw new AppError('invalid_text', '表单中含有无法保存的字符（如空字符 U+0000），请删去后重试');
      form.append(k, v);
    } else if (v.size > 0 || v.name !== '') {
      files.set(k, { name: v.name, bytes: Buffer.from(await v.arrayBuffer()), type: v.type });
    }
  }
  ctx.state.uploads = files;
  return form;
}

/** The file a multipart form sent under this field, if any. */
export const uploadedFile = (ctx: Context, name: string): UploadedFile | undefined =>
  (ctx.state.uploads as Map<string, UploadedFile> | undefined)?.get(name);
