// Reads the import graph of the source tree and checks the dependency rule of docs/ARCHITECTURE.md.
// TypeScript 7 ships no JavaScript compiler API, so imports come from a small lexer that knows
// comments, strings, templates and regular expressions well enough that none of them is read as code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface ImportRef {
  specifier: string;
  line: number;
}

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  target: string;
  rule: string;
}

type Token = { kind: 'ident' | 'string' | 'punct' | 'other'; value: string; line: number };

// After these words a `/` starts a regular expression, not a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c) || c.charCodeAt(0) > 0x7f;
}

function isIdentPart(c: string): boolean {
  return /[\w$]/.test(c) || c.charCodeAt(0) > 0x7f;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  // One entry per open `{`: true where it opened a template substitution `${`.
  const braces: boolean[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;

  const regexAllowed = (): boolean => {
    const prev = tokens.at(-1);
    if (!prev) return true;
    if (prev.kind === 'ident') return KEYWORDS_BEFORE_EXPRESSION.has(prev.value);
    if (prev.kind === 'punct') return prev.value !== ')' && prev.value !== ']';
    return false;
  };

  // Scans template text from i (just past "`" or a substitution's "}") to its end or the next "${".
  const scanTemplate = (): void => {
    while (i < n) {
      const c = src[i]!;
      if (c === '\\') {
        if (src[i + 1] === '\n') line++;
        i += 2;
      } else if (c === '`') {
        i++;
        tokens.push({ kind: 'other', value: 'template', line });
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        braces.push(true);
        tokens.push({ kind: 'punct', value: '${', line });
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
  };

  while (i < n) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let value = '';
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          value += src[i + 1] ?? '';
          i += 2;
        } else {
          value += src[i];
          i++;
        }
      }
      if (src[i] === c) i++;
      tokens.push({ kind: 'string', value, line: startLine });
    } else if (c === '`') {
      i++;
      scanTemplate();
    } else if (c === '/' && regexAllowed()) {
      let inClass = false;
      i++;
      while (i < n && src[i] !== '\n') {
        const r = src[i]!;
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && isIdentPart(src[i]!)) i++;
      tokens.push({ kind: 'other', value: 'regex', line });
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(src[i]!)) i++;
      tokens.push({ kind: 'ident', value: src.slice(start, i), line });
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(src[i]!)) i++;
      tokens.push({ kind: 'other', value: 'number', line });
    } else if (c === '{') {
      braces.push(false);
      tokens.push({ kind: 'punct', value: '{', line });
      i++;
    } else if (c === '}') {
      i++;
      if (braces.pop()) scanTemplate();
      else tokens.push({ kind: 'punct', value: '}', line });
    } else if (c === '.' && next === '.' && src[i + 2] === '.') {
      tokens.push({ kind: 'punct', value: '...', line });
      i += 3;
    } else {
      tokens.push({ kind: 'punct', value: c, line });
      i++;
    }
  }
  return tokens;
}

/** Every module specifier a file names: static imports and re-exports, side-effect and dynamic imports. */
export function extractImports(source: string): ImportRef[] {
  const tokens = tokenize(source);
  const refs: ImportRef[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'ident') continue;
    const prev = tokens[k - 1];
    if (prev?.kind === 'punct' && prev.value === '.') continue;
    const a = tokens[k + 1];
    const b = tokens[k + 2];
    let spec: Token | undefined;
    if (t.value === 'from' && a?.kind === 'string') spec = a;
    else if (t.value === 'import' && a?.kind === 'string') spec = a;
    else if ((t.value === 'import' || t.value === 'require') && a?.value === '(' && b?.kind === 'string') {
      spec = b;
    }
    if (spec) refs.push({ specifier: spec.value, line: spec.line });
  }
  return refs;
}

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The tree's source files, keyed by their path relative to root with forward slashes. */
export function readTree(root: string, dirs: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const rel = posix.join(dir, entry.split('\\').join('/'));
      if (rel.includes('node_modules/') || !SOURCE_FILE.test(rel)) continue;
      files.set(rel, readFileSync(join(root, rel), 'utf8'));
    }
  }
  return files;
}

/** The tree-relative path an import names, or null for a package. */
export function resolveImport(files: Map<string, string>, from: string, specifier: string): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (files.has(candidate)) return candidate;
  }
  return base;
}

const under = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);

interface Rule {
  name: string;
  applies: (file: string) => boolean;
  forbidden: string[];
}

const RULES: Rule[] = [
  {
    name: 'db/ imports nothing from src/, jobs/, handlers/',
    applies: (f) => under(f, 'db'),
    forbidden: ['src', 'jobs', 'handlers'],
  },
  {
    name: 'services never import bot/, api/, console/, public/, channels/, handlers/, jobs/',
    applies: (f) => under(f, 'src/services'),
    forbidden: ['src/bot', 'src/api', 'src/console', 'src/public', 'src/channels', 'handlers', 'jobs'],
  },
  {
    name: 'channels never import services',
    applies: (f) => under(f, 'src/channels'),
    forbidden: ['src/services'],
  },
  {
    name: 'messaging imports neither channels nor services nor bot',
    applies: (f) => under(f, 'src/messaging'),
    forbidden: ['src/channels', 'src/services', 'src/bot'],
  },
  {
    name: 'bot never imports handlers/',
    applies: (f) => under(f, 'src/bot'),
    forbidden: ['handlers'],
  },
  {
    // bench/ drives the same fake platforms as the tests; the service itself never reaches into test/.
    name: 'the service never imports test/',
    applies: (f) => !under(f, 'test') && !under(f, 'bench'),
    forbidden: ['test'],
  },
  {
    // tools/ makes files the service holds (the table of readings) with development packages.
    name: 'the service never imports tools/',
    applies: (f) => !under(f, 'test') && !under(f, 'bench') && !under(f, 'tools'),
    forbidden: ['tools'],
  },
];

const DOMAIN = /^src\/services\/([^/]+)\//;

/** Every import in files that breaks the dependency rule. */
export function checkDependencyRule(files: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    for (const ref of extractImports(source)) {
      const target = resolveImport(files, file, ref.specifier);
      if (target === null) continue;
      const found = (rule: string) =>
        violations.push({ file, line: ref.line, specifier: ref.specifier, target, rule });
      for (const rule of RULES) {
        if (rule.applies(file) && rule.forbidden.some((dir) => under(target, dir))) found(rule.name);
      }
      // Tests may open a domain up to test its parts; everything else goes through the door.
      const domain = DOMAIN.exec(target)?.[1];
      if (
        domain !== undefined &&
        !under(file, 'test') &&
        !under(file, `src/services/${domain}`) &&
        target !== `src/services/${domain}/index.ts`
      ) {
        found(`a domain is reached only through its index.ts (src/services/${domain}/index.ts)`);
      }
    }
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} -> ${v.specifier} (${v.rule})`;
}

/** Every resolved edge of the graph, for checking that the reader sees the tree at all. */
export function importEdges(files: Map<string, string>): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const [file, source] of files) {
    for (const ref of extractImports(source)) {
      const target = resolveImport(files, file, ref.specifier);
      if (target !== null) edges.push([file, target]);
    }
  }
  return edges;
}
