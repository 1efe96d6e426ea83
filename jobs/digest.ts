import type {
  DigestFormat,
  DigestPayload,
  OverflowDigest,
  PackedDigests,
} from '../db/repositories/reminder-sets.ts';
import { splitText } from '../src/messaging/index.ts';
import { MAX_TEXT_BYTES } from '../src/services/notices/index.ts';

// CONTRACT §4: several reminders to one target on one day go as one digest. A reminder joins the target's
// digest of its sending day while that message is still waiting (not yet claimed by the outbox); once it
// went out, or when the digest would outgrow what the platform takes, the next reminder starts a new one.
// The database renders the digests that fit (db/repositories/reminder-sets.ts, with DIGEST_FORMAT); the
// few that overflow one message are packed here, in the same order and with the same text.

const HEADER = '【履职提醒】';
const MANY_BEFORE = '今天有 ';
const MANY_AFTER = ' 项提醒：\n';

export const DIGEST_FORMAT: DigestFormat = {
  header: HEADER,
  manyBefore: MANY_BEFORE,
  manyAfter: MANY_AFTER,
  maxBytes: MAX_TEXT_BYTES,
};

export interface DigestItem {
  text: string;
}

const prefix = (count: number): string => `${HEADER}${MANY_BEFORE}${count}${MANY_AFTER}`;
const line = (k: number, text: string): string => `${k}. ${text}`;

export const renderDigest = (items: DigestItem[]): string =>
  items.length === 1
    ? `${HEADER}${items[0]!.text}`
    : `${prefix(items.length)}${items.map((it, i) => line(i + 1, it.text)).join('\n')}`;

/**
 * The numbered lines of a stored digest, read back by its count: a digest of one is the header and the
 * text, of several the header, the count and the lines. Nothing in a reminder's text is parsed.
 */
const linesOf = (d: DigestPayload): string =>
  d.count === 1 ? line(1, d.text.slice(HEADER.length)) : d.text.slice(prefix(d.count).length);

/** A stored digest with more reminders after its own, as renderDigest would render them all. */
export const extendDigest = (d: DigestPayload, added: readonly string[]): string =>
  added.length === 0
    ? d.text
    : `${prefix(d.count + added.length)}${[linesOf(d), ...added.map((t, i) => line(d.count + i + 1, t))].join('\n')}`;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const fits = (text: string): boolean => bytes(text) <= MAX_TEXT_BYTES;
const HEADER_BYTES = bytes(HEADER);
const MANY_BYTES = bytes(MANY_BEFORE) + bytes(MANY_AFTER);

/**
 * A digest being filled: a stored one (what it held, and what joins it) or a new one. Its size is kept as
 * reminders join, in bytes of what renderDigest would give, rather than rendered again for each.
 */
class OpenDigest {
  readonly added: string[] = [];
  readonly causes: string[] = [];
  private n = 0;
  /** Bytes of the numbered lines with the newlines between them (how a digest of several reads). */
  private lines = 0;
  readonly at: { id: number } | { key: string };
  private readonly stored: DigestPayload | undefined;
  constructor(at: { id: number } | { key: string }, stored?: DigestPayload) {
    this.at = at;
    this.stored = stored;
    if (stored) {
      this.n = stored.count;
      this.lines = bytes(linesOf(stored));
    }
  }
  /** Whether one more reminder of this text keeps the message within what the platform takes. */
  fits(text: string): boolean {
    const n = this.n + 1;
    if (n === 1) return HEADER_BYTES + bytes(text) <= MAX_TEXT_BYTES;
    const lines = this.lines + 1 + String(n).length + 2 + bytes(text);
    return HEADER_BYTES + MANY_BYTES + String(n).length + lines <= MAX_TEXT_BYTES;
  }
  add(text: string, cause: string): void {
    this.n += 1;
    this.lines += (this.n > 1 ? 1 : 0) + String(this.n).length + 2 + bytes(text);
    this.added.push(text);
    this.causes.push(cause);
  }
  payload(): DigestPayload {
    return {
      text: this.stored
        ? extendDigest(this.stored, this.added)
        : renderDigest(this.added.map((text) => ({ text }))),
      count: this.n,
    };
  }
}

/**
 * Packs the items of digest keys that do not fit one message: each item joins the open digest while the
 * digest still fits, else starts the next; an item too long alone goes as its own parts, split at
 * sentence boundaries, and the next item starts a new digest.
 */
export function packOverflow(digests: readonly OverflowDigest[]): PackedDigests {
  const out: PackedDigests = { extend: [], insert: [], placed: [] };
  for (const d of digests) {
    let seq = d.seq;
    // The digest items currently join: the stored one of the day, or a row to add.
    let open: OpenDigest | null =
      d.open_id !== null && d.open ? new OpenDigest({ id: d.open_id }, d.open) : null;
    const flush = () => {
      if (!open || open.added.length === 0) return;
      const cause = open.causes.join(',');
      if ('id' in open.at) out.extend.push({ id: open.at.id, payload: open.payload(), cause });
      else
        out.insert.push({
          key: open.at.key,
          channel: d.channel,
          target_kind: d.target_kind,
          address: d.address,
          payload: open.payload(),
          cause,
        });
    };
    for (const item of d.items) {
      if (open?.fits(item.text)) {
        open.add(item.text, item.cause);
        out.placed.push({ ord: item.ord, base: d.base, ...open.at });
        continue;
      }
      flush();
      open = null;
      seq += 1;
      const key = `${d.base}#${seq}`;
      const alone = renderDigest([{ text: item.text }]);
      if (!fits(alone)) {
        const parts = splitText(alone, MAX_TEXT_BYTES);
        parts.forEach((part, i) => {
          out.insert.push({
            key: parts.length > 1 ? `${key}:p${i + 1}` : key,
            channel: d.channel,
            target_kind: d.target_kind,
            address: d.address,
            payload:
              parts.length > 1 ? { text: part, part: { index: i + 1, of: parts.length } } : { text: part },
            cause: item.cause,
          });
        });
        const first = parts.length > 1 ? `${key}:p1` : key;
        out.placed.push({ ord: item.ord, base: d.base, key: first });
        continue;
      }
      open = new OpenDigest({ key });
      open.add(item.text, item.cause);
      out.placed.push({ ord: item.ord, base: d.base, key });
    }
    flush();
  }
  return out;
}
