import { describe, expect, it } from 'vitest';
import type { OverflowDigest } from '../../db/repositories/reminder-sets.ts';
import { type DigestItem, packOverflow, renderDigest } from '../../jobs/digest.ts';
import { MAX_TEXT_BYTES } from '../../src/services/notices/index.ts';

// The items of a staff group's day that do not fit one message are packed greedily: each message as full as
// it may be, in order, and rendered exactly as a digest that fits is.

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const itemText = (i: number) =>
  `代表小组「第${i}代表小组」本季度还没有记录活动。依照大同 第六条，请及时安排并登记。`.repeat(1 + (i % 3));

const digest = (n: number, open?: { id: number; items: DigestItem[] }): OverflowDigest => ({
  base: 'digest:group:1:2026-12-21:wecom:wecom_robot',
  channel: 'wecom',
  target_kind: 'wecom_robot',
  address: 'robot-key',
  seq: 1,
  open_id: open?.id ?? null,
  open_items: open?.items ?? null,
  items: Array.from({ length: n }, (_, i) => ({
    ord: i + 1,
    text: itemText(i + 1),
    cause: `reminder:S1:${i}`,
  })),
});

describe('packing a digest that overflows one message', () => {
  it('fills each message as far as it fits, keeps the order, and renders each as a digest', () => {
    const packed = packOverflow([digest(120)]);
    const messages = packed.insert.map((m) => m.payload as { text: string; items: DigestItem[] });
    expect(messages.length).toBeGreaterThan(10);
    expect(messages.flatMap((m) => m.items.map((x) => x.text))).toEqual(
      Array.from({ length: 120 }, (_, i) => itemText(i + 1)),
    );
    for (const [i, m] of messages.entries()) {
      expect(m.text).toBe(renderDigest(m.items));
      expect(bytes(m.text)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      // Greedy: the next message's first item would not have fitted in this one.
      const next = messages[i + 1];
      if (next) expect(bytes(renderDigest([...m.items, next.items[0]!]))).toBeGreaterThan(MAX_TEXT_BYTES);
    }
    // Some message holds ten or more items, so the count and the numbers run to two digits.
    const short = packOverflow([
      {
        ...digest(0),
        items: Array.from({ length: 40 }, (_, i) => ({ ord: i, text: `第${i}项`, cause: 'c' })),
      },
    ]);
    const one = short.insert.map((m) => m.payload as { text: string; items: DigestItem[] });
    expect(one).toHaveLength(1);
    expect(one[0]!.text).toBe(renderDigest(one[0]!.items));
    expect(one[0]!.text).toContain('今天有 40 项提醒');
  });

  it('puts in a message an item that makes it exactly as long as allowed, and not one byte more', () => {
    const base = Array.from({ length: 11 }, (_, i) => `${'事'.repeat(40)}${i}`);
    const without = bytes(renderDigest([...base, ''].map((text) => ({ text }))));
    const exact = 'a'.repeat(MAX_TEXT_BYTES - without);
    const firstOf = (last: string) => {
      const d = digest(0);
      d.items = [...base, last, '下一项'].map((text, i) => ({ ord: i, text, cause: 'c' }));
      return (packOverflow([d]).insert[0]!.payload as { items: DigestItem[] }).items.length;
    };
    expect(bytes(renderDigest([...base, exact].map((text) => ({ text }))))).toBe(MAX_TEXT_BYTES);
    expect(firstOf(exact)).toBe(12);
    expect(firstOf(`${exact}a`)).toBe(11);
  });

  it('adds to the open message of the day first, then starts new ones', () => {
    const open = { id: 77, items: [{ text: itemText(1) }, { text: itemText(2) }] };
    const packed = packOverflow([digest(30, open)]);
    expect(packed.extend).toHaveLength(1);
    const extended = packed.extend[0]!.payload as { text: string; items: DigestItem[] };
    expect(extended.items.slice(0, 2)).toEqual(open.items);
    expect(extended.items.length).toBeGreaterThan(2);
    expect(extended.text).toBe(renderDigest(extended.items));
    expect(bytes(extended.text)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    const placedInOpen = packed.placed.filter((p) => p.id === 77).length;
    expect(placedInOpen).toBe(extended.items.length - 2);
    const first = packed.insert[0]!.payload as { items: DigestItem[] };
    expect(bytes(renderDigest([...extended.items, first.items[0]!]))).toBeGreaterThan(MAX_TEXT_BYTES);
  });
});
