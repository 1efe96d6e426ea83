import { isLiveMandate } from '../../../db/repositories/mandates.ts';
import type { KnownSender } from '../../../db/repositories/senders.ts';
import type { CongressLevel } from '../../../db/schema.ts';
import { smallNumber } from '../language/argument-parsers.ts';

// A deputy with seats in several congresses (a city and a provincial mandate): where the capacity matters
// the command goes to one congress, named in the message ("省人大…") or asked once a conversation.

export interface Seat {
  id: number;
  name: string;
  level: CongressLevel;
}

/** Commands whose answer depends on the congress they are done in. */
export const CAPACITY_COMMANDS: ReadonlySet<string> = new Set([
  'suggestion.submit',
  'reception.day',
  'reception.book',
  'duty.record',
]);

/** The sender's live deputy seats, one per congress. */
export function deputyCongresses(sender: KnownSender): Seat[] {
  const out: Seat[] = [];
  for (const m of sender.mandates) {
    if (m.role !== 'deputy' || !isLiveMandate(m) || out.some((s) => s.id === m.congressId)) continue;
    out.push({ id: m.congressId, name: m.congressName, level: m.congressLevel });
  }
  return out;
}

const LEVEL_WORDS: Record<CongressLevel, RegExp> = {
  province: /省人大|省里|省级|省代表/,
  city: /市人大|市里|市级|市代表/,
  county: /县人大|区人大|县里|区里|县级/,
  township: /镇人大|乡人大|镇里|乡里/,
};

/** The place a congress's name starts with (山西省… → 山西, 大同市… → 大同). */
const placeOf = (name: string): string | null => /^(.{2,6}?)[省市县区镇乡]/.exec(name)?.[1] ?? null;

/** The one seat a message names (by level word or place), or null. */
export function congressNamed(text: string, seats: Seat[]): Seat | null {
  // A level word ("省人大") says it; a place ("大同") may be part of what the message is about.
  const byLevel = seats.filter((s) => LEVEL_WORDS[s.level]?.test(text));
  if (byLevel.length === 1) return byLevel[0]!;
  const byPlace = seats.filter((s) => {
    const place = placeOf(s.name);
    return place !== null && text.includes(`${place}${s.name.slice(place.length, place.length + 1)}人大`);
  });
  if (byPlace.length === 1) return byPlace[0]!;
  const hits = seats.filter((s) => {
    const place = placeOf(s.name);
    return place !== null && text.includes(place);
  });
  return hits.length === 1 ? hits[0]! : null;
}

/** An answer to "which congress?": a number, or a name or level word. */
export function pickCongress(text: string, seats: Seat[]): Seat | null {
  const n = /^\s*(?:第)?([1-9一二三四五六七八九])(?:个)?\s*$/.exec(text);
  if (n) return seats[(smallNumber(n[1]!) ?? 0) - 1] ?? null;
  const exact = seats.find((s) => text.trim() === s.name);
  return exact ?? congressNamed(text, seats);
}
