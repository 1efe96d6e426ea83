import WebSocket from 'ws';
import type { Deps } from '../deps.ts';
import { ConnectionLease, DEFAULT_LEASE_TIMING, type LeaseTiming } from './connection-lease.ts';

// What the two outbound-only channels share (WeCom's robot over its long connection, DingTalk Stream):
// the connection is opened only by the instance holding its lease; a dropped connection is opened again
// after a capped exponential backoff with jitter (never a storm of reconnects when the platform is down);
// a heartbeat finds a connection that died silently; a refused login is kept as the state, with its
// reason, for /readyz and /metrics.

export type ConnectionState =
  /** Another instance holds the connection (or this one has not taken the lease yet). */
  | 'standby'
  | 'connecting'
  | 'connected'
  /** Waiting to connect again after a drop. */
  | 'backoff'
  /** The platform refused the credentials: waiting the longest backoff, reported on /readyz. */
  | 'auth_failed'
  /** A newer connection for the same robot displaced this one (WeCom disconnected_event). */
  | 'displaced'
  | 'stopped';

export interface ConnectionStatus {
  channel: string;
  state: ConnectionState;
  reason?: string;
}

export interface LongConnectionTiming {
  /** How often a heartbeat goes out; two unanswered in a row end the connection. */
  heartbeatMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** After a displacement, how long before trying again (the other connection may be gone by then). */
  displacedWaitMs: number;
  /** How long the platform may take to answer a login, a reply or a push. */
  answerTimeoutMs: number;
  lease: LeaseTiming;
}

export const DEFAULT_CONNECTION_TIMING: LongConnectionTiming = {
  heartbeatMs: 30_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  displacedWaitMs: 5 * 60_000,
  answerTimeoutMs: 5_000,
  lease: DEFAULT_LEASE_TIMING,
};

/**
 * The wait before reconnect attempt `attempt` (1-based): exponential from `base`, capped, with "equal
 * jitter" (half fixed, half random) so that instances and robots do not reconnect in step.
 */
export function reconnectDelayMs(
  attempt: number,
  base: number,
  cap: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The platform refused the credentials (a login answer, or the gateway's 4xx). */
export class ConnectionAuthError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`authentication refused: ${reason}`);
    this.reason = reason;
    this.name = 'ConnectionAuthError';
  }
}

export type LongConnectionDeps = Pick<Deps, 'store' | 'log' | 'metrics' | 'clock'>;

export abstract class LongConnection {
  readonly channel: string;
  protected readonly deps: LongConnectionDeps;
  protected readonly timing: LongConnectionTiming;
  protected ws: WebSocket | undefined;
  /** Frames still being handled (awaited on stop and in tests). */
  readonly pending = new Set<Promise<unknown>>();

  private state: ConnectionState = 'stopped';
  private reason: string | undefined;
  private readonly lease: ConnectionLease;
  private attempt = 0;
  /** Each socket gets a number; events of an older one are ignored. */
  private generation = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private missedBeats = 0;
  private stopping = false;
  private metricLabels: { channel: string; state: string; reason: string } | undefined;

  constructor(deps: LongConnectionDeps, channel: string, leaseKey: string, timing: LongConnectionTiming) {
    this.deps = deps;
    this.channel = channel;
    this.timing = timing;
    this.lease = new ConnectionLease(
      deps.store,
      leaseKey,
      { acquired: () => this.connect(), lost: () => this.release() },
      deps.log,
      timing.lease,
    );
  }

  /** Whether this instance holds the connection's lease (its outbox rows are sent only by the holder). */
  get holds(): boolean {
    return this.lease.held;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  status(): ConnectionStatus {
    return { channel: this.channel, state: this.state, ...(this.reason ? { reason: this.reason } : {}) };
  }

  start(): void {
    this.stopping = false;
    this.setState('standby');
    this.lease.start();
  }

  /** Closes the connection, releases the lease (another instance takes over at once), finishes frames in hand. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.lease.stop();
    this.release();
    await this.drain();
    this.setState('stopped');
  }

  /** As if the process died: the socket is cut and the lease left to run out (tests of takeover). */
  abandon(): void {
    this.stopping = true;
    this.lease.abandon();
    this.release();
    this.setState('stopped');
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Runs a frame's handling, tracked so stop() waits for it. */
  protected track(work: Promise<unknown>): void {
    const p = work
      .catch((err: unknown) => this.deps.log.error({ err, channel: this.channel }, 'frame handling failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Opens the socket (DingTalk first asks its gateway for an endpoint); throws ConnectionAuthError when refused. */
  protected abstract openSocket(): Promise<WebSocket>;
  /** The socket is open: log in (WeCom) or count as connected (DingTalk). */
  protected abstract onOpen(ws: WebSocket): void;
  protected abstract onFrame(ws: WebSocket, text: string): void;
  protected abstract sendHeartbeat(ws: WebSocket): void;

  /** Logged in: the backoff starts over and heartbeats begin. */
  protected markConnected(): void {
    this.attempt = 0;
    this.missedBeats = 0;
    this.setState('connected');
    this.deps.log.info({ channel: this.channel }, 'long connection up');
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.beat(), this.timing.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** The platform answered a heartbeat (or pinged us): the connection is alive. */
  protected heartbeatAnswered(): void {
    this.missedBeats = 0;
  }

  protected authFailed(reason: string): void {
    this.deps.log.error({ channel: this.channel, reason }, 'long connection refused: check the credentials');
    this.setState('auth_failed', reason);
    this.cut();
    this.scheduleReconnect(this.timing.backoffCapMs);
  }

  /** A newer connection took over: this one ends and waits long before trying again, never a storm. */
  protected displaced(): void {
    this.deps.log.warn({ channel: this.channel }, 'long connection displaced by a newer one');
    this.setState('displaced', 'a newer connection for the same robot');
    this.cut();
    this.scheduleReconnect(this.timing.displacedWaitMs);
  }

  /** Sends one JSON frame; false when there is no open connection. */
  protected sendFrame(frame: unknown): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  private beat(): void {
    const ws = this.ws;
    if (!ws) return;
    if (this.missedBeats >= 2) {
      this.deps.log.warn({ channel: this.channel }, 'two heartbeats unanswered: connection considered dead');
      ws.terminate();
      return;
    }
    this.missedBeats++;
    try {
      this.sendHeartbeat(ws);
    } catch (err) {
      this.deps.log.warn({ err: String(err), channel: this.channel }, 'heartbeat not sent');
    }
  }

  private connect(): void {
    if (!this.lease.held || this.stopping) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const generation = ++this.generation;
    if (this.state !== 'auth_failed' && this.state !== 'displaced') this.setState('connecting');
    void this.openSocket().then(
      (ws) => {
        if (generation !== this.generation || !this.lease.held || this.stopping) {
          ws.terminate();
          return;
        }
        this.ws = ws;
        ws.on('open', () => {
          if (generation === this.generation) this.onOpen(ws);
        });
        ws.on('message', (data: WebSocket.RawData) => {
          if (generation === this.generation) this.onFrame(ws, data.toString());
        });
        ws.on('pong', () => this.heartbeatAnswered());
        ws.on('error', (err) =>
          this.deps.log.warn({ err: String(err), channel: this.channel }, 'long connection error'),
        );
        ws.on('close', (code: number) => {
          if (generation !== this.generation) return;
          this.deps.log.warn({ channel: this.channel, code }, 'long connection closed');
          this.cut();
          this.scheduleReconnect();
        });
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        if (err instanceof ConnectionAuthError) {
          this.authFailed(err.reason);
          return;
        }
        this.deps.log.warn({ err: String(err), channel: this.channel }, 'long connection not opened');
        this.scheduleReconnect();
      },
    );
  }

  private scheduleReconnect(waitMs?: number): void {
    if (!this.lease.held || this.stopping || this.reconnectTimer) return;
    this.attempt++;
    const delay =
      waitMs ?? reconnectDelayMs(this.attempt, this.timing.backoffBaseMs, this.timing.backoffCapMs);
    if (this.state !== 'auth_failed' && this.state !== 'displaced') this.setState('backoff');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Ends the socket (events of it are ignored from now on). */
  private cut(): void {
    this.generation++;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners('close');
      ws.on('error', () => {});
      ws.terminate();
    }
  }

  /** The lease is gone (or stop): no connection and no reconnect. */
  private release(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.cut();
    if (!this.stopping) this.setState('standby');
  }

  private setState(state: ConnectionState, reason?: string): void {
    this.state = state;
    this.reason = reason;
    const labels = { channel: this.channel, state, reason: reason ?? '' };
    if (this.metricLabels) this.deps.metrics.channelConnection.remove(this.metricLabels);
    this.deps.metrics.channelConnection.set(labels, 1);
    this.metricLabels = labels;
  }
}
