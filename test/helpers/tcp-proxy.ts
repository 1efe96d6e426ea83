import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

// A TCP proxy a test controls, in front of PostgreSQL (or any TCP service):
// - 'pass': bytes flow both ways;
// - 'refuse': every connection, open or new, is reset at once (the service is down);
// - 'blackhole': connections are accepted, and nothing comes back on any of them (a dead network path).

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export class TcpProxy {
  url = '';
  port = 0;
  private mode: ProxyMode = 'pass';
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();

  private readonly targetHost: string;
  private readonly targetPort: number;

  constructor(targetHost: string, targetPort: number) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Switches the mode; 'refuse' and 'blackhole' cut every open connection too. */
  set(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'pass') return;
    for (const p of this.pairs) {
      if (mode === 'refuse') {
        p.client.resetAndDestroy();
        p.upstream.destroy();
      } else {
        // Nothing more is forwarded either way: the peers wait for bytes that never come.
        p.client.unpipe(p.upstream);
        p.upstream.unpipe(p.client);
        p.client.pause();
        p.upstream.pause();
      }
    }
    if (mode === 'refuse') this.pairs.clear();
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'blackhole') {
      client.pause();
      this.pairs.add({ client, upstream: client });
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.on('error', () => client.destroy());
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A proxy in front of the PostgreSQL of `databaseUrl`; returns it and the URL that goes through it. */
export async function proxyPostgres(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const u = new URL(databaseUrl);
  const proxy = await new TcpProxy(u.hostname, Number(u.port || 5432)).start();
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  proxy.url = u.toString();
  return { proxy, url: u.toString() };
}
