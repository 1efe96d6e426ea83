import { createHash, timingSafeEqual } from 'node:crypto';

// WeCom callback signature: sha1 over the lexically sorted (token, timestamp, nonce, encrypt), hex.

export function computeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** Compares in constant time, so a caller cannot learn the signature byte by byte. */
export function verifySignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  const expected = Buffer.from(computeSignature(token, timestamp, nonce, encrypt), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  // Equal lengths first: timingSafeEqual throws otherwise, and the length is public (40 hex digits).
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given);
}
