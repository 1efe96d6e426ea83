import { createHash } from 'node:crypto';
import type { KvStore } from '../../store/types.ts';
import type { WecomClient } from './client.ts';
import { failure, type WecomResult } from './errors.ts';

// Group chats the app itself created (appchat/create) and messages to them (appchat/send). Only such
// chats can be reached this way; a chat staff made by hand is reached through its group robot.

/** A chat takes about as many messages as a group robot: keep the same budget per chat. */
const APPCHAT_MINUTE = { limit: 20, windowMs: 60_000 };

export interface NewAppchat {
  name: string;
  /** userid of the owner; at least two members in all. */
  owner: string;
  userids: string[];
  /** Our own id for the chat (letters and digits), so a repeat create is harmless. */
  chatid?: string;
}

export async function createAppchat(
  client: WecomClient,
  chat: NewAppchat,
): Promise<WecomResult<{ chatid: string }>> {
  if (chat.userids.length < 2) return failure('invalid_recipient', '群聊至少需要两名成员', false);
  const answer = await client.callWithToken(
    '/cgi-bin/appchat/create',
    {},
    {
      name: chat.name,
      owner: chat.owner,
      userlist: chat.userids,
      ...(chat.chatid ? { chatid: chat.chatid } : {}),
    },
  );
  if (!answer.ok) return answer;
  const chatid = answer.body.chatid;
  if (typeof chatid !== 'string' || chatid === '')
    return failure('server_error', '企业微信没有返回群聊 ID', true);
  return { ok: true, chatid };
}

export async function sendAppchatText(
  client: WecomClient,
  store: KvStore,
  chatid: string,
  text: string,
): Promise<WecomResult> {
  const id = createHash('sha256').update(chatid).digest('hex').slice(0, 24);
  const budget = await store.takeWindow(`wecom:budget:appchat:${id}`, APPCHAT_MINUTE);
  if (!budget.allowed) {
    return failure('rate_limited', '群聊每分钟最多发送 20 条消息，稍后再发', true, {
      retryAfterMs: budget.retryAfterMs,
    });
  }
  const answer = await client.callWithToken(
    '/cgi-bin/appchat/send',
    {},
    {
      chatid,
      msgtype: 'text',
      text: { content: text },
      safe: 0,
    },
  );
  return answer.ok ? { ok: true } : answer;
}
