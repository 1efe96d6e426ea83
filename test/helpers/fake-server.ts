import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// What every fake platform server shares: a listener on 127.0.0.1:0, failures a test queues per path or
// robot (answered before the real handling), and requests left hanging for timeout tests.

export abstract class FakeServer<Failure> {
  url = '';
  private server: Server | undefined;
  private readonly injected = new Map<string, Failure[]>();
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls to `key` (a path, or a robot) fail as given. */
  inject(key: string, failure: Failure, times = 1): void {
    const list = this.injected.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.injected.set(key, list);
  }

  protected clearInjected(): void {
    this.injected.clear();
  }

  /** Takes the next queued failure for `key`, if any. */
  protected nextFailure(key: string): Failure | undefined {
    return this.injected.get(key)?.shift();
  }

  /** Never answers (until the server closes). */
  protected hang(res: ServerResponse): void {
    this.hanging.add(res);
  }

  /**
   * Answers a queued failure that is the same on every platform: a hang, or a gateway's HTML error page.
   * True when it answered; platform error answers are left to the caller.
   */
  protected answerTransportFailure<F extends { kind: string; status?: number }>(
    res: ServerResponse,
    failure: F,
  ): failure is Extract<F, { kind: 'hang' | 'status' }> {
    if (failure.kind === 'hang') {
      this.hang(res);
      return true;
    }
    if (failure.kind === 'status') {
      res.statusCode = failure.status ?? 502;
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>Bad Gateway</body></html>');
      return true;
    }
    return false;
  }

  protected abstract route(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
