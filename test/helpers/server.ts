import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { createApp, serveApp } from '../../src/app.ts';
import type { Deps } from '../../src/deps.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';

export interface RunningServer {
  url: string;
  server: Server;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startServer(
  deps: Deps,
  runtime: Runtime = createRuntime(deps),
): Promise<RunningServer> {
  return listening(runtime, createApp(deps, runtime), (app, ready) => app.listen(0, '127.0.0.1', ready));
}

/**
 * As `startServer`, but served the way src/main.ts serves it (`serveApp`): a request too long for Node to
 * parse gets a page in Chinese rather than a bare 431.
 */
export async function startServerAsMain(
  deps: Deps,
  runtime: Runtime = createRuntime(deps),
): Promise<RunningServer> {
  return listening(runtime, createApp(deps, runtime), (app, ready) => serveApp(app, 0, '127.0.0.1', ready));
}

async function listening(
  runtime: Runtime,
  app: Koa,
  listen: (app: Koa, ready: () => void) => Server,
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve) => {
    const s = listen(app, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    runtime,
    close: async () => {
      await runtime.dispatcher.drain();
      await runtime.outbox.stop();
      await runtime.media.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
