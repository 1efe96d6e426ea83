import { createHmac } from 'node:crypto';

// DingTalk custom group robot signing (加签): sign = base64(HmacSHA256(secret, timestamp + "\n" + secret)),
// timestamp in milliseconds, sent URL-encoded in the webhook's query with the access token.

export function robotSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook query: access_token, and timestamp + sign when the robot has a signing secret. */
export function robotQuery(accessToken: string, secret: string | null, timestampMs: number): string {
  const q = new URLSearchParams({ access_token: accessToken });
  if (secret) {
    q.set('timestamp', String(timestampMs));
    q.set('sign', robotSign(secret, timestampMs));
  }
  return q.toString();
}
