import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// No message a person reads sends them to a raw API path: staff are pointed at the console page by name
// (「工作平台 → 承办单位」). Checked over the chat handlers, the bot and every service, comments aside.

const ROOT = join(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const withoutComments = (src: string) =>
  src
    .split('\n')
    .filter((l) => !/^\s*(?:\/\/|\*|\/\*\*)/.test(l))
    .map((l) => l.replace(/\s\/\/ .*$/, ''))
    .join('\n');

describe('messages name console pages, never API paths', () => {
  for (const dir of ['handlers', 'src/bot', 'src/services']) {
    it(`holds no /api/ path in a string of ${dir}`, () => {
      const offending = files(join(ROOT, dir)).filter((f) =>
        /['"`][^'"`]*\/api\//.test(withoutComments(readFileSync(f, 'utf8'))),
      );
      expect(offending.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
    });
  }
});
