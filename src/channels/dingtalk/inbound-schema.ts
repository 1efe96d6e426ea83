import { z } from 'zod';

// The JSON body DingTalk posts to an enterprise robot's HTTP callback (机器人接收消息). Only the fields
// the channel uses are checked; anything else DingTalk adds is ignored.

const id = z.string().trim().min(1).max(256);
const optionalText = z.string().optional();

/** "1" a private chat, "2" a group; DingTalk sends a string, a number is accepted too. */
const conversationType = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.enum(['1', '2']));

const millis = z.union([z.number(), z.string().regex(/^\d{1,15}$/)]).transform(Number);

export const callbackSchema = z.object({
  msgId: id,
  msgtype: z.string().trim().min(1).max(64),
  createAt: millis.optional(),
  conversationType,
  conversationId: id,
  conversationTitle: optionalText,
  senderId: id,
  senderNick: optionalText,
  /** The sender's enterprise userid (the roster's dingtalk_userid); absent for people outside the organisation. */
  senderStaffId: z.string().trim().max(256).optional(),
  senderCorpId: optionalText,
  chatbotUserId: optionalText,
  robotCode: optionalText,
  isInAtList: z.boolean().optional(),
  isAdmin: z.boolean().optional(),
  sessionWebhook: z.string().url().optional(),
  sessionWebhookExpiredTime: millis.optional(),
  text: z.object({ content: z.string() }).optional(),
  /** Pictures, rich text, audio, video and files carry their parts here. */
  content: z.record(z.string(), z.unknown()).optional(),
});
export type DingtalkCallback = z.infer<typeof callbackSchema>;

export const pictureContentSchema = z.object({
  downloadCode: z.string().min(1),
  pictureDownloadCode: z.string().optional(),
});

export const audioContentSchema = z.object({
  downloadCode: z.string().min(1),
  duration: z.number().optional(),
  /** DingTalk's own speech-to-text, when it has one. */
  recognition: z.string().optional(),
});

export const videoContentSchema = z.object({
  downloadCode: z.string().min(1),
  duration: z.union([z.number(), z.string()]).optional(),
  videoType: z.string().optional(),
});

export const fileContentSchema = z.object({
  downloadCode: z.string().min(1),
  fileName: z.string().max(255).optional(),
  spaceId: z.string().optional(),
  fileId: z.string().optional(),
});

/** Rich text: a list of text pieces and pictures, in order. */
export const richTextContentSchema = z.object({
  richText: z
    .array(
      z.object({
        text: z.string().optional(),
        type: z.string().optional(),
        downloadCode: z.string().optional(),
        pictureDownloadCode: z.string().optional(),
      }),
    )
    .min(1),
});

/**
 * What DingTalk sends instead of a message when the organisation's monthly quota of robot calls is spent:
 * an error code (20001) and no text (DESIGN.md "How messages reach people and groups").
 */
export const quotaNoticeSchema = z.object({
  errorCode: z.union([z.number(), z.string()]).transform(String),
  errorMsg: z.string().optional(),
});

export const QUOTA_SPENT_CODE = '20001';
