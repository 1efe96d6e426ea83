import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

// WeCom message encryption (企业微信 回调 加解密方案):
// AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes,
// PKCS#7 padding to 32-byte blocks, plaintext = 16 random bytes · 4-byte big-endian length · message · receive id.
// Node's own padding works on 16-byte blocks and fails whenever the pad exceeds 16, so it is off and
// the padding is added and checked here.

const BLOCK = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type DecryptFailure =
  /** Not base64, or not a whole number of AES blocks. */
  | 'bad_base64'
  /** The PKCS#7 padding is not valid (wrong key, tampering, truncation). */
  | 'bad_padding'
  /** The plaintext's own length field does not fit. */
  | 'bad_length'
  /** Decrypted, but for another receiver (corp id). */
  | 'wrong_receiver';

export type DecryptResult = { ok: true; message: string } | { ok: false; reason: DecryptFailure };

export interface WecomCipher {
  /** Decrypts `encrypt` and checks that it was meant for `receiveId`. */
  decrypt(encrypt: string): DecryptResult;
  /** Encrypts a message for `receiveId` (passive replies). `random` only for tests. */
  encrypt(message: string, random?: Buffer): string;
}

// Random bytes drawn from a pool filled 4 KiB at a time: one call into the system's generator for many
// replies instead of one (or two) per reply.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** `n` fresh random bytes (n ≤ 4096), copied out of the pool. */
export function pooledRandomBytes(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + n));
  poolAt += n;
  return out;
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  return key;
}

export function pkcs7Pad(data: Buffer): Buffer {
  const pad = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

/** Returns the data without its padding, or null when the padding is not valid PKCS#7 (1..32). */
export function pkcs7Unpad(data: Buffer): Buffer | null {
  if (data.length === 0 || data.length % BLOCK !== 0) return null;
  const pad = data[data.length - 1]!;
  if (pad < 1 || pad > BLOCK) return null;
  for (let i = data.length - pad; i < data.length; i++) if (data[i] !== pad) return null;
  return data.subarray(0, data.length - pad);
}

export function createWecomCipher(encodingAesKey: string, receiveId: string): WecomCipher {
  const raw = aesKeyOf(encodingAesKey);
  const iv = raw.subarray(0, 16);
  // A KeyObject made once: a raw key is imported anew by every createCipheriv.
  const key = createSecretKey(raw);
  const ownId = Buffer.from(receiveId, 'utf8');

  return {
    decrypt(encrypt) {
      if (encrypt.length % 4 !== 0 || !BASE64.test(encrypt)) return { ok: false, reason: 'bad_base64' };
      const cipherText = Buffer.from(encrypt, 'base64');
      // AES works on 16-byte blocks; the padding makes it whole 32-byte blocks.
      if (cipherText.length === 0 || cipherText.length % BLOCK !== 0)
        return { ok: false, reason: 'bad_base64' };
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      decipher.setAutoPadding(false);
      const plain = pkcs7Unpad(Buffer.concat([decipher.update(cipherText), decipher.final()]));
      if (!plain) return { ok: false, reason: 'bad_padding' };
      if (plain.length < 20) return { ok: false, reason: 'bad_length' };
      const length = plain.readUInt32BE(16);
      if (length > plain.length - 20) return { ok: false, reason: 'bad_length' };
      const id = plain.subarray(20 + length);
      if (id.length !== ownId.length || !timingSafeEqual(id, ownId))
        return { ok: false, reason: 'wrong_receiver' };
      return { ok: true, message: plain.subarray(20, 20 + length).toString('utf8') };
    },

    encrypt(message, random = pooledRandomBytes(16)) {
      const msg = Buffer.from(message, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(msg.length, 0);
      const plain = pkcs7Pad(Buffer.concat([random, len, msg, ownId]));
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      cipher.setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    },
  };
}
