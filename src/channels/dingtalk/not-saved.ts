import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { ChatMessage } from '../types.ts';

// A message the service could not record is not acknowledged; DingTalk does not retry a robot callback,
// so the person is told at once, through the conversation's sessionWebhook (valid about 90 minutes and
// needing no database), that nothing was saved and asked to send it again.

/** What the person reads. */
export const NOT_SAVED =
  '抱歉，系统暂时无法保存您刚才发送的消息，这条消息没有保存。请稍后重新发送；如仍不行，请联系代表工作机构。';

const TIMEOUT_MS = 1500;

/**
 * Posts NOT_SAVED to the message's sessionWebhook. The address comes from the callback body, so it is
 * used only when it is DingTalk's own (the configured oapi origin, path /robot/sendBySession).
 */
export async function tellNotSaved(
  deps: { config: Pick<Config, 'dingtalk'>; log: Logger },
  msg: ChatMessage,
): Promise<boolean> {
  const hook = msg.conversation?.sessionWebhook;
  const oapi = deps.config.dingtalk?.oapiBase;
  if (!hook || !oapi) return false;
  let url: URL;
  try {
    url = new URL(hook);
  } catch {
    return false;
  }
  if (url.origin !== new URL(oapi).origin || url.pathname !== '/robot/sendBySession') {
    deps.log.warn({ channel: 'dingtalk' }, 'sessionWebhook is not DingTalk’s: not used');
    return false;
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ msgtype: 'text', text: { content: NOT_SAVED } }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.text().catch(() => '');
    return res.ok;
  } catch (err) {
    // The session address carries a credential: log the kind of failure only.
    deps.log.warn({ channel: 'dingtalk', error: (err as { name?: string }).name }, 'not-saved notice failed');
    return false;
  }
}
