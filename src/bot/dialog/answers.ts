import {
  type Parsed,
  parseCode,
  parseDate,
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
      return parseDate(text, now);
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
