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
