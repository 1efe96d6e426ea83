import {
  type Parsed,
  parseCode,
  parseDate,
  parseDateOrShift,
  parseMeeting,
  parseMonth,
  parseOrgans,
  parseTargets,
  parseYear,
} from '../language/argument-parsers.ts';
import type { ArgSpec, ArgValue } from '../language/command-catalog.ts';
import { normalize } from '../language/normalize.ts';

/** Reads a person's answer to a dialog question as the value of one argument. */
export function parseArgAnswer(spec: ArgSpec, text: string, now: string): Parsed<ArgValue> {
  const kind = spec.kind;
  switch (kind.type) {
    case 'code':
      return parseCode(text, kind.prefixes);
    case 'month':
      return parseMonth(text, now);
    case 'date':
      return kind.shift ? parseDateOrShift(text, now) : parseDate(text, now);
    case 'year':
      return parseYear(text, now);
    case 'organs':
      return parseOrgans(text);
    case 'targets':
      return parseTargets(text);
    case 'meeting':
      return parseMeeting(text);
    case 'name':
    case 'text': {
      const t = text.trim();
      return t === '' ? { ok: false, error: `请写出${spec.label}` } : { ok: true, value: t };
    }
    case 'choice': {
      const t = normalize(text).text.trim();
      const hit = kind.options.find((o) => o === t);
      return hit
        ? { ok: true, value: hit }
        : { ok: false, error: `请回复以下之一：${kind.options.join('、')}` };
    }
  }
}

/** "下个月", "那1月呢": a message that is only a month, as 'YYYY-MM'; null for anything else. */
export function bareMonth(text: string, now: string): string | null {
  const t = text
    .trim()
    .replace(/^那/, '')
    .replace(/(?:的)?(?:呢|吧|啊|呀)?[？?。.！!]*$/, '');
  if (t === '') return null;
  const m = parseMonth(t, now);
  return m.ok ? m.value : null;
}
