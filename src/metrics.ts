import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// One registry per app instance, so tests can run several apps in one process.
export interface Metrics {
  registry: Registry;
  inboundCallbacks: Counter<'channel' | 'outcome'>;
  handlerDuration: Histogram<'channel' | 'command'>;
  outboxDepth: Gauge<'status'>;
  outboxSends: Counter<'channel' | 'outcome'>;
  reminderRuns: Counter<'job' | 'outcome'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Outbound-only connections (WeCom robot, DingTalk Stream): 1 for the state each is in, with a reason when failing. */
  channelConnection: Gauge<'channel' | 'state' | 'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  return {
    registry,
    inboundCallbacks: new Counter({
      name: 'inbound_callbacks_total',
      help: 'Inbound platform callbacks by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'handler_duration_seconds',
      help: 'Time to handle one inbound message, by channel and command',
      labelNames: ['channel', 'command'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers: [registry],
    }),
    outboxDepth: new Gauge({
      name: 'outbox_depth',
      help: 'Outbound messages by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    outboxSends: new Counter({
      name: 'outbox_sends_total',
      help: 'Outbound send attempts by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    reminderRuns: new Counter({
      name: 'reminder_runs_total',
      help: 'Scheduled job runs by job and outcome',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    channelConnection: new Gauge({
      name: 'channel_connection',
      help: 'Outbound-only channel connections: 1 for the current state (connected, standby, auth_failed …)',
      labelNames: ['channel', 'state', 'reason'],
      registers: [registry],
    }),
  };
}
