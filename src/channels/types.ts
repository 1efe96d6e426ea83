import type { MessageChannel } from '../../db/schema.ts';
import type { Reply, TargetKind } from '../messaging/index.ts';

// The one normalized inbound message. Each channel turns its wire format into this and nothing else does.
// What goes back out (Reply, targets) belongs to src/messaging.

export type ChatMessageKind = 'text' | 'voice' | 'image' | 'video' | 'file' | 'location' | 'event' | 'other';

export type ChatEventType = 'enter_agent' | 'subscribe' | 'unsubscribe' | 'click' | 'other';

export interface ChatMessage {
  channel: MessageChannel;
  /** Dedupe key: WeCom MsgId (a 64-bit integer kept as a string) or FromUserName+CreateTime for events; DingTalk msgId. */
  messageKey: string;
  /** The sender's id on the channel, as the platform sent it. */
  senderId: string;
  kind: ChatMessageKind;
  /** What the person typed; a voice transcript; for a menu click, the command word the key maps to. */
  text?: string;
  event?: { type: ChatEventType; key?: string };
  /** Something sent to keep (a photo, voice message, video or file): the platform's id to fetch it by. */
  media?: { mediaId: string; url?: string; format?: string; fileName?: string };
  location?: { latitude: number; longitude: number; label?: string };
  /** The platform's own message type name (for logs and metrics). */
  platformType: string;
  /** When the platform says the message was created. */
  createdAt: Date;
  /** Where the conversation happens (DingTalk group @-mentions; WeCom app chats are private). */
  conversation?: { kind: 'private' | 'group'; id?: string; title?: string; sessionWebhook?: string };
  /**
   * Where answers sent later through the API go, when not to the sender privately: set by the channel
   * edge, e.g. a DingTalk group staff bound, reached by its openConversationId.
   */
  replyTarget?: { kind: TargetKind; address: string };
}

/** How the dispatcher's handling of one message ended, as far as the channel edge needs to know. */
export type HandleOutcome =
  /** Answer now, in the HTTP response. */
  | { kind: 'reply'; reply: Reply }
  /** The answer goes (or went) out through the platform API: answer the callback with an empty 200. */
  | { kind: 'deferred' }
  /** Nothing to say (e.g. an event that needs no answer). */
  | { kind: 'none' };

export interface HandleOptions {
  /** How long the channel can wait for an answer before it must answer the callback. */
  budgetMs: number;
  /** Largest passive reply the channel can carry, in UTF-8 bytes; longer answers go through the API. */
  maxReplyBytes: number;
}

/**
 * The inbound message could not be recorded (the database refused, or did not answer): nothing was saved.
 * The channel must not acknowledge it: a callback answers 503 so that the platform retries, and where the
 * platform does not retry, the person is told that nothing was saved and asked to send it again.
 */
export class NotRecordedError extends Error {
  constructor(cause: unknown) {
    super('inbound message not recorded', { cause });
    this.name = 'NotRecordedError';
  }
}

/** The dispatcher, as a channel sees it. */
export interface InboundHandler {
  /** Throws NotRecordedError when the message could not be recorded; any later failure is an answer. */
  handle(msg: ChatMessage, opts: HandleOptions): Promise<HandleOutcome>;
}

/** What a channel edge tells the service about the platform itself (wired in runtime.ts). */
export interface PlatformAlerts {
  /** DingTalk: the organisation's monthly robot quota is spent (errcode 20001). */
  quotaSpent(): Promise<void>;
}
