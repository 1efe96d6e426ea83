// Splits a long answer into parts that each fit a platform's limit, at sentence boundaries where it can.

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Sentences keep their closing punctuation; line breaks are boundaries too. */
function sentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    current += ch;
    if ('。！？!?；;\n'.includes(ch)) {
      out.push(current);
      current = '';
    }
  }
  if (current) out.push(current);
  return out;
}

/** Cuts a piece that is longer than the limit on character boundaries (never inside a character). */
function hardSplit(piece: string, maxBytes: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of piece) {
    if (utf8Bytes(current + ch) > maxBytes) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}

export function splitText(text: string, maxBytes: number): string[] {
  if (utf8Bytes(text) <= maxBytes) return [text];
  const parts: string[] = [];
  let current = '';
  for (const s of sentences(text)) {
    if (utf8Bytes(current + s) <= maxBytes) {
      current += s;
      continue;
    }
    if (current) parts.push(current);
    if (utf8Bytes(s) <= maxBytes) current = s;
    else {
      const pieces = hardSplit(s, maxBytes);
      current = pieces.pop() ?? '';
      parts.push(...pieces);
    }
  }
  if (current) parts.push(current);
  return parts.map((p) => p.replace(/^\n+|\n+$/g, '')).filter((p) => p.length > 0);
}

export const fitsIn = (text: string, maxBytes: number): boolean => utf8Bytes(text) <= maxBytes;
