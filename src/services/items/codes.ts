import type { Db } from '../../../db/client.ts';
import { takeCodeNumber, takeCodeNumberApart, takeCodeNumbersApart } from '../../../db/repositories/codes.ts';

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

const format = (prefix: CodePrefix, year: number, n: number): string =>
  `${prefix}-${year}-${String(n).padStart(4, '0')}`;

/**
 * Takes the next code inside the transaction that creates the item: where a refusal can still come inside
 * that transaction (a full reception day, a leave overlap), a refused item leaves no gap.
 */
export async function nextCode(db: Db, prefix: CodePrefix, year: number): Promise<string> {
  return format(prefix, year, await takeCodeNumber(db, prefix, year));
}

/**
 * Takes the next code before the item's transaction, for the items deputies file in numbers (建议 in
 * chat): call it only once every check has passed. A code whose transaction then fails on the database
 * stays unused; codes are a sequence (CONTRACT §3), not a count.
 */
export async function nextCodeAhead(db: Db, prefix: CodePrefix, year: number): Promise<string> {
  return format(prefix, year, await takeCodeNumberApart(db, prefix, year));
}

/** `count` codes in a row taken ahead as nextCodeAhead takes one (items filed together), in order. */
export async function nextCodesAhead(
  db: Db,
  prefix: CodePrefix,
  year: number,
  count: number,
): Promise<string[]> {
  const first = await takeCodeNumbersApart(db, prefix, year, count);
  return Array.from({ length: count }, (_, i) => format(prefix, year, first + i));
}
