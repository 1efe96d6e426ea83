// One chat message → what the person asked for. Pure: no I/O, no clock (the caller passes `now`).
// Order: a lone number (a choice in a dialog) → small talk → a bare code (查询 it) → a command word at
// the start → a known phrase anywhere (the earliest wins, then the longest) → the three nearest commands.
// See command-catalog.ts for the result kinds and why some commands need their word.

import { CODE_PATTERN, type CodePrefix, codeOfPrefix } from '../../services/items/index.ts';
import {
  checkCode,
  type Found,
  findDate,
  findMonth,
  findYear,
  parseOrgans,
  parseTargets,
  smallNumber,
} from './argument-parsers.ts';
import {
  type ArgSpec,
  type ArgsOf,
  type ArgValue,
  CATALOG,
  type CommandId,
  type CommandSpec,
  commandById,
  mayUse,
  type Role,
  type SpecOf,
} from './command-catalog.ts';
import { nearestCommands } from './nearest-commands.ts';
import { MappedText, normalize } from './normalize.ts';
import {
  ARG_LEAD,
  LEADING_FILLER,
  LEAVE_WORD,
  LOOSE_NOISE,
  MEETING_CUE,
  MEETING_TAIL,
  PHRASES,
  type Phrase,
  REASON_CUE,
  REASON_OPENER,
  SMALLTALK,
  type SmalltalkAct,
  TOPIC_OPENER,
  TRAILING_FILLER,
  UNABLE_RE,
} from './phrasings.ts';

export interface ParseOptions {
  /** Today in APP_TIMEZONE, 'YYYY-MM-DD': relative months and dates count from it. */
  now: string;
  /** The sender's roles (from their mandates); they decide which commands are offered. */
  roles: readonly Role[];
  /** Bot names whose @mention is dropped even when glued to the text. */
  botNames?: readonly string[];
}

export interface MissingArg {
  name: string;
  label: string;
  question: string;
  /** The dialog may fill it from the item just talked about. */
  fromContext: boolean;
}

export interface InvalidArg extends MissingArg {
  /** What the person wrote. */
  given: string;
  /** Why it is not acceptable, in Chinese. */
  error: string;
}

export type CommandParse = {
  [K in CommandId]: {
    kind: 'command';
    id: K;
    /** The catalog entry it matched: its arguments, who may use it. */
    spec: SpecOf<K>;
    /** The Chinese word of the command. */
    word: string;
    /** Recognised by its word at the start, or from a phrase. */
    via: 'word' | 'phrase';
    args: ArgsOf<K>;
    /** Required arguments not given, in order: the dialog asks their questions. */
    missing: MissingArg[];
    /** Arguments given but not acceptable (a wrong month, a code of the wrong kind). */
    invalid: InvalidArg[];
  };
}[CommandId];

export interface Suggestion {
  /** What to reply to pick it: 1, 2 or 3. */
  index: number;
  id: CommandId;
  word: string;
  usage: string;
  summary: string;
}

export type ParseResult =
  | CommandParse
  | { kind: 'choice'; index: number }
  | { kind: 'smalltalk'; act: SmalltalkAct }
  | { kind: 'unclear'; text: string; suggestions: Suggestion[] }
  | { kind: 'empty' };

interface Built {
  spec: SpecOf;
  via: 'word' | 'phrase';
  args: Record<string, ArgValue>;
  missing: MissingArg[];
  invalid: InvalidArg[];
  /** Something was read from the message itself (not only from the word). */
  consumed: boolean;
  /** Text left over after the arguments, in matching form. */
  leftover: string;
}

// ---- entry -------------------------------------------------------------------------------------

export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  const norm = normalize(text, opts.botNames ? { botNames: opts.botNames } : {});
  const loose = looseOf(norm).text;
  if (loose === '' || /^-+$/.test(loose)) return { kind: 'empty' };

  const choice = /^(?:第|选|选择)?([1-9一二三四五六七八九])(?:个|号|项|条)?$/.exec(loose);
  if (choice) return { kind: 'choice', index: smallNumber(choice[1]!)! };

  for (const { act, re } of SMALLTALK) if (re.test(loose)) return { kind: 'smalltalk', act };

  const core = norm.stripStart(LEADING_FILLER).stripEnd(TRAILING_FILLER).trim();

  const bare = CODE_PATTERN.exec(core.text);
  if (bare && bare.index === 0 && bare[0].length === core.text.replace(/[?]+$/, '').length) {
    return finish(buildFromScan(commandById('item.query'), core, 'phrase', {}, opts));
  }

  // Only particles ("哈哈", "啊吧"): something was said, but nothing to act on.
  if (core.text === '') return unclear(norm, norm, opts);

  const exact = matchWord(core, opts);
  if (exact) {
    const rival = () => {
      const p = matchPhrase(core, opts);
      return p && p.spec.id !== exact.spec.id ? p : null;
    };
    if (!exact.consumed && exact.leftover !== '') return finish(rival() ?? exact);
    if (exact.spec.wordOnly && !mayUse(exact.spec.who, opts.roles)) return finish(rival() ?? exact);
    if (exact.spec.args.some((a) => a.kind.type === 'text') && core.length <= 24) {
      const p = rival();
      if (p?.strong) return finish(p);
    }
    return finish(exact);
  }

  const phrase = matchPhrase(core, opts);
  if (phrase) return finish(phrase);

  return unclear(norm, core, opts);
}

function unclear(norm: MappedText, core: MappedText, opts: ParseOptions): ParseResult {
  const suggestions = nearestCommands(looseOf(core).text, opts.roles).map((c, i) => ({
    index: i + 1,
    id: c.id as CommandId,
    word: c.word,
    usage: c.usage,
    summary: c.summary,
  }));
  return { kind: 'unclear', text: norm.text, suggestions };
}

function finish(b: Built): CommandParse {
  return {
    kind: 'command',
    id: b.spec.id,
    spec: b.spec,
    word: b.spec.word,
    via: b.via,
    args: b.args,
    missing: b.missing,
    invalid: b.invalid,
  } as CommandParse;
}

function looseOf(m: MappedText): MappedText {
  return MappedText.identity(m.text).replace(new RegExp(LOOSE_NOISE.source, 'g'), () => '');
}

// ---- the command word --------------------------------------------------------------------------

interface WordEntry {
  word: string;
  spec: SpecOf;
  sets: Readonly<Record<string, string>>;
}

const WORDS: readonly WordEntry[] = CATALOG.filter((c) => !('notSuggested' in c && c.notSuggested))
  .flatMap((spec) =>
    spec.words.map((w) => ({
      word: w.word,
      spec,
      sets: ('sets' in w ? w.sets : {}) as Record<string, string>,
    })),
  )
  .sort((a, b) => b.word.length - a.word.length);

const GLUED_OK = new Set(['text', 'meeting', 'name', 'targets', 'organs']);

function matchWord(core: MappedText, opts: ParseOptions): (Built & { strong?: boolean }) | null {
  const lower = core.text.toLowerCase();
  const entry = WORDS.find((w) => lower.startsWith(w.word.toLowerCase()));
  if (!entry) return null;
  const rest = core.slice(entry.word.length);
  const first = entry.spec.args.find((a) => !(a.name in entry.sets));
  const after = rest.stripStart(ARG_LEAD);
  const boundary = rest.text === '' || /^[ ,.:;!?、~]/.test(rest.text);
  if (!boundary) {
    if (!first) {
      if (after.text.replace(/[?]+$/, '') !== '') return null;
    } else if (!GLUED_OK.has(first.kind.type)) {
      if (!startsWithValue(first, after.text, opts.now)) return null;
    }
  }
  if (entry.spec.id === 'leave.request') {
    const code = CODE_PATTERN.exec(after.text);
    if (code && code.index === 0) {
      return parseSequence(commandById('activity.decline'), rest, 'word', {}, opts);
    }
    return extractLeave(rest, null, 'word', opts);
  }
  return parseSequence(entry.spec, rest, 'word', entry.sets, opts);
}

function startsWithValue(arg: ArgSpec, text: string, now: string): boolean {
  switch (arg.kind.type) {
    case 'code':
      return /^[A-Za-z]{2}-?\d/.test(text);
    case 'month':
      return findMonth(text, now)?.index === 0;
    case 'year':
      return findYear(text, now)?.index === 0;
    case 'date':
      return findDate(text, now)?.index === 0;
    case 'choice':
      return arg.kind.options.some((o) => text.startsWith(o));
    default:
      return true;
  }
}

// ---- arguments in order, after a command word ----------------------------------------------------

const DATE_LEAD = /^(?:延期?到|延期至|延至|延长到|延长至|推迟到|顺延到|到|至|改为|改到)/;
const ORGAN_LEAD = /^(?:交给|交由|给|由|到|至)/;
const TEXT_LABEL = /^(?:内容|话题|主题|答复内容|通知内容)(?:是|为|:)/;
const ALL_LEAD = /^(?:全体|全部|所有|大家)(?:代表|人员|群|代表群)?/;
const GROUP_NAME = /^(.+?(?:代表小组|代表大组|小组|大组|代表团|联络站|群|组|站))/;

function emptyBuilt(spec: SpecOf, via: 'word' | 'phrase'): Built {
  return { spec, via, args: {}, missing: [], invalid: [], consumed: false, leftover: '' };
}

function missingOf(a: ArgSpec): MissingArg {
  return { name: a.name, label: a.label, question: a.question, fromContext: a.fromContext === true };
}

function invalidOf(a: ArgSpec, given: string, error: string): InvalidArg {
  return { ...missingOf(a), given, error };
}

function applyFound<T extends ArgValue>(b: Built, a: ArgSpec, found: Found<T>, written: string): void {
  if (found.result.ok) b.args[a.name] = found.result.value;
  else b.invalid.push(invalidOf(a, written, found.result.error));
}

/** Free text as the person wrote it, without leading separators, labels or trailing particles. */
function cleanText(m: MappedText, arg: ArgSpec): string {
  let t = m.stripStart(ARG_LEAD).stripStart(TEXT_LABEL);
  if (arg.name === 'reason') t = t.stripStart(REASON_OPENER);
  t = t
    .stripStart(ARG_LEAD)
    .stripEnd(/(?:[ ,.!~、;:]|[吧啊呀呢哈嘛啦哦])+$/)
    .trim();
  return t.source().trim();
}

function parseSequence(
  spec: SpecOf,
  rest: MappedText,
  via: 'word' | 'phrase',
  presets: Readonly<Record<string, string>>,
  opts: ParseOptions,
): Built {
  const b = emptyBuilt(spec, via);
  let cur = rest;
  spec.args.forEach((a, i) => {
    if (a.name in presets) {
      b.args[a.name] = presets[a.name]!;
      return;
    }
    cur = cur.stripStart(ARG_LEAD);
    const t = cur.text;
    const next = spec.args[i + 1];
    let taken = 0;
    switch (a.kind.type) {
      case 'code': {
        const m = CODE_PATTERN.exec(t);
        if (m && m.index === 0) {
          const c = checkCode(m[0], a.kind.prefixes);
          if (c.ok) b.args[a.name] = c.value;
          else b.invalid.push(invalidOf(a, m[0], c.error));
          taken = m[0].length;
        } else {
          const looks = /^[A-Za-z]{2}[-\d][\w-]*/.exec(t);
          if (looks) {
            b.invalid.push(
              invalidOf(a, looks[0], `“${looks[0]}”不是有效的编号，编号形如 ${a.kind.prefixes[0]}-2026-0012`),
            );
            taken = looks[0].length;
          }
        }
        break;
      }
      case 'month':
      case 'year':
      case 'date': {
        const lead = a.kind.type === 'date' ? (DATE_LEAD.exec(t)?.[0].length ?? 0) : 0;
        const body = t.slice(lead);
        const found =
          a.kind.type === 'month'
            ? findMonth(body, opts.now)
            : a.kind.type === 'year'
              ? findYear(body, opts.now)
              : findDate(body, opts.now);
        if (found && found.index === 0) {
          applyFound(b, a, found as Found<ArgValue>, body.slice(0, found.length));
          taken = lead + found.length;
        } else if (a.kind.type === 'date' && /^\d/.test(body)) {
          const given = /^\S+/.exec(body)![0];
          b.invalid.push(invalidOf(a, given, `看不懂日期“${given}”，请写成 2027-03-01 或 2027年3月1日`));
          taken = lead + given.length;
        }
        break;
      }
      case 'choice': {
        const o = [...a.kind.options].sort((x, y) => y.length - x.length).find((x) => t.startsWith(x));
        if (o) {
          b.args[a.name] = o;
          taken = o.length;
        }
        break;
      }
      case 'name': {
        let end = t.search(/[ ,:]/);
        if (end < 0) end = t.length;
        if (next?.kind.type === 'choice') {
          for (const o of next.kind.options) {
            const k = t.indexOf(o);
            if (k > 0 && k < end) end = k;
          }
        }
        const name = t.slice(0, end).replace(/代表$/, '');
        if (name !== '') b.args[a.name] = cur.slice(0, name.length).source();
        taken = end;
        break;
      }
      case 'targets': {
        const all = ALL_LEAD.exec(t);
        let token = '';
        if (all) token = all[0];
        else {
          const sep = t.search(/[ :]/);
          if (sep > 0) token = t.slice(0, sep);
          else token = GROUP_NAME.exec(t)?.[1] ?? t;
        }
        if (token !== '') {
          const r = parseTargets(token);
          if (r.ok) b.args[a.name] = r.value;
          else b.invalid.push(invalidOf(a, token, r.error));
        }
        taken = token.length;
        break;
      }
      case 'organs': {
        const lead = ORGAN_LEAD.exec(t)?.[0].length ?? 0;
        const body = t.slice(lead).trim();
        if (body !== '') {
          const r = parseOrgans(body);
          if (r.ok) b.args[a.name] = r.value;
          else b.invalid.push(invalidOf(a, body, r.error));
        }
        taken = t.length;
        break;
      }
      case 'meeting':
      case 'text': {
        const v = cleanText(cur, a);
        if (v !== '') b.args[a.name] = a.kind.type === 'meeting' ? { name: v } : v;
        taken = t.length;
        break;
      }
    }
    if (taken > 0) b.consumed = true;
    cur = cur.slice(taken);
    if (!(a.name in b.args) && !b.invalid.some((x) => x.name === a.name) && !a.optional) {
      b.missing.push(missingOf(a));
    }
  });
  b.leftover = cur.stripStart(ARG_LEAD).stripEnd(/[?]+$/).text;
  return b;
}

// ---- phrases -------------------------------------------------------------------------------------

function matchPhrase(core: MappedText, opts: ParseOptions): (Built & { strong: boolean }) | null {
  const loose = looseOf(core);
  let best: { p: Phrase; m: RegExpExecArray; order: number } | null = null;
  PHRASES.forEach((p, order) => {
    if (p.needsCode && !codeOfPrefix(p.needsCode).test(core.text)) return;
    const m = p.re.exec(loose.text);
    if (!m) return;
    const pr = p.priority ?? 0;
    const bp = best?.p.priority ?? 0;
    if (
      best === null ||
      pr > bp ||
      (pr === bp && m.index < best.m.index) ||
      (pr === bp && m.index === best.m.index && m[0].length > best.m[0].length)
    ) {
      best = { p, m, order };
    }
  });
  if (best === null) return null;
  const { p, m } = best as { p: Phrase; m: RegExpExecArray };
  // The trigger's place in `core`.
  const [ts, te] = m[0].length > 0 ? loose.span(m.index, m.index + m[0].length) : [0, 0];
  const spec = commandById(p.id);
  const sets = { ...(p.sets ?? {}) };
  let built: Built;
  switch (p.id) {
    case 'leave.request':
      built = extractLeave(core, [ts, te], 'phrase', opts);
      break;
    case 'suggestion.submit': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      const content = textAfterOrBefore(core, ts, te, spec.args.find((a) => a.name === 'content')!);
      setText(built, spec, 'content', content);
      break;
    }
    case 'inspection.request': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      setText(built, spec, 'content', cleanText(core, spec.args[0]!));
      break;
    }
    case 'suggestion.proxy': {
      if (m[2]) sets.kind = m[2];
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      if (m[1]) built.args.deputy = m[1];
      built.missing = built.missing.filter((x) => !(x.name in built.args));
      setText(built, spec, 'content', cleanText(core.slice(te), spec.args[2]!));
      break;
    }
    case 'reception.book': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      const topic = TOPIC_OPENER.exec(core.text);
      if (topic) {
        const v = cleanText(core.slice(topic.index + topic[0].length), spec.args[1]!);
        if (v !== '') built.args.topic = v;
      }
      break;
    }
    default:
      built = buildFromScan(spec, core, 'phrase', sets, opts);
  }
  return { ...built, strong: p.strong === true };
}

function setText(b: Built, spec: CommandSpec, name: string, value: string): void {
  const a = spec.args.find((x) => x.name === name)!;
  if (value !== '') {
    b.args[name] = value;
    b.missing = b.missing.filter((x) => x.name !== name);
  } else if (!a.optional && !b.missing.some((x) => x.name === name)) {
    b.missing.push(missingOf(a));
  }
}

/** The text after a trigger, or, when nothing follows it, what came before ("关于路灯，我有个建议"). */
function textAfterOrBefore(core: MappedText, ts: number, te: number, arg: ArgSpec): string {
  const after = cleanText(core.slice(te), arg);
  if (after !== '') return after;
  const before = core
    .slice(0, ts)
    .stripStart(LEADING_FILLER)
    .stripEnd(/(?:[ ,.:;!]|我想|我要|我们|我|想|要)+$/);
  const v = cleanText(before, arg);
  return /\p{Script=Han}.*\p{Script=Han}/u.test(v) ? v : '';
}

/** Codes, months, years and dates from anywhere in the message; free text is left to the caller. */
function buildFromScan(
  spec: SpecOf,
  core: MappedText,
  via: 'word' | 'phrase',
  presets: Readonly<Record<string, string>>,
  opts: ParseOptions,
): Built {
  const b = emptyBuilt(spec, via);
  const codes = [...core.text.matchAll(new RegExp(CODE_PATTERN.source, 'g'))].map((m) => m[0]);
  const withoutCodes = core.text.replace(new RegExp(CODE_PATTERN.source, 'g'), ' ');
  for (const a of spec.args) {
    if (a.name in presets) {
      b.args[a.name] = presets[a.name]!;
      continue;
    }
    switch (a.kind.type) {
      case 'code': {
        const prefixes: readonly CodePrefix[] = a.kind.prefixes;
        const fit = codes.find((c) => prefixes.includes(c.slice(0, 2) as CodePrefix));
        if (fit) b.args[a.name] = fit;
        else if (codes[0]) {
          const c = checkCode(codes[0], prefixes);
          if (!c.ok) b.invalid.push(invalidOf(a, codes[0], c.error));
        }
        break;
      }
      case 'month':
      case 'year':
      case 'date': {
        const f =
          a.kind.type === 'month'
            ? findMonth(withoutCodes, opts.now)
            : a.kind.type === 'year'
              ? findYear(withoutCodes, opts.now)
              : findDate(withoutCodes, opts.now);
        if (f) applyFound(b, a, f as Found<ArgValue>, withoutCodes.slice(f.index, f.index + f.length));
        break;
      }
      default:
        break;
    }
    if (
      !(a.name in b.args) &&
      !b.invalid.some((x) => x.name === a.name) &&
      !a.optional &&
      a.kind.type !== 'text'
    ) {
      b.missing.push(missingOf(a));
    }
  }
  // Free text arguments are filled (or reported missing) by the caller.
  for (const a of spec.args) {
    if (a.kind.type === 'text' && !a.optional && !(a.name in b.args)) b.missing.push(missingOf(a));
  }
  b.missing.sort((x, y) => argIndex(spec, x.name) - argIndex(spec, y.name));
  b.consumed = true;
  return b;
}

const argIndex = (spec: CommandSpec, name: string) => spec.args.findIndex((a) => a.name === name);

// ---- leave: meeting and reason out of free-form text -------------------------------------------

const SEGMENT_LEAD = /^(?:[ ,.:;!?~、]|[嗯呃额啊哦噢哎唉]|那个|这个(?!月)|就是说?|然后|而且|另外)+/;
const SEGMENT_TAIL = /(?:[ ,.!~、]|[吧啊呀呢哈嘛啦哦])+$/;

function segmentsOf(m: MappedText): MappedText[] {
  const out: MappedText[] = [];
  const re = /[ ,.;:!?]+/g;
  let last = 0;
  for (let x = re.exec(m.text); x !== null; x = re.exec(m.text)) {
    out.push(m.slice(last, x.index));
    last = x.index + x[0].length;
  }
  out.push(m.slice(last));
  return out
    .map((s) => s.stripStart(SEGMENT_LEAD).stripEnd(SEGMENT_TAIL).trim())
    .filter((s) => s.text !== '' && !/^(?:我们?|本人|我想|我要|我得|想|要)$/.test(s.text));
}

function extractLeave(
  core: MappedText,
  trigger: [number, number] | null,
  via: 'word' | 'phrase',
  opts: ParseOptions,
): Built {
  const codeMatch = CODE_PATTERN.exec(core.text);
  const isActivity = codeMatch?.[1] === 'HD';
  const spec = commandById(isActivity ? 'activity.decline' : 'leave.request');
  const b = emptyBuilt(spec, via);
  b.consumed = true;

  // The message without the words asking for leave and without the code. A "去不了" trigger stays:
  // what precedes it names the meeting.
  const cuts: [number, number][] = [];
  for (const m of core.text.matchAll(new RegExp(LEAVE_WORD.source, 'g'))) {
    cuts.push([m.index, m.index + m[0].length]);
  }
  void trigger;
  if (codeMatch) cuts.push([codeMatch.index, codeMatch.index + codeMatch[0].length]);
  cuts.sort((x, y) => x[0] - y[0]);
  const pieces: MappedText[] = [];
  let pos = 0;
  for (const [a, z] of cuts) {
    if (a > pos) pieces.push(core.slice(pos, a));
    pos = Math.max(pos, z);
  }
  pieces.push(core.slice(pos));

  let meeting: MappedText | null = null;
  const reasons: MappedText[] = [];
  const addReason = (r: MappedText) => {
    const t = r.stripStart(REASON_OPENER).stripStart(SEGMENT_LEAD).stripEnd(SEGMENT_TAIL).trim();
    if (t.text !== '' && t.text !== '了') reasons.push(t);
  };
  for (const piece of pieces) {
    for (const seg of segmentsOf(piece)) {
      const unable = UNABLE_RE.exec(seg.text);
      if (unable) {
        const before = seg.slice(0, unable.index).stripEnd(MEETING_TAIL).trim();
        if (before.text !== '' && meeting === null) meeting = before;
        addReason(seg.slice(unable.index + unable[0].length).stripStart(/^了+/));
        continue;
      }
      if (REASON_OPENER.test(seg.text)) {
        addReason(seg);
        continue;
      }
      const mc = MEETING_CUE.exec(seg.text);
      if (meeting === null && mc) {
        const end = mc.index + mc[0].length;
        const rc = REASON_CUE.exec(seg.text.slice(end));
        if (rc) {
          meeting = seg.slice(0, end);
          addReason(seg.slice(end));
        } else meeting = seg;
        continue;
      }
      if (REASON_CUE.test(seg.text) || meeting !== null) addReason(seg);
      else meeting = seg;
    }
  }

  const [first, reasonArg] = spec.args as readonly [ArgSpec, ArgSpec];
  if (isActivity) {
    b.args.code = codeMatch![0];
  } else if (codeMatch) {
    const c = checkCode(codeMatch[0], ['HD']);
    if (!c.ok) b.invalid.push(invalidOf(first, codeMatch[0], c.error));
  } else if (meeting !== null) {
    b.args.meeting = { name: (meeting as MappedText).source().trim() };
  }
  if (reasons.length > 0) b.args.reason = reasons.map((r) => r.source().trim()).join('，');
  if (!(first.name in b.args) && !b.invalid.some((x) => x.name === first.name))
    b.missing.push(missingOf(first));
  if (!(reasonArg.name in b.args)) b.missing.push(missingOf(reasonArg));
  void opts;
  return b;
}
