import { describe, expect, it } from 'vitest';
import type { DigestPayload, OverflowDigest } from '../../db/repositories/reminder-sets.ts';
import { type DigestItem, extendDigest, packOverflow, renderDigest } from '../../jobs/digest.ts';
import { MAX_TEXT_BYTES } from '../../src/services/notices/index.ts';

// The items of a staff group's day that do not fit one message are packed greedily: each message as full as
// it may be, in order, and rendered exactly as a digest that fits is. A stored digest keeps its text and
// its count, which is all it needs to grow.

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const itemText = (i: number) =>
  `代表小组「第${i}代表小组」本季度还没有记录活动。依照大同 第六条，请及时安排并登记。`.repeat(1 + (i % 3));
const items = (texts: string[]): DigestItem[] => texts.map((text) => ({ text }));

const digest = (texts: string[], open?: { id: number; payload: DigestPayload }): OverflowDigest => ({
  base: 'digest:group:1:2026-12-21:wecom:wecom_robot',
  channel: 'wecom',
  target_kind: 'wecom_robot',
  address: 'robot-key',
  seq: 1,
  open_id: open?.id ?? null,
  open: open?.payload ?? null,
  items: texts.map((text, i) => ({ ord: i, text, cause: `reminder:S1:${i}` })),
});

/** Each message the packing wrote or extended, with the items it placed there, in order. */
function messagesOf(texts: string[], packed: ReturnType<typeof packOverflow>) {
  const where = (p: { id?: number; key?: string }) => (p.id !== undefined ? `id:${p.id}` : `key:${p.key}`);
  const placed = new Map<string, string[]>();
  for (const p of packed.placed) placed.set(where(p), [...(placed.get(where(p)) ?? []), texts[p.ord]!]);
  return [
    ...packed.extend.map((m) => ({ at: `id:${m.id}`, payload: m.payload as DigestPayload })),
    ...packed.insert.map((m) => ({ at: `key:${m.key}`, payload: m.payload as DigestPayload })),
  ].map((m) => ({ ...m, items: placed.get(m.at) ?? [] }));
}

describe('a stored digest grows by its count', () => {
  it('reads as the digest of all its items, whatever their words', () => {
    const texts = [
      '会议通知：\n2. 这一行像编号',
      '接待日 2026-12-23',
      itemText(4),
      '今天有 3 项提醒：',
      itemText(7),
    ];
    for (const had of [1, 2, 4])
      for (const more of [0, 1, 3]) {
        const a = texts.slice(0, had);
        const b = texts.slice(0, more).map((t) => `新${t}`);
        const stored = { text: renderDigest(items(a)), count: a.length };
        expect(extendDigest(stored, b)).toBe(renderDigest(items([...a, ...b])));
      }
    // Ten or more: the count and the numbers run to two digits.
    const ten = Array.from({ length: 10 }, (_, i) => `第${i + 1}项`);
    expect(extendDigest({ text: renderDigest(items(ten)), count: 10 }, ['第11项'])).toBe(
      renderDigest(items([...ten, '第11项'])),
    );
  });
});

describe('packing a digest that overflows one message', () => {
  it('fills each message as far as it fits, keeps the order, and renders each as a digest', () => {
    const texts = Array.from({ length: 120 }, (_, i) => itemText(i + 1));
    const messages = messagesOf(texts, packOverflow([digest(texts)]));
    expect(messages.length).toBeGreaterThan(10);
    expect(messages.flatMap((m) => m.items)).toEqual(texts);
    for (const [i, m] of messages.entries()) {
      expect(m.payload).toEqual({ text: renderDigest(items(m.items)), count: m.items.length });
      expect(bytes(m.payload.text)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      // Greedy: the next message's first item would not have fitted in this one.
      const next = messages[i + 1];
      if (next)
        expect(bytes(renderDigest(items([...m.items, next.items[0]!])))).toBeGreaterThan(MAX_TEXT_BYTES);
    }
    const short = Array.from({ length: 40 }, (_, i) => `第${i}项`);
    const one = messagesOf(short, packOverflow([digest(short)]));
    expect(one).toHaveLength(1);
    expect(one[0]!.payload.text).toContain('今天有 40 项提醒');
  });

  it('puts in a message an item that makes it exactly as long as allowed, and not one byte more', () => {
    const base = Array.from({ length: 11 }, (_, i) => `${'事'.repeat(40)}${i}`);
    const without = bytes(renderDigest(items([...base, ''])));
    const exact = 'a'.repeat(MAX_TEXT_BYTES - without);
    const firstOf = (last: string) => {
      const texts = [...base, last, '下一项'];
      return messagesOf(texts, packOverflow([digest(texts)]))[0]!.items.length;
    };
    expect(bytes(renderDigest(items([...base, exact])))).toBe(MAX_TEXT_BYTES);
    expect(firstOf(exact)).toBe(12);
    expect(firstOf(`${exact}a`)).toBe(11);
  });

  it('adds to the open message of the day first, then starts new ones', () => {
    const had = [itemText(1), itemText(2)];
    const open = { id: 77, payload: { text: renderDigest(items(had)), count: 2 } };
    const texts = Array.from({ length: 30 }, (_, i) => itemText(i + 3));
    const packed = packOverflow([digest(texts, open)]);
    const [extended, first] = messagesOf(texts, packed);
    expect(packed.extend).toHaveLength(1);
    expect(extended!.at).toBe('id:77');
    expect(extended!.items.length).toBeGreaterThan(0);
    const all = [...had, ...extended!.items];
    expect(extended!.payload).toEqual({ text: renderDigest(items(all)), count: all.length });
    expect(bytes(extended!.payload.text)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    expect(bytes(renderDigest(items([...all, first!.items[0]!])))).toBeGreaterThan(MAX_TEXT_BYTES);
  });
});
