import {
  claimDueOutbox,
  holdOutboxTarget,
  markOutboxDead,
  markOutboxRetry,
  markOutboxSent,
  releaseOutboxRow,
  setOutboxError,
} from '../../db/repositories/outbox.ts';
import type { OutboxRow } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { Senders, SendResult } from './sender.ts';
import type { OutboundPayload, TargetKind } from './targets.ts';

// Sends due outbox rows. A row is claimed (status 'sending', locked for a while) before it is sent, so
// several instances never send one row at once; a row whose claim ran out (a crash between sending and
// recording) is sent again with the same idempotency key, which the platform uses to drop the repeat.

const CLAIM_MS = 60_000;
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 30 * 60_000;

const targetOf = (row: OutboxRow): string => `${row.channel}|${row.target_kind}|${row.target_address}`;

/** Exponential backoff with full jitter: attempt 1 → up to 2 s, 2 → 4 s, … capped at 30 min. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

export class OutboxDispatcher {
  private readonly deps: Deps;
  private readonly senders: Senders;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DispatchSummary> | undefined;
  private again = false;
  private stopped = true;

  constructor(deps: Deps, senders: Senders) {
    this.deps = deps;
    this.senders = senders;
  }

  /** Claims up to `limit` due rows and sends them. */
  async runOnce(limit = 50): Promise<DispatchSummary> {
    const now = this.deps.clock.now();
    const rows = await this.claim(now, limit);
    const summary: DispatchSummary = { claimed: rows.length, sent: 0, retried: 0, dead: 0 };
    // A target that answered "too fast" waits; the other targets' rows keep flowing.
    const backedOff = new Map<string, Date>();
    for (const row of rows) {
      const until = backedOff.get(targetOf(row));
      if (until) {
        await this.release(row, until);
        summary.retried++;
        continue;
      }
      const outcome = await this.deliver(row, backedOff);
      summary[outcome]++;
    }
    return summary;
  }

  private async claim(now: Date, limit: number): Promise<OutboxRow[]> {
    return claimDueOutbox(this.deps.db, now, new Date(now.getTime() + CLAIM_MS), limit);
  }

  /** Puts a claimed row back untried: not an attempt. */
  private async release(row: OutboxRow, notBefore: Date): Promise<void> {
    await releaseOutboxRow(this.deps.db, row.id, notBefore);
  }

  private async deliver(row: OutboxRow, backedOff: Map<string, Date>): Promise<'sent' | 'retried' | 'dead'> {
    const sender = this.senders[row.channel];
    let result: SendResult;
    if (!sender) {
      result = {
        ok: false,
        code: 'channel_disabled',
        message: `channel ${row.channel} is not configured`,
        retryable: true,
      };
    } else {
      try {
        result = await sender.send({
          targetKind: row.target_kind as TargetKind,
          targetAddress: row.target_address,
          payload: row.payload as OutboundPayload,
          idempotencyKey: row.idempotency_key,
        });
      } catch (err) {
        this.deps.log.error({ err, outboxId: row.id }, 'sender threw');
        result = { ok: false, code: 'sender_error', message: 'internal sender error', retryable: true };
      }
    }
    const now = this.deps.clock.now();
    if (result.ok) {
      await markOutboxSent(this.deps.db, row.id, now);
      this.deps.metrics.outboxSends.inc({ channel: row.channel, outcome: 'sent' });
      return 'sent';
    }
    const last = `${result.code}: ${result.message}`.slice(0, 500);
    if (result.code === 'rate_limited') {
      // Our budget said no in advance, or the platform answered "too fast" (WeCom 45009, DingTalk
      // 130101): not a failed attempt. This target backs off; its other waiting rows wait with it.
      const until = new Date(now.getTime() + Math.max(result.retryAfterMs ?? 60_000, 1000));
      backedOff.set(targetOf(row), until);
      await this.release(row, until);
      await holdOutboxTarget(this.deps.db, row, until);
      await setOutboxError(this.deps.db, row.id, last);
      this.deps.metrics.outboxSends.inc({ channel: row.channel, outcome: 'rate_limited' });
      return 'retried';
    }
    if (!result.retryable || row.attempts >= row.max_attempts) {
      await markOutboxDead(this.deps.db, row.id, last);
      this.deps.metrics.outboxSends.inc({ channel: row.channel, outcome: 'dead' });
      this.deps.log.warn({ outboxId: row.id, code: result.code, attempts: row.attempts }, 'outbox row dead');
      return 'dead';
    }
    const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(row.attempts));
    await markOutboxRetry(this.deps.db, row.id, last, new Date(now.getTime() + wait));
    this.deps.metrics.outboxSends.inc({
      channel: row.channel,
      outcome: result.code === 'rate_limited' ? 'rate_limited' : 'retry',
    });
    return 'retried';
  }

  /** Polls for due rows until stopped; `kick()` sends at once after something was queued. */
  start(intervalMs = 1000): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(tick, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce()
      .catch((err: unknown) => {
        this.deps.log.error({ err }, 'outbox run failed');
        return { claimed: 0, sent: 0, retried: 0, dead: 0 };
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
