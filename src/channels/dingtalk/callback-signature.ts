import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// The enterprise robot's callback signature (机器人接收消息): the headers carry `timestamp` (ms) and
// `sign` = base64(HmacSHA256(key = appSecret, timestamp + "\n" + appSecret)). The sign covers only the
// timestamp, so the timestamp window (route.ts) is what keeps a captured pair from being replayed forever.

export function callbackSign(appSecret: string, timestamp: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`, 'utf8').digest('base64');
}

/** Constant-time check of a callback's sign (the digests of both sides are compared, so lengths never leak). */
export function verifyCallbackSign(appSecret: string, timestamp: string, sign: string): boolean {
  const expected = createHash('sha256').update(callbackSign(appSecret, timestamp)).digest();
  const given = createHash('sha256').update(sign).digest();
  return timingSafeEqual(expected, given);
}
