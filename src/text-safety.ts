// Code points no text of ours may hold: NUL (PostgreSQL refuses it in text and jsonb), a lone surrogate
// (half of a character; it would be stored as U+FFFD) and the noncharacters U+FDD0–U+FDEF and U+xFFFE/
// U+xFFFF of every plane. The API refuses them (400 `invalid_text`); chat drops them.

/** Matches one code point that is not acceptable text. */
const INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the code points this matches.
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;

const INVALID_ALL = new RegExp(INVALID.source, 'g');

export const hasInvalidCodePoints = (s: string): boolean => INVALID.test(s);

/** The text without the code points it may not hold. */
export const stripInvalidCodePoints = (s: string): string => s.replace(INVALID_ALL, '');

/**
 * The path (`a.b.0`) of the first key or string in a parsed JSON value that holds such a code point,
 * or null when there is none.
 */
export function findInvalidText(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return hasInvalidCodePoints(value) ? path.join('.') : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalidText(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (hasInvalidCodePoints(k)) return [...path, '(key)'].join('.');
      const found = findInvalidText(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}
