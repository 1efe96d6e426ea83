import { extendOutboxRow, insertNewOutboxRow, latestOutboxRowLike } from '../db/repositories/outbox.ts';
import type { Executor } from '../src/messaging/index.ts';
import { type Address, MAX_TEXT_BYTES, queueText } from '../src/services/notices/index.ts';

// CONTRACT §4: several reminders to one target on one day go as one digest. A reminder joins the target's
// digest of its sending day while that message is still waiting (not yet claimed by the outbox); once it
// went out, or when the digest would outgrow what the platform takes, the next reminder starts a new one.

const HEADER = '【履职提醒】';

/** A LIKE pattern matching `text` literally (target kinds such as wecom_robot hold an underscore). */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface DigestItem {
  text: string;
}

export const renderDigest = (items: DigestItem[]): string =>
  items.length === 1
    ? `${HEADER}${items[0]!.text}`
    : `${HEADER}今天有 ${items.length} 项提醒：\n${items.map((it, i) => `${i + 1}. ${it.text}`).join('\n')}`;

/**
 * Adds a reminder to the digest of `target` for `sendDate` on one address; returns the outbox id that
 * carries it. Call inside the transaction that writes the reminder's ledger row.
 */
export async function addToDigest(
  db: Executor,
  o: { targetKey: string; to: Address; sendDate: string; notBefore: Date; text: string; cause: string },
): Promise<number | null> {
  const base = `digest:${o.targetKey}:${o.sendDate}:${o.to.channel}:${o.to.targetKind}`;
  const latest = await latestOutboxRowLike(db, `${escapeLike(base)}#%`);
  if (latest && latest.status === 'pending' && latest.attempts === 0) {
    const items = [...((latest.payload as { items?: DigestItem[] }).items ?? []), { text: o.text }];
    const text = renderDigest(items);
    if (Buffer.byteLength(text, 'utf8') <= MAX_TEXT_BYTES) {
      await extendOutboxRow(db, latest.id, { text, items }, o.cause);
      return latest.id;
    }
  }
  const n = latest ? Number(latest.idempotency_key.slice(base.length + 1).split(':')[0]) + 1 : 1;
  const text = renderDigest([{ text: o.text }]);
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
    // One reminder alone too long for one message: its own parts, split at sentence boundaries.
    return queueText(db, o.to, text, {
      idempotencyKey: `${base}#${n}`,
      cause: o.cause,
      notBefore: o.notBefore,
    });
  }
  return insertNewOutboxRow(db, {
    channel: o.to.channel,
    target_kind: o.to.targetKind,
    target_address: o.to.address,
    payload: JSON.stringify({ text, items: [{ text: o.text }] }),
    idempotency_key: `${base}#${n}`,
    cause: o.cause,
    not_before: o.notBefore,
  });
}
