import type { Server } from 'node:http';
import { Scheduler } from '../jobs/scheduler.ts';
import { createApp } from './app.ts';
import { buildDeps, closeDeps } from './bootstrap.ts';
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
  const deps: Deps = await buildDeps(config);
  // "Counting time": a year the package now publishes replaces its provisional calendar.
  await loadCalendarYears(deps).catch((err: unknown) => deps.log.error({ err }, 'calendar years not loaded'));
  const runtime = createRuntime(deps);
  const app = createApp(deps, runtime);
  runtime.outbox.start();
  const scheduler = new Scheduler(deps, { onQueued: () => runtime.outbox.kick() });
  scheduler.start();
  const server: Server = app.listen(config.port, config.host, () => {
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
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.dispatcher.drain();
    await scheduler.stop();
    await runtime.outbox.stop();
    await closeDeps(deps);
    deps.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
