import type { Context } from 'koa';
import { secretsEqual } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { readText } from '../http/body.ts';
import { hasInvalidCodePoints } from '../text-safety.ts';
import type { Viewer } from './session.ts';

// Every console form carries the session's CSRF token; a POST without it (or with another) is refused
// before anything is read or changed. A bearer-header request carries no cookie, so a foreign page
// cannot forge it, and needs no token.

export const CSRF_FIELD = '_csrf';

export type Form = URLSearchParams;

export async function readForm(ctx: Context): Promise<Form> {
  const form = new URLSearchParams(await readText(ctx));
  // A code point no text may hold (NUL, half a surrogate pair, U+FFFE…) is refused, as by the API.
  for (const [k, v] of form) {
    if (hasInvalidCodePoints(k) || hasInvalidCodePoints(v)) {
      throw new AppError('invalid_text', '表单中含有无法保存的字符（如空字符 U+0000），请删去后重试');
    }
  }
  return form;
}

/** A request from a page of another origin (when the browser says so) is never acted on. */
export function sameOrigin(ctx: Context): boolean {
  const origin = ctx.get('origin');
  if (origin === '' || origin === 'null') return origin === '';
  try {
    return new URL(origin).host === ctx.host;
  } catch {
    return false;
  }
}

export function csrfValid(viewer: Viewer, form: Form): boolean {
  if (viewer.csrf === null) return true;
  const sent = form.get(CSRF_FIELD);
  return sent !== null && secretsEqual(sent, viewer.csrf);
}
