import type { Context } from 'koa';
import { secretsEqual } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { readText } from '../http/body.ts';
import { hasInvalidCodePoints, stripInvalidCodePoints } from '../text-safety.ts';
import { html } from './html.ts';
import type { Viewer } from './session.ts';

// Every console form carries the session's CSRF token; a POST without it (or with another) is refused
// before anything is read or changed. A bearer-header request carries no cookie, so a foreign page
// cannot forge it, and needs no token.

export const CSRF_FIELD = '_csrf';

export type Form = URLSearchParams;

export const INVALID_TEXT_MESSAGE = '表单中含有无法保存的字符（如空字符 U+0000），请删去后重试';

/** The message shown above a form sent again with such characters removed (nothing was saved). */
export const INVALID_TEXT_REMOVED =
  '您填写的内容中含有无法保存的字符（如从 Word 等处粘贴带来的空字符 U+0000），本次没有保存。这些字符已删去，您填写的其余内容保留在下面，请检查后重新提交。';

/** A form refused for a code point no text may hold (NUL, half a surrogate pair, U+FFFE…), as by the API. */
export async function readForm(ctx: Context): Promise<Form> {
  const { form, hadInvalid } = await readFormCleaned(ctx);
  if (hadInvalid) throw new AppError('invalid_text', INVALID_TEXT_MESSAGE);
  return form;
}

/**
 * The form with every such code point removed, and whether there was one: the console then shows the
 * form again with what was typed (without them) and changes nothing.
 */
export async function readFormCleaned(ctx: Context): Promise<{ form: Form; hadInvalid: boolean }> {
  const raw = new URLSearchParams(await readText(ctx));
  let hadInvalid = false;
  const form: Form = new URLSearchParams();
  for (const [k, v] of raw) {
    if (hasInvalidCodePoints(k) || hasInvalidCodePoints(v)) hadInvalid = true;
    form.append(stripInvalidCodePoints(k), stripInvalidCodePoints(v));
  }
  return { form, hadInvalid };
}

const ATTR = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const esc = (s: string): string => html`${s}`.value;

/**
 * A rendered page with the form posting to `action` filled in with these values (text boxes, text areas,
 * selects, checkboxes and radio buttons; hidden fields keep what the page gave them). Null when the page
 * has no such form. Every value is escaped as the templates escape it.
 */
export function refillForm(page: string, action: string, form: Form): string | null {
  const open = new RegExp(
    `<form\\b[^>]*\\saction="${esc(action).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`,
  ).exec(page);
  if (!open) return null;
  const start = open.index + open[0].length;
  const end = page.indexOf('</form>', start);
  if (end < 0) return null;
  const has = (name: string) => form.has(name);
  let body = page.slice(start, end);
  body = body.replace(/<input\b[^>]*>/g, (tag) => {
    const name = ATTR(tag, 'name');
    const type = (ATTR(tag, 'type') ?? 'text').toLowerCase();
    if (name === undefined || name === CSRF_FIELD) return tag;
    if (type === 'checkbox' || type === 'radio') {
      const value = ATTR(tag, 'value') ?? 'on';
      const on = form.getAll(name).some((v) => esc(v) === value);
      const bare = tag.replace(/\schecked(?=[\s>])/g, '');
      return on ? bare.replace(/>$/, ' checked>') : bare;
    }
    if (['hidden', 'submit', 'button', 'file', 'password', 'image', 'reset'].includes(type) || !has(name))
      return tag;
    const v = esc(form.get(name) ?? '');
    return ATTR(tag, 'value') !== undefined
      ? tag.replace(/\svalue="[^"]*"/, ` value="${v}"`)
      : tag.replace(/>$/, ` value="${v}">`);
  });
  body = body.replace(
    /(<textarea\b[^>]*>)([\s\S]*?)(<\/textarea>)/g,
    (all, head: string, _old, tail: string) => {
      const name = ATTR(head, 'name');
      return name !== undefined && has(name) ? `${head}${esc(form.get(name) ?? '')}${tail}` : all;
    },
  );
  body = body.replace(
    /(<select\b[^>]*>)([\s\S]*?)(<\/select>)/g,
    (all, head: string, options: string, tail: string) => {
      const name = ATTR(head, 'name');
      if (name === undefined || !has(name)) return all;
      const chosen = new Set(form.getAll(name).map(esc));
      const marked = options.replace(/<option\b[^>]*>/g, (o) => {
        const bare = o.replace(/\sselected(?=[\s>])/g, '');
        return chosen.has(ATTR(o, 'value') ?? '') ? bare.replace(/>$/, ' selected>') : bare;
      });
      return `${head}${marked}${tail}`;
    },
  );
  return page.slice(0, start) + body + page.slice(end);
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
