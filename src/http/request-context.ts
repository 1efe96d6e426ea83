import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export interface RequestState {
  requestId: string;
  log: Logger;
}

/** Gives each request an id and a child logger carrying it, and logs the request's outcome. */
export function requestContext(log: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // The child logger is made when something logs: most requests at the usual levels never do.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      configurable: true,
      enumerable: true,
      get: () => {
        child ??= log.child({ reqId: requestId });
        return child;
      },
      set: (value: Logger) => {
        child = value;
      },
    });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.httpRequests.inc({ method: ctx.method, route: String(route), status: String(ctx.status) });
      // Only the path: query strings can carry signatures and echostr.
      if (log.isLevelEnabled('info'))
        ctx.state.log.info(
          { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms) },
          'request',
        );
    }
  };
}

/** Turns errors into `{"error":{"code","message"}}`; internals are logged, never shown. */
export function errorBoundary(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('not_found', '没有这个地址');
      }
    } catch (err) {
      if (isAppError(err)) {
        ctx.status = err.status;
        ctx.body = {
          error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
        };
        if (err.status >= 500) (ctx.state.log as Logger).error({ err }, 'request failed');
        return;
      }
      (ctx.state.log as Logger).error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: '服务器内部错误，请稍后再试' } };
    }
  };
}
