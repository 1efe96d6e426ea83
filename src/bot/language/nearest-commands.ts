// The commands nearest to a message nobody could read as a command: scored by the overlap of
// characters and character pairs with each command's words and typical phrasings. These are only ever
// offered as numbered choices, never acted on.

import { ALL_COMMANDS, type CommandSpec, commandsFor, type Role } from './command-catalog.ts';
import { EXAMPLES } from './phrasings.ts';

function grams(s: string, n: number): Set<string> {
  const chars = [...s];
  const out = new Set<string>();
  for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

/** How near `text` is to `phrase`: pairs of characters count most, single shared characters a little. */
export function nearness(text: string, phrase: string): number {
  const bigram = dice(grams(text, 2), grams(phrase, 2));
  const pb = grams(phrase, 1);
  let shared = 0;
  for (const c of grams(text, 1)) if (pb.has(c)) shared++;
  const unigram = pb.size === 0 ? 0 : shared / pb.size;
  return bigram + 0.5 * unigram;
}

function phrasesOf(c: CommandSpec): string[] {
  return [...c.words.map((w) => w.word), ...(EXAMPLES[c.id as keyof typeof EXAMPLES] ?? [])];
}

/** The `n` distinct commands nearest to `text` that these roles may use (others fill in if too few). */
export function nearestCommands(text: string, roles: readonly Role[], n = 3): CommandSpec[] {
  const offerable = (c: CommandSpec) => !c.dialogControl && !c.notSuggested;
  let pool = commandsFor(roles).filter(offerable);
  if (pool.length < n) {
    pool = [...pool, ...ALL_COMMANDS.filter((c) => offerable(c) && !pool.includes(c))];
  }
  const lower = text.toLowerCase();
  return pool
    .map((c) => ({ c, score: Math.max(...phrasesOf(c).map((p) => nearness(lower, p.toLowerCase()))) }))
    .sort((a, b) => b.score - a.score || a.c.rank - b.c.rank)
    .slice(0, n)
    .map((x) => x.c);
}
