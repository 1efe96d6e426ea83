import { randomUUID } from 'node:crypto';
import {
  claimNextOutbox,
  holdOutboxTarget,
  markOutboxEnded,
  markOutboxRetry,
  markOutboxSent,
  releaseOutboxRow,
  setOutboxError,
} from '../../db/repositories/outbox.ts';
import type { OutboxRow } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { OutboundSender, Senders, SendResult } from './sender.ts';
import type { OutboundPayload, TargetKind } from './targets.ts';

// Sends due outbox rows, each once (docs/ARCHITECTURE.md, "Nothing is lost").
//
// - One row is claimed at a time, with this dispatcher's token, and its claim covers one send (a send is
//   bounded by the client's timeout, far below CLAIM_MS). The result is recorded only while the token
//   still holds the row, so an instance whose claim ran out never records over another's.
// - A send that failed for a passing reason (5xx, network, rate limit) is retried with capped exponential
//   backoff and full jitter for up to 24 hours from its first try; one the platform refused for good
//   (unknown recipient, content refused) ends at once as 'dead' with the reason.
// - A send whose outcome is unknown (a timeout: the platform may have taken it) is resent only inside
//   the platform's duplicate window, with the same key, so the platform drops a repeat; after that window
//   the row is 'unknown' and staff confirm or requeue it.
// - stop() ends claiming at once and waits for the row in flight to be recorded.

const CLAIM_MS = 60_000;
const BASE_BACKOFF_MS = 2_000;
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/** How long a passing failure is retried, from the first try. */
export const RETRY_BUDGET_MS = 24 * 3600_000;
/** A resend inside the duplicate window must start this far before its end. */
const WINDOW_MARGIN_MS = 5 * 60_000;

const targetOf = (row: OutboxRow): string => `${row.channel}|${row.target_kind}|${row.target_address}`;

/**
 * Exponential backoff with full jitter: a random wait up to 2 s after attempt 1, 4 s after 2, … capped at
 * 30 min; never under 1 s.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(MIN_BACKOFF_MS, Math.round(random() * ceiling));
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  /** Ended with an unknown outcome after the duplicate window: staff confirm or requeue. */
  unknown: number;
}

type Outcome = 'sent' | 'retried' | 'dead' | 'unknown';

export class OutboxDispatcher {
  private readonly deps: Deps;
  private readonly senders: Senders;
  /** This dispatcher's claims carry it; a new one per dispatcher (so per instance). */
  private readonly token = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DispatchSummary> | undefined;
  private again = false;
  private stopped = true;
  /** Set by stop(): no further row is claimed, even inside a running runOnce. */
  private closing = false;

  /** Target kinds this instance must not claim now (rows only a connection's holder sends). */
  private readonly skipTargetKinds: () => readonly string[];

  constructor(deps: Deps, senders: Senders, opts: { skipTargetKinds?: () => readonly string[] } = {}) {
    this.deps = deps;
    this.senders = senders;
    this.skipTargetKinds = opts.skipTargetKinds ?? (() => []);
  }

  /** Claims and sends due rows one at a time, up to `limit` of them. */
  async runOnce(limit = 50): Promise<DispatchSummary> {
    const summary: DispatchSummary = { claimed: 0, sent: 0, retried: 0, dead: 0, unknown: 0 };
    // A target that answered "too fast" waits; the other targets' rows keep flowing.
    const backedOff = new Map<string, Date>();
    while (summary.claimed < limit && !this.closing) {
      const now = this.deps.clock.now();
      const row = await claimNextOutbox(
        this.deps.db,
        now,
        new Date(now.getTime() + CLAIM_MS),
        this.token,
        this.skipTargetKinds(),
      );
      if (!row) break;
      summary.claimed++;
      const until = backedOff.get(targetOf(row));
      if (until && until > now) {
        await releaseOutboxRow(this.deps.db, row.id, this.token, until);
        summary.retried++;
        continue;
      }
      summary[await this.deliver(row, backedOff)]++;
    }
    return summary;
  }

  private async deliver(row: OutboxRow, backedOff: Map<string, Date>): Promise<Outcome> {
    const sender = this.senders[row.channel];
    if (row.unknown_since && !this.insideWindow(row, sender, this.deps.clock.now())) {
      // The row came due too late (the dispatcher was down): a resend now might reach the person twice.
      await markOutboxEnded(this.deps.db, row.id, this.token, 'unknown', row.last_error ?? 'timeout');
      this.deps.metrics.outboxSends.inc({ channel: row.channel, outcome: 'unknown' });
      return 'unknown';
    }
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
    const { db } = this.deps;
    const count = (outcome: string) => this.deps.metrics.outboxSends.inc({ channel: row.channel, outcome });
    if (result.ok) {
      if (!(await markOutboxSent(db, row.id, this.token, now))) this.lost(row);
      count('sent');
      return 'sent';
    }
    const last = `${result.code}: ${result.message}`.slice(0, 500);
    if (result.code === 'rate_limited') {
      // Our budget said no in advance, or the platform answered "too fast" (WeCom 45009, DingTalk
      // 130101): not a failed attempt. This target backs off; its other waiting rows wait with it.
      const until = new Date(now.getTime() + Math.max(result.retryAfterMs ?? 60_000, 1000));
      backedOff.set(targetOf(row), until);
      await releaseOutboxRow(db, row.id, this.token, until);
      await holdOutboxTarget(db, row, until);
      await setOutboxError(db, row.id, last);
      count('rate_limited');
      return 'retried';
    }
    const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(row.attempts));
    const next = new Date(now.getTime() + wait);
    if (result.unknownOutcome === true || result.code === 'timeout') {
      // The platform may have taken it: resend only while the platform would drop the repeat.
      const since = row.unknown_since ? new Date(row.unknown_since) : now;
      if (
        this.insideWindow({ ...row, unknown_since: since }, sender, next) &&
        row.attempts < row.max_attempts
      ) {
        await markOutboxRetry(db, row.id, this.token, last, next, since);
        count('retry');
        return 'retried';
      }
      await markOutboxEnded(db, row.id, this.token, 'unknown', last, since);
      count('unknown');
      this.deps.log.warn(
        { outboxId: row.id, code: result.code },
        'outbox row outcome unknown: staff confirm',
      );
      return 'unknown';
    }
    const firstTried = row.first_tried_at ? new Date(row.first_tried_at).getTime() : now.getTime();
    if (
      !result.retryable ||
      row.attempts >= row.max_attempts ||
      next.getTime() - firstTried > RETRY_BUDGET_MS
    ) {
      await markOutboxEnded(db, row.id, this.token, 'dead', last);
      count('dead');
      this.deps.log.warn({ outboxId: row.id, code: result.code, attempts: row.attempts }, 'outbox row dead');
      return 'dead';
    }
    await markOutboxRetry(db, row.id, this.token, last, next);
    count('retry');
    return 'retried';
  }

  /** Whether a resend at `at` still falls inside the platform's duplicate window of the row's first unknown send. */
  private insideWindow(row: OutboxRow, sender: OutboundSender | undefined, at: Date): boolean {
    if (!row.unknown_since) return true;
    const window = sender?.duplicateWindowMs?.(row.target_kind as TargetKind) ?? 0;
    return at.getTime() + WINDOW_MARGIN_MS <= new Date(row.unknown_since).getTime() + window;
  }

  /** The claim ran out while sending (a stall longer than CLAIM_MS): the other holder records the row. */
  private lost(row: OutboxRow): void {
    this.deps.log.warn({ outboxId: row.id }, 'outbox claim lost while sending');
  }

  /** Polls for due rows until stopped; `kick()` sends at once after something was queued. */
  start(intervalMs = 1000): void {
    this.stopped = false;
    this.closing = false;
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
        return { claimed: 0, sent: 0, retried: 0, dead: 0, unknown: 0 };
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /**
   * Stops claiming at once and waits for the row in flight to be recorded (a send is bounded by the
   * client's timeout), so nothing is sent again after a restart.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
