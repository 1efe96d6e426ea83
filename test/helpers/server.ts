import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
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
  const app = createApp(deps, runtime);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
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
