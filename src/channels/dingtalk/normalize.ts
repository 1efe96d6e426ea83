import type { ChatMessage } from '../types.ts';
import {
  audioContentSchema,
  callbackSchema,
  type DingtalkCallback,
  fileContentSchema,
  pictureContentSchema,
  richTextContentSchema,
  videoContentSchema,
} from './inbound-schema.ts';

// A DingTalk robot callback → the one inbound message type. DingTalk's userid (senderStaffId) is what the
// roster's dingtalk_userid holds; senderId (an encrypted id) stands in for people outside the organisation.

export type NormalizeResult = { ok: true; message: ChatMessage } | { ok: false; reason: string };

/** Drops leading @mentions ("@人大代表助手 帮助" in a group); a mention glued to the text is the parser's. */
export function dropLeadingMentions(text: string): string {
  let t = text.replace(/^[\s\u3000]+/, '');
  for (;;) {
    const m = /^@[^\s\u3000@]{1,40}[\s\u3000]+/.exec(t);
    if (!m) return t.trimEnd();
    t = t.slice(m[0].length);
  }
}

export function normalizeDingtalkMessage(body: unknown, receivedAt: Date): NormalizeResult {
  const parsed = callbackSchema.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
    return { ok: false, reason: `missing or malformed ${field}` };
  }
  const b = parsed.data;
  const staffId = b.senderStaffId?.trim();
  const group = b.conversationType === '2';
  const common = {
    channel: 'dingtalk' as const,
    messageKey: b.msgId,
    senderId: staffId ? staffId : b.senderId,
    platformType: b.msgtype,
    createdAt: b.createAt !== undefined ? new Date(b.createAt) : receivedAt,
    conversation: {
      kind: group ? ('group' as const) : ('private' as const),
      id: b.conversationId,
      ...(group && b.conversationTitle ? { title: b.conversationTitle } : {}),
      ...(b.sessionWebhook ? { sessionWebhook: b.sessionWebhook } : {}),
    },
  };
  const body2 = bodyOf(b);
  if (!body2.ok) return body2;
  return { ok: true, message: { ...common, ...body2.part } };
}

type Part = Pick<ChatMessage, 'kind'> & Partial<Pick<ChatMessage, 'text' | 'media'>>;

function bodyOf(b: DingtalkCallback): { ok: true; part: Part } | { ok: false; reason: string } {
  switch (b.msgtype) {
    case 'text': {
      if (!b.text) return { ok: false, reason: 'text message without text.content' };
      return { ok: true, part: { kind: 'text', text: dropLeadingMentions(b.text.content) } };
    }
    case 'picture': {
      const c = pictureContentSchema.safeParse(b.content);
      if (!c.success) return { ok: false, reason: 'picture without content.downloadCode' };
      return { ok: true, part: { kind: 'image', media: { mediaId: c.data.downloadCode } } };
    }
    case 'richText': {
      const c = richTextContentSchema.safeParse(b.content);
      if (!c.success) return { ok: false, reason: 'richText without content.richText' };
      const words = c.data.richText
        .map((p) => p.text ?? '')
        .join('')
        .trim();
      const picture = c.data.richText.find((p) => p.downloadCode);
      // Words make it a message to read (a picture in it is kept alongside); pictures alone are a photo.
      if (words !== '') {
        return {
          ok: true,
          part: {
            kind: 'text',
            text: dropLeadingMentions(words),
            ...(picture?.downloadCode ? { media: { mediaId: picture.downloadCode } } : {}),
          },
        };
      }
      if (picture?.downloadCode)
        return { ok: true, part: { kind: 'image', media: { mediaId: picture.downloadCode } } };
      return { ok: false, reason: 'richText with neither text nor picture' };
    }
    case 'audio': {
      const c = audioContentSchema.safeParse(b.content);
      if (!c.success) return { ok: false, reason: 'audio without content.downloadCode' };
      const transcript = c.data.recognition?.trim();
      return {
        ok: true,
        part: {
          kind: 'voice',
          // Without a transcript there is no text: the router answers that it cannot listen.
          ...(transcript ? { text: dropLeadingMentions(transcript) } : {}),
          media: { mediaId: c.data.downloadCode },
        },
      };
    }
    case 'video': {
      const c = videoContentSchema.safeParse(b.content);
      if (!c.success) return { ok: false, reason: 'video without content.downloadCode' };
      return { ok: true, part: { kind: 'video', media: { mediaId: c.data.downloadCode } } };
    }
    case 'file': {
      const c = fileContentSchema.safeParse(b.content);
      if (!c.success) return { ok: false, reason: 'file without content.downloadCode' };
      const fileName = c.data.fileName?.trim();
      return {
        ok: true,
        part: { kind: 'file', media: { mediaId: c.data.downloadCode, ...(fileName ? { fileName } : {}) } },
      };
    }
    default:
      // The rest (cards, links…): recorded and answered with a hint, never guessed at.
      return { ok: true, part: { kind: 'other' } };
  }
}
