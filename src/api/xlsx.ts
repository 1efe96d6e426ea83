// Loaded when a workbook is made or read: the serving process does not carry it until then.
import type ExcelJS from 'exceljs';
import type { Context, Middleware } from 'koa';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { MEASURE_LABEL } from '../services/statistics/index.ts';

// CONTRACT §2: `?format=xlsx` on every list and statistics route: the same rows as an Excel workbook with
// Chinese headers, dates as dates, and no cell ever a formula. A route answers as usual (JSON); this
// middleware turns its rows into a workbook. A route with rows of its own shape names them with
// `sendSheets`.

export interface SheetColumn {
  key: string;
  header: string;
}

export interface Sheet {
  name: string;
  columns: SheetColumn[];
  rows: Record<string, unknown>[];
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The Chinese header of a JSON field; dotted fields (nested objects) join their parts. */
export const HEADERS: Record<string, string> = {
  id: '序号',
  code: '编号',
  kind: '类别',
  kindLabel: '类别',
  title: '标题',
  content: '内容',
  text: '内容',
  status: '状态',
  statusLabel: '状态',
  rating: '评价',
  round: '办理轮次',
  secret: '涉密',
  congress: '所属人大',
  congressId: '人大编号',
  congressName: '所属人大',
  deputy: '代表',
  deputies: '代表',
  deputyName: '代表姓名',
  name: '姓名',
  mobile: '手机',
  role: '角色',
  roles: '角色',
  electoralUnit: '选举单位',
  group: '小组',
  largeGroup: '代表大组',
  smallGroup: '代表小组',
  station: '联络站',
  wecomUserid: '企业微信账号',
  dingtalkUserid: '钉钉账号',
  reason: '理由',
  statusReason: '状态变更理由',
  statusChangedAt: '状态变更时间',
  organ: '承办单位',
  organs: '承办单位',
  lead: '主办单位',
  assisting: '协办单位',
  assignedOn: '交办日期',
  dueOn: '期限',
  answeredOn: '答复日期',
  submittedOn: '提出日期',
  closedAt: '办结时间',
  createdAt: '创建时间',
  updatedAt: '更新时间',
  decidedOn: '决定日期',
  decidingBody: '决定机关',
  decidingBodyLabel: '决定机关',
  decisionReason: '决定理由',
  session: '会议',
  sessionName: '会议',
  activity: '活动',
  activityTitle: '活动',
  activityCode: '活动编号',
  phase: '提出时段',
  enteredByStaff: '工作人员代录',
  recordedBy: '记录人',
  channel: '渠道',
  targetKind: '对象类型',
  target: '发送对象',
  cause: '起因',
  attempts: '已尝试次数',
  maxAttempts: '最多尝试次数',
  notBefore: '最早发送时间',
  lastError: '最近错误',
  sentAt: '发送时间',
  rule: '规则',
  period: '周期',
  job: '任务',
  eventOn: '事项日期',
  late: '补发',
  queuedAt: '排队时间',
  outboxId: '消息编号',
  outboxStatus: '消息状态',
  month: '月份',
  date: '日期',
  provisional: '暂定',
  bookings: '预约',
  hosts: '接待人',
  year: '年份',
  workday: '工作日',
  holiday: '节假日',
  festival: '节日',
  source: '来源',
  day: '日期',
  type: '类型',
  note: '说明',
  label: '名称',
  total: '合计',
  startsOn: '开始日期',
  endsOn: '结束日期',
  startsAt: '开始时间',
  endsAt: '结束时间',
  place: '地点',
  organiser: '组织单位',
  contactName: '联系人',
  contactMobile: '联系电话',
  revokedAt: '撤销时间',
  lastUsedAt: '最近使用时间',
  photos: '照片',
  location: '位置',
  overdue: '已超期',
  entered: '代录',
  enteredBy: '代录人',
  assignments: '交办情况',
  key: '分组',
  ...MEASURE_LABEL,
  rates: '比率',
  ratingLabel: '评价',
  proxy: '代录',
  dueSoon: '即将到期',
  review: '立案审查',
  category: '分类',
  keySupervision: '重点督办',
  personId: '人员序号',
  level: '级别',
  groups: '所在小组',
  host: '接待人',
  weekday: '星期',
  makeup: '调休上班',
  termStartsOn: '本届开始日期',
  termEndsOn: '本届结束日期',
  archivedAt: '归档时间',
  settings: '设置',
  receptionDayOfMonth: '每月接待日',
  receptionHosts: '接待人',
  whoMayBook: '可预约者',
  agendaLeadWorkingDays: '议程提前工作日',
  reHandlingMonths: '重办期限（月）',
  extensionCapMonths: '延期上限（月）',
  state: '状态',
  at: '时间',
  actor: '操作人',
  action: '操作',
  summary: '摘要',
  sessionId: '会议序号',
  mandateId: '代表序号',
  leaveCode: '请假编号',
  leaveStatus: '请假状态',
  standing: '出席情况',
  unit: '名称',
  unitKind: '类型',
  required: '要求',
  held: '开展次数',
  met: '达标',
  periodStarts: '周期开始',
  periodEnds: '周期结束',
  minimum: '每期至少',
  planned: '已安排未开展',
  invited: '受邀活动',
  attended: '参加活动',
  leaveRequests: '请假次数',
  leaveApproved: '获准请假',

  onTimeRate: '按期答复率（%）',
  answerRate: '答复率（%）',
  closeRate: '办结率（%）',
  satisfiedRate: '满意率（%）',
  basicallySatisfiedRate: '基本满意率（%）',
  dissatisfiedRate: '不满意率（%）',
};

/** A field added later without a header here still gets a Chinese header that names it. */
const headerOf = (key: string): string =>
  key
    .split('.')
    .map((part) => HEADERS[part] ?? `字段 ${part}`)
    .join('·');

/** A value that would be read as a formula (or a DDE payload) by a spreadsheet when typed in. */
export const FORMULA_LEAD = /^[=+\-@\t\r]/;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An instant as the wall-clock time in APP_TIMEZONE (spreadsheet dates carry no zone). */
function wallClock(instant: Date, timeZone: string): Date {
  // sv-SE writes "YYYY-MM-DD HH:MM:SS", read back as that time in UTC.
  const text = instant.toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' });
  return new Date(`${text.replace(' ', 'T')}Z`);
}

function flatten(row: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v)) {
      Object.assign(out, flatten(v as Record<string, unknown>, key));
    } else if (Array.isArray(v)) {
      out[key] = v
        .map((x) =>
          x !== null && typeof x === 'object' && !(x instanceof Date)
            ? Object.values(x as Record<string, unknown>)
                .filter((y) => y !== null && y !== undefined && typeof y !== 'object')
                .join(' ')
            : String(x),
        )
        .join('；');
    } else {
      out[key] = v;
    }
  }
  return out;
}

/** The rows of a JSON answer: an array, or the first array of objects in an object (items, days …). */
export function rowsOfBody(body: unknown): Record<string, unknown>[] | null {
  const isRows = (v: unknown): v is Record<string, unknown>[] =>
    Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
  if (isRows(body)) return body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return null;
  const o = body as Record<string, unknown>;
  for (const k of ['items', 'rows', 'groups', 'days']) if (isRows(o[k])) return o[k];
  for (const v of Object.values(o)) if (isRows(v) && v.length > 0) return v;
  for (const v of Object.values(o)) if (isRows(v)) return v;
  return null;
}

/** A sheet of generic JSON rows: one column per (flattened) field, in the order they first appear. */
export function sheetOfRows(name: string, rows: Record<string, unknown>[]): Sheet {
  const flat = rows.map((r) => flatten(r));
  const keys: string[] = [];
  for (const r of flat) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return { name, columns: keys.map((k) => ({ key: k, header: headerOf(k) })), rows: flat };
}

/** Writes one value; a string is always a string cell, and one that looks like a formula is formatted as text. */
function setCell(cell: ExcelJS.Cell, v: unknown, timeZone: string): void {
  if (v === null || v === undefined) return;
  if (v instanceof Date) {
    cell.value = wallClock(v, timeZone);
    cell.numFmt = 'yyyy-mm-dd hh:mm';
  } else if (typeof v === 'number') {
    cell.value = v;
  } else if (typeof v === 'boolean') {
    cell.value = v ? '是' : '否';
  } else {
    const s = String(v);
    if (DATE_ONLY.test(s)) {
      cell.value = new Date(`${s}T00:00:00Z`);
      cell.numFmt = 'yyyy-mm-dd';
    } else if (INSTANT.test(s) && !Number.isNaN(Date.parse(s))) {
      cell.value = wallClock(new Date(s), timeZone);
      cell.numFmt = 'yyyy-mm-dd hh:mm';
    } else {
      // A plain string value is a string cell (never a formula); '@' keeps it text when edited in Excel.
      cell.value = s;
      if (FORMULA_LEAD.test(s)) cell.numFmt = '@';
    }
  }
}

export async function workbookOf(sheets: Sheet[], timeZone: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = '人大代表联络服务';
  const used = new Set<string>();
  for (const s of sheets) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ], unique.
    let name = s.name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || '数据';
    for (let i = 2; used.has(name); i++) name = `${s.name.slice(0, 28)}${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow(s.columns.map((c) => c.header)).font = { bold: true };
    for (const r of s.rows) {
      const row = ws.addRow([]);
      s.columns.forEach((c, i) => {
        setCell(row.getCell(i + 1), r[c.key], timeZone);
      });
    }
    s.columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.header.length * 2 + 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A route's own sheets for `?format=xlsx` (e.g. statistics with several tables); ignored otherwise. */
export function sendSheets(ctx: Context, sheets: Sheet[]): void {
  ctx.state.xlsxSheets = sheets;
}

export const wantsXlsx = (ctx: Context): boolean => ctx.state.xlsxWanted === true;

const fileNameOf = (ctx: Context): string =>
  `${ctx.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9-]+/g, '-') || 'export'}.xlsx`;

/**
 * `?format=xlsx`: takes the parameter off the query (routes check theirs strictly), lets the route answer,
 * then writes its rows as a workbook. A route with no rows answers 400 in plain words.
 */
export function xlsxExport(deps: Pick<Deps, 'config'>): Middleware {
  return async (ctx, next) => {
    const format = ctx.query.format;
    if (format === undefined) return next();
    if (format !== 'xlsx' && format !== 'json') {
      throw new AppError('bad_request', '参数 format 只能是 xlsx（下载 Excel 表格）或 json');
    }
    const rest = { ...ctx.query };
    delete rest.format;
    ctx.query = rest;
    if (format === 'json') return next();
    ctx.state.xlsxWanted = true;
    await next();
    if (ctx.status >= 300 || ctx.method !== 'GET') return;
    let sheets = ctx.state.xlsxSheets as Sheet[] | undefined;
    if (!sheets) {
      const rows = rowsOfBody(ctx.body);
      if (rows === null) throw new AppError('bad_request', '这个接口没有可下载为 Excel 的列表');
      sheets = [sheetOfRows('数据', rows)];
    }
    ctx.body = await workbookOf(sheets, deps.config.timezone);
    ctx.type = XLSX_TYPE;
    ctx.set('Content-Disposition', `attachment; filename="${fileNameOf(ctx)}"`);
  };
}
