import { z } from 'zod';
import { dropLeadingMentions } from '../dingtalk/normalize.ts';
import type { ChatMessage } from '../types.ts';

// A frame of WeCom's intelligent robot (智能机器人长连接, aibot_msg_callback / aibot_event_callback) →
// the one inbound message type. Private chats and @-mentions in group chats arrive here; in a group the
// leading "@机器人" is dropped, as on DingTalk, and the answer goes to the group.

const id = z.string().trim().min(1).max(256);
const media = z.object({ url: z.string().url(), aeskey: z.string().min(1).optional() });

export const aibotBodySchema = z.object({
  msgid: id,
  aibotid: z.string().optional(),
  chatid: z.string().trim().max(256).optional(),
  chattype: z.enum(['single', 'group']).default('single'),
  from: z.object({ userid: id }),
  create_time: z.number().optional(),
  msgtype: z.string().trim().min(1).max(64),
  text: z.object({ content: z.string() }).optional(),
  image: media.optional(),
  file: media.optional(),
  video: media.optional(),
  voice: z.object({ content: z.string().optional() }).optional(),
  mixed: z
    .object({
      msg_item: z.array(
        z.object({
          msgtype: z.string(),
          text: z.object({ content: z.string() }).optional(),
          image: media.optional(),
        }),
      ),
    })
    .optional(),
  event: z.object({ eventtype: z.string() }).passthrough().optional(),
});
export type AibotBody = z.infer<typeof aibotBodySchema>;

/** A picture or file to fetch: its short-lived address and the key it is encrypted with. */
export interface AibotMedia {
  url: string;
  aeskey?: string | undefined;
}

/** The platform id the media row keeps for a robot download (the key travels separately, see aibot-media.ts). */
export const AIBOT_MEDIA_PREFIX = 'aibot:';

export type AibotNormalized =
  | { ok: true; message: ChatMessage; media?: AibotMedia }
  | { ok: false; reason: string };

export function normalizeAibotFrame(body: unknown, receivedAt: Date): AibotNormalized {
  const parsed = aibotBodySchema.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
    return { ok: false, reason: `missing or malformed ${field}` };
  }
  const b = parsed.data;
  const group = b.chattype === 'group' && Boolean(b.chatid);
  // create_time is documented as a timestamp; seconds and milliseconds are both seen.
  const created =
    b.create_time === undefined
      ? receivedAt
      : new Date(b.create_time < 1e12 ? b.create_time * 1000 : b.create_time);
  const message: ChatMessage = {
    channel: 'wecom',
    messageKey: b.msgid,
    senderId: b.from.userid,
    kind: 'other',
    platformType: `aibot_${b.msgtype}`,
    createdAt: created,
    conversation: group ? { kind: 'group', id: b.chatid! } : { kind: 'private', id: b.from.userid },
    // Later answers go where the person wrote: the group, or the private chat with the robot.
    replyTarget: { kind: 'wecom_bot', address: group ? b.chatid! : b.from.userid },
  };
  const words = (t: string) => (group ? dropLeadingMentions(t) : t.trim());
  let found: AibotMedia | undefined;
  const withMedia = (m: AibotMedia | undefined) => {
    if (!m) return;
    found = m;
    message.media = { mediaId: `${AIBOT_MEDIA_PREFIX}${m.url}`, url: m.url };
  };
  switch (b.msgtype) {
    case 'text':
      if (!b.text) return { ok: false, reason: 'text message without text.content' };
      message.kind = 'text';
      message.text = words(b.text.content);
      break;
    case 'image':
      if (!b.image) return { ok: false, reason: 'image message without image.url' };
      message.kind = 'image';
      withMedia(b.image);
      break;
    case 'mixed': {
      const items = b.mixed?.msg_item ?? [];
      const text = items
        .map((i) => i.text?.content ?? '')
        .join('')
        .trim();
      withMedia(items.find((i) => i.image)?.image);
      if (text !== '') {
        message.kind = 'text';
        message.text = words(text);
      } else if (found) message.kind = 'image';
      else return { ok: false, reason: 'mixed message with neither text nor image' };
      break;
    }
    case 'voice': {
      // WeCom sends its own transcript; without one the router answers that it cannot listen.
      const transcript = b.voice?.content?.trim();
      message.kind = 'voice';
      if (transcript) message.text = words(transcript);
      break;
    }
    case 'file':
      // Kept like any file a person sends; the message itself is answered with a hint.
      withMedia(b.file);
      break;
    default:
      break;
  }
  return { ok: true, message, ...(found ? { media: found } : {}) };
}
