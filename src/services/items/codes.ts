import type { Db } from '../../../db/client.ts';
import { takeCodeNumber } from '../../../db/repositories/codes.ts';

// Codes of the form XX-YYYY-NNNN (CONTRACT §3): a sequence per prefix and year, at least four digits.
// The one home of the prefixes and the pattern: the bot's parsers, the API and the console use these.

/** 请假 leave, 建议 suggestion, 接待 reception booking, 活动 activity. */
export const CODE_PREFIXES = ['QJ', 'JY', 'JD', 'HD'] as const;
export type CodePrefix = (typeof CODE_PREFIXES)[number];

/** A code in canonical form anywhere in a text; captures the prefix, the year and the sequence. */
export const CODE_PATTERN = new RegExp(`(?<![A-Za-z])(${CODE_PREFIXES.join('|')})-(\\d{4})-(\\d{4,})(?!\\d)`);

/** A code of this prefix somewhere in a text. */
export const codeOfPrefix = (prefix: CodePrefix): RegExp => new RegExp(`${prefix}-\\d{4}-\\d{4,}`);

/** Exactly a code of this prefix, the whole text (a route's or a form's parameter). */
export const wholeCodeOf = (prefix: CodePrefix): RegExp => new RegExp(`^${prefix}-\\d{4}-\\d{4,}$`);

/** Takes the next code; call it inside the transaction that creates the item. */
export async function nextCode(db: Db, prefix: CodePrefix, year: number): Promise<string> {
  const n = await takeCodeNumber(db, prefix, year);
  return `${prefix}-${year}-${String(n).padStart(4, '0')}`;
}
