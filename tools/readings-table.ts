// Writes src/bot/language/readings-table.ts from pinyin-pro's dictionary: every character that may be read
// with the toneless syllable of a character of the words read by sound (sound.ts), or one that people mix
// up with it (z/zh, c/ch, s/sh, -n/-ng, l/n), with those readings only, in pinyin-pro's order.
//
//   npm run readings           writes the table
//   test/unit/readings-table.test.ts fails when the table and pinyin-pro's dictionary or the words differ.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import { SOUND_WORDS, soft } from '../src/bot/language/sound.ts';

// The BMP's unified ideographs (extension A and the main block) and the compatibility ideographs: sound.ts
// reads a message one UTF-16 unit at a time, so a character beyond the BMP never reaches it.
const RANGES: readonly [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

const allReadings = (ch: string): string[] =>
  pinyin(ch, { toneType: 'none', type: 'array', multiple: true })
    .filter((s) => s !== ch)
    .map((s) => s.replace(/ü/g, 'v'));

/** The table's entries: each character followed by its readings, joined by commas. */
export function readingsEntries(): string[] {
  const sounds = new Set(SOUND_WORDS.flatMap((w) => [...w].flatMap((c) => allReadings(c).map(soft))));
  const entries: string[] = [];
  for (const [from, to] of RANGES) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      const kept = allReadings(ch).filter((r) => sounds.has(soft(r)));
      if (kept.length > 0) entries.push(ch + kept.join(','));
    }
  }
  return entries;
}

const PER_LINE = 16;

export function readingsModule(): string {
  const entries = readingsEntries();
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += PER_LINE) {
    lines.push(`  '${entries.slice(i, i + PER_LINE).join('')}',`);
  }
  return [
    '// Made by `npm run readings` (tools/readings-table.ts) from pinyin-pro; not edited by hand.',
    '// Each character that may sound like one of the words read by sound (sound.ts), followed by those of its',
    '// toneless readings (ü written v), in the dictionary order.',
    'export const READINGS: string = [',
    ...lines,
    "].join('');",
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../src/bot/language/readings-table.ts', import.meta.url));
  writeFileSync(target, readingsModule());
  console.log(`${target}: ${readingsEntries().length} characters`);
}
