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
}

export type Senders = Partial<Record<MessageChannel, OutboundSender>>;
