import { createServer, type Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import Router from '@koa/router';
import Koa from 'koa';
import { countOutboxByStatus } from '../db/repositories/outbox.ts';
import { apiRouter } from './api/router.ts';
import { channelRoutes } from './channels/routes.ts';
import { consoleRouter } from './console/router.ts';
import type { Deps } from './deps.ts';
import { errorBoundary, requestContext } from './http/request-context.ts';
import { publicRouter } from './public/router.ts';
import { createRuntime, type Runtime } from './runtime.ts';

/** Builds the web application. It never listens: main.ts and tests do. */
export function createApp(deps: Deps, runtime: Runtime = createRuntime(deps)): Koa {
  const app = new Koa({ proxy: true });
  app.silent = true;
  app.on('error', (err) => deps.log.error({ err }, 'koa error'));

  app.use(requestContext(deps.log, deps.metrics));
  app.use(errorBoundary());

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  health.get('/readyz', async (ctx) => {
    const failing: string[] = [];
    const check = async (name: string, probe: () => Promise<void>) => {
      try {
        await withTimeout(probe(), 2000);
      } catch (err) {
        failing.push(name);
        ctx.state.log.warn({ err: String(err), part: name }, 'readiness check failed');
      }
    };
    await Promise.all([
      check('database', () => deps.dbHandle.ping()),
      ...(deps.store.kind === 'redis' ? [check('redis', () => deps.store.ping())] : []),
    ]);
    // An outbound-only connection whose login the platform refused: not ready, with the reason.
    const connections = runtime.connections.map((c) => c.status());
    for (const c of connections) if (c.state === 'auth_failed') failing.push(c.channel);
    const connectionPart = connections.length > 0 ? { connections } : {};
    if (failing.length === 0) {
      ctx.body = {
        status: 'ready',
        database: deps.dbHandle.engine,
        store: deps.store.kind,
        ...connectionPart,
      };
    } else {
      ctx.status = 503;
      ctx.body = { status: 'not_ready', failing, ...connectionPart };
    }
  });
  health.get('/metrics', async (ctx) => {
    await refreshGauges(deps);
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  // Browsers ask for /favicon.ico on every site: answer "no icon" rather than a 404 in every log.
  health.get('/favicon.ico', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.status = 204;
  });
  app.use(health.routes());

  for (const r of channelRoutes(deps, runtime.dispatcher, runtime.alerts))
    app.use(r.routes()).use(r.allowedMethods());

  app.use(consoleRouter(deps));
  // The public pages: no login (《代表法》第五十一条第三款).
  const pub = publicRouter(deps);
  app.use(pub.routes()).use(pub.allowedMethods());

  const api = apiRouter(deps);
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}

/** Serves the app on a new HTTP server (main.ts; the tests that need the real server's edge). */
export function serveApp(app: Koa, port: number, host: string, onListening?: () => void): Server {
  const server = createServer(app.callback());
  answerClientErrors(server);
  server.listen(port, host, onListening);
  return server;
}

// A request the HTTP parser refuses never reaches Koa. The one people meet is an address too long for
// Node's 16 KB header limit (a few thousand characters pasted into a search, each 9 bytes once encoded):
// Node alone answers it with a bare 431 and no body, so the person sees a blank error page.
const TOO_LONG_PAGE = Buffer.from(
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>搜索的内容太长了</title></head>' +
    '<body><h1>搜索的内容太长了，请缩短后再试。</h1>' +
    '<p>例如只搜索代表姓名、建议编号或几个关键词，不要粘贴整段文字。</p>' +
    '<p><a href="/console">返回控制台</a></p></body></html>\n',
);
const tooLongResponse = Buffer.concat([
  Buffer.from(
    'HTTP/1.1 431 Request Header Fields Too Large\r\n' +
      'Content-Type: text/html; charset=utf-8\r\n' +
      `Content-Length: ${TOO_LONG_PAGE.length}\r\n` +
      "Content-Security-Policy: default-src 'none'\r\n" +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n',
  ),
  TOO_LONG_PAGE,
]);
/** Node's own answers to the other refusals: the same status lines, with the connection closed. */
const plainRefusal = (status: string) => Buffer.from(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
const REFUSALS: Record<string, Buffer> = {
  HPE_HEADER_OVERFLOW: tooLongResponse,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: plainRefusal('413 Payload Too Large'),
  ERR_HTTP_REQUEST_TIMEOUT: plainRefusal('408 Request Timeout'),
};
const BAD_REQUEST = plainRefusal('400 Bad Request');
/** How long a refused connection stays open for the client to read the answer and close it. */
const REFUSED_LINGER_MS = 2000;

/** Answers what the HTTP parser refuses, as Node would, but a too-long address with a page people can read. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Answered already (more of the refused request arrived), or gone.
    if (socket.writableEnded || socket.destroyed) return;
    // Nothing can be written (the peer reset it), or a response is already partly on the wire: writing
    // now would corrupt what the client reads.
    const inFlight = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
    if (!socket.writable || (inFlight instanceof ServerResponse && inFlight.headersSent)) {
      socket.destroy();
      return;
    }
    // Ended rather than destroyed at once: the rest of the request is still read (and dropped), so the
    // close is no reset that could discard the answer before the client reads it.
    socket.end((err.code && REFUSALS[err.code]) ?? BAD_REQUEST);
    const linger = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  });
}

async function refreshGauges(deps: Deps): Promise<void> {
  try {
    const rows = await countOutboxByStatus(deps.db);
    deps.metrics.outboxDepth.reset();
    for (const s of ['pending', 'sending', 'sent', 'failed', 'dead', 'unknown']) {
      deps.metrics.outboxDepth.set({ status: s }, Number(rows.find((r) => r.status === s)?.n ?? 0));
    }
  } catch (err) {
    deps.log.warn({ err: String(err) }, 'outbox gauge not refreshed');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
