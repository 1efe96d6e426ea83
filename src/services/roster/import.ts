import type { Db } from '../../../db/client.ts';
import { normalizeExternalId } from '../../../db/external-id.ts';
import { type AuditEntry, writeAudit, writeAuditMany } from '../../../db/repositories/audit.ts';
import { insertCongress, listCongresses } from '../../../db/repositories/congresses.ts';
import { insertGroup, insertStation, loadGroups, loadStations } from '../../../db/repositories/groups.ts';
import {
  findPersonIdsByAnyId,
  insertMandate,
  insertPersonWithMandate,
  listMandatesOfCongress,
  loadMandatesOfPeople,
  loadPeople,
  type MandateRow,
  type PersonWithIds,
  setIdentity,
  updateMandate,
  updatePerson,
} from '../../../db/repositories/people.ts';
import { releaseSavepoint, rollbackToSavepoint, setSavepoint } from '../../../db/repositories/savepoints.ts';
import type { CongressLevel, GroupKind, MandateRole, MandateStatus } from '../../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { AppError, isAppError } from '../../errors.ts';
import { LEVEL_WORD } from '../../statute/rules.ts';
import type { KvStore } from '../../store/types.ts';
import type { RosterEncoding } from './csv.ts';
import {
  cleanName,
  FIELD_LABEL,
  isPlausibleAccountId,
  MAX_CHARS,
  normalizeMobile,
  parseLevel,
  parseRole,
  parseRosterFile,
  parseStatus,
  type RosterField,
  type RosterFile,
  type RosterRow,
  readMobile,
  shorten,
} from './csv.ts';
import { changeMandateStatus, checkStatusChange } from './deputy-status.ts';
import { describeLineChanges, type LineChange } from './line-changes.ts';

// The roster import (CONTRACT §5), shared by POST /api/roster and `roster import`.
//
// Each line names a person and one mandate and goes in all or nothing: a bad line changes nothing,
// the others still go in. Lines are checked against an in-memory picture of the roster loaded once,
// and written in batches, one transaction per batch with a savepoint per line, so 10,000 lines take
// seconds on PostgreSQL and on PGlite alike. The picture is updated only after a line's savepoint
// is released, so a line that fails in the database leaves no trace in it either.

export interface RejectedLine {
  line: number;
  reason: string;
}

export interface MissingMandate {
  /** The mandate id (as in GET /api/deputies). */
  id: number;
  name: string;
  congress: string;
  wecomUserid: string | null;
  dingtalkUserid: string | null;
  mobile: string | null;
}

/** A line that gave a known person another name (applied only for an admin or unbound token). */
export interface RenamedPerson {
  line: number;
  personId: number;
  from: string;
  to: string;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedLine[];
  /** People a line renamed: their ids matched, their name did not. */
  renamed: RenamedPerson[];
  missing: MissingMandate[];
  /** Headers that name no known column; their cells were ignored. */
  ignoredColumns: string[];
  /** How the file's bytes were read (set when the import started from the bytes). */
  encoding?: RosterEncoding;
  /** True when nothing was applied: the summary of what the file would do. */
  preview?: boolean;
  /** In a preview: what each line read in would do, in file order (rejected lines are in `rejected`). */
  lines?: LineChange[];
}

export interface ImportOptions {
  actor: string;
  requestId?: string | null;
  /** A token bound to one congress imports only into it. */
  congressId?: number | null;
  /**
   * Whether the lines may change people-level fields (name, ids, mobile) of anyone: an admin or an
   * unbound token (and the CLI). Without it a line may not rename a person, nor change the ids or
   * mobile of a person who holds a mandate in another congress. Defaults to "unbound".
   */
  peopleWide?: boolean;
  /** Called after each batch: lines done, lines in all. */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
  /** APP_TIMEZONE, for the working-hours notices a status change sends to staff. */
  timeZone?: string;
  /** Work out the summary and apply nothing (POST /api/roster?preview=true). */
  preview?: boolean;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  store: KvStore;
}

// The reason recorded (and told to the deputy) when a status change arrives through a roster file.
const IMPORT_STATUS_REASON = '工作人员导入代表名册时更新';

const LOCK_KEY = 'lock:roster-import';
const LOCK_TTL_MS = 60_000;

interface CongressState {
  id: number;
  name: string;
  level: CongressLevel;
}

interface PersonState {
  id: number;
  name: string;
  mobile: string | null;
  wecom: string | null;
  dingtalk: string | null;
}

type MandateState = Omit<MandateRow, 'person_id' | 'congress_id'>;

/**
 * The roster as the import sees it, kept in step with what has been written. While a batch runs
 * optimistically every change is journaled, so a batch the database refuses can be undone here too.
 */
class RosterPicture {
  readonly congressesByName = new Map<string, CongressState>();
  readonly groups = new Map<string, { id: number; kind: GroupKind }>();
  readonly stations = new Map<string, number>();
  readonly people = new Map<number, PersonState>();
  readonly byWecom = new Map<string, number>();
  readonly byDingtalk = new Map<string, number>();
  readonly byMobile = new Map<string, number>();
  readonly mandates = new Map<string, MandateState>();
  /** The line that first named each (person, congress) pair. */
  readonly firstLine = new Map<string, number>();
  /** The people each congress's lines named (for `missing`). */
  readonly seen = new Map<number, Set<number>>();
  private journal: (() => void)[] | null = null;

  put<K, V>(map: Map<K, V>, k: K, v: V): void {
    if (this.journal) {
      const had = map.has(k);
      const prev = map.get(k);
      this.journal.push(() => (had ? map.set(k, prev as V) : map.delete(k)));
    }
    map.set(k, v);
  }

  remove<K, V>(map: Map<K, V>, k: K): void {
    if (!map.has(k)) return;
    if (this.journal) {
      const prev = map.get(k) as V;
      this.journal.push(() => map.set(k, prev));
    }
    map.delete(k);
  }

  touch(congressId: number, personId: number): void {
    let s = this.seen.get(congressId);
    if (!s) {
      s = new Set<number>();
      this.put(this.seen, congressId, s);
    }
    if (s.has(personId)) return;
    s.add(personId);
    const set = s;
    this.journal?.push(() => set.delete(personId));
  }

  beginJournal(): void {
    this.journal = [];
  }

  endJournal(): void {
    this.journal = null;
  }

  /** Undoes every change since beginJournal(). */
  rollbackJournal(): void {
    const j = this.journal ?? [];
    this.journal = null;
    for (let i = j.length - 1; i >= 0; i--) j[i]!();
  }

  addPerson(p: PersonWithIds | PersonState): void {
    const old = this.people.get(p.id);
    if (old) {
      if (old.wecom) this.remove(this.byWecom, normalizeExternalId('wecom', old.wecom));
      if (old.dingtalk) this.remove(this.byDingtalk, old.dingtalk);
      if (old.mobile) this.remove(this.byMobile, old.mobile);
    }
    const s: PersonState = { id: p.id, name: p.name, mobile: p.mobile, wecom: p.wecom, dingtalk: p.dingtalk };
    this.put(this.people, p.id, s);
    if (s.wecom) this.put(this.byWecom, normalizeExternalId('wecom', s.wecom), s.id);
    if (s.dingtalk) this.put(this.byDingtalk, s.dingtalk, s.id);
    if (s.mobile) this.put(this.byMobile, s.mobile, s.id);
  }
}

const key = (a: number, b: string | number) => `${a}\u0000${b}`;

// WeCom userids compare case-insensitively: another spelling of the stored id is the same id.
const sameWecom = (a: string, b: string | null) =>
  b !== null && normalizeExternalId('wecom', a) === normalizeExternalId('wecom', b);

/** What one valid line means, before anything is written. */
interface LinePlan {
  row: RosterRow;
  name: string;
  congressName: string;
  /** Known congress, or one this line creates. */
  congress: CongressState | { id: null; name: string; level: CongressLevel };
  person: PersonState | null;
  wecom: string | undefined;
  dingtalk: string | undefined;
  mobile: string | undefined;
  electoralUnit: string | null | undefined;
  largeGroup: string | null | undefined;
  smallGroup: string | null | undefined;
  station: string | null | undefined;
  role: MandateRole | undefined;
  status: MandateStatus | undefined;
}

class LineError extends Error {}

const reject = (reason: string): never => {
  throw new LineError(reason);
};

/** Imports a roster file. A file that cannot be read as a roster throws a 400 before anything is written. */
export async function importRoster(
  deps: ImportDeps,
  input: string | RosterFile,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const file = typeof input === 'string' ? parseRosterFile(input) : input;
  // One import at a time: two at once would each decide "new person" for the same line.
  const owner = await deps.store.acquireLock(LOCK_KEY, LOCK_TTL_MS);
  if (!owner) throw new AppError('conflict', '另一个名册导入正在进行，请稍后再试');
  const keepAlive = setInterval(() => {
    void deps.store.extendLock(LOCK_KEY, owner, LOCK_TTL_MS).catch(() => {});
  }, LOCK_TTL_MS / 3);
  try {
    if (!opts.preview) {
      return await runImport(deps, file.rows, file.columns.includes('congress'), file.ignoredColumns, opts);
    }
    // A preview runs the import in one transaction that is then rolled back: its summary is exactly
    // what the import would do, and nothing of it (nor its audit row, nor a notice) is kept.
    let summary: ImportSummary | undefined;
    await deps.db
      .transaction()
      .execute(async (trx) => {
        summary = await runImport(
          { ...deps, db: trx },
          file.rows,
          file.columns.includes('congress'),
          file.ignoredColumns,
          opts,
        );
        throw new PreviewDone();
      })
      .catch((err: unknown) => {
        if (!(err instanceof PreviewDone)) throw err;
      });
    return { ...summary!, preview: true };
  } finally {
    clearInterval(keepAlive);
    await deps.store.releaseLock(LOCK_KEY, owner).catch(() => {});
  }
}

async function loadPicture(db: Db, rows: RosterRow[]): Promise<RosterPicture> {
  const pic = new RosterPicture();
  for (const c of await listCongresses(db))
    pic.congressesByName.set(c.name, { id: c.id, name: c.name, level: c.level });
  for (const g of await loadGroups(db))
    pic.groups.set(key(g.congress_id, g.name), { id: g.id, kind: g.kind });
  for (const s of await loadStations(db)) pic.stations.set(key(s.congress_id, s.name), s.id);
  const ids = { wecom: [] as string[], dingtalk: [] as string[], mobile: [] as string[] };
  for (const r of rows) {
    if (r.values.wecom_userid) ids.wecom.push(normalizeExternalId('wecom', r.values.wecom_userid));
    if (r.values.dingtalk_userid) ids.dingtalk.push(r.values.dingtalk_userid);
    const m = r.values.mobile ? normalizeMobile(r.values.mobile) : undefined;
    if (m) ids.mobile.push(m);
  }
  const personIds = await findPersonIdsByAnyId(db, ids);
  for (const p of await loadPeople(db, personIds)) pic.addPerson(p);
  for (const m of await loadMandatesOfPeople(db, personIds)) {
    const { person_id, congress_id, ...rest } = m;
    pic.mandates.set(key(person_id, congress_id), rest);
  }
  return pic;
}

/** An optional text column: undefined when the file has no such column, null when the cell is empty. */
const optionalText = (v: string | undefined): string | null | undefined =>
  v === undefined ? undefined : v === '' ? null : v;

/** Rejects a cell longer than its column takes (MAX_CHARS), naming the column and both lengths. */
function checkLength(field: RosterField, v: string | undefined): void {
  const max = MAX_CHARS[field];
  if (v === undefined || max === undefined) return;
  const n = [...v].length;
  if (n > max) reject(`${FIELD_LABEL[field]}「${shorten(v)}」过长（${n} 字，不超过 ${max} 字）`);
}

// A name or group that begins as a spreadsheet formula does (=1+1, +…, @…) was typed as a formula, not
// as the text it stands for; kept, it would be a person called「=1+1」and run again when the roster goes
// back to Excel. The line is refused with the cell named, as other unreadable cells are.
const FORMULA_LIKE = /^[=+@]/;

function checkNotFormula(field: RosterField, v: string | undefined): void {
  if (v !== undefined && FORMULA_LIKE.test(v))
    reject(
      `${FIELD_LABEL[field]}「${shorten(v)}」像是 Excel 公式，不是实际的${FIELD_LABEL[field]}；请在名册文件中改正后重新导入`,
    );
}

// What a token bound to one congress is told of an id that belongs to someone with no seat there:
// that it is taken, never by whom (the person is no business of that congress's staff).
const TAKEN_ELSEWHERE = '已被其他人大的人员使用';

function planLine(
  pic: RosterPicture,
  row: RosterRow,
  hasCongressColumn: boolean,
  boundCongressId: number | null,
  peopleWide: boolean,
): LinePlan {
  const v = row.values;
  // A cell that cannot be taken as it is (a NUL, a formula error, an invalid date) rejects the line.
  if (row.problems) reject(Object.values(row.problems).join('；'));
  const name = cleanName(v.name ?? '');
  if (name === '') reject('缺少姓名');
  if ([...name].length > MAX_CHARS.name!) reject(`姓名过长（不超过 ${MAX_CHARS.name} 字）`);
  checkNotFormula('name', name);
  for (const field of ['electoral_unit', 'large_group', 'small_group', 'station'] as const) {
    checkLength(field, v[field]);
    checkNotFormula(field, v[field]);
  }

  let level: CongressLevel | undefined;
  if (v.level) {
    level = parseLevel(v.level);
    if (!level) reject(`层级「${v.level}」无效，应为 省/市/县/乡镇（或 province/city/county/township）`);
  }
  let role: MandateRole | undefined;
  if (v.role) {
    role = parseRole(v.role);
    if (!role)
      reject(`角色「${v.role}」无效，应为 代表/工作人员/审批人/管理员（或 deputy/staff/approver/admin）`);
  }
  let status: MandateStatus | undefined;
  if (v.status) {
    status = parseStatus(v.status);
    if (!status) reject(`状态「${v.status}」无效，应为 正常/暂停/终止（或 active/suspended/terminated）`);
  }

  const wecom = v.wecom_userid || undefined;
  const dingtalk = v.dingtalk_userid || undefined;
  if (wecom && !isPlausibleAccountId(wecom))
    reject(`企业微信账号「${wecom}」格式不正确（不能含空格，不超过 64 字符）`);
  if (dingtalk && !isPlausibleAccountId(dingtalk))
    reject(`钉钉账号「${dingtalk}」格式不正确（不能含空格，不超过 64 字符）`);
  let mobile: string | undefined;
  if (v.mobile) {
    const read = readMobile(v.mobile);
    if ('reason' in read) reject(read.reason);
    else mobile = read.mobile;
  }
  if (!wecom && !dingtalk && !mobile) reject('企业微信账号、钉钉账号、手机都没有填写，无法识别此人');

  // The congress: named, or the only one there is.
  let congress: LinePlan['congress'];
  const named = hasCongressColumn ? (v.congress ?? '') : '';
  if (named !== '') {
    const known = pic.congressesByName.get(named);
    if (known) {
      if (level && level !== known.level) {
        reject(
          `层级「${LEVEL_WORD[level]}」与人大「${named}」已登记的层级「${LEVEL_WORD[known.level]}」不符`,
        );
      }
      congress = known;
    } else {
      if (!level) reject(`人大「${named}」尚未登记；新建它需要填写层级`);
      if (named.length > 100) reject('人大名称过长（不超过 100 字）');
      congress = { id: null, name: named, level: level! };
    }
  } else if (boundCongressId !== null) {
    congress = [...pic.congressesByName.values()].find((c) => c.id === boundCongressId)!;
  } else {
    const all = [...pic.congressesByName.values()];
    if (all.length !== 1) {
      reject(
        all.length === 0
          ? '没有填写人大，而系统中还没有任何人大：请填写人大名称和层级'
          : `没有填写人大，而系统中有 ${all.length} 个人大：请填写人大名称`,
      );
    }
    congress = all[0]!;
    if (level && level !== congress.level) {
      reject(
        `层级「${LEVEL_WORD[level]}」与人大「${congress.name}」已登记的层级「${LEVEL_WORD[congress.level]}」不符`,
      );
    }
  }
  if (boundCongressId !== null && congress.id !== boundCongressId) {
    reject(`您的令牌只能导入所属人大的名册，不能导入「${congress.name}」`);
  }

  // The person: matched by any id; ids of two different people make the line ambiguous.
  const matches = new Map<number, string[]>();
  const note = (id: number | undefined, label: string) => {
    if (id === undefined) return;
    matches.set(id, [...(matches.get(id) ?? []), label]);
  };
  if (wecom) note(pic.byWecom.get(normalizeExternalId('wecom', wecom)), `企业微信账号「${wecom}」`);
  if (dingtalk) note(pic.byDingtalk.get(dingtalk), `钉钉账号「${dingtalk}」`);
  if (mobile) note(pic.byMobile.get(mobile), `手机「${mobile}」`);
  // A token bound to one congress (not an admin's) learns nobody's name from a line unless that person
  // holds a seat in its congress: the ids of anyone else are only "taken".
  const nameHidden = (id: number) =>
    !peopleWide && (congress.id === null || !pic.mandates.has(key(id, congress.id)));
  if (matches.size > 1) {
    const parts = [...matches].map(([id, labels]) =>
      nameHidden(id)
        ? `${labels.join('、')}${TAKEN_ELSEWHERE}`
        : `${labels.join('、')}属于「${pic.people.get(id)!.name}」`,
    );
    const hidden = [...matches.keys()].some(nameHidden);
    reject(`账号分属不同的人：${parts.join('；')}${hidden ? '；请与管理员联系' : ''}`);
  }
  const personId = [...matches.keys()][0];
  const person = personId !== undefined ? pic.people.get(personId)! : null;
  // The same person twice for one congress in this file: said as such, whoever imports it.
  if (person && congress.id !== null) {
    const first = pic.firstLine.get(key(person.id, congress.id));
    if (first !== undefined) reject(`与第 ${first} 行是同一人、同一人大，重复`);
  }
  if (person && !peopleWide) {
    const matchedBy = matches.get(person.id)!;
    if (name !== person.name && nameHidden(person.id))
      reject(`${matchedBy.join('、')}${TAKEN_ELSEWHERE}，请与管理员联系`);
    checkPeopleLevel(pic, person, matchedBy, congress.id, { name, wecom, dingtalk, mobile });
  }

  const plan: LinePlan = {
    row,
    name,
    congressName: congress.name,
    congress,
    person,
    wecom,
    dingtalk,
    mobile,
    electoralUnit: optionalText(v.electoral_unit),
    largeGroup: optionalText(v.large_group),
    smallGroup: optionalText(v.small_group),
    station: optionalText(v.station),
    role,
    status,
  };

  // Group names must not collide with a group of the other kind in the same congress.
  if (congress.id !== null) {
    for (const [gname, kind] of [
      [plan.largeGroup, 'large'],
      [plan.smallGroup, 'small'],
    ] as const) {
      if (!gname) continue;
      const g = pic.groups.get(key(congress.id, gname));
      if (g && g.kind !== kind) {
        reject(
          `「${gname}」在该人大中已是${g.kind === 'large' ? '代表大组' : g.kind === 'small' ? '代表小组' : '工作人员群'}，不能再作${kind === 'large' ? '代表大组' : '代表小组'}`,
        );
      }
    }
  }
  if (plan.largeGroup && plan.largeGroup === plan.smallGroup) reject('代表大组和代表小组不能同名');
  return plan;
}

/**
 * A person's name, ids and mobile belong to no single congress: a token bound to one may not rename
 * anybody, nor change the ids or mobile of a person who also holds a mandate in another congress.
 */
function checkPeopleLevel(
  pic: RosterPicture,
  person: PersonState,
  matchedBy: string[],
  congressId: number | null,
  line: {
    name: string;
    wecom?: string | undefined;
    dingtalk?: string | undefined;
    mobile?: string | undefined;
  },
): void {
  if (line.name !== person.name) {
    reject(
      `${matchedBy.join('、')}属于「${person.name}」，与本行姓名「${line.name}」不符；改名须由管理员或不限定人大的令牌导入`,
    );
  }
  const changes =
    (line.mobile !== undefined && line.mobile !== person.mobile) ||
    (line.wecom !== undefined && !sameWecom(line.wecom, person.wecom)) ||
    (line.dingtalk !== undefined && line.dingtalk !== person.dingtalk);
  if (!changes) return;
  const elsewhere = [...pic.congressesByName.values()].filter(
    (c) => c.id !== congressId && pic.mandates.has(key(person.id, c.id)),
  );
  if (elsewhere.length > 0) {
    reject(
      `「${person.name}」也是「${elsewhere.map((c) => c.name).join('、')}」的代表或工作人员，其手机和账号须由管理员或不限定人大的令牌修改`,
    );
  }
}

interface LineOutcome {
  kind: 'created' | 'updated' | 'unchanged';
  /** The rename the line made, if any (listed once the line is in). */
  renamed: RenamedPerson[];
  /** Applied to the picture once the line's savepoint is released. */
  commit: (() => void)[];
  /** Written with the batch, once the line is in (one insert for many lines). */
  audits: AuditEntry[];
  personId: number;
  congressId: number;
}

/** Writes one planned line. Throws LineError (or a database error) to roll the line back. */
async function applyLine(
  trx: Db,
  deps: ImportDeps,
  pic: RosterPicture,
  plan: LinePlan,
  opts: ImportOptions,
): Promise<LineOutcome> {
  const at = deps.clock.now();
  const commit: (() => void)[] = [];
  const audits: AuditEntry[] = [];
  const renamed: RenamedPerson[] = [];
  const line = plan.row.line;
  const audit = (
    action: string,
    subjectType: string,
    subjectId: number,
    detail: Record<string, unknown>,
    after?: unknown,
  ) =>
    audits.push({
      actor: opts.actor,
      action,
      subjectType,
      subjectId,
      detail: { line, ...detail },
      requestId: opts.requestId ?? null,
      ...(after === undefined ? {} : { after }),
    });

  // A congress named for the first time is created with the line's level.
  let congressId: number;
  if (plan.congress.id === null) {
    const c = await insertCongress(trx, { name: plan.congress.name, level: plan.congress.level });
    congressId = c.id;
    audit('congress.create', 'congress', c.id, { name: c.name, level: c.level, source: 'roster' });
    commit.push(() => pic.put(pic.congressesByName, c.name, { id: c.id, name: c.name, level: c.level }));
  } else congressId = plan.congress.id;

  const groupId = async (
    gname: string | null | undefined,
    kind: GroupKind,
  ): Promise<number | null | undefined> => {
    if (gname === undefined || gname === null) return gname;
    const known = pic.groups.get(key(congressId, gname));
    if (known) return known.id;
    const id = await insertGroup(trx, { congressId, name: gname, kind });
    audit('group.create', 'group', id, { name: gname, kind, source: 'roster' });
    commit.push(() => pic.put(pic.groups, key(congressId, gname), { id, kind }));
    return id;
  };
  const largeGroupId = await groupId(plan.largeGroup, 'large');
  const smallGroupId = await groupId(plan.smallGroup, 'small');
  let stationId: number | null | undefined = plan.station === null ? null : undefined;
  if (plan.station) {
    const stationName = plan.station;
    stationId = pic.stations.get(key(congressId, stationName));
    if (stationId === undefined) {
      const id = await insertStation(trx, { congressId, name: stationName });
      audit('station.create', 'station', id, { name: stationName, source: 'roster' });
      commit.push(() => pic.put(pic.stations, key(congressId, stationName), id));
      stationId = id;
    }
  }

  const mandateValues = (personId: number): Omit<MandateRow, 'id'> => ({
    person_id: personId,
    congress_id: congressId,
    electoral_unit: plan.electoralUnit ?? null,
    large_group_id: largeGroupId ?? null,
    small_group_id: smallGroupId ?? null,
    station_id: stationId ?? null,
    role: plan.role ?? 'deputy',
    status: plan.status ?? 'active',
  });

  // A new person: the person, their ids and the mandate in one statement.
  if (!plan.person) {
    const { person_id: _, ...m } = mandateValues(0);
    const { personId, mandateId } = await insertPersonWithMandate(
      trx,
      {
        name: plan.name,
        mobile: plan.mobile ?? null,
        wecom: plan.wecom ?? null,
        dingtalk: plan.dingtalk ?? null,
      },
      m,
    );
    const person: PersonState = {
      id: personId,
      name: plan.name,
      mobile: plan.mobile ?? null,
      wecom: plan.wecom ?? null,
      dingtalk: plan.dingtalk ?? null,
    };
    audit(
      'person.create',
      'person',
      personId,
      { name: plan.name },
      {
        name: person.name,
        mobile: person.mobile,
        wecom_userid: person.wecom,
        dingtalk_userid: person.dingtalk,
      },
    );
    audit(
      'mandate.create',
      'mandate',
      mandateId,
      { congressId, role: m.role, status: m.status },
      { person_id: personId, ...m },
    );
    commit.push(() => pic.addPerson(person));
    commit.push(() => pic.put(pic.mandates, key(personId, congressId), { id: mandateId, ...m }));
    return { kind: 'created', commit, audits, renamed, personId, congressId };
  }

  // A known person.
  let person = plan.person;
  let personChanged = false;
  const changes: Record<string, [unknown, unknown]> = {};
  const patch: { name?: string; mobile?: string } = {};
  if (plan.name !== person.name) {
    patch.name = plan.name;
    changes.name = [person.name, plan.name];
    renamed.push({ line, personId: person.id, from: person.name, to: plan.name });
  }
  if (plan.mobile && plan.mobile !== person.mobile) {
    patch.mobile = plan.mobile;
    changes.mobile = [person.mobile, plan.mobile];
  }
  if (patch.name || patch.mobile) await updatePerson(trx, person.id, patch, at);
  // An id the line leaves empty is kept; a different one replaces the old.
  if (plan.wecom && !sameWecom(plan.wecom, person.wecom)) {
    await setIdentity(trx, person.id, 'wecom', plan.wecom);
    changes.wecom_userid = [person.wecom, plan.wecom];
  }
  if (plan.dingtalk && plan.dingtalk !== person.dingtalk) {
    await setIdentity(trx, person.id, 'dingtalk', plan.dingtalk);
    changes.dingtalk_userid = [person.dingtalk, plan.dingtalk];
  }
  if (Object.keys(changes).length > 0) {
    personChanged = true;
    person = {
      ...person,
      name: plan.name,
      mobile: plan.mobile ?? person.mobile,
      wecom: plan.wecom && !sameWecom(plan.wecom, person.wecom) ? plan.wecom : person.wecom,
      dingtalk: plan.dingtalk ?? person.dingtalk,
    };
    audit('person.update', 'person', person.id, { changes });
  }
  const finalPerson = person;
  commit.push(() => pic.addPerson(finalPerson));

  // The mandate.
  const mKey = key(person.id, congressId);
  const existing = pic.mandates.get(mKey);
  let kind: LineOutcome['kind'];
  if (!existing) {
    const m = mandateValues(person.id);
    const id = await insertMandate(trx, m);
    audit('mandate.create', 'mandate', id, { congressId, role: m.role, status: m.status }, m);
    commit.push(() => pic.put(pic.mandates, mKey, { id, ...m }));
    kind = 'created';
  } else {
    const patch: Parameters<typeof updateMandate>[2] = {};
    if (plan.electoralUnit !== undefined && plan.electoralUnit !== existing.electoral_unit)
      patch.electoral_unit = plan.electoralUnit;
    if (largeGroupId !== undefined && largeGroupId !== existing.large_group_id)
      patch.large_group_id = largeGroupId;
    if (smallGroupId !== undefined && smallGroupId !== existing.small_group_id)
      patch.small_group_id = smallGroupId;
    if (stationId !== undefined && stationId !== existing.station_id) patch.station_id = stationId;
    if (plan.role !== undefined && plan.role !== existing.role) patch.role = plan.role;
    const changes = Object.keys(patch);
    if (changes.length > 0) {
      await updateMandate(trx, existing.id, patch, at);
      audit('mandate.update', 'mandate', existing.id, { changes: patch });
    }
    let status = existing.status;
    if (plan.status !== undefined && plan.status !== existing.status) {
      // S16 through the same service as the API: history row, audit row, message to the deputy.
      await changeMandateStatus(trx, deps.clock, {
        mandateId: existing.id,
        to: plan.status,
        reason: IMPORT_STATUS_REASON,
        actor: opts.actor,
        requestId: opts.requestId ?? null,
        source: `roster:line ${line}`,
        ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
      });
      status = plan.status;
    }
    const changed = changes.length > 0 || status !== existing.status;
    commit.push(() => pic.put(pic.mandates, mKey, { ...existing, ...patch, status }));
    kind = changed || personChanged ? 'updated' : 'unchanged';
  }
  return { kind, commit, audits, renamed, personId: person.id, congressId };
}

/** Whether a planned line would change nothing (so it needs no transaction at all). */
function isNoop(pic: RosterPicture, plan: LinePlan): boolean {
  const p = plan.person;
  if (!p || plan.congress.id === null) return false;
  if (plan.name !== p.name) return false;
  if (plan.mobile && plan.mobile !== p.mobile) return false;
  if (plan.wecom && !sameWecom(plan.wecom, p.wecom)) return false;
  if (plan.dingtalk && plan.dingtalk !== p.dingtalk) return false;
  const cid = plan.congress.id;
  const m = pic.mandates.get(key(p.id, cid));
  if (!m) return false;
  const sameGroup = (n: string | null | undefined, id: number | null) =>
    n === undefined || (n === null ? id === null : pic.groups.get(key(cid, n))?.id === id);
  if (!sameGroup(plan.largeGroup, m.large_group_id) || !sameGroup(plan.smallGroup, m.small_group_id))
    return false;
  if (plan.station !== undefined) {
    const sid = plan.station === null ? null : pic.stations.get(key(cid, plan.station));
    if (sid !== m.station_id) return false;
  }
  if (plan.electoralUnit !== undefined && plan.electoralUnit !== m.electoral_unit) return false;
  if (plan.role !== undefined && plan.role !== m.role) return false;
  if (plan.status !== undefined && plan.status !== m.status) return false;
  return true;
}

async function runImport(
  deps: ImportDeps,
  rows: RosterRow[],
  hasCongressColumn: boolean,
  ignoredColumns: string[],
  opts: ImportOptions,
): Promise<ImportSummary> {
  const pic = await loadPicture(deps.db, rows);
  const bound = opts.congressId ?? null;
  const peopleWide = opts.peopleWide ?? bound === null;
  if (bound !== null && ![...pic.congressesByName.values()].some((c) => c.id === bound)) {
    throw new AppError('forbidden', '令牌所属的人大已不存在');
  }
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    renamed: [],
    missing: [],
    ignoredColumns,
    ...(opts.preview ? { lines: [] } : {}),
  };
  // Each line is planned against the picture as the lines before it left it (a line may use a
  // congress, group or person an earlier line created), then written. A batch first runs
  // optimistically in one transaction; should the database refuse any of its lines, the batch is
  // rolled back (in the database and in the picture) and run again with a savepoint per line, so
  // only the refused line is left out.
  let pendingAudits: AuditEntry[] = [];
  const handleLine = async (trx: Db, row: RosterRow, careful: boolean) => {
    let plan: LinePlan;
    let statusMove: { from: MandateStatus; to: MandateStatus } | null = null;
    try {
      plan = planLine(pic, row, hasCongressColumn, bound, peopleWide);
      const m =
        plan.person && plan.congress.id !== null
          ? pic.mandates.get(key(plan.person.id, plan.congress.id))
          : undefined;
      if (m && plan.status !== undefined && plan.status !== m.status)
        statusMove = { from: m.status, to: plan.status };
      // (A repeat of an earlier line's person and congress was rejected in planLine.)
      if (plan.person && plan.congress.id !== null) pic.touch(plan.congress.id, plan.person.id);
      if (m && plan.status !== undefined && plan.status !== m.status) {
        try {
          checkStatusChange(m.status, plan.status);
        } catch (err) {
          if (isAppError(err)) reject(`状态：${err.message}`);
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof LineError) {
        summary.rejected.push({ line: row.line, reason: err.message });
        return;
      }
      throw err;
    }
    const lineOf = (kind: LineChange['kind'], changes: string[]): LineChange => ({
      line: row.line,
      name: plan.name,
      congress: plan.congressName,
      kind,
      changes,
    });
    if (isNoop(pic, plan)) {
      summary.lines?.push(lineOf('unchanged', []));
      summary.unchanged++;
      pic.put(pic.firstLine, key(plan.person!.id, plan.congress.id!), row.line);
      return;
    }
    if (careful) await setSavepoint(trx, 'roster_line');
    let outcome: LineOutcome;
    try {
      outcome = await applyLine(trx, deps, pic, plan, opts);
      if (careful) await releaseSavepoint(trx, 'roster_line');
    } catch (err) {
      if (!careful) throw err;
      await rollbackToSavepoint(trx, 'roster_line');
      summary.rejected.push({ line: row.line, reason: lineFailure(err) });
      return;
    }
    for (const c of outcome.commit) c();
    pendingAudits.push(...outcome.audits);
    summary.renamed.push(...outcome.renamed);
    summary.lines?.push(lineOf(outcome.kind, describeLineChanges(outcome.audits, plan, statusMove)));
    summary[outcome.kind]++;
    pic.put(pic.firstLine, key(outcome.personId, outcome.congressId), row.line);
    pic.touch(outcome.congressId, outcome.personId);
  };
  const batchWork = async (trx: Db, batch: RosterRow[], careful: boolean) => {
    pendingAudits = [];
    for (const row of batch) await handleLine(trx, row, careful);
    await writeAuditMany(trx, pendingAudits);
  };
  // Within a preview's transaction a batch is a savepoint instead.
  const runBatch = async (batch: RosterRow[], careful: boolean) => {
    if (!deps.db.isTransaction) return deps.db.transaction().execute((trx) => batchWork(trx, batch, careful));
    await setSavepoint(deps.db, 'roster_batch');
    try {
      await batchWork(deps.db, batch, careful);
    } catch (err) {
      await rollbackToSavepoint(deps.db, 'roster_batch');
      throw err;
    }
    await releaseSavepoint(deps.db, 'roster_batch');
  };

  const batchSize = opts.batchSize ?? 500;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const saved = { created: summary.created, updated: summary.updated, unchanged: summary.unchanged };
    const rejectedBefore = summary.rejected.length;
    const renamedBefore = summary.renamed.length;
    const linesBefore = summary.lines?.length ?? 0;
    pic.beginJournal();
    try {
      await runBatch(batch, false);
      pic.endJournal();
    } catch (err) {
      if (err instanceof LineError) throw err;
      pic.rollbackJournal();
      Object.assign(summary, saved);
      summary.rejected.length = rejectedBefore;
      summary.renamed.length = renamedBefore;
      if (summary.lines) summary.lines.length = linesBefore;
      await runBatch(batch, true);
    }
    opts.onProgress?.(start + batch.length, rows.length);
  }

  // People of a touched congress that the file no longer names: listed for staff, never deleted.
  for (const [congressId, people] of pic.seen) {
    const congress = [...pic.congressesByName.values()].find((c) => c.id === congressId)!;
    for (const m of await listMandatesOfCongress(deps.db, congressId)) {
      if (people.has(m.person_id) || m.status === 'terminated') continue;
      summary.missing.push({
        id: m.id,
        name: m.name,
        congress: congress.name,
        wecomUserid: m.wecom,
        dingtalkUserid: m.dingtalk,
        mobile: m.mobile,
      });
    }
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  summary.renamed.sort((a, b) => a.line - b.line);
  await writeAudit(deps.db, {
    actor: opts.actor,
    action: 'roster.import',
    subjectType: 'roster',
    detail: {
      lines: rows.length,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected.length,
      renamed: summary.renamed.length,
      missing: summary.missing.length,
    },
    requestId: opts.requestId ?? null,
  });
  return summary;
}

/** Ends a preview's transaction (rolled back). */
class PreviewDone extends Error {}

function lineFailure(err: unknown): string {
  if (err instanceof LineError) return err.message;
  if (isAppError(err)) return err.message;
  // A constraint the in-memory check did not foresee (e.g. a concurrent edit): the line is refused whole.
  const code = (err as { code?: string }).code;
  if (code === '23505') return '与已有记录冲突（账号或手机已被他人使用），此行未导入';
  return '写入数据库失败，此行未导入';
}
