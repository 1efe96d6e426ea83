import { createDecipheriv, createHash } from 'node:crypto';
import type { KvStore } from '../../store/index.ts';
import { getDownload, goneFor, type MediaDownload } from '../media-download.ts';
import { AIBOT_MEDIA_PREFIX, type AibotMedia } from './aibot-normalize.ts';

// Pictures and files sent to WeCom's robot come as a download address valid for about five minutes and
// a key of their own (aeskey, base64 of 32 bytes): AES-256-CBC, the IV the key's first 16 bytes, PKCS#7
// padding to a multiple of 32 bytes (智能机器人长连接 · 多媒体资源解密; the official SDK decrypts alike).
// The key is held in the store only as long as the address could work, never in the database; the media
// row keeps the address, and the fetch runs at once (services/media).

/** Longer than the address lives, so a retry soon after still finds the key. */
const KEY_TTL_MS = 60 * 60_000;

/** Kept for an address that came without a key (not encrypted). */
const PLAIN = '-';

const keyName = (url: string) =>
  `aibot:media-key:${createHash('sha256').update(url).digest('hex').slice(0, 40)}`;

export async function rememberMediaKey(store: KvStore, m: AibotMedia): Promise<void> {
  await store.set(keyName(m.url), m.aeskey ?? PLAIN, KEY_TTL_MS);
}

export function decryptAibotMedia(encrypted: Uint8Array, aeskey: string): Buffer {
  const key = Buffer.from(aeskey, 'base64');
  if (key.length !== 32) throw new Error('aeskey is not 32 bytes');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  // Node removes 16-byte padding only; WeCom pads to 32, so the padding is checked here.
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || pad > plain.length) throw new Error('bad padding');
  for (let i = plain.length - pad; i < plain.length; i++)
    if (plain[i] !== pad) throw new Error('bad padding');
  return plain.subarray(0, plain.length - pad);
}

/** What a picture is, when the download said only "octet-stream". */
function sniff(content: Uint8Array, declared: string): string {
  if (declared !== 'application/octet-stream') return declared;
  const b = Buffer.from(content.subarray(0, 8));
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  return declared;
}

/** The media source for robot downloads: fetch the address, decrypt with its key. */
export function aibotMediaSource(store: KvStore) {
  return async (platformId: string, maxBytes: number): Promise<MediaDownload> => {
    const url = platformId.slice(AIBOT_MEDIA_PREFIX.length);
    const aeskey = await store.get(keyName(url));
    // Without its key the bytes cannot be read: the address has run out by now anyway.
    if (aeskey === null) return goneFor('下载密钥已失效');
    // 32 bytes of padding at most come on top of the content.
    const got = await getDownload(url, maxBytes + 32);
    if (!got.ok) return got;
    if (aeskey === PLAIN)
      return { ok: true, content: got.content, contentType: sniff(got.content, got.contentType) };
    try {
      const plain = decryptAibotMedia(got.content, aeskey);
      return { ok: true, content: plain, contentType: sniff(plain, got.contentType) };
    } catch {
      return goneFor('解密失败（密钥不符）');
    }
  };
}
