import { z } from 'zod';

// The shapes WeCom sends (企业微信 接收消息与事件). Every value arrives as a string (see xml.ts).

const digits = z.string().regex(/^\d{1,20}$/);
const text = z.string();

/** The outer envelope of every callback: the encrypted message and the app it is for. */
export const envelopeSchema = z.object({
  ToUserName: text.optional(),
  Encrypt: z.string().min(1),
  AgentID: z.string().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** What every decrypted message carries. */
export const baseSchema = z.object({
  ToUserName: text,
  FromUserName: z.string().min(1),
  CreateTime: digits,
  MsgType: z.string().min(1),
  AgentID: z.string().optional(),
});

export const textSchema = baseSchema.extend({ MsgType: z.literal('text'), Content: text, MsgId: digits });

export const imageSchema = baseSchema.extend({
  MsgType: z.literal('image'),
  PicUrl: text.optional(),
  MediaId: z.string().min(1),
  MsgId: digits,
});

export const voiceSchema = baseSchema.extend({
  MsgType: z.literal('voice'),
  MediaId: z.string().min(1),
  Format: text.optional(),
  /** The speech-to-text transcript, when the app has recognition turned on. */
  Recognition: text.optional(),
  MsgId: digits,
});

/** A video (and a short video): its media_id, fetched like a photo within WeCom's three days. */
export const videoSchema = baseSchema.extend({
  MsgType: z.enum(['video', 'shortvideo']),
  MediaId: z.string().min(1),
  ThumbMediaId: text.optional(),
  MsgId: digits,
});

const coordinate = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/);

export const locationSchema = baseSchema.extend({
  MsgType: z.literal('location'),
  /** Latitude. */
  Location_X: coordinate,
  /** Longitude. */
  Location_Y: coordinate,
  Scale: text.optional(),
  Label: text.optional(),
  MsgId: digits,
});

export const eventSchema = baseSchema.extend({
  MsgType: z.literal('event'),
  Event: z.string().min(1),
  EventKey: text.optional(),
});

/** Any other message type (a link…): only what is needed to dedupe and log it. */
export const otherSchema = baseSchema.extend({ MsgId: digits.optional() });
