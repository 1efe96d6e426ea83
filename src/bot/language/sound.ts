import type { MappedText } from './normalize.ts';
import { READINGS } from './readings-table.ts';

// Words typed with the wrong character of the same sound, and words said the way people talk at home,
// read as the words they stand for. Only the matching form changes: what a person wrote is still handed
// on as written (MappedText keeps where each character came from).
//
// Input methods offer characters by toneless pinyin, so 建意, 查寻, 接带日 and 请加 are what 建议, 查询,
// 接待日 and 请假 look like after a slip. A window of the message is read as one of the words below when
// each character can be read with the same toneless syllable and at least one character is the word's
// own (so real words of the same sound — 一件, 简易, 时差 — share none and stay as they are). Where the
// command word stands at the start of a message, softer rules apply too: the initials and finals people
// mix up (z/zh, c/ch, s/sh, -n/-ng: 帮组 → 帮助), one wrong character in a word of three or more
// (接待曰 → 接待日), and the word typed in pinyin letters (jianyi → 建议).
//
// The readings come from pinyin-pro's dictionary, through a table made from it ahead of time
// (`npm run readings`, tools/readings-table.ts): only the characters that may sound like one of the words
// below, with only those readings. The whole dictionary held about 30 MB in the serving process.

interface Target {
  word: string;
  /** Real words and phrases that sound like it and must stay (checked on the window and what follows). */
  keep?: RegExp;
}

const TARGETS: readonly Target[] = [
  { word: '建议', keep: /^建一/ },
  { word: '批评' },
  // 一件事: a count, not 意见.
  { word: '意见', keep: /^一件/ },
  // 请加快, 请加强, 请加大… are requests, not leave.
  { word: '请假', keep: /^请加[快强大装紧深入班上固宽油点]/ },
  { word: '查询' },
  { word: '催办' },
  { word: '接待日' },
  { word: '预约' },
  { word: '取消预约' },
  { word: '视察', keep: /^失察/ },
  { word: '履职' },
  // 不同意 is a word of its own (an approver's refusal), not 不满意 one character off.
  { word: '不满意', keep: /^不满一|^不同意/ },
  { word: '基本满意' },
  { word: '满意', keep: /^满一/ },
  { word: '帮助' },
  { word: '撤回' },
  { word: '修改' },
  { word: '常委会' },
  // Staff words, typed in haste (交版, 延其, 待录, 答付); 交班 is a word of its own.
  { word: '交办', keep: /^交班/ },
  // 延给: 期 is also read ji, but nobody means 延期 by it.
  { word: '延期', keep: /^延给/ },
  { word: '代录' },
  { word: '答复' },
  { word: '人代会' },
  // A meeting's kind, typed in haste (调眼); 调演 and 调盐 are words of their own.
  { word: '调研', keep: /^调[演盐]/ },
];

const HAN = /\p{Script=Han}/u;
const readingsCache = new Map<string, readonly string[]>();
const READING_AT = /[a-z,]+/y;

/** The toneless syllables a character may be read as (ü written v), of those the words below have. */
function readings(ch: string): readonly string[] {
  let r = readingsCache.get(ch);
  if (r === undefined) {
    // Each character of the table is followed by its readings in letters, so where it stands is its entry.
    const at = HAN.test(ch) ? READINGS.indexOf(ch) : -1;
    READING_AT.lastIndex = at + 1;
    r = at < 0 ? [] : (READING_AT.exec(READINGS)?.[0].split(',') ?? []);
    readingsCache.set(ch, r);
  }
  return r;
}

/** The syllable with the initials and finals people mix up made one. */
export const soft = (s: string): string =>
  s
    .replace(/^([zcs])h/, '$1')
    .replace(/ng$/, 'n')
    .replace(/^l(?=[aeiouv])/, 'n');

const softCache = new Map<string, readonly string[]>();
function softReadings(ch: string): readonly string[] {
  let r = softCache.get(ch);
  if (r === undefined) {
    r = readings(ch).map(soft);
    softCache.set(ch, r);
  }
  return r;
}

const sameSound = (a: string, b: string, loose: boolean): boolean => {
  const ra = readings(a);
  const rb = readings(b);
  if (ra.some((x) => rb.includes(x))) return true;
  if (!loose) return false;
  const sb = softReadings(b);
  return softReadings(a).some((x) => sb.includes(x));
};

// Targets by the syllables of their first character, so each place in a message looks at a few.
const BY_FIRST = new Map<string, Target[]>();
for (const t of TARGETS) {
  for (const s of new Set(readings(t.word[0]!).flatMap((r) => [r, soft(r)]))) {
    const list = BY_FIRST.get(s) ?? [];
    list.push(t);
    BY_FIRST.set(s, list);
  }
}

const candidatesCache = new Map<string, readonly Target[]>();
function candidatesAt(ch: string): readonly Target[] {
  let c = candidatesCache.get(ch);
  if (c === undefined) {
    const out = new Set<Target>();
    for (const r of readings(ch)) for (const t of BY_FIRST.get(r) ?? []) out.add(t);
    for (const r of softReadings(ch)) for (const t of BY_FIRST.get(r) ?? []) out.add(t);
    c = [...out].sort((a, b) => b.word.length - a.word.length);
    candidatesCache.set(ch, c);
  }
  return c;
}

function soundsLike(window: string, t: Target, loose: boolean, anyShared = true): boolean {
  if (window.length !== t.word.length || window === t.word) return false;
  let shared = 0;
  for (let i = 0; i < window.length; i++) {
    const a = window[i]!;
    const b = t.word[i]!;
    if (a === b) shared++;
    else if (!HAN.test(a) || !sameSound(a, b, loose)) return false;
  }
  return shared > 0 || !anyShared;
}

/** One wrong character in a word of three or more, the others in place. */
function oneOff(window: string, word: string): boolean {
  if (word.length < 3 || window.length !== word.length || !HAN.test(window)) return false;
  // The first character stays: it often carries the sense (很满意 is no 不满意).
  if (window[0] !== word[0]) return false;
  let diff = 0;
  for (let i = 1; i < word.length; i++) if (window[i] !== word[i]) diff++;
  return diff === 1 && [...window].every((c) => HAN.test(c));
}

const LATIN: ReadonlyMap<string, string> = new Map(
  TARGETS.map((t) => [[...t.word].map((c) => readings(c)[0] ?? '').join(''), t.word]),
);

// "qj 人代会 生病", "cx": the commands people shorten to the first letters of their pinyin, as in chat
// apps. Only these, whose letters nobody writes for anything else in a message to the office.
const INITIALS: ReadonlyMap<string, string> = new Map(
  ['请假', '查询', '帮助', '建议', '催办'].map((w) => [
    [...w].map((c) => readings(c)[0]?.[0] ?? '').join(''),
    w,
  ]),
);

/** Words that sound like the targets, anywhere in the text, read as the targets. */
export function readBySound(m: MappedText): MappedText {
  const spans: [number, number, string][] = [];
  const text = m.text;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const targets = candidatesAt(ch);
    if (targets.length === 0) continue;
    for (const t of targets) {
      const w = text.slice(i, i + t.word.length);
      if (!soundsLike(w, t, false)) continue;
      if (t.keep?.test(text.slice(i))) continue;
      spans.push([i, i + t.word.length, t.word]);
      i += t.word.length - 1;
      break;
    }
  }
  return spans.length === 0 ? m : m.splice(spans);
}

/** The targets, longest first: at the start of a message the longest word that fits is the one meant. */
const LONGEST_FIRST: readonly Target[] = [...TARGETS].sort((a, b) => b.word.length - a.word.length);

/** The command word at the very start, read more softly (帮组, 接待曰, jianyi, 请jia, qj). */
export function readStartBySound(m: MappedText): MappedText {
  const text = m.text;
  // "请jia": the first character typed, the second left in pinyin letters.
  const mixed = /^(\p{Script=Han})([a-z]{1,6})(?=$|[ ,.:!?\p{Script=Han}])/iu.exec(text);
  if (mixed) {
    const word = LATIN.get(`${readings(mixed[1]!)[0] ?? ''}${mixed[2]!.toLowerCase()}`);
    if (word?.startsWith(mixed[1]!)) return m.splice([[0, mixed[0].length, word]]);
  }
  // "假 人代会 出差": 请假 with its first character dropped, a meeting or a reason after it.
  if (/^假(?=[ ,:])/.test(text)) return m.splice([[0, 1, '请假']]);
  // Never "JY 2026 0001": a code written with spaces.
  const initials = /^[a-z]{2}(?=$|[ :](?![ :]*\d))/i.exec(text);
  const short = initials ? INITIALS.get(initials[0].toLowerCase()) : undefined;
  if (short) return m.splice([[0, 2, short]]);
  const latin = /^[a-z]{4,20}(?=$|[ ,.:!?\p{Script=Han}])/iu.exec(text);
  if (latin) {
    const word = LATIN.get(latin[0].toLowerCase());
    if (word) return m.splice([[0, latin[0].length, word]]);
  }
  const first = text[0];
  if (first === undefined || !HAN.test(first)) return m;
  for (const t of LONGEST_FIRST) {
    const w = text.slice(0, t.word.length);
    if (w === t.word) return m;
    // "见意：南环路…": every character slipped, but the colon or space after them says a command word
    // was meant, not a word of its own sound.
    const marked = /^[ :]/.test(text.slice(t.word.length)) && soundsLike(w, t, false, false);
    if ((soundsLike(w, t, true) || oneOff(w, t.word) || marked) && !t.keep?.test(text)) {
      return m.splice([[0, t.word.length, t.word]]);
    }
  }
  return m;
}

// ---- words of a matter ------------------------------------------------------------------------------

// Common things a matter is about, typed with a character of the same sound (红路灯, 拉圾, 班马线). Read as
// meant only where a deputy's items are told apart by their words: "红路灯那个" is the 红绿灯 item, never
// the 路灯 one. The words filed stay as written.
const MATTER_WORDS: readonly Target[] = [{ word: '红绿灯' }, { word: '垃圾' }, { word: '斑马线' }];

/** The text with the matter words above read as meant (same length, so positions hold). */
export function matterWordsBySound(text: string): string {
  return wordsBySound(text, MATTER_WORDS);
}

// ---- words of a meeting -----------------------------------------------------------------------------

// The kinds of meeting a deputy asks leave from, typed with a character of the same sound (视查, 人带会,
// 长委会, 常为会, 调眼). Read as meant in the name of a meeting, so it is found as the right spelling would
// find it. 人大会 stays: it is a name of its own (人大 is the congress) that meeting-match reads already.
const MEETING_WORDS: readonly Target[] = [
  { word: '视察', keep: /^失察/ },
  { word: '调研', keep: /^调[演盐]/ },
  { word: '人代会', keep: /^人大/ },
  { word: '常委会' },
];

/** Every word read by sound: the table of readings holds the characters that may sound like one of them. */
export const SOUND_WORDS: readonly string[] = [
  ...new Set([...TARGETS, ...MATTER_WORDS, ...MEETING_WORDS].map((t) => t.word)),
];

/** A meeting's name with its kind word read as meant (same length, so positions hold). */
export function meetingWordsBySound(text: string): string {
  return wordsBySound(text, MEETING_WORDS);
}

/** The words of `targets` typed with one character of the same sound, read as meant. */
function wordsBySound(text: string, targets: readonly Target[]): string {
  let out = text;
  for (const t of targets) {
    for (let i = 0; i + t.word.length <= out.length; i++) {
      const w = out.slice(i, i + t.word.length);
      // One character slipped, no more: 红路等着 is no 红绿灯.
      if (
        soundsLike(w, t, false) &&
        [...w].filter((c, k) => c !== t.word[k]).length === 1 &&
        !t.keep?.test(out.slice(i))
      )
        out = out.slice(0, i) + t.word + out.slice(i + t.word.length);
    }
  }
  return out;
}

// ---- spoken and dialect forms ----------------------------------------------------------------------

const SPOKEN: readonly [RegExp, string][] = [
  // 反应 typed for 反映 where a matter is raised ("我要反应个情况"); 过敏反应 and 反应慢 stay.
  [/反应(?=(?:一下|一个|个|些|点)?(?:情况|问题|事情|事儿|事|意见)|一下|:)/g, '反映'],
  [/俺们|咱们/g, '我们'],
  [/俺/g, '我'],
  [/咋样|咋地/g, '怎么样'],
  [/咋整|咋办|咋弄/g, '怎么办'],
  [/咋/g, '怎么'],
  [/啥时候|啥时/g, '什么时候'],
  [/啥/g, '什么'],
  [/礼拜/g, '星期'],
  [/晓得/g, '知道'],
  [/甭/g, '不用'],
  [/哩(?=$|[ ,.!?])/g, '呢'],
  // 中 as a whole answer is 好 (中，知道了).
  [/^中(?=$|[ ,.!?~])/g, '好'],
];

/** Spoken and dialect forms read as the common ones (俺 → 我, 咋 → 怎么, 礼拜三 → 星期三). */
export function readSpoken(m: MappedText): MappedText {
  let cur = m;
  for (const [re, rep] of SPOKEN) {
    re.lastIndex = 0;
    if (re.test(cur.text)) cur = cur.replace(re, () => rep);
  }
  return cur;
}
