import type { ChatMessage } from '../../channels/types.ts';
import { stripInvalidCodePoints } from '../../text-safety.ts';

// What a chat message may hold before anything reads it. Code points no text may hold (NUL, a lone
// surrogate, U+FFFE…) are dropped: they carry nothing a person meant to write, and PostgreSQL cannot
// store a NUL. A text longer than MAX_CHAT_CHARS is not read at all (the language layer would take
// seconds over 100,000 characters): the person is told the limit, and the record keeps its first
// MAX_CHAT_CHARS characters and its full length, so staff can see what was sent.

/** The longest chat text the bot reads, in characters (a long suggestion is a few thousand). */
export const MAX_CHAT_CHARS = 5000;

export interface CleanedChat {
  msg: ChatMessage;
  /** The text's length in characters when it was over MAX_CHAT_CHARS (msg.text is then cut to it). */
  overLength: number | null;
}

export function cleanChatMessage(msg: ChatMessage): CleanedChat {
  const out = cleanStrings(msg) as ChatMessage;
  let overLength: number | null = null;
  if (out.text !== undefined) {
    // Counted in code points: an emoji is one character to the person who typed it.
    const chars = Array.from(out.text);
    if (chars.length > MAX_CHAT_CHARS) {
      overLength = chars.length;
      out.text = chars.slice(0, MAX_CHAT_CHARS).join('');
    }
  }
  return { msg: out, overLength };
}

/** Every string in the message (text, ids, labels, media ids …) without the code points it may not hold. */
function cleanStrings(v: unknown): unknown {
  if (typeof v === 'string') return stripInvalidCodePoints(v);
  if (Array.isArray(v)) return v.map(cleanStrings);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cleanStrings(x)]));
  }
  return v;
}
