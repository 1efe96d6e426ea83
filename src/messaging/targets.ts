import type { MessageChannel } from '../../db/schema.ts';
import type { ReplyButton } from './reply.ts';

/**
 * Where an outbound message goes:
 * - user: one person, by their id on the channel (WeCom message/send, DingTalk oToMessages/batchSend)
 * - wecom_robot: a group robot webhook key · wecom_appchat: an app-created chat id
 * - dingtalk_robot: a custom robot webhook (address: access token) · dingtalk_conversation: openConversationId
 * - wecom_bot: WeCom's intelligent robot over its long connection (address: a userid or a group chatid);
 *   sent only by the instance holding the connection
 */
export type TargetKind =
  | 'user'
  | 'wecom_robot'
  | 'wecom_appchat'
  | 'dingtalk_robot'
  | 'dingtalk_conversation'
  | 'wecom_bot';

export interface OutboundPayload {
  text: string;
  buttons?: ReplyButton[];
  /** For a message split into parts: which part this is (1-based) and of how many. */
  part?: { index: number; of: number };
  [key: string]: unknown;
}

export interface OutboundMessage {
  channel: MessageChannel;
  targetKind: TargetKind;
  targetAddress: string;
  payload: OutboundPayload;
  /** Unique per message: a repeat of the same key is dropped, so retries and restarts send once. */
  idempotencyKey: string;
  /** What caused it, e.g. "reply:123", "leave:QJ-2026-0001:decided", "reminder:S2:2026-10". */
  cause?: string;
  /** Not before this time (working-hours pushes). Default: now. */
  notBefore?: Date;
  maxAttempts?: number;
}
