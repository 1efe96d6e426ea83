import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../src/clock.ts';
import { createTestDeps, type TestDeps } from './backends.ts';
import { launchChromium } from './chromium.ts';
import { type RunningServer, startServer, startServerAsMain } from './server.ts';

// The app a browser test drives, one for the whole file: test deps on PGlite, the server listening, and one
// Chromium. `useBrowserApp` starts them in a `beforeAll` (so a file's own `beforeAll` after it finds them
// running) and closes them, the browser first, in an `afterAll`.

export interface BrowserAppOptions {
  clock?: Clock;
  /** Rows written straight to the database before the server starts. */
  seed?: (deps: TestDeps) => Promise<void>;
  /** Serve as src/main.ts does (`startServerAsMain`): a request too long to parse gets a page. */
  servedAsMain?: boolean;
  /** False: no browser (a file whose other tests run without Chromium). */
  browser?: boolean;
}

export interface BrowserApp {
  readonly deps: TestDeps;
  readonly db: Db;
  readonly server: RunningServer;
  /** The server's base URL, `http://127.0.0.1:port`. */
  readonly url: string;
  readonly browser: Browser;
}

export function useBrowserApp(opts: BrowserAppOptions = {}): BrowserApp {
  let deps: TestDeps | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const started = <T>(what: string, x: T | undefined): T => {
    if (x === undefined) throw new Error(`the browser test's ${what} is not started`);
    return x;
  };
  beforeAll(async () => {
    deps = await createTestDeps('pglite+memory', { clock: opts.clock });
    await opts.seed?.(deps);
    server = await (opts.servedAsMain ? startServerAsMain : startServer)(deps);
    if (opts.browser !== false) browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });
  return {
    get deps() {
      return started('deps', deps);
    },
    get db() {
      return started('deps', deps).db;
    },
    get server() {
      return started('server', server);
    },
    get url() {
      return started('server', server).url;
    },
    get browser() {
      return started('browser', browser);
    },
  };
}
