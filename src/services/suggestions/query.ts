import { answersPendingReview, returnRequestsPending } from '../../../db/repositories/organ-side.ts';
import {
  type AssignmentView,
  assignmentsOf,
  eventsOf,
  findSuggestionByCode,
  followersOf,
  isFollower,
  listSuggestions,
  listSuggestionsOfPerson,
  overdueSuggestionIds,
  type SuggestionRow,
} from '../../../db/repositories/suggestions.ts';
import type { ItemLocation, Photo, SuggestionStatus } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { formatDate } from '../../statute/date-text.ts';
import type { ItemSource, ItemSummary } from '../items/index.ts';
import { type MediaView, mediaContent, mediaStatusText, mediaViews } from '../media/index.ts';
import { answerWordsForHistory } from './organ-acts.ts';
import type { Scope } from './records.ts';
import {
  answerText,
  answerVerb,
  assignmentLine,
  attachmentsCount,
  currentRound,
  type Due,
  dueOf,
  locationText,
  RATING_LABEL,
  reviewLabel,
  SECRET_NOTICE,
  STATUS_LABEL,
  statusLine,
  titleOf,
} from './text.ts';

// Reading items: a deputy's own through chat (查询), and staff views for the API with the full history.

const OPEN: ReadonlySet<SuggestionStatus> = new Set(['submitted', 'assigned', 'answered', 'rehandling']);

export async function listForPerson(
  deps: Pick<Deps, 'db'>,
  personId: number,
  today: string,
): Promise<ItemSummary[]> {
  const items = await listSuggestionsOfPerson(deps.db, personId);
  const all = await assignmentsOf(
    deps.db,
    items.map((s) => s.id),
  );
  return items.map((s) => ({
    code: s.code,
    kindLabel: s.kind,
    title: titleOf(s),
    statusLabel: statusLine(
      s,
      all.filter((a) => a.suggestion_id === s.id),
      today,
    ),
    open: OPEN.has(s.status),
    updatedAt: new Date(s.updated_at),
    congressId: s.congress_id,
  }));
}

/** One item as its deputy reads it; null when it is not theirs or does not exist (never says which). */
export async function detailForPerson(
  deps: Pick<Deps, 'db'>,
  personId: number,
  code: string,
  today: string,
): Promise<string | null> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || !(await isFollower(deps.db, item.id, personId))) return null;
  const all = await assignmentsOf(deps.db, [item.id]);
  return detailText(item, all, today);
}

export function detailText(
  item: SuggestionRow,
  all: AssignmentView[],
  today: string,
  reader: 'deputy' | 'staff' = 'deputy',
): string {
  const lines: string[] = [
    `${item.kind} ${item.code}${item.entered_by_name && item.kind.length <= 2 ? '（工作人员代录）' : ''}`,
  ];
  if (item.title) lines.push(`标题：${item.secret ? '（涉密事项）' : item.title}`);
  lines.push(item.secret ? SECRET_NOTICE : `内容：${clip(item.content, 200)}`);
  const sent = attachmentsCount(item.photos);
  // Photos alone read "照片：2 张"; with videos or files, "附件：照片 2 张、文件 1 个".
  if (sent !== '') lines.push(/^照片 \d+ 张$/.test(sent) ? sent.replace(' ', '：') : `附件：${sent}`);
  if (item.location && !item.secret) lines.push(`位置：${locationText(item.location)}`);
  lines.push(`提交日期：${formatDate(item.submitted_on)}`);
  lines.push(`状态：${statusLine(item, [], today)}`);
  const round = currentRound(item, all);
  if (round.length > 0) {
    if (item.round > 1) lines.push(`第 ${item.round} 轮办理（重办）：`);
    for (const a of round) lines.push(assignmentLine(a, item.kind, today));
  }
  const lead = round.find((a) => a.role === 'lead' && a.status === 'answered');
  if (lead && !item.secret) lines.push(`${lead.organ_name}的${answerVerb(item.kind)}：\n${answerText(lead)}`);
  if (item.status === 'answered')
    lines.push(
      reader === 'deputy'
        ? '请回复“满意”“基本满意”或“不满意”评价。'
        : '等代表评价（满意、基本满意或不满意）。',
    );
  if (item.rating && item.status === 'closed') lines.push(`评价：${RATING_LABEL[item.rating]}`);
  // 代表法 第五十一条 (S8): the clock starts at 交办, which the deputy waiting for it is told.
  if (reader === 'deputy' && item.status === 'submitted')
    lines.push(
      `工作人员交办后会告诉您承办单位和${answerVerb(item.kind)}期限；承办单位一般自交办之日起三个月内${answerVerb(item.kind)}。`,
    );
  if (reader === 'deputy' && (item.status === 'assigned' || item.status === 'rehandling'))
    lines.push(`如需催办，请发“催办 ${item.code}”（每周一次）。`);
  return lines.join('\n');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

export const suggestionItemSource: ItemSource = {
  prefixes: ['JY'],
  listForPerson: (deps, personId, today) => listForPerson(deps, personId, today),
  detailForPerson: (deps, personId, code, today) => detailForPerson(deps, personId, code, today),
  detailForStaff: (deps, congressIds, code, today) =>
    suggestionDetailForStaff(deps, congressIds, code, today),
};

// ---- staff views ----------------------------------------------------------------------------------

/** 查询 by staff in chat: any item of the congresses they work for (a 涉密 item's content stays hidden). */
export async function suggestionDetailForStaff(
  deps: Pick<Deps, 'db'>,
  congressIds: readonly number[],
  code: string,
  today: string,
): Promise<string | null> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || !congressIds.includes(item.congress_id)) return null;
  const deputies = (await followersOf(deps.db, item.id)).map((f) => f.name).join('、');
  const all = await assignmentsOf(deps.db, [item.id]);
  // What staff themselves must do next on it, which the deputy's view does not say.
  const next = [
    ...(await answersPendingReview(deps.db, null, item.id)).map(
      (a) =>
        `${a.organ_name}已提交答复，待审核：在「工作平台 → 答复审核」通过后发给代表。` +
        answerWordsForHistory(item, a.fields as Record<string, string | null>),
    ),
    ...(await returnRequestsPending(deps.db, null, item.id)).map(
      (r) =>
        `${r.organ_name}申请退回（${r.return_request_reason ?? '未写理由'}），待决定：在「工作平台 → 答复审核」处理。`,
    ),
  ];
  return `${deputies ? `代表：${deputies}\n` : ''}${detailText(item, all, today, 'staff')}${next.map((l) => `\n${l}`).join('')}`;
}

export interface AssignmentJson {
  organ: string;
  role: 'lead' | 'assist';
  round: number;
  status: string;
  assignedOn: string;
  dueOn: string | null;
  dueProvisional: boolean;
  /** When the organ signed for it (签收), as an ISO instant; null while it has not. */
  signedAt: string | null;
  /** Computed from the due date and today. */
  daysLeft: number | null;
  urgency: Due['urgency'] | null;
  answer: {
    answeredOn: string;
    done: string | null;
    planned: string | null;
    plannedBy: string | null;
    cannot: string | null;
    cannotReason: string | null;
    signedBy: string | null;
  } | null;
  endedReason: string | null;
}

export interface SuggestionJson {
  code: string;
  kind: string;
  title: string | null;
  /** Null in lists for a 涉密 item (lists may be seen more widely than one item). */
  content: string | null;
  secret: boolean;
  photos: unknown[];
  /** A location sent with the item (null for a 涉密 item in lists). */
  location: ItemLocation | null;
  status: SuggestionStatus;
  statusLabel: string;
  rating: string | null;
  ratingLabel: string | null;
  round: number;
  congressId: number;
  submittedOn: string;
  answeredOn: string | null;
  proxy: boolean;
  enteredBy: string | null;
  deputies: { name: string; author: boolean }[];
  assignments: AssignmentJson[];
  overdue: boolean;
  dueSoon: boolean;
  /** 立案审查 (null: not reviewed); the category staff set; 重点督办 (《代表法》第五十二条). */
  review: { state: string; reason: string | null } | null;
  category: string | null;
  keySupervision: boolean;
}

function assignmentJson(a: AssignmentView, today: string): AssignmentJson {
  const due = a.status === 'open' ? dueOf(a, today) : null;
  return {
    organ: a.organ_name,
    role: a.role,
    round: a.round,
    status: a.status,
    assignedOn: a.assigned_on,
    dueOn: a.due_on,
    dueProvisional: a.due_provisional,
    signedAt: a.signed_at ? new Date(a.signed_at).toISOString() : null,
    daysLeft: due?.daysLeft ?? null,
    urgency: due?.urgency ?? null,
    answer:
      a.status === 'answered'
        ? {
            answeredOn: a.answered_on!,
            done: a.answer_done,
            planned: a.answer_planned,
            plannedBy: a.answer_planned_by,
            cannot: a.answer_cannot,
            cannotReason: a.answer_cannot_reason,
            signedBy: a.answer_signed_by,
          }
        : null,
    endedReason: a.ended_reason,
  };
}

export function suggestionJson(
  item: SuggestionRow,
  all: AssignmentView[],
  deputies: { name: string; author: boolean }[],
  today: string,
  opts: { withSecretContent: boolean },
): SuggestionJson {
  const assignments = all.filter((a) => a.suggestion_id === item.id).map((a) => assignmentJson(a, today));
  const open = assignments.filter((a) => a.status === 'open');
  return {
    code: item.code,
    kind: item.kind,
    title: item.secret && !opts.withSecretContent ? null : item.title,
    content: item.secret && !opts.withSecretContent ? null : item.content,
    secret: item.secret,
    photos: Array.isArray(item.photos) ? item.photos : [],
    location: item.secret && !opts.withSecretContent ? null : (item.location ?? null),
    status: item.status,
    statusLabel: reviewLabel(item) ?? STATUS_LABEL[item.status],
    rating: item.rating,
    ratingLabel: item.rating ? RATING_LABEL[item.rating] : null,
    round: item.round,
    congressId: item.congress_id,
    submittedOn: item.submitted_on,
    answeredOn: item.answered_on,
    proxy: item.entered_by !== null,
    enteredBy: item.entered_by_name,
    deputies,
    assignments,
    overdue: open.some((a) => a.urgency === 'overdue'),
    dueSoon: open.some((a) => a.urgency === 'due_soon'),
    review: item.review_state ? { state: item.review_state, reason: item.review_reason } : null,
    category: item.category,
    keySupervision: item.key_supervision,
  };
}

export async function listForStaff(
  deps: Pick<Deps, 'db'>,
  f: { scope: Scope; congressId?: number | undefined; statuses?: SuggestionStatus[]; overdue?: boolean },
  today: string,
): Promise<SuggestionJson[]> {
  const ids = f.overdue ? await overdueSuggestionIds(deps.db, today) : undefined;
  let items = await listSuggestions(deps.db, {
    congressId: f.congressId,
    statuses: f.statuses,
    ...(ids ? { ids } : {}),
  });
  if (f.scope !== null) items = items.filter((s) => f.scope!.includes(s.congress_id));
  const all = await assignmentsOf(
    deps.db,
    items.map((s) => s.id),
  );
  const out: SuggestionJson[] = [];
  for (const s of items) {
    const deputies = (await followersOf(deps.db, s.id)).map((d) => ({ name: d.name, author: d.author }));
    out.push(suggestionJson(s, all, deputies, today, { withSecretContent: false }));
  }
  return out;
}

export async function oneForStaff(
  deps: Pick<Deps, 'db'>,
  code: string,
  scope: Scope,
  today: string,
): Promise<(SuggestionJson & { history: unknown[]; photoViews: PhotoView[] }) | null> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || (scope !== null && !scope.includes(item.congress_id))) return null;
  const all = await assignmentsOf(deps.db, [item.id]);
  const deputies = (await followersOf(deps.db, item.id)).map((d) => ({ name: d.name, author: d.author }));
  const history = (await eventsOf(deps.db, item.id)).map((e) => ({
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    actorName: e.actor_name,
    action: e.action,
    summary: e.summary,
    reason: e.reason,
    detail: e.detail,
  }));
  const photoViews = await photoViewsOf(deps, photosOf(item));
  return { ...suggestionJson(item, all, deputies, today, { withSecretContent: true }), history, photoViews };
}

/** One photo of an item as staff see it: kept (with its type and size), being fetched, missing, too large. */
export interface PhotoView {
  /** 1-based, as in the console's address for it. */
  index: number;
  status: MediaView['status'] | 'not_kept';
  statusText: string;
  contentType: string | null;
  size: number | null;
  /** A photo, a video or a file (with its name when the platform gave one). */
  kind: 'image' | 'video' | 'file';
  fileName: string | null;
}

const photosOf = (item: SuggestionRow): Photo[] => (Array.isArray(item.photos) ? item.photos : []);

async function photoViewsOf(deps: Pick<Deps, 'db'>, photos: Photo[]): Promise<PhotoView[]> {
  const ids = photos.map((p) => p.stored).filter((id): id is number => typeof id === 'number');
  const views = await mediaViews(deps, ids);
  return photos.map((p, i) => {
    const v = p.stored !== undefined ? views.get(p.stored) : undefined;
    const what = { kind: p.kind ?? ('image' as const), fileName: p.fileName ?? null };
    // A photo entered before photos were kept (or through the API by address) has no kept copy.
    if (!v)
      return {
        index: i + 1,
        status: 'not_kept',
        statusText: '未保存副本',
        contentType: null,
        size: null,
        ...what,
      };
    return {
      ...what,
      index: i + 1,
      status: v.status,
      statusText: mediaStatusText(v),
      contentType: v.contentType,
      size: v.size,
    };
  });
}

/** The kept bytes of an item's n-th photo (1-based), within the staff member's scope; null otherwise. */
export async function photoForStaff(
  deps: Pick<Deps, 'db'>,
  code: string,
  index: number,
  scope: Scope,
): Promise<{ content: Uint8Array; contentType: string; size: number } | null> {
  const item = await findSuggestionByCode(deps.db, code);
  if (!item || (scope !== null && !scope.includes(item.congress_id))) return null;
  const stored = photosOf(item)[index - 1]?.stored;
  if (typeof stored !== 'number') return null;
  return (await mediaContent(deps, stored)) ?? null;
}

/** What waits for the office in these congresses (待办): to hand over, answers to review, returns to decide, overdue. */
export async function staffQueues(deps: Pick<Deps, 'db'>, scope: Scope, today: string) {
  const ids = scope === null ? null : [...scope];
  return {
    toAssign: (await listForStaff(deps, { scope, statuses: ['submitted'] }, today)).length,
    answersToReview: (await answersPendingReview(deps.db, ids)).length,
    returnsToDecide: (await returnRequestsPending(deps.db, ids)).length,
    overdue: (await listForStaff(deps, { scope, overdue: true }, today)).length,
  };
}
