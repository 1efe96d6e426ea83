import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium as the browser tests drive it: Playwright runs it headless with a fresh profile of its
// own; the GPU and QUIC are off, and nothing of its own reaches the network (no updates, sync or probes).

export const CHROMIUM = '/usr/bin/chromium';

/** False where Chromium is not installed: the browser suites are skipped then (CI installs it). */
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
