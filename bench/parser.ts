// The chat parser's time per message (issue 14: under 1 ms at the 99th percentile for 200-character
// messages). Messages are built from the deputy corpus (test/fixtures/deputy-corpus/), each stretched
// to 200 characters with more of the same kind of words, and parsed one by one after a warm-up, as the
// router does: with today's date and the sender's roles. Pure CPU, no I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from '../src/bot/language/command-parser.ts';

export interface ParserBench {
  messages: number;
  chars: number;
  rounds: number;
  /** Over the messages, each message's median time of its rounds (scheduling noise of a shared machine aside). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Over every single timing, noise included. */
  rawP99Ms: number;
  underOneMsAtP99: boolean;
}

function corpusTexts(): string[] {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'deputy-corpus');
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((n) => /^\d.*\.json$/.test(n))) {
    const file = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: { steps: unknown[] }[] };
    for (const c of file.cases)
      for (const s of c.steps) {
        if (typeof s === 'string') out.push(s);
        else if (s && typeof s === 'object' && 'voice' in s) out.push(String((s as { voice: string }).voice));
      }
  }
  return out.filter((t) => t.trim() !== '');
}

/** Each message, followed by others of the corpus until it is `chars` long. */
function stretched(texts: string[], chars: number): string[] {
  return texts.map((t, i) => {
    let s = t;
    for (let k = 1; s.length < chars; k++) s += `，${texts[(i * 7 + k) % texts.length]}`;
    return s.slice(0, chars);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export function benchParser(opts: { chars?: number; rounds?: number } = {}): ParserBench {
  const chars = opts.chars ?? 200;
  const rounds = opts.rounds ?? 7;
  const messages = stretched(corpusTexts(), chars);
  const parse = (t: string, staff: boolean) =>
    parseCommand(t, { now: '2026-12-01', roles: staff ? ['staff'] : ['deputy'] });
  for (const [i, m] of messages.entries()) parse(m, i % 10 === 0);
  const per: number[][] = messages.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, m] of messages.entries()) {
      const t0 = performance.now();
      parse(m, i % 10 === 0);
      per[i]!.push(performance.now() - t0);
    }
  }
  const medians = per.map((ts) => ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)]!).sort((a, b) => a - b);
  const all = per.flat().sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const p99 = percentile(medians, 99);
  return {
    messages: messages.length,
    chars,
    rounds,
    p50Ms: round(percentile(medians, 50)),
    p99Ms: round(p99),
    maxMs: round(medians.at(-1)!),
    rawP99Ms: round(percentile(all, 99)),
    underOneMsAtP99: p99 < 1,
  };
}
