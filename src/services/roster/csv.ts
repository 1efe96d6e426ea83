import type { CongressLevel, MandateRole, MandateStatus } from '../../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { hasInvalidCodePoints, stripInvalidCodePoints } from '../../text-safety.ts';

// The roster file (CONTRACT §5): UTF-8 with an optional BOM, a header row, commas, quoted fields.
// Parsed by hand: the format is small, and every rejection must name the line the record starts on.

export type RosterField =
  | 'congress'
  | 'level'
  | 'name'
  | 'electoral_unit'
  | 'large_group'
  | 'small_group'
  | 'station'
  | 'wecom_userid'
  | 'dingtalk_userid'
  | 'mobile'
  | 'role'
  | 'status';

/** The Chinese name of each column, as staff see it in answers. */
export const FIELD_LABEL: Record<RosterField, string> = {
  congress: '人大',
  level: '层级',
  name: '姓名',
  electoral_unit: '选举单位',
  large_group: '代表大组',
  small_group: '代表小组',
  station: '联络站',
  wecom_userid: '企业微信账号',
  dingtalk_userid: '钉钉账号',
  mobile: '手机',
  role: '角色',
  status: '状态',
};

// Headers are compared after lower-casing and dropping spaces, '-' and '_'.
const HEADER_ALIASES: Record<RosterField, string[]> = {
  congress: ['人大', '人大名称', '所属人大', 'congress'],
  level: ['层级', '级别', 'level'],
  name: ['姓名', 'name'],
  // 选区 is what many offices call the electoral unit (and what older help texts said).
  electoral_unit: ['选举单位', '选区', 'electoralunit'],
  large_group: ['代表大组', '大组', 'largegroup'],
  small_group: ['代表小组', '小组', 'smallgroup'],
  station: ['联络站', '代表联络站', 'station'],
  wecom_userid: ['企业微信账号', '企业微信', '企业微信id', 'wecomuserid', 'wecom'],
  dingtalk_userid: ['钉钉账号', '钉钉', '钉钉id', 'dingtalkuserid', 'dingtalk'],
  mobile: ['手机', '手机号', '手机号码', 'mobile'],
  role: ['角色', 'role'],
  status: ['状态', 'status'],
};

const headerKey = (h: string): string =>
  cleanCell(h)
    .toLowerCase()
    .replace(/[\s_-]/g, '');

const HEADER_LOOKUP = new Map<string, RosterField>(
  (Object.entries(HEADER_ALIASES) as [RosterField, string[]][]).flatMap(([field, names]) =>
    names.map((n) => [headerKey(n), field] as const),
  ),
);

export interface CsvRecord {
  /** The file line the record starts on (1-based; the header is line 1). */
  line: number;
  fields: string[];
  /**
   * For a worksheet row: what a cell held that cannot be read as text (a formula error, an invalid
   * date), by field index, phrased to follow 「…列的单元格」. Such a cell's field is ''.
   */
  problems?: (string | undefined)[];
}

/** Splits CSV text into records. Quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are dropped).
      field = '';
      inQuotes = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (inQuotes) {
    throw new AppError('bad_request', `第 ${quoteLine} 行：引号没有闭合`);
  }
  endRecord();
  return records;
}

/** Trims a cell, full-width (U+3000) and no-break spaces included. */
export function cleanCell(v: string): string {
  return dropControlChars(v)
    .replace(/[\u3000\u00a0\ufeff]/g, ' ')
    .trim();
}

// Other control characters (a stray BEL from a spreadsheet export) are dropped; tabs and line breaks
// are kept (trim and name cleaning deal with them). A cell with a code point no text may hold (NUL
// above all, which PostgreSQL cannot store) never gets here silently: parseRosterRecords marks its line
// as bad (src/text-safety.ts), and the import rejects it.
function dropControlChars(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) continue;
    out += ch;
  }
  return out;
}

const HAS_CJK = /[\u3400-\u9fff]/;

/** A person's name: Chinese names lose inner padding (王　五 → 王五); others keep single spaces. */
export function cleanName(v: string): string {
  const s = cleanCell(v);
  return HAS_CJK.test(s) ? s.replace(/\s+/g, '') : s.replace(/\s+/g, ' ');
}

export type RosterValues = Partial<Record<RosterField, string>>;

export interface RosterRow {
  line: number;
  /** Only the columns the file has; an empty cell is ''. */
  values: RosterValues;
  /**
   * Cells of known columns that cannot be taken as they are, each with the reason staff read: a code
   * point no text may hold (NUL), a formula error or an invalid date in a workbook. The line is rejected.
   */
  problems?: Partial<Record<RosterField, string>>;
}

export interface RosterFile {
  columns: RosterField[];
  /** Headers that name no known column: reported, their cells ignored. */
  ignoredColumns: string[];
  rows: RosterRow[];
}

/** Reads the roster file's header and rows; a file that cannot be read as a roster is a 400. */
export function parseRosterFile(text: string): RosterFile {
  return parseRosterRecords(parseCsv(text));
}

/** The roster's header and rows from records (a CSV file's, or a worksheet's rows). */
export function parseRosterRecords(records: CsvRecord[]): RosterFile {
  const header = records[0];
  if (!header) throw new AppError('bad_request', '名册文件是空的：需要一行表头和至少一行数据');
  const columns: (RosterField | null)[] = [];
  const ignoredColumns: string[] = [];
  const seen = new Map<RosterField, string>();
  for (const h of header.fields) {
    const field = HEADER_LOOKUP.get(headerKey(h)) ?? null;
    if (field === null) {
      if (cleanCell(h) !== '') ignoredColumns.push(cleanCell(h));
    } else if (seen.has(field)) {
      const first = seen.get(field)!;
      const both = first === cleanCell(h) ? '' : `（「${first}」和「${cleanCell(h)}」）`;
      throw new AppError('bad_request', `表头中「${FIELD_LABEL[field]}」列出现了两次${both}，请只保留一列`);
    } else seen.set(field, cleanCell(h));
    columns.push(field);
  }
  if (!seen.has('name')) throw new AppError('bad_request', '表头缺少「姓名」(name) 列');
  if (!seen.has('wecom_userid') && !seen.has('dingtalk_userid') && !seen.has('mobile')) {
    throw new AppError(
      'bad_request',
      '表头至少需要「企业微信账号」(wecom_userid)、「钉钉账号」(dingtalk_userid)、「手机」(mobile) 中的一列',
    );
  }
  const rows: RosterRow[] = records.slice(1).map((r) => {
    const values: RosterValues = {};
    const problems: Partial<Record<RosterField, string>> = {};
    columns.forEach((field, i) => {
      if (!field) return;
      const raw = r.fields[i] ?? '';
      values[field] = cleanCell(raw);
      const problem = r.problems?.[i];
      if (problem !== undefined) {
        problems[field] = `${FIELD_LABEL[field]}列的单元格${problem}，请改正后重新导入`;
      } else if (hasInvalidCodePoints(raw)) {
        problems[field] =
          `${FIELD_LABEL[field]}「${shorten(cleanCell(stripInvalidCodePoints(raw)))}」中含有无法保存的字符（如空字符 U+0000），请在文件中删去后重新导入`;
      }
    });
    return Object.keys(problems).length > 0 ? { line: r.line, values, problems } : { line: r.line, values };
  });
  return { columns: [...seen.keys()], ignoredColumns, rows };
}

// The vocabularies of the level, role and status columns, in Chinese or English.

const LEVELS: Record<string, CongressLevel> = {
  省: 'province',
  省级: 'province',
  province: 'province',
  市: 'city',
  市级: 'city',
  city: 'city',
  县: 'county',
  县级: 'county',
  区: 'county',
  county: 'county',
  乡镇: 'township',
  乡: 'township',
  镇: 'township',
  乡镇级: 'township',
  township: 'township',
};

const ROLES: Record<string, MandateRole> = {
  代表: 'deputy',
  deputy: 'deputy',
  工作人员: 'staff',
  staff: 'staff',
  审批人: 'approver',
  approver: 'approver',
  管理员: 'admin',
  admin: 'admin',
};

const STATUSES: Record<string, MandateStatus> = {
  正常: 'active',
  active: 'active',
  暂停: 'suspended',
  suspended: 'suspended',
  终止: 'terminated',
  terminated: 'terminated',
};

export const ROLE_LABEL: Record<MandateRole, string> = {
  deputy: '代表',
  staff: '工作人员',
  approver: '审批人',
  admin: '管理员',
};
export const STATUS_LABEL: Record<MandateStatus, string> = {
  active: '正常',
  suspended: '暂停',
  terminated: '终止',
};

const lookup = <T>(table: Record<string, T>, v: string): T | undefined =>
  Object.hasOwn(table, v.toLowerCase()) ? table[v.toLowerCase()] : undefined;

export const parseLevel = (v: string): CongressLevel | undefined => lookup(LEVELS, v);
export const parseRole = (v: string): MandateRole | undefined => lookup(ROLES, v);
export const parseStatus = (v: string): MandateStatus | undefined => lookup(STATUSES, v);

/** A long cell shortened for a message: its first 20 characters and「…」. */
export function shorten(v: string, max = 20): string {
  const chars = [...v];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : v;
}

/** The longest text each free-text column takes, in characters (a group's name: as PUT /api/groups). */
export const MAX_CHARS: Partial<Record<RosterField, number>> = {
  name: 50,
  electoral_unit: 100,
  large_group: 100,
  small_group: 100,
  station: 100,
};

const MOBILE_FORM = '应为以 1 开头的 11 位手机号码（可带 +86，可用空格或短横线分隔）';

/**
 * A mainland mobile number (11 digits, starting with 1) as people write it — with spaces, dashes or
 * brackets inside, full-width digits, a +86 / 86 / 0086 prefix — normalised to its 11 digits; or why it
 * is not one. The roster's 手机 column identifies a person, so a landline (shared by an office) is not
 * taken.
 */
export function readMobile(v: string): { mobile: string } | { reason: string } {
  const s = v
    .normalize('NFKC')
    .replace(/[\s\-‐‑–—()（）]/g, '')
    .replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(s)) return { mobile: s };
  if (!/^\+?\d+$/.test(s)) return { reason: `手机「${shorten(v)}」不是号码，${MOBILE_FORM}` };
  const digits = s.replace(/^\+/, '');
  if (/^0[1-9]\d{8,10}$/.test(digits) || /^[2-9]\d{6,7}$/.test(digits)) {
    return {
      reason: `手机「${shorten(v)}」像是固定电话号码；手机列只填手机号码，${MOBILE_FORM}`,
    };
  }
  return { reason: `手机「${shorten(v)}」不是有效的手机号码（${digits.length} 位数字），${MOBILE_FORM}` };
}

/** A mobile number normalised as readMobile does; undefined when it is not one. */
export function normalizeMobile(v: string): string | undefined {
  const r = readMobile(v);
  return 'mobile' in r ? r.mobile : undefined;
}

/** A chat account id as it may appear in a roster: no spaces, at most 64 characters. */
export const isPlausibleAccountId = (v: string): boolean => v.length <= 64 && !/\s/.test(v);

/** How a roster file was read: named in the import summary. */
export type RosterEncoding = 'utf-8' | 'gb18030' | 'xlsx';
