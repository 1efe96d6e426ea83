import type { Context } from 'koa';

// The session cookie, written by hand so its flags are exactly these: HttpOnly, SameSite=Strict,
// Path=/console, and Secure whenever the request came over HTTPS (directly or through a trusted proxy).

export const SESSION_COOKIE = 'console_sid';

export function readCookie(ctx: Context, name: string): string | null {
  const header = ctx.get('cookie');
  if (header === '') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function setSessionCookie(ctx: Context, value: string, maxAgeSeconds: number): void {
  const flags = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(ctx.secure ? ['Secure'] : []),
  ];
  ctx.append('Set-Cookie', flags.join('; '));
}

export const clearSessionCookie = (ctx: Context): void => setSessionCookie(ctx, '', 0);
