import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/bot/language/command-catalog.ts';
import { CATALOG } from '../../src/bot/language/command-catalog.ts';
import { parseCommand } from '../../src/bot/language/command-parser.ts';
import corpus from '../fixtures/phrasings.json' with { type: 'json' };

// Every phrasing a deputy or staff member might send, and what it must be read as.

interface CommandEntry {
  text: string;
  id: string;
  roles: Role[];
  args?: Record<string, unknown>;
}

interface OtherEntry {
  text: string;
  kind: string;
  act?: string;
  id?: string;
  index?: number;
}

const { now } = corpus;
const commands = corpus.commands as CommandEntry[];
const others = corpus.others as OtherEntry[];

describe('the phrasing corpus', () => {
  it('holds at least 20 phrasings for every command of the catalog', () => {
    for (const c of CATALOG) {
      expect(commands.filter((e) => e.id === c.id).length, c.id).toBeGreaterThanOrEqual(20);
    }
  });

  it.each(commands.map((e) => [e.id, e.text, e] as const))('%s ← %j', (_id, text, entry) => {
    const r = parseCommand(text, { now, roles: entry.roles });
    expect(r.kind).toBe('command');
    if (r.kind !== 'command') return;
    expect(r.id).toBe(entry.id);
    expect(r.invalid).toEqual([]);
    const args = r.args as Record<string, unknown>;
    for (const [name, value] of Object.entries(entry.args ?? {})) {
      expect(args[name], `argument ${name}`).toEqual(value);
    }
    // Whatever is neither given nor missing must be optional.
    const spec = CATALOG.find((c) => c.id === entry.id)!;
    for (const a of spec.args) {
      const optional = 'optional' in a && a.optional === true;
      if (!optional && !(a.name in args)) expect(r.missing.map((m) => m.name)).toContain(a.name);
    }
    for (const m of r.missing) expect(m.question).toMatch(/[？?。）]$/);
  });

  it.each(others.map((e) => [e.kind, e.text, e] as const))('%s ← %j', (_kind, text, entry) => {
    const r = parseCommand(text, { now, roles: ['deputy'] });
    expect(r.kind).toBe(entry.kind);
    if (r.kind === 'smalltalk') expect(r.act).toBe(entry.act);
    if (r.kind === 'choice') expect(r.index).toBe(entry.index);
    if (r.kind === 'command') expect(r.id).toBe(entry.id);
    if (r.kind === 'unclear') {
      expect(r.suggestions).toHaveLength(3);
      expect(new Set(r.suggestions.map((s) => s.id)).size).toBe(3);
      expect(r.suggestions.map((s) => s.index)).toEqual([1, 2, 3]);
    }
  });
});
