// Loaded when a workbook is made or read: the serving process does not carry it until then.
import type ExcelJS from 'exceljs';
import { AppError } from '../../errors.ts';
import { type CsvRecord, parseCsv, parseRosterRecords, type RosterEncoding, type RosterFile } from './csv.ts';

import { type ImportDeps, type ImportOptions, type ImportSummary, importRoster } from './import.ts';
import { ROSTER_FILE_TEXT } from './text.ts';

// The roster file as offices have it, read from its bytes (CONTRACT §5): CSV in UTF-8 (with or without
// a BOM) or in GB18030/GBK (what Chinese Excel writes when saving "CSV (逗号分隔)"), or an .xlsx workbook.
// Decoding is strict: a byte that does not belong is never turned into "�"; a file that is none of these
// is refused, saying so. The same decoding serves POST /api/roster and `roster import`.

/** How the file was read: named in the summary. */

export interface DecodedRoster {
  encoding: RosterEncoding;
  file: RosterFile;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

const startsWith = (bytes: Uint8Array, magic: number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** Reads a roster file's bytes: CSV text in UTF-8 or GB18030, or the first sheet of an .xlsx. */
export async function decodeRosterFile(bytes: Uint8Array): Promise<DecodedRoster> {
  if (startsWith(bytes, ZIP_MAGIC))
    return { encoding: 'xlsx', file: parseRosterRecords(await readXlsx(bytes)) };
  if (startsWith(bytes, OLE_MAGIC)) throw refuse(ROSTER_FILE_TEXT.oldExcel);
  const { text, encoding } = decodeText(bytes);
  return { encoding, file: parseRosterRecords(parseCsv(text)) };
}

/** Imports (or, with opts.preview, previews) a roster file from its bytes; the summary names the encoding. */
export async function importRosterFile(
  deps: ImportDeps,
  bytes: Uint8Array,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const { encoding, file } = await decodeRosterFile(bytes);
  return { ...(await importRoster(deps, file, opts)), encoding };
}

/** The roster text of a CSV file's bytes, and the encoding it was found in. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (startsWith(bytes, UTF8_BOM)) {
    const text = strictDecode('utf-8', bytes.subarray(3));
    if (text === null) throw refuse(ROSTER_FILE_TEXT.badUtf8AfterBom(firstBadUtf8Line(bytes)));
    return { text: checkText(text), encoding: 'utf-8' };
  }
  const utf8 = strictDecode('utf-8', bytes);
  if (utf8 !== null) return { text: checkText(utf8), encoding: 'utf-8' };
  // Lines that are good UTF-8 Chinese beside lines that are not: two files pasted together. Reading
  // the whole as GB18030 would turn the UTF-8 lines into nonsense, so the file is refused.
  const mixed = mixedEncodingLine(bytes);
  if (mixed !== null) throw refuse(ROSTER_FILE_TEXT.mixedEncodings(mixed));
  const gb = strictDecode('gb18030', bytes);
  if (gb === null) throw refuse(ROSTER_FILE_TEXT.notARosterFile);
  return { text: checkText(gb), encoding: 'gb18030' };
}

function strictDecode(label: 'utf-8' | 'gb18030', bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

const refuse = (message: string) => new AppError('bad_request', message);

// A text file holds few control characters; a file full of them is binary that happened to decode.
// (A stray control character is tolerated here: the line holding a NUL is rejected by the import,
// naming the column; other control characters are dropped.)
function checkText(text: string): string {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) controls++;
  }
  if (controls > 16 && controls * 100 > text.length) throw refuse(ROSTER_FILE_TEXT.notARosterFile);
  return text;
}

function* lines(bytes: Uint8Array): Generator<{ line: number; bytes: Uint8Array }> {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      yield { line, bytes: bytes.subarray(start, i) };
      start = i + 1;
      line++;
    }
  }
}

function firstBadUtf8Line(bytes: Uint8Array): number {
  for (const l of lines(bytes)) if (strictDecode('utf-8', l.bytes) === null) return l.line;
  return 1;
}

const CJK = /[\u3400-\u9fff]/g;

/** The first line that is not UTF-8 in a file where other lines are UTF-8 Chinese; null if none. */
function mixedEncodingLine(bytes: Uint8Array): number | null {
  let utf8Chinese = false;
  let firstBad: number | null = null;
  for (const l of lines(bytes)) {
    const t = strictDecode('utf-8', l.bytes);
    if (t === null) firstBad ??= l.line;
    else if ((t.match(CJK)?.length ?? 0) >= 2) utf8Chinese = true;
  }
  return utf8Chinese ? firstBad : null;
}

// ---- .xlsx ----

async function readXlsx(bytes: Uint8Array): Promise<CsvRecord[]> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    // exceljs' types predate Buffer's generic parameter.
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw refuse(ROSTER_FILE_TEXT.badXlsx);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw refuse(ROSTER_FILE_TEXT.badXlsx);
  const records: CsvRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const fields: string[] = [];
    const problems: (string | undefined)[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const value = row.getCell(c).value;
      fields.push(cellText(value));
      problems.push(cellProblem(value) ?? undefined);
    }
    const bad = problems.some((p) => p !== undefined);
    if (bad || fields.some((f) => f.trim() !== ''))
      records.push({ line: rowNumber, fields, ...(bad ? { problems } : {}) });
  });
  return records;
}

/**
 * What a cell holds that cannot be read as text, phrased to follow 「…列的单元格」: an error value
 * (#DIV/0!, #N/A…) or an invalid date, itself or as a formula's result; null for a cell cellText reads.
 * Such a cell would otherwise read as empty, and an empty cell means "none" (no mobile, no group).
 * A formula with no stored result reads as empty: that is also how a workbook stores an empty result.
 */
export function cellProblem(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined || typeof v !== 'object') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '是无效的日期（Excel 中显示为 ####）' : null;
  if ('error' in v) return `是错误值「${v.error}」`;
  if ('formula' in v || 'sharedFormula' in v) {
    const f = 'formula' in v ? v.formula : v.sharedFormula;
    const result = 'result' in v ? v.result : undefined;
    if (result instanceof Date && Number.isNaN(result.getTime())) return `是公式「=${f}」，结果是无效的日期`;
    if (result && typeof result === 'object' && 'error' in result)
      return `是公式「=${f}」，结果是错误值「${result.error}」`;
  }
  return null;
}

/** A cell as the text the roster reads: dates as YYYY-MM-DD, numbers as written, formulas by result. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // Excel stores a date as a day count; exceljs gives it as that day's midnight UTC.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  if ('formula' in v || 'sharedFormula' in v) return '';
  if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return '';
  return '';
}
