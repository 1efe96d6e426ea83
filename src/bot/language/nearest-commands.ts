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

interface Grams {
  one: Set<string>;
  two: Set<string>;
}

const gramsOf = (s: string): Grams => ({ one: grams(s, 1), two: grams(s, 2) });

function near(text: Grams, phrase: Grams): number {
  const bigram = dice(text.two, phrase.two);
  let shared = 0;
  for (const c of text.one) if (phrase.one.has(c)) shared++;
  const unigram = phrase.one.size === 0 ? 0 : shared / phrase.one.size;
  return bigram + 0.5 * unigram;
}

/** How near `text` is to `phrase`: pairs of characters count most, single shared characters a little. */
export function nearness(text: string, phrase: string): number {
  return near(gramsOf(text), gramsOf(phrase));
}

// Each command's words and phrasings, cut into characters and pairs once.
const PHRASE_GRAMS = new Map<CommandSpec, Grams[]>(
  ALL_COMMANDS.map((c) => [
    c,
    [...c.words.map((w) => w.word), ...(EXAMPLES[c.id as keyof typeof EXAMPLES] ?? [])].map((p) =>
      gramsOf(p.toLowerCase()),
    ),
  ]),
);

/**
 * "公开栏里没有我的名字", "名单上漏了我的名字": a name left out or written wrong is a complaint, never a wish that
 * the name be withheld; 不公开姓名 is no near command of it.
 */
const NAME_LEFT_OUT =
  /(?:没有|没|漏了|漏掉了?|少了|找不到|查不到|不见了?)(?:我|我们|俺)?的?(?:名字|姓名)|(?:名字|姓名)(?:没有|没|漏了|漏掉了?|不见了?|找不到|查不到|写错|错了|有误)/;
const WITHHOLDING = /不(?:要|想|愿意?)?公开|别公开|匿名|不(?:要|想)?写|别写|隐去|保密/;

/** The `n` distinct commands nearest to `text` that these roles may use (others fill in if too few). */
export function nearestCommands(text: string, roles: readonly Role[], n = 3): CommandSpec[] {
  const leftOut = NAME_LEFT_OUT.test(text) && !WITHHOLDING.test(text);
  const offerable = (c: CommandSpec) =>
    !c.dialogControl && !c.notSuggested && !(leftOut && c.id === 'suggestion.withhold_name');
  let pool = commandsFor(roles).filter(offerable);
  if (pool.length < n) {
    pool = [...pool, ...ALL_COMMANDS.filter((c) => offerable(c) && !pool.includes(c))];
  }
  const mine = gramsOf(text.toLowerCase());
  return pool
    .map((c) => ({ c, score: Math.max(...(PHRASE_GRAMS.get(c) ?? []).map((p) => near(mine, p))) }))
    .sort((a, b) => b.score - a.score || a.c.rank - b.c.rank)
    .slice(0, n)
    .map((x) => x.c);
}
