import type { Context } from 'koa';
import type { TokenRole } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Form } from './csrf.ts';
import type { SafeHtml } from './html.ts';
import { layout, type PageOptions } from './layout.ts';
import type { Viewer } from './session.ts';

// What a console page handler receives, and the ways it answers: a page, a redirect after a change,
// or the form again with the service's message.

export interface PageContext {
  deps: Deps;
  ctx: Context;
  viewer: Viewer;
  /** Today in APP_TIMEZONE. */
  today: string;
}

export type GetHandler = (c: PageContext) => Promise<void>;
export type PostHandler = (c: PageContext, form: Form) => Promise<void>;

export interface ConsoleRoutes {
  get(path: string, role: TokenRole, handler: GetHandler): void;
  post(path: string, role: TokenRole, handler: PostHandler): void;
}

/** One page (or group of pages) of the console, registered in router.ts. */
export type ConsoleModule = (routes: ConsoleRoutes) => void;

export function sendHtml(ctx: Context, status: number, page: SafeHtml): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page.value;
}

export function sendPage(c: PageContext, o: PageOptions, body: SafeHtml, status = 200): void {
  sendHtml(c.ctx, status, layout(c.viewer, o, body));
}

/** After a change: 303 to the page that shows it, with a fixed notice key. */
export function redirectAfter(ctx: Context, path: string, done: string): void {
  ctx.redirect(`${path}${path.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}`);
  ctx.status = 303;
}

/**
 * Runs a change; a refusal the services explain (an AppError other than a missing item or a role) comes
 * back as its message and status, for the form to be shown again. Nothing changed in that case: the
 * services refuse before they write, inside one transaction.
 */
export async function attempt(
  change: () => Promise<void>,
): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  try {
    await change();
    return { ok: true };
  } catch (err) {
    if (isAppError(err) && err.code !== 'forbidden' && err.code !== 'unauthorized' && err.status < 500) {
      return { ok: false, status: err.status === 404 ? 400 : err.status, message: err.message };
    }
    throw err;
  }
}

/** A form's text field, trimmed, with a browser's CRLF line ends as LF; '' when absent. */
export const field = (form: Form, name: string): string =>
  (form.get(name) ?? '').replace(/\r\n?/g, '\n').trim();

/** The message of a form value out of bounds, or null: the console's own check before a service call. */
export function checkText(
  label: string,
  value: string,
  opts: { required?: boolean; max: number },
): string | null {
  if (opts.required && value === '') return `请填写「${label}」`;
  if (value.length > opts.max) return `「${label}」最多 ${opts.max} 个字`;
  return null;
}

export const notFoundError = (what: string): AppError => new AppError('not_found', what);

/** A query parameter as one trimmed string, or undefined when absent or empty. */
export function param(ctx: Context, name: string): string | undefined {
  const v = ctx.query[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}
