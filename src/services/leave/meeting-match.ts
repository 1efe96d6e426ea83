import type { SessionRow } from '../../../db/repositories/sessions.ts';
import { addDays, dateOf, isValidDate } from '../../statute/calendar-date.ts';

// A meeting as a deputy names it ("明天的常委会会议", "第二次会议") matched against the sessions registered
// for their congress. Pure: the caller passes today and the candidates.

const RELATIVE: readonly [RegExp, number][] = [
  [/大后天/, 3],
  [/后天/, 2],
  [/明天|明日/, 1],
  [/今天|今日/, 0],
];

/** A date the name carries (明天, 12月1日, 2026-12-01), and the name without it. */
export function dateHint(name: string, today: string): { date: string | null; rest: string } {
  for (const [re, days] of RELATIVE) {
    if (re.test(name)) return { date: addDays(today, days), rest: name.replace(re, '') };
  }
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(name);
  if (iso) {
    const d = dateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (isValidDate(d)) return { date: d, rest: name.replace(iso[0], '') };
  }
  const md = /(\d{1,2})月(\d{1,2})[日号]/.exec(name);
  if (md) {
    const year = Number(today.slice(0, 4));
    let d = dateOf(year, Number(md[1]), Number(md[2]));
    if (isValidDate(d) && d < addDays(today, -180)) d = dateOf(year + 1, Number(md[1]), Number(md[2]));
    if (isValidDate(d)) return { date: d, rest: name.replace(md[0], '') };
  }
  return { date: null, rest: name };
}

const clean = (s: string): string =>
  s
    .replace(/[\s，,。.、:：“”"'《》()（）]/g, '')
    .replace(/^(?:参加|出席|去|开)/, '')
    .replace(/的/g, '')
    // People say 人大 for 人民代表大会 and 常委会 for 常务委员会.
    .replace(/人民代表大会/g, '人大')
    .replace(/常务委员会/g, '常委会');

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** How well a spoken name fits a session's name, 0–1. */
export function nameScore(spoken: string, sessionName: string): number {
  const a = clean(spoken);
  const b = clean(sessionName);
  if (a === '') return 0;
  if (a === b) return 1;
  if (b.includes(a) || a.includes(b)) return 0.9;
  const grams = bigrams(a);
  if (grams.length === 0) return b.includes(a) ? 0.9 : 0;
  const hit = grams.filter((g) => b.includes(g)).length;
  return (hit / grams.length) * 0.8;
}

const THRESHOLD = 0.5;

/** The sessions the name may mean, best first: one is a match, several a choice, none a miss. */
export function matchSessions(spoken: string, sessions: SessionRow[], today: string): SessionRow[] {
  const exact = sessions.filter((s) => clean(s.name) === clean(spoken));
  if (exact.length > 0) return exact;
  const { date, rest } = dateHint(spoken, today);
  const onDate = date === null ? sessions : sessions.filter((s) => s.starts_on <= date && date <= s.ends_on);
  const generic = clean(rest).replace(/会议|会/g, '') === '';
  if (generic) return onDate;
  const scored = onDate
    .map((s) => ({ s, score: nameScore(rest, s.name) }))
    .filter((x) => x.score >= THRESHOLD)
    .sort((x, y) => y.score - x.score);
  if (scored.length === 0) return [];
  const best = scored[0]!.score;
  // Several equally good fits are a choice; a clearly better one wins.
  return scored.filter((x) => x.score >= best - 0.05).map((x) => x.s);
}
