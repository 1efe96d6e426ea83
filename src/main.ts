import type { Server } from 'node:http';
import { DataDirBusyError } from '../db/data-dir-lock.ts';
import { Scheduler } from '../jobs/scheduler.ts';
import { createApp, serveApp } from './app.ts';
import { buildDeps, closeDeps } from './bootstrap.ts';
import { dataDirBusyText, startControlServer } from './cli/control.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { Deps } from './deps.ts';
import { createRuntime } from './runtime.ts';
import { loadCalendarYears } from './services/calendar/index.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) process.stderr.write(`配置错误 ${line}\n`);
      process.exit(1);
    }
    throw err;
  }
  // With the embedded database this process owns DATA_DIR (its lock); CLI commands reach it by the socket.
  const deps: Deps = await buildDeps(config, { owner: 'server' });
  // "Counting time": a year the package now publishes replaces its provisional calendar.
  await loadCalendarYears(deps).catch((err: unknown) => deps.log.error({ err }, 'calendar years not loaded'));
  const control = deps.dbHandle.engine === 'pglite' ? await startControlServer(deps, config.dataDir) : null;
  const runtime = createRuntime(deps);
  const app = createApp(deps, runtime);
  runtime.outbox.start();
  runtime.media.start();
  // Outbound-only channels (WeCom robot, DingTalk Stream): connected by whichever instance holds the lease.
  for (const c of runtime.connections) c.start();
  const scheduler = new Scheduler(deps, { onQueued: () => runtime.outbox.kick() });
  scheduler.start();
  // Its own server rather than app.listen: a request too long to parse gets a page people can read.
  const server: Server = serveApp(app, config.port, config.host, () => {
    deps.log.info({ host: config.host, port: config.port }, 'listening');
  });
  // Passive replies must go out well within the platforms' 5 s; keep-alive beyond the LB's idle timeout.
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // The outbox stops claiming at once and records the row in flight (a send is bounded by the
    // client's 5 s timeout), well inside the grace period, so nothing is sent again after a restart.
    const outboxStopped = runtime.outbox.stop();
    // The connections release their leases, so another instance takes them over at once.
    await Promise.all(runtime.connections.map((c) => c.stop()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await control?.close();
    await runtime.dispatcher.drain();
    await scheduler.stop();
    await outboxStopped;
    await runtime.media.stop();
    await closeDeps(deps);
    deps.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

// Started as the entry point; imported (to compile it ahead of a start: compile-ahead.ts) it does nothing.
if (import.meta.main)
  main().catch((err: unknown) => {
    if (err instanceof DataDirBusyError) process.stderr.write(`${dataDirBusyText(err, 'server')}\n`);
    else process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
