import type { ChatMessage } from '../types.ts';
import {
  baseSchema,
  eventSchema,
  imageSchema,
  locationSchema,
  otherSchema,
  textSchema,
  videoSchema,
  voiceSchema,
} from './inbound-schema.ts';
import { commandForMenuKey } from './menu.ts';

export type NormalizeResult = { ok: true; message: ChatMessage } | { ok: false; reason: string };

const bad = (reason: string): NormalizeResult => ({ ok: false, reason });

/** Turns a decrypted WeCom message (the children of its <xml>) into the one inbound message type. */
export function normalizeWecomMessage(doc: Record<string, unknown>): NormalizeResult {
  const base = baseSchema.safeParse(doc);
  if (!base.success) return bad('missing or malformed common fields');
  const b = base.data;
  const common = {
    channel: 'wecom' as const,
    senderId: b.FromUserName,
    platformType: b.MsgType,
    createdAt: new Date(Number(b.CreateTime) * 1000),
    conversation: { kind: 'private' as const },
  };
  // Events have no MsgId: the sender and the second they happened identify them.
  const eventKey = `${b.FromUserName}:${b.CreateTime}`;

  switch (b.MsgType) {
    case 'text': {
      const m = textSchema.safeParse(doc);
      if (!m.success) return bad('malformed text message');
      return ok({ ...common, messageKey: m.data.MsgId, kind: 'text', text: m.data.Content });
    }
    case 'image': {
      const m = imageSchema.safeParse(doc);
      if (!m.success) return bad('malformed image message');
      return ok({
        ...common,
        messageKey: m.data.MsgId,
        kind: 'image',
        media: { mediaId: m.data.MediaId, ...(m.data.PicUrl ? { url: m.data.PicUrl } : {}) },
      });
    }
    case 'voice': {
      const m = voiceSchema.safeParse(doc);
      if (!m.success) return bad('malformed voice message');
      const transcript = m.data.Recognition?.trim();
      return ok({
        ...common,
        messageKey: m.data.MsgId,
        kind: 'voice',
        // Without a transcript there is no text: the dispatcher answers that it cannot listen.
        ...(transcript ? { text: transcript } : {}),
        media: { mediaId: m.data.MediaId, ...(m.data.Format ? { format: m.data.Format } : {}) },
      });
    }
    case 'video':
    case 'shortvideo': {
      const m = videoSchema.safeParse(doc);
      if (!m.success) return bad('malformed video message');
      return ok({ ...common, messageKey: m.data.MsgId, kind: 'video', media: { mediaId: m.data.MediaId } });
    }
    case 'location': {
      const m = locationSchema.safeParse(doc);
      if (!m.success) return bad('malformed location message');
      return ok({
        ...common,
        messageKey: m.data.MsgId,
        kind: 'location',
        location: {
          latitude: Number(m.data.Location_X),
          longitude: Number(m.data.Location_Y),
          ...(m.data.Label ? { label: m.data.Label } : {}),
        },
      });
    }
    case 'event': {
      const m = eventSchema.safeParse(doc);
      if (!m.success) return bad('malformed event');
      const key = m.data.EventKey ?? '';
      switch (m.data.Event) {
        case 'enter_agent':
        case 'subscribe':
        case 'unsubscribe':
          return ok({ ...common, messageKey: eventKey, kind: 'event', event: { type: m.data.Event } });
        case 'click': {
          const word = commandForMenuKey(key);
          return ok({
            ...common,
            messageKey: eventKey,
            kind: 'event',
            event: { type: 'click', key },
            ...(word ? { text: word } : {}),
          });
        }
        case 'template_card_event':
          // A button of a card the app sent: its key is the chat command it stands for (client.ts).
          return ok({
            ...common,
            messageKey: eventKey,
            kind: 'event',
            event: { type: 'click', key },
            ...(key ? { text: key } : {}),
          });
        default:
          return ok({
            ...common,
            messageKey: eventKey,
            kind: 'other',
            platformType: `event:${m.data.Event}`,
            event: { type: 'other', ...(key ? { key } : {}) },
          });
      }
    }
    default: {
      const m = otherSchema.safeParse(doc);
      if (!m.success) return bad('malformed message');
      return ok({ ...common, messageKey: m.data.MsgId ?? eventKey, kind: 'other' });
    }
  }
}

const ok = (message: ChatMessage): NormalizeResult => ({ ok: true, message });
