import type { Db } from '../../../db/client.ts';
import type { AuditSource } from '../../../db/repositories/audit.ts';
import {
  deputyNamesLike,
  findDeputySeats,
  findSuggestionByInbound,
  insertSubmissions,
  insertSuggestion,
  type SuggestionRow,
  updateSuggestion,
} from '../../../db/repositories/suggestions.ts';
import type { ItemLocation, Photo } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { GroupCommit } from '../../group-commit.ts';
import { groupMessageRow } from '../../messaging/index.ts';
import { todayIn, yearOf } from '../../statute/calendar-date.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { staffOfCongresses } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { nextCodeAhead, nextCodesAhead } from '../items/index.ts';
import { type Organs, organsNamed } from '../organs/index.ts';
import { assignSuggestion, type HandlingOutcome } from './handling.ts';
import {
  type Actor,
  type Change,
  lockInScope,
  messageFollowers,
  recordChange,
  refuseSecretIn,
  type Scope,
  staffNoticeMessage,
} from './records.ts';
import { auditItemMade } from './staff-audit.ts';
import { attachmentsCount, awaitingAssignmentText, isReport, titleOf } from './text.ts';

// Submitting an item: a deputy's 建议 / 批评 / 意见 in chat (with the photos of the dialog), 代录 by staff
// for a deputy, and an inspection or research report (S8a) filed by staff after an activity.

type SubmitDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export const MAX_CONTENT = 5000;
const SECRET_MARK = /^\s*[【[(（]?\s*涉密\s*[】\])）]?\s*[:：,，、]?\s*/;

/** A leading 涉密 mark ("涉密：…", "【涉密】…") flags the item and is not part of its content. */
export function readSecretMark(content: string): { secret: boolean; content: string } {
  const m = SECRET_MARK.exec(content);
  return m?.[0].includes('涉密')
    ? { secret: true, content: content.slice(m[0].length) }
    : { secret: false, content };
}

/** "建议 建议 路灯坏了", "建议：jy 菜市场太乱": the command word typed twice (or as its letters) is no content. */
const WORD_AGAIN = /^\s*(?:建议|意见|批评|jy)\s*[:：，,、\s]\s*(?=\S)/i;

export const withoutWordAgain = (content: string): string => content.replace(WORD_AGAIN, '');

// "公开的时候不要写俺的名字", "这个建议不要公开我的名字", "不公开姓名", and as people say it: the name first
// ("名字别公开", "我的姓名不要写上去"), with 把 ("不要把我名字公开"), or 匿名 said on its own ("…，匿名",
// "我要匿名"): the deputy's 不公开姓名 said within the words of a suggestion. A request about the item, never
// its content. Not "公开栏里没有我的名字" (no 不/别: a complaint), nor "不要把低保户名字公开" (someone else's
// name), nor "匿名举报电话打不通" (匿名 inside the matter's words).
const ME = '(?:我|俺|本人|咱)?的?';
/** Whose name: the deputy's own, said or not (not "低保户名字别公开", someone else's). */
const OWN_NAME_FIRST = '(?:(?:我|俺|本人|咱)的?|(?<!\\p{Script=Han})的?)';
const NAME = '(?:名字|姓名)';
/**
 * Who asks, before 不要 ("俺不想公开名字"), and how ("能不能不公开我的名字"): part of the request, never left in
 * the matter's words.
 */
const WHO = '(?:能不能|可不可以|能否|麻烦|请)?(?:(?:我|俺|本人)(?:就|也|真|实在)?)?';
const NOT = '(?:不要|别|不用|不想|不愿意?|不|甭|莫)';
/** The spoken forms, as they stand in a message with its spaces and punctuation taken out. */
export const WITHHOLD_NAME_WORDS = new RegExp(
  [
    `(?:公开|公布|发布|上网)[^，,。；;\\s]{0,6}?(?:的时候|时)?[，,\\s]*${NOT}(?:写|署|留|显示|登|出现|带|公开)上?${ME}(?:${NAME}|名)`,
    `${WHO}${NOT}(?:公开|公布|显示|写|透露)${ME}${NAME}`,
    `${WHO}${NOT}(?:把|将)(?:我|俺|本人|咱)的?${NAME}(?:公开|公布|显示|写|登|露|透露)`,
    `${OWN_NAME_FIRST}${NAME}(?:就|也|请|可以)?${NOT}(?:公开|公布|显示|写|署|登|露|透露|出现)(?:了|出来|出去|上去|上)?`,
    `隐去${ME}${NAME}`,
    '匿名公开',
  ].join('|'),
  'u',
);
/** 匿名 said on its own: "匿名", "我要匿名", "请匿名处理" — a whole part of the message. */
const ANONYMOUS =
  '(?<=^|[，,。；;\\s])(?:我|俺)?(?:要|想|希望|请|就)?匿名(?:提交|提出|处理|反映|提)?(?=$|[吧啊哈呀。.！!，,；;\\s])';
const WITHHOLD_NAME = new RegExp(
  `[，,。；;\\s]*(?:(?:这个|这条|此)(?:建议|意见|批评)?(?:在)?|请|另外)?(?:在?网上)?(?:${WITHHOLD_NAME_WORDS.source}|${ANONYMOUS})(?:[吧啊哈。.！!]|谢谢)*`,
  'u',
);

/** Whether the words ask that the deputy's name be left off the public pages. */
export const asksNameWithheld = (text: string): boolean => WITHHOLD_NAME.test(text);

/** A 不公开姓名 request said among a suggestion's words: the request, and the words without it. */
export function readWithholdMark(content: string): { withhold: boolean; content: string; request: string } {
  const m = WITHHOLD_NAME.exec(content);
  if (!m) return { withhold: false, content, request: '' };
  const rest = `${content.slice(0, m.index)}${content.slice(m.index + m[0].length)}`
    .trim()
    .replace(/^[，,。；;、]+\s*/, '');
  return { withhold: true, content: rest, request: m[0].trim() };
}

export interface DeputyRef {
  personId: number;
  mandateId: number;
  congressId: number;
}

export interface SubmitInput {
  deputy: DeputyRef;
  kind: '建议' | '批评' | '意见';
  content: string;
  photos: Photo[];
  /** A location sent in the dialog (the bot said it goes with the item). */
  location?: ItemLocation | null;
  secret: boolean;
  /** The chat message it came from: the same message twice stores one item. */
  inboundId?: number | null;
  /** 代录: the staff member entering it (the deputy is told). Absent when the deputy sent it. */
  enteredBy?: Actor | null;
  /** Who acts (the deputy themselves, or the staff member). */
  actor: Actor;
  /** 代录: where it came from, for its audit row ('suggestion.proxy'). A deputy's own item has none. */
  audit?: AuditSource | undefined;
}

function checkContent(content: string): string {
  const c = content.trim();
  if (c === '') throw new AppError('bad_request', '内容不能为空，请写明建议、批评或意见的内容');
  if (c.length > MAX_CONTENT) throw new AppError('bad_request', `内容最多 ${MAX_CONTENT} 字，请精简后再提交`);
  return c;
}

export interface Submitted {
  item: SuggestionRow;
  /** False for a repeat of the chat message that already made `item`. */
  created: boolean;
}

/** A submission checked and dated, waiting to be written with those that arrive with it. */
interface Pending extends SubmitInput {
  now: Date;
  today: string;
}

/**
 * Submissions arriving together (deputies writing at the same moment) are written together: one statement
 * takes their codes and one more writes them whole, instead of a transaction of several statements each,
 * so a busy day costs the database and this process a few round trips per batch, not per item. One batch
 * per database and time zone, made on first use; a batch that fails is written again item by item, so one
 * bad submission fails alone.
 */
const batches = new WeakMap<Db, Map<string, GroupCommit<Pending, Submitted>>>();

function batchOf(db: Db, timeZone: string): GroupCommit<Pending, Submitted> {
  let byZone = batches.get(db);
  if (!byZone) {
    byZone = new Map();
    batches.set(db, byZone);
  }
  let batch = byZone.get(timeZone);
  if (!batch) {
    batch = new GroupCommit((items: Pending[]) => writeSubmissions(db, timeZone, items));
    byZone.set(timeZone, batch);
  }
  return batch;
}

export async function submitSuggestion(deps: SubmitDeps, input: SubmitInput): Promise<Submitted> {
  const content = checkContent(input.content);
  const pending: Pending = {
    ...input,
    content,
    now: deps.clock.now(),
    today: todayIn(deps.clock, deps.config.timezone),
  };
  return batchOf(deps.db, deps.config.timezone).submit(pending);
}

/** The codes of submissions, in order: numbered ahead, one statement per year among them. */
async function codesOf(db: Db, items: readonly Pending[]): Promise<string[]> {
  const years = [...new Set(items.map((p) => yearOf(p.today)))];
  const taken = new Map<number, string[]>();
  for (const y of years) {
    taken.set(y, await nextCodesAhead(db, 'JY', y, items.filter((p) => yearOf(p.today) === y).length));
  }
  return items.map((p) => taken.get(yearOf(p.today))!.shift()!);
}

async function writeSubmissions(db: Db, timeZone: string, items: Pending[]): Promise<Submitted[]> {
  // Read and numbered before the write, which then holds no shared row: concurrent batches (and other
  // instances') commit side by side.
  const cal = await loadWorkCalendar(db);
  const codes = await codesOf(db, items);
  const subs = items.map((p, i) => {
    const item: SubmittedItem = {
      code: codes[i]!,
      congress_id: p.deputy.congressId,
      kind: p.kind,
      title: null,
      content: p.content,
      secret: p.secret,
    };
    const change = submittedChange(p, item);
    refuseSecretIn(item, change.message, 'message');
    return {
      p,
      change,
      row: {
        item: {
          code: item.code,
          congressId: item.congress_id,
          kind: p.kind,
          title: null,
          content: p.content,
          photos: p.photos,
          location: p.location ?? null,
          secret: p.secret,
          status: 'submitted' as const,
          enteredBy: p.enteredBy?.id ?? null,
          enteredByName: p.enteredBy?.name ?? null,
          sourceInboundId: p.inboundId ?? null,
          activityId: null,
          submittedOn: p.today,
          at: p.now,
        },
        author: p.deputy,
        // 山西 第四十三条 (S15): the deputy's record shows every item they handed in.
        duty: {
          kind: 'suggestion.submitted',
          summary: `提出${p.kind} ${item.code}「${titleOf(item)}」${p.enteredBy ? '（工作人员代录）' : ''}`,
          enteredByStaff: !!p.enteredBy,
        },
        event: {
          actor: change.actor.id,
          actorName: change.actor.name,
          action: change.action,
          summary: change.summary,
          detail: change.detail ?? {},
        },
        notice: groupMessageRow(
          staffNoticeMessage(
            cal,
            { item, key: 'submitted', text: awaitingAssignmentText(item, !!p.enteredBy), now: p.now },
            timeZone,
          ),
        ),
      },
    };
  });
  const staff = staffOfCongresses([...new Set(items.map((p) => p.deputy.congressId))]);
  const write = async (x: Db) => {
    const made = await insertSubmissions(
      x,
      staff,
      subs.map((s) => s.row),
    );
    // 代录: the deputy hears of what was entered in their name, with the item.
    for (const [i, m] of made.entries()) if (m) await messageFollowers(x, m.item, subs[i]!.change, m.eventId);
    for (const [i, m] of made.entries()) if (m) await auditProxy(x, subs[i]!.p, m.item);
    return made;
  };
  // One statement is one commit; 代录 adds the deputy's message to it, so those go in a transaction.
  const made = subs.some((s) => s.change.message !== null)
    ? await db.transaction().execute(write)
    : await write(db);
  const out: Submitted[] = [];
  for (const [i, p] of items.entries()) {
    const m = made[i];
    // The same chat message again (a platform's retry after a lost answer): the item it made, the code
    // taken for it left unused.
    out.push(
      m
        ? { item: m.item, created: true }
        : { item: (await findSuggestionByInbound(db, p.inboundId!))!, created: false },
    );
  }
  return out;
}

/** 代录: the staff member's entry is audited with the item (never its words); a deputy's own is not. */
async function auditProxy(trx: Db, p: Pending, item: SuggestionRow): Promise<void> {
  if (!p.enteredBy) return;
  await auditItemMade(trx, { actor: p.enteredBy, audit: p.audit }, 'suggestion.proxy', item, {
    deputy: p.deputy.personId,
    mandate: p.deputy.mandateId,
    kind: p.kind,
    secret: p.secret,
    photos: p.photos.length,
  });
}

/** A submission's item as its texts need it, before it is written. */
type SubmittedItem = Pick<SuggestionRow, 'code' | 'congress_id' | 'kind' | 'title' | 'content' | 'secret'>;

/** The history row of a submission, and the deputy's message when staff entered it (代录). */
function submittedChange(p: Pending, item: SubmittedItem): Change {
  const proxy = p.enteredBy ?? null;
  return {
    actor: p.actor,
    action: 'submitted',
    summary: `${proxy ? `${proxy.name}代录` : '代表提交'}${p.kind}${p.photos.length > 0 ? `，附${attachmentsCount(p.photos)}` : ''}${p.location ? '，附位置' : ''}${p.secret ? '（涉密）' : ''}`,
    detail: {
      photos: p.photos.length,
      secret: p.secret,
      proxy: proxy !== null,
      ...(p.location ? { location: p.location } : {}),
    },
    // 代录: the deputy learns what was entered in their name; the deputy's own submission is answered in chat.
    message: proxy
      ? `工作人员${proxy.name}已代您录入${p.kind}「${titleOf(item)}」，编号 ${item.code}。交办后会告诉您承办单位和答复期限。`
      : null,
  };
}

// ---- S8a reports --------------------------------------------------------------------------------

export interface ReportInput {
  congressId: number;
  kind: '视察报告' | '调研报告';
  title: string;
  content: string;
  secret: boolean;
  activityId: number | null;
  /** The deputies who made the report (they receive the feedback). */
  deputies: DeputyRef[];
  organs: Organs;
  actor: Actor;
}

/**
 * 山西 第二十七条 (S8a): a report from an inspection or research is transferred to the organs concerned,
 * which report back within three months. Filed and transferred in one step; followed like a suggestion.
 */
export async function fileReport(deps: SubmitDeps, input: ReportInput): Promise<HandlingOutcome> {
  const content = checkContent(input.content);
  if (!isReport(input.kind)) throw new AppError('bad_request', '报告类别应为视察报告或调研报告');
  if (input.deputies.length === 0) throw new AppError('bad_request', '请写明形成报告的代表');
  await organsNamed(deps.db, [input.organs.lead, ...input.organs.assisting]);
  const now = deps.clock.now();
  const today = todayIn(deps.clock, deps.config.timezone);
  const c = await nextCodeAhead(deps.db, 'JY', yearOf(today));
  const code = await deps.db.transaction().execute(async (trx) => {
    // Filed by staff, from no chat message: never a repeat.
    const item = (await insertSuggestion(
      trx,
      {
        code: c,
        congressId: input.congressId,
        kind: input.kind,
        title: input.title.trim(),
        content,
        photos: [],
        secret: input.secret,
        status: 'submitted',
        enteredBy: input.actor.id,
        enteredByName: input.actor.name,
        sourceInboundId: null,
        activityId: input.activityId,
        submittedOn: today,
        at: now,
      },
      input.deputies,
    ))!;
    for (const d of input.deputies) {
      await recordDutyEvent(trx, {
        mandateId: d.mandateId,
        occurredOn: today,
        kind: 'report.filed',
        summary: `${input.kind} ${c}「${titleOf(item)}」转交有关单位研究处理`,
        ref: c,
        enteredByStaff: true,
      });
    }
    await recordChange(
      trx,
      item,
      {
        actor: input.actor,
        action: 'submitted',
        summary: `${input.actor.name}登记${input.kind}`,
        detail: { deputies: input.deputies.length, activityId: input.activityId, secret: input.secret },
        message: null,
      },
      now,
    );
    return c;
  });
  // The transfer is the 交办 of the report: its S8a clock starts today. A failed transfer (an unknown
  // organ) leaves the report filed and waiting for 交办, which staff can then do by hand.
  return assignSuggestion(deps, { code, organs: input.organs, actor: input.actor, scope: null });
}

/**
 * Marks or unmarks an item as 涉密 (staff), with the reason in its history. Nothing changes when it already
 * is as asked; whether it changed.
 */
export async function markSecret(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { code: string; secret: boolean; reason: string; actor: Actor; scope: Scope },
): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const item = await lockInScope(trx, input.code, input.scope);
    if (item.secret === input.secret) return false;
    await updateSuggestion(trx, item.id, { secret: input.secret }, now);
    await recordChange(
      trx,
      { ...item, secret: input.secret },
      {
        actor: input.actor,
        action: input.secret ? 'marked_secret' : 'unmarked_secret',
        summary: input.secret ? '标为涉密' : '取消涉密标记',
        reason: input.reason,
        message: null,
      },
      now,
    );
    return true;
  });
}

/** The one deputy seat `who` names within the scope; a clear refusal for none or several. */
export async function resolveDeputy(db: Db, who: string, scope: number[] | null): Promise<DeputyRef> {
  const seats = await findDeputySeats(db, who, scope);
  if (seats.length === 0) {
    // A name written in part or with a slip: the deputies it may mean, so staff need not look them up.
    const near = /\p{Script=Han}/u.test(who) ? await deputyNamesLike(db, who, scope, 5) : [];
    const hint =
      near.length > 0
        ? `您是说：${near.join('、')}？请写全名，也可以写企业微信账号或手机号。`
        : '请写代表的姓名、企业微信账号或手机号。';
    throw new AppError('not_found', `没有找到在任代表“${who}”。${hint}`);
  }
  const people = new Set(seats.map((s) => s.person_id));
  if (people.size > 1) {
    throw new AppError('bad_request', `有 ${people.size} 位代表叫“${who}”，请改用其企业微信账号或手机号。`);
  }
  if (seats.length > 1 && scope === null) {
    throw new AppError('bad_request', `“${who}”在多个人大任代表，请指明人大（congress）。`);
  }
  const s = seats[0]!;
  return { personId: s.person_id, mandateId: s.mandate_id, congressId: s.congress_id };
}
