import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

// A console page in Chromium: signed in through the sign-in form, or opened in a context of its own that
// sends a token in its header (its forms then need no CSRF field).

/**
 * Signs `page` in at `${url}/console` with `token` through the form: waits for the page the form leads to,
 * which must be the overview (refused, it is the form again).
 */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/console`);
  await page.fill('input[name=token]', token);
  await Promise.all([page.waitForEvent('load'), page.click('button[type=submit]')]);
  expect(page.url(), 'signed in').toMatch(/\/console\/?$/);
  expect(await page.locator('input[name=token]').count(), 'signed in').toBe(0);
}

export interface OpenPageOptions {
  width: number;
  /** 844 (a phone's) unless given. */
  height?: number;
  /** Sent as `authorization: Bearer …` with every request; none when absent or null. */
  token?: string | null;
  locale?: string;
}

export interface OpenedPage {
  page: Page;
  /** What Chromium refused under the Content Security Policy, as it reported it on the console. */
  refused: string[];
}

/** `path` opened in a new context at `width`×`height`, answered 200. */
export async function openPage(
  browser: Browser,
  url: string,
  path: string,
  opts: OpenPageOptions,
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height ?? 844 },
    ...(opts.locale ? { locale: opts.locale } : {}),
    ...(opts.token ? { extraHTTPHeaders: { authorization: `Bearer ${opts.token}` } } : {}),
  });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const res = await page.goto(`${url}${path}`);
  expect(res?.status(), path).toBe(200);
  return { page, refused };
}
