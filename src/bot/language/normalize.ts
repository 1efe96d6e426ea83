import { CODE_PREFIXES } from '../../services/items/index.ts';

// Turns what a person typed (or a voice transcript) into one matching form, while remembering where each
// character came from: commands are recognised on the matching form, but free text (a suggestion, a
// reason) is handed on as the person wrote it, Chinese punctuation and all.

/** Names the bot goes by; an @mention of one of them may be glued to the command ("@人大代表助手请假"). */
export const DEFAULT_BOT_NAMES: readonly string[] = [
  '人大代表助手',
  '代表助手',
  '人大助手',
  '小助手',
  '机器人',
  '助手',
];

/** A string plus, for each of its UTF-16 units, the range of the original message it stands for. */
export class MappedText {
  readonly raw: string;
  readonly text: string;
  private readonly from: readonly number[];
  private readonly to: readonly number[];

  constructor(raw: string, text: string, from: readonly number[], to: readonly number[]) {
    this.raw = raw;
    this.text = text;
    this.from = from;
    this.to = to;
  }

  static identity(raw: string): MappedText {
    const from: number[] = [];
    const to: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      from.push(i);
      to.push(i + 1);
    }
    return new MappedText(raw, raw, from, to);
  }

  get length(): number {
    return this.text.length;
  }

  slice(start: number, end: number = this.text.length): MappedText {
    return new MappedText(
      this.raw,
      this.text.slice(start, end),
      this.from.slice(start, end),
      this.to.slice(start, end),
    );
  }

  /** The original characters behind text[start, end). */
  source(start = 0, end: number = this.text.length): string {
    if (end <= start) return '';
    return this.raw.slice(this.from[start], this.to[end - 1]);
  }

  /** The range of raw that text[start, end) stands for (end > start). */
  span(start: number, end: number): [number, number] {
    return [this.from[start] ?? this.raw.length, this.to[end - 1] ?? this.raw.length];
  }

  /** Drops a match of `re` (sticky or anchored) from the start, as often as it matches. */
  stripStart(re: RegExp): MappedText {
    let cur: MappedText = this;
    for (;;) {
      re.lastIndex = 0;
      const m = re.exec(cur.text);
      if (m?.index !== 0 || m[0].length === 0) return cur;
      cur = cur.slice(m[0].length);
    }
  }

  /** Drops a match of an end-anchored `re` from the end. */
  stripEnd(re: RegExp): MappedText {
    const m = re.exec(this.text);
    return m && m[0].length > 0 ? this.slice(0, m.index) : this;
  }

  /** Drops leading and trailing spaces. */
  trim(): MappedText {
    let a = 0;
    let b = this.text.length;
    while (a < b && this.text[a] === ' ') a++;
    while (b > a && this.text[b - 1] === ' ') b--;
    return a === 0 && b === this.text.length ? this : this.slice(a, b);
  }

  /**
   * Replaces the given ranges of text (ascending, not overlapping) by other words; each stands for the
   * whole source of its range.
   */
  splice(spans: readonly (readonly [number, number, string])[]): MappedText {
    const from: number[] = [];
    const to: number[] = [];
    let text = '';
    let last = 0;
    for (const [start, end, rep] of spans) {
      text += this.text.slice(last, start);
      from.push(...this.from.slice(last, start));
      to.push(...this.to.slice(last, start));
      const a = this.from[start] ?? 0;
      const b = this.to[end - 1] ?? a;
      for (let i = 0; i < rep.length; i++) {
        from.push(a);
        to.push(b);
      }
      text += rep;
      last = end;
    }
    text += this.text.slice(last);
    from.push(...this.from.slice(last));
    to.push(...this.to.slice(last));
    return new MappedText(this.raw, text, from, to);
  }

  /** Replaces every match of a global regex; each replacement stands for the whole source of its match. */
  replace(re: RegExp, replacement: (m: RegExpExecArray) => string): MappedText {
    if (!re.global) throw new Error('MappedText.replace needs a global regex');
    const spans: [number, number, string][] = [];
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      spans.push([m.index, m.index + m[0].length, replacement(m)]);
    }
    return this.splice(spans);
  }
}

// Punctuation NFKC leaves alone but people use interchangeably. The ideographic comma 、 stays: it
// separates the items of a list (承办单位、协办单位).
const PUNCTUATION: Record<string, string> = {
  '。': '.',
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '【': '[',
  '】': ']',
  '〔': '(',
  '〕': ')',
  '〈': '<',
  '〉': '>',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '─': '-',
  '·': '·',
  '•': '·',
};

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;

function mapChar(ch: string): string {
  // Printable ASCII and the main block of ideographs, most of any message, are their own matching form.
  const c = ch.charCodeAt(0);
  if ((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff)) return ch;
  if (INVISIBLE.test(ch)) return '';
  const n = ch.normalize('NFKC');
  if (/^\s+$/.test(n)) return ' ';
  let out = '';
  for (const c of n) out += PUNCTUATION[c] ?? c;
  return out;
}

// A code in any width, case and dash, with the sequence given in full or shortened ("JY-2026-12" is
// JY-2026-0012: codes are issued zero-padded to four digits), also with no dash at all ("jy20262": the year
// is always four digits, so what follows it is the sequence).
const CODE_LOOSE = new RegExp(
  `(?<![A-Za-z])(${CODE_PREFIXES.join('|')}) ?[-_]? ?(\\d{4})(?:(?: ?[-_] ?| )(\\d{1,12})|(\\d{1,12}))(?![\\d])`,
  'gi',
);

/** Canonical form of a code: upper case, ASCII dashes, sequence zero-padded to at least four digits. */
export function canonicalCode(prefix: string, year: string, seq: string): string {
  return `${prefix.toUpperCase()}-${year}-${seq.padStart(4, '0')}`;
}

export interface NormalizeOptions {
  /** Bot names whose @mention is dropped even with no space after it. */
  botNames?: readonly string[];
}

/**
 * The matching form of a message: NFKC (full-width letters, digits, spaces and punctuation become
 * half-width), the Chinese punctuation above unified, invisible characters dropped, whitespace collapsed,
 * leading @mentions dropped, and item codes in canonical form.
 */
export function normalize(raw: string, opts: NormalizeOptions = {}): MappedText {
  const from: number[] = [];
  const to: number[] = [];
  let text = '';
  let i = 0;
  for (const ch of raw) {
    const mapped = mapChar(ch);
    for (let k = 0; k < mapped.length; k++) {
      // Collapse runs of whitespace as we go.
      if (mapped[k] === ' ' && text.endsWith(' ')) continue;
      text += mapped[k];
      from.push(i);
      to.push(i + ch.length);
    }
    i += ch.length;
  }
  let m = new MappedText(raw, text, from, to).trim();
  m = stripMentions(m, opts.botNames ?? DEFAULT_BOT_NAMES);
  return m.replace(CODE_LOOSE, (x) => canonicalCode(x[1]!, x[2]!, x[3] ?? x[4]!));
}

// The bot's names longest first, sorted once per list (the list is the same for every message).
const longestFirst = new WeakMap<readonly string[], readonly string[]>();

function stripMentions(m: MappedText, botNames: readonly string[]): MappedText {
  let names = longestFirst.get(botNames);
  if (names === undefined) {
    names = [...botNames].sort((a, b) => b.length - a.length);
    longestFirst.set(botNames, names);
  }
  let cur = m;
  for (;;) {
    if (!cur.text.startsWith('@')) return cur;
    const rest = cur.text.slice(1);
    const known = names.find((n) => rest.startsWith(n));
    if (known !== undefined) {
      cur = cur.slice(1 + known.length).trim();
      continue;
    }
    // Someone else's name, or the platform's at-text: up to the first space.
    const generic = /^[^\s@]{1,30}(?: |$)/.exec(rest);
    if (!generic) return cur;
    cur = cur.slice(1 + generic[0].length).trim();
  }
}
