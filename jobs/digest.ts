import type { DigestFormat, OverflowDigest, PackedDigests } from '../db/repositories/reminder-sets.ts';
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

export const renderDigest = (items: DigestItem[]): string =>
  items.length === 1
    ? `${HEADER}${items[0]!.text}`
    : `${HEADER}${MANY_BEFORE}${items.length}${MANY_AFTER}${items.map((it, i) => `${i + 1}. ${it.text}`).join('\n')}`;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const fits = (text: string): boolean => bytes(text) <= MAX_TEXT_BYTES;
const HEADER_BYTES = bytes(HEADER);
const MANY_BYTES = bytes(MANY_BEFORE) + bytes(MANY_AFTER);

/** The byte length of renderDigest over a growing list, kept as items join rather than re-rendered. */
class DigestSize {
  private n = 0;
  /** The numbered lines and the newlines between them. */
  private lines = 0;
  /** With one more item of this text. */
  with(text: string): number {
    const b = bytes(text);
    if (this.n === 0) return HEADER_BYTES + b;
    const n = this.n + 1;
    return HEADER_BYTES + MANY_BYTES + String(n).length + this.lines + 1 + String(n).length + 2 + b;
  }
  add(text: string): void {
    const b = bytes(text);
    this.n += 1;
    this.lines += (this.n > 1 ? 1 : 0) + String(this.n).length + 2 + b;
  }
}

/**
 * Packs the items of digest keys that do not fit one message: each item joins the open digest while the
 * digest still fits, else starts the next; an item too long alone goes as its own parts, split at
 * sentence boundaries, and the next item starts a new digest.
 */
export function packOverflow(digests: readonly OverflowDigest[]): PackedDigests {
  const out: PackedDigests = { extend: [], insert: [], placed: [], latest: [] };
  for (const d of digests) {
    let seq = d.seq;
    // The digest items currently join: an existing row (id) or a row to add (key).
    let open: { id?: number; key?: string; items: DigestItem[]; causes: string[]; size: DigestSize } | null =
      null;
    if (d.open_id !== null) {
      open = { id: d.open_id, items: [], causes: [], size: new DigestSize() };
      for (const it of d.open_items ?? []) {
        open.items.push({ text: it.text });
        open.size.add(it.text);
      }
    }
    let last: { id?: number; key?: string } | null = null;
    const flush = () => {
      if (!open) return;
      const payload = { text: renderDigest(open.items), items: open.items };
      if (open.id !== undefined) {
        if (open.causes.length > 0) out.extend.push({ id: open.id, payload, cause: open.causes.join(',') });
      } else
        out.insert.push({
          key: open.key!,
          channel: d.channel,
          target_kind: d.target_kind,
          address: d.address,
          payload,
          cause: open.causes.join(','),
        });
    };
    for (const item of d.items) {
      if (open && open.size.with(item.text) <= MAX_TEXT_BYTES) {
        open.items.push({ text: item.text });
        open.size.add(item.text);
        open.causes.push(item.cause);
        out.placed.push({
          ord: item.ord,
          base: d.base,
          ...(open.id !== undefined ? { id: open.id } : { key: open.key! }),
        });
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
        last = { key: parts.length > 1 ? `${key}:p${parts.length}` : key };
        continue;
      }
      open = { key, items: [{ text: item.text }], causes: [item.cause], size: new DigestSize() };
      open.size.add(item.text);
      out.placed.push({ ord: item.ord, base: d.base, key });
    }
    flush();
    if (open) last = open.id !== undefined ? { id: open.id } : { key: open.key! };
    if (last) out.latest.push({ base: d.base, ...last, seq });
  }
  return out;
}
