import type { MessageChannel } from '../../db/schema.ts';
import type { OutboundPayload, TargetKind } from './targets.ts';

/** The outcome of one send, as a value: platform failures never throw. */
export type SendResult =
  | { ok: true }
  | {
      ok: false;
      code: string;
      message: string;
      /** Worth trying again later (5xx, timeout, rate limit, expired token). */
      retryable: boolean;
      /** When the platform or our own budget says when to come back. */
      retryAfterMs?: number;
      /**
       * The platform may have taken the message (no answer in time): it is resent only inside the
       * platform's duplicate window (OutboundSender.duplicateWindowMs). A 'timeout' code counts as this.
       */
      unknownOutcome?: boolean;
    };

export interface OutboundEnvelope {
  targetKind: TargetKind;
  targetAddress: string;
  payload: OutboundPayload;
  idempotencyKey: string;
}

/** One channel's way out (WeCom API and robots, DingTalk API and robots, the simulator). */
export interface OutboundSender {
  send(msg: OutboundEnvelope): Promise<SendResult>;
  /**
   * How long the platform drops a repeat of a message with the same idempotency key for this kind of
   * target (WeCom message/send: enable_duplicate_check). None: a send with an unknown outcome is not
   * repeated at all; staff confirm or requeue it.
   */
  duplicateWindowMs?(targetKind: OutboundEnvelope['targetKind']): number;
}

export type Senders = Partial<Record<MessageChannel, OutboundSender>>;
