import { isLiveCongress } from '../../db/repositories/mandates.ts';
import { answersOfItem } from '../../db/repositories/organ-side.ts';
import { categoriesInUse } from '../../db/repositories/suggestion-review.ts';
import { assignmentsOf, findSuggestionByCode } from '../../db/repositories/suggestions.ts';
import type { SuggestionKind, SuggestionStatus } from '../../db/schema.ts';
import { auditSourceOf, markAudited } from '../api/audit-trail.ts';
import { actorOf, mayChangeShared, type Principal, SHARED_DATA_REFUSAL } from '../api/auth.ts';
import { rememberLastItem } from '../bot/dialog/state.ts';
import { AppError } from '../errors.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { organByName, organRegister, registerOrgan } from '../services/organs/index.ts';
import {
  type Actor,
  type AssignmentJson,
  answerFilesForStaff,
  answerSuggestion,
  assignSuggestion,
  attachmentsCount,
  extendSuggestion,
  isReport,
  listForStaff,
  locationText,
  MAX_CATEGORY,
  MAX_CONTENT,
  MAX_REVIEW_REASON,
  MAX_TITLE,
  markSecret,
  oneForStaff,
  type PhotoView,
  photoForStaff,
  type ReviewDecision,
  resolveDeputy,
  returnAssignment,
  reviewSuggestion,
  roleLabel,
  STATUS_LABEL,
  type SuggestionJson,
  setItemPublication,
  setSuggestionDetails,
  settingsOf,
  submitSuggestion,
  superviseItem,
  transferAssignment,
} from '../services/suggestions/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { fileHref, sizeText } from './answer-review-page.ts';
import { dateInput, readDateField } from './date-field.ts';
import {
  type Column,
  html,
  type Interpolated,
  listTable,
  pageOf,
  pager,
  type SafeHtml,
  sortOf,
} from './html.ts';
import { csrfField, noticeOf } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  param,
  redirectAfter,
  sendPage,
} from './page-context.ts';
import {
  dateText,
  PHONE_STYLESHEET,
  phoneSort,
  plainBrackets,
  refusedFormAlert,
  type SortChoice,
  sortQuery,
} from './phone-kit.ts';
import { chosenCongress, scopeOf, visibleCongresses } from './scope.ts';
import { dateTime, firstLine, SEARCH_MAX } from './text.ts';

// 建议 (S8; reports S8a): the list (search, filters, sortable columns, pages), 代录, and one item's page
// with its full history, organs, due dates (with the weekday, marked when provisional) and the forms its
// status allows: 立案审查 (optional), 交办 from the organ register (or a new organ on the spot), 延期,
// 答复, 退回 and 改办. A 涉密 item's content is shown on its page here and nowhere else.

const STATUSES = Object.keys(STATUS_LABEL) as SuggestionStatus[];
const KINDS = ['建议', '批评', '意见', '视察报告', '调研报告'] as const;
const CODE_RE = wholeCodeOf('JY');
/** A 督办 note's length, as the API takes it. */
const MAX_SUPERVISION_NOTE = 1000;
/** As PATCH /api/suggestions/{code}: the reason for marking or unmarking 涉密 (CONTRACT §5). */
const MAX_SECRET_REASON = 500;
const DUE_WITHIN_DAYS = 14;
const PAGE_SIZE = 50;
const SORTS = ['code', 'submitted', 'due', 'status'] as const;
/** The orders the phone's sort control offers (the column headers, hidden on a phone, offer the same). */
const SORT_CHOICES: SortChoice[] = [
  { sort: 'due', dir: 'asc', label: '答复期限：最早到期的在前' },
  { sort: 'due', dir: 'desc', label: '答复期限：最晚到期的在前' },
  { sort: 'submitted', dir: 'desc', label: '提交日期：最新的在前' },
  { sort: 'submitted', dir: 'asc', label: '提交日期：最早的在前' },
  { sort: 'code', dir: 'desc', label: '编号：从大到小' },
  { sort: 'code', dir: 'asc', label: '编号：从小到大' },
  { sort: 'status', dir: 'asc', label: '状态：待交办的在前' },
  { sort: 'status', dir: 'desc', label: '状态：已办结的在前' },
];

const ASSIGNMENT_STATUS: Record<string, string> = {
  open: '办理中',
  answered: '已答复',
  returned: '已退回',
  transferred: '已改办',
  superseded: '本轮已结束',
};

const consoleActor = (p: Principal): Actor => ({ id: actorOf(p), name: p.name });

function dueCell(a: AssignmentJson): SafeHtml {
  if (a.dueOn === null) return html`—`;
  const date = dateText(a.dueOn, a.dueProvisional);
  if (a.daysLeft === null) return html`${date}`;
  const tag =
    a.urgency === 'overdue'
      ? html`<span class="tag bad">超期 ${-a.daysLeft} 天</span>`
      : html`<span class="tag${a.urgency === 'due_soon' ? ' warn' : ''}">还有 ${a.daysLeft} 天</span>`;
  return html`${date} ${tag}`;
}

const leadOf = (s: SuggestionJson) =>
  s.assignments.find((a) => a.round === s.round && a.role === 'lead' && a.status === 'open') ??
  s.assignments.find((a) => a.round === s.round && a.status === 'open');

/** The title a list shows: the one staff set, else the first line of the content (never a 涉密 item's). */
export const listTitle = (s: Pick<SuggestionJson, 'title' | 'content' | 'secret'>): string =>
  s.secret ? '' : (s.title ?? firstLine(s.content ?? ''));

const mark = (s: SuggestionJson): SafeHtml =>
  html`${s.secret ? html`<span class="tag bad">涉密</span> ` : ''}${s.keySupervision ? html`<span class="tag warn">重点督办</span> ` : ''}`;

/** A suggestion list row, for the list and a deputy's page. */
export function suggestionRow(s: SuggestionJson): Interpolated[] {
  const lead = leadOf(s);
  return [
    html`<a class="code" href="/console/suggestions/${s.code}">${s.code}</a>`,
    s.kind,
    html`${mark(s)}${listTitle(s)}`,
    s.deputies.map((d) => d.name).join('、'),
    s.statusLabel,
    lead?.organ ?? '',
    lead ? dueCell(lead) : '—',
  ];
}

export const SUGGESTION_COLUMNS: Column[] = [
  { label: '编号', sort: 'code' },
  { label: '类别' },
  { label: '标题' },
  { label: '代表' },
  { label: '状态', sort: 'status' },
  { label: '承办单位' },
  { label: '答复期限', sort: 'due' },
];

const leadDue = (s: SuggestionJson) => leadOf(s)?.dueOn ?? '9999-12-31';

/** Whether the search words all occur in the item (its content only when it is not 涉密). */
function matches(s: SuggestionJson, q: string): boolean {
  const hay = [
    s.code,
    s.kind,
    s.secret ? '' : (s.title ?? ''),
    s.secret ? '' : (s.content ?? ''),
    s.category ?? '',
    ...s.deputies.map((d) => d.name),
    ...s.assignments.map((a) => a.organ),
  ]
    .join('\n')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '')
    .every((w) => hay.includes(w));
}

async function listPage(c: PageContext): Promise<void> {
  const { deps, ctx, viewer, today } = c;
  const status = param(ctx, 'status');
  if (status !== undefined && !STATUSES.includes(status as SuggestionStatus))
    throw new AppError('bad_request', '状态筛选不正确。');
  const kind = param(ctx, 'kind');
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind))
    throw new AppError('bad_request', '类别筛选不正确。');
  const congresses = await visibleCongresses(deps, viewer.principal);
  const congress = chosenCongress(congresses, param(ctx, 'congress'));
  const q = param(ctx, 'q');
  const category = param(ctx, 'category');
  const key = param(ctx, 'key') === 'true';
  const unreviewed = param(ctx, 'review') === 'pending';
  const overdue = param(ctx, 'overdue') === 'true';
  const dueSoon = param(ctx, 'due') === 'soon';
  const { by, dir } = sortOf(sortQuery(ctx.query), SORTS);
  let items = await listForStaff(
    deps,
    {
      scope: scopeOf(viewer.principal),
      congressId: congress?.id,
      ...(status ? { statuses: [status as SuggestionStatus] } : {}),
      overdue,
    },
    today,
  );
  if (dueSoon) {
    items = items.filter((s) =>
      s.assignments.some(
        (a) => a.status === 'open' && a.daysLeft !== null && a.daysLeft >= 0 && a.daysLeft <= DUE_WITHIN_DAYS,
      ),
    );
  }
  if (kind) items = items.filter((s) => s.kind === kind);
  if (category) items = items.filter((s) => s.category === category);
  if (key) items = items.filter((s) => s.keySupervision);
  if (unreviewed) items = items.filter((s) => s.status === 'submitted' && s.review === null && s.round <= 1);
  if (q) items = items.filter((s) => matches(s, q));
  const sign = dir === 'asc' ? 1 : -1;
  const cmp: Record<(typeof SORTS)[number], (a: SuggestionJson, b: SuggestionJson) => number> = {
    code: (a, b) => a.code.localeCompare(b.code),
    submitted: (a, b) => a.submittedOn.localeCompare(b.submittedOn) || a.code.localeCompare(b.code),
    due: (a, b) => leadDue(a).localeCompare(leadDue(b)) || a.code.localeCompare(b.code),
    status: (a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) || a.code.localeCompare(b.code),
  };
  if (by) items = [...items].sort((a, b) => sign * cmp[by as (typeof SORTS)[number]](a, b));
  const { rows, pageNo, pages } = pageOf(items, param(ctx, 'page'), PAGE_SIZE);
  const categories = await categoriesInUse(deps.db, scopeOf(viewer.principal));
  const filters = {
    q,
    status,
    kind,
    category,
    congress: congress?.id,
    key: key ? 'true' : undefined,
    review: unreviewed ? 'pending' : undefined,
    overdue: overdue ? 'true' : undefined,
    due: dueSoon ? 'soon' : undefined,
  };
  const sorted = { ...filters, sort: by, dir: by ? dir : undefined };
  sendPage(
    c,
    { title: '建议、批评和意见', active: 'suggestions' },
    html`${PHONE_STYLESHEET}<p class="actions"><a href="/console/suggestions/new">代录建议</a></p>
<form method="get" action="/console/suggestions" class="filters">
<label>搜索 <input type="search" name="q" value="${q ?? ''}" maxlength="${SEARCH_MAX}" placeholder="编号、标题、内容、代表、单位"></label>
<details class="more"${status || kind || category || key || unreviewed || overdue || dueSoon || congress ? html` open` : ''}><summary>更多筛选</summary><div class="more-fields">
${
  congresses.length > 1
    ? html`<label>人大 <select name="congress"><option value="">全部</option>${congresses.map(
        (x) =>
          html`<option value="${x.id}"${x.id === congress?.id ? html` selected` : ''}>${x.name}</option>`,
      )}</select></label>`
    : ''
}
<label>状态 <select name="status"><option value="">全部</option>${STATUSES.map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${STATUS_LABEL[s]}</option>`,
    )}</select></label>
<label>类别 <select name="kind"><option value="">全部</option>${KINDS.map(
      (k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${k}</option>`,
    )}</select></label>
${
  categories.length > 0
    ? html`<label>分类 <select name="category"><option value="">全部</option>${categories.map(
        (k) => html`<option value="${k}"${k === category ? html` selected` : ''}>${k}</option>`,
      )}</select></label>`
    : ''
}
<label class="check"><input type="checkbox" name="review" value="pending"${unreviewed ? html` checked` : ''}> 待立案审查</label>
<label class="check"><input type="checkbox" name="key" value="true"${key ? html` checked` : ''}> 重点督办</label>
<label class="check"><input type="checkbox" name="overdue" value="true"${overdue ? html` checked` : ''}> 只看超期</label>
<label class="check"><input type="checkbox" name="due" value="soon"${dueSoon ? html` checked` : ''}> ${DUE_WITHIN_DAYS} 天内到期</label>
</div></details>
${by ? html`<input type="hidden" name="sort" value="${by}"><input type="hidden" name="dir" value="${dir}">` : ''}
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${items.length} 件</p>
${items.length > 1 ? phoneSort('/console/suggestions', filters, SORT_CHOICES, { by, dir }) : ''}
${
  items.length === 0
    ? html`<p class="muted">没有符合条件的事项。</p>`
    : listTable(SUGGESTION_COLUMNS, rows.map(suggestionRow), {
        base: '/console/suggestions',
        params: filters,
        by,
        dir,
      })
}
${pager('/console/suggestions', sorted, pageNo, pages)}`,
  );
}

type FormName =
  | 'review'
  | 'details'
  | 'assign'
  | 'organ'
  | 'extend'
  | 'answer'
  | 'return'
  | 'transfer'
  | 'supervise'
  | 'publication'
  | 'secret';

/** What the message at the top of a refused page calls each form. */
const FORM_LABEL: Record<FormName, string> = {
  review: '立案审查',
  details: '标题、分类和重点督办',
  assign: '交办',
  organ: '登记新单位',
  extend: '延期',
  answer: '答复',
  return: '退回',
  transfer: '改办',
  supervise: '督办',
  publication: '网上公开',
  secret: '涉密标记',
};

/** An organ's answer as the item's page shows it: waiting for review, or approved with its extras. */
interface OrganAnswer {
  organ: string;
  role: 'lead' | 'assist';
  status: string;
  submittedOn: string;
  fields: Record<string, string | null>;
  resultClass: string | null;
  resultLabel: string | null;
  docNo: string | null;
  contact: string | null;
}

/**
 * What the item's page shows beside the service's view of it: whether it is published (and with the
 * deputies' names or not), the organs' answers waiting for review, and each assignment's answer as the
 * organ sent it (result class, 文号, 联系人), matched to the assignments by their place in the list.
 */
async function itemExtras(c: PageContext, s: SuggestionJson) {
  const row = await findSuggestionByCode(c.deps.db, s.code);
  if (!row) return { published: false, withholdName: false, pending: [], byAssignment: [] };
  const [rows, answers, settings] = await Promise.all([
    assignmentsOf(c.deps.db, [row.id]),
    answersOfItem(c.deps.db, row.id),
    settingsOf(c.deps.db, row.congress_id),
  ]);
  const view = (a: (typeof answers)[number]): OrganAnswer => ({
    organ: a.organ_name,
    role: a.role,
    status: a.status,
    submittedOn: dateTime(a.submitted_at, c.deps.config.timezone).slice(0, 10),
    fields: a.fields as Record<string, string | null>,
    resultClass: a.result_class,
    resultLabel: settings.resultClasses.find((x) => x.code === a.result_class)?.label ?? null,
    docNo: a.doc_no,
    contact: a.contact,
  });
  const byAssignment = s.assignments.map((a, i) => {
    const r = rows[i];
    if (!r || r.organ_name !== a.organ || r.round !== a.round) return { pending: null, sent: null };
    const own = answers.filter((x) => x.assignment_id === r.id);
    const pending = own.find((x) => x.status === 'pending_review');
    // The answer that was delivered: the approved one (the lead's), or the assisting organ's part.
    const sent = own.filter((x) => x.status === 'approved' || x.status === 'to_lead').at(-1);
    return { pending: pending ? view(pending) : null, sent: sent ? view(sent) : null };
  });
  return {
    published: row.published_at !== null,
    withholdName: row.withhold_name,
    pending: answers.filter((x) => x.status === 'pending_review').map(view),
    byAssignment,
  };
}

interface FormState {
  which: FormName;
  error: string;
  values: Record<string, string>;
  code: number;
}

const sel = (on: boolean) => (on ? html` selected` : '');
const checked = (on: boolean) => (on ? html` checked` : '');

async function itemPage(c: PageContext, code: string, form?: FormState): Promise<void> {
  const { deps, viewer, today } = c;
  if (!CODE_RE.test(code)) throw new AppError('not_found', `没有编号为 ${code} 的事项。`);
  const s = await oneForStaff(deps, code, scopeOf(viewer.principal), today);
  if (!s) throw new AppError('not_found', `没有编号为 ${code} 的事项。`);
  const answerFiles = await answerFilesForStaff(deps, code, scopeOf(viewer.principal));
  const extras = await itemExtras(c, s);
  const history = s.history as HistoryEntry[];
  const open = s.assignments.filter((a) => a.round === s.round && a.status === 'open');
  const organs = await organRegister(deps.db);
  const categories = await categoriesInUse(deps.db, scopeOf(viewer.principal));
  const mayRegister = mayChangeShared(viewer.principal);
  const v = (which: FormName, name: string, fallback = '') =>
    form?.which === which ? (form.values[name] ?? '') : fallback;
  const errorFor = (which: FormName) =>
    form?.which === which ? html`<p class="error">${plainBrackets(form.error)}</p>` : '';
  const openChoice = (which: FormName, name: string, label: string, allowAll: boolean, among = open) =>
    among.length > 1 || !allowAll
      ? html`<label for="${which}-${name}">${label}</label><select id="${which}-${name}" name="${name}">${
          allowAll ? html`<option value="">全部正在办理的单位</option>` : ''
        }${among.map((a) => html`<option value="${a.organ}"${sel(v(which, name) === a.organ)}>${a.organ}（${roleLabel(a.role)}）</option>`)}</select>`
      : '';
  // An organ whose answer waits for the office's review is not offered 记录答复 (the review decides it).
  const waiting = new Set(extras.pending.map((a) => a.organ));
  const answerable = open.filter((a) => !waiting.has(a.organ));
  const waitingText = (list: OrganAnswer[]) =>
    html`${list.map((a) => `${a.organ}（${roleLabel(a.role)}）`).join('、')}已于 ${list[0]?.submittedOn ?? ''} 提交答复，正等待审核；审核通过后才发给代表。`;
  const reviewLink = html`<a href="/console/reviews">到「答复审核」处理</a>`;
  // A fresh organ registered from this page is preselected by its id (never a name in the address).
  const picked = param(c.ctx, 'organ');
  const pickedName = organs.find((o) => String(o.id) === picked)?.name ?? '';
  const organOptions = (chosen: string) =>
    html`<option value="">请选择单位</option>${organs.map((o) => html`<option value="${o.name}"${sel(o.name === chosen)}>${o.name}</option>`)}`;
  const handling = s.status === 'assigned' || s.status === 'rehandling';
  const report = isReport(s.kind as SuggestionKind);
  const reviewable = s.status === 'submitted' && s.round <= 1 && s.review === null && !report;

  const forms: SafeHtml[] = [];
  const detailsFields = (which: FormName) => html`<div class="row2">
<div><label for="${which}-title">标题（不填则列表显示内容第一行）</label><input type="text" id="${which}-title" name="title" maxlength="${MAX_TITLE}" value="${v(which, 'title', s.title ?? '')}"></div>
<div><label for="${which}-category">分类（如 城乡建设、教育）</label><input type="text" id="${which}-category" name="category" maxlength="${MAX_CATEGORY}" list="categories" value="${v(which, 'category', s.category ?? '')}"></div>
</div>
<datalist id="categories">${categories.map((k) => html`<option value="${k}">`)}</datalist>
<label class="check"><input type="checkbox" name="key" value="true"${checked(form?.which === which ? v(which, 'key') === 'true' : s.keySupervision)}> 列为重点督办（《代表法》第五十二条）</label>`;
  if (reviewable) {
    const decision = v('review', 'decision', 'accept');
    forms.push(html`<h2 id="review">立案审查（可选）</h2>
<form method="post" action="/console/suggestions/${s.code}/review" class="box">${csrfField(viewer)}${errorFor('review')}
${detailsFields('review')}
<fieldset><legend>审查结论</legend>
<label class="check"><input type="radio" name="decision" value="accept"${checked(decision === 'accept')}> 立案，随后交办</label>
<label class="check"><input type="radio" name="decision" value="not_accepted"${checked(decision === 'not_accepted')}> 不予立案</label>
<label class="check"><input type="radio" name="decision" value="merge"${checked(decision === 'merge')}> 与另一件合并办理</label>
</fieldset>
<label for="review-into">合并到的编号（选“合并办理”时填写，如 <span class="code">JY-2026-0001</span>）</label><input type="text" id="review-into" name="into" maxlength="20" value="${v('review', 'into')}" autocapitalize="characters">
<label for="review-reason">理由（不予立案或合并办理时必填，会发给代表）</label><textarea id="review-reason" name="reason" maxlength="${MAX_REVIEW_REASON}">${v('review', 'reason')}</textarea>
<p class="muted">审查不是交办的前提：也可以直接交办。不予立案或合并办理后，代表会收到通知和理由。</p>
<button type="submit">提交审查</button></form>`);
  } else if (s.status !== 'closed') {
    forms.push(html`<h2 id="details">标题、分类和重点督办</h2>
<form method="post" action="/console/suggestions/${s.code}/details" class="box">${csrfField(viewer)}${errorFor('details')}
${detailsFields('details')}
<button type="submit" class="secondary">保存</button></form>`);
  }
  if (s.status === 'submitted') {
    const chosenLead = v('assign', 'lead', pickedName);
    const assisting = new Set(form?.which === 'assign' ? (form.values.assisting ?? '').split('\n') : []);
    forms.push(html`<h2 id="assign">交办</h2>
<form method="post" action="/console/suggestions/${s.code}/assign" class="box">${csrfField(viewer)}${errorFor('assign')}
<label for="lead">承办单位</label><select id="lead" name="lead" required>${organOptions(chosenLead)}</select>
<label for="assisting">协办单位（可不选；可多选）</label><select id="assisting" name="assisting" multiple size="${Math.min(5, Math.max(2, organs.length))}">${organs.map(
      (o) => html`<option value="${o.name}"${sel(assisting.has(o.name))}>${o.name}</option>`,
    )}</select>
<p class="muted">答复期限自交办之日起计算（《代表法》第五十一条第二款：三个月；视察、调研报告依山西 第二十七条三个月内反馈）。</p>
<button type="submit">交办</button></form>`);
    forms.push(
      mayRegister
        ? html`<details class="box" id="organ"${form?.which === 'organ' ? html` open` : ''}><summary>列表里没有要找的单位？登记新单位</summary>
<form method="post" action="/console/suggestions/${s.code}/organs">${csrfField(viewer)}${errorFor('organ')}
<label for="organ-name">单位名称</label><input type="text" id="organ-name" name="name" maxlength="100" required value="${v('organ', 'name')}">
<div class="row2"><div><label for="organ-contact">联系人</label><input type="text" id="organ-contact" name="contactName" maxlength="100" value="${v('organ', 'contactName')}"></div>
<div><label for="organ-mobile">联系电话</label><input type="tel" id="organ-mobile" name="contactMobile" maxlength="20" value="${v('organ', 'contactMobile')}"></div></div>
<label for="organ-wecom">联系人企业微信账号（可不填）</label><input type="text" id="organ-wecom" name="wecomUserid" maxlength="100" value="${v('organ', 'wecomUserid')}">
<p class="muted">单位名录由所有人大共用。登记后即可在上面的列表中选择。</p>
<button type="submit" class="secondary">登记单位</button></form></details>`
        : html`<p class="muted">单位名录由所有人大共用，您的令牌限定于一个人大，不能登记新单位；请联系管理员。</p>`,
    );
  }
  if (handling && !report && open.length > 0) {
    forms.push(html`<h2 id="extend">延期</h2>
<form method="post" action="/console/suggestions/${s.code}/extend" class="box">${csrfField(viewer)}${errorFor('extend')}
${openChoice('extend', 'organ', '单位', true)}
<label for="extend-date">新的答复期限</label>${dateInput({ id: 'extend-date', name: 'date', value: v('extend', 'date'), required: true })}
<label for="extend-reason">理由</label><textarea id="extend-reason" name="reason" maxlength="500" required>${v('extend', 'reason')}</textarea>
<label for="extend-approved">批准人（可不填）</label><input type="text" id="extend-approved" name="approvedBy" maxlength="100" value="${v('extend', 'approvedBy')}">
<p class="muted">延期最长不超过自交办之日起六个月。新的期限和理由会发给提出建议的代表和各承办单位的联系人。</p>
<button type="submit">延期</button></form>`);
  }
  if (handling && open.length > 0) {
    const verb = report ? '反馈' : '答复';
    const held = extras.pending.filter((a) => waiting.has(a.organ));
    forms.push(
      answerable.length === 0
        ? html`<h2 id="answer">${verb}</h2>
<div class="box">${errorFor('answer')}<p>${waitingText(held)}这期间不能再记录${verb}。</p><p>${reviewLink}</p></div>`
        : html`<h2 id="answer">${verb}</h2>
<form method="post" action="/console/suggestions/${s.code}/answer" class="box">${csrfField(viewer)}${errorFor('answer')}
${held.length > 0 ? html`<p class="muted">${waitingText(held)}${reviewLink}</p>` : ''}
${openChoice('answer', 'organ', '单位', false, answerable)}
<label for="done">已办理的情况</label><textarea id="done" name="done" maxlength="5000">${v('answer', 'done')}</textarea>
<label for="planned">计划办理的事项</label><textarea id="planned" name="planned" maxlength="5000">${v('answer', 'planned')}</textarea>
<label for="plannedBy">落实时限</label>${dateInput({ id: 'plannedBy', name: 'plannedBy', value: v('answer', 'plannedBy') })}
<label for="cannot">不能办理的事项</label><textarea id="cannot" name="cannot" maxlength="5000">${v('answer', 'cannot')}</textarea>
<label for="cannotReason">不能办理的原因</label><textarea id="cannotReason" name="cannotReason" maxlength="2000">${v('answer', 'cannotReason')}</textarea>
<label for="signedBy">签发人</label><input type="text" id="signedBy" name="signedBy" maxlength="100" value="${v('answer', 'signedBy')}">
<p class="muted">${verb}会发送给代表，并请代表评价。</p>
<button type="submit">记录${verb}</button></form>`,
    );
    forms.push(html`<h2 id="return">退回</h2>
<form method="post" action="/console/suggestions/${s.code}/return" class="box">${csrfField(viewer)}${errorFor('return')}
${openChoice('return', 'organ', '退回的单位', false)}
<label for="return-reason">退回理由（会发给代表）</label><textarea id="return-reason" name="reason" maxlength="500" required>${v('return', 'reason')}</textarea>
<p class="muted">单位认为不属于其职责时退回。没有其他单位办理时，本件回到“待交办”，请重新交办。</p>
<button type="submit" class="secondary">记录退回</button></form>`);
    forms.push(html`<h2 id="transfer">改办</h2>
<form method="post" action="/console/suggestions/${s.code}/transfer" class="box">${csrfField(viewer)}${errorFor('transfer')}
${openChoice('transfer', 'from', '原单位', false)}
<label for="transfer-to">改由哪个单位办理</label><select id="transfer-to" name="to" required>${organOptions(v('transfer', 'to', pickedName))}</select>
<label for="transfer-reason">改办理由（会发给代表）</label><textarea id="transfer-reason" name="reason" maxlength="500" required>${v('transfer', 'reason')}</textarea>
<p class="muted">新单位的答复期限自今天起重新计算，新单位和代表都会收到通知。</p>
<button type="submit" class="secondary">改办</button></form>`);
  }
  // 督办 by the office (as POST /api/suggestions/{code}/supervision): to every organ still handling it.
  if (handling && open.length > 0) {
    forms.push(html`<h2 id="supervise">督办</h2>
<form method="post" action="/console/suggestions/${s.code}/supervise" class="box">${csrfField(viewer)}${errorFor('supervise')}
<p class="muted">督办意见会发给正在办理的${open.map((a) => `${a.organ}（${roleLabel(a.role)}）`).join('、')}的联系人；已提醒两次仍未答复的单位，同时发给单位负责人。代表不会收到。</p>
<label for="supervise-note">督办意见</label><textarea id="supervise-note" name="note" maxlength="${MAX_SUPERVISION_NOTE}" required>${v('supervise', 'note')}</textarea>
<button type="submit" class="secondary">发出督办</button></form>`);
  }
  // 网上公开 (as on 答复审核): never a 涉密 item; publishing needs the confirmation ticked.
  if (!s.secret || extras.published) {
    const withhold =
      form?.which === 'publication' ? v('publication', 'withholdName') === '1' : extras.withholdName;
    forms.push(html`<h2 id="publication">网上公开</h2>
<form method="post" action="/console/suggestions/${s.code}/publication" class="box">${csrfField(viewer)}${errorFor('publication')}
<p>${publicationText(extras, s.secret)}</p>
${
  s.secret
    ? ''
    : html`<label class="check"><input type="checkbox" name="withholdName" value="1"${checked(withhold)}> 不公开代表姓名（代表要求时勾选）</label>
<label class="check"><input type="checkbox" name="confirm" value="1"${checked(v('publication', 'confirm') === '1')}> 确认公开到网上</label>
<p class="muted">公开后，任何人都能在公开页面看到本件的标题、承办单位、办理状态和答复摘要。</p>
<button type="submit" name="publish" value="1">${extras.published ? '保存公开设置' : '网上公开'}</button>`
}
${extras.published ? html` <button type="submit" name="publish" value="0" class="secondary">撤下</button>` : ''}
</form>`);
  }

  // 涉密 marked or lifted after filing (as PATCH /api/suggestions/{code}), with the reason in the history.
  forms.push(html`<h2 id="secret">涉密标记</h2>
<form method="post" action="/console/suggestions/${s.code}/secret" class="box">${csrfField(viewer)}${errorFor('secret')}
<p class="muted">${
    s.secret
      ? '本件已标为涉密：内容只在本页显示，不通过企业微信、钉钉发送，也不能公开。确认不涉密后，可以取消标记。'
      : '标为涉密后，内容只在本页显示，不再通过企业微信、钉钉发送，不出现在列表和公开页面；已发出的消息不会收回。'
  }</p>
<input type="hidden" name="secret" value="${s.secret ? 'false' : 'true'}">
<label for="secret-reason">理由（记入办理记录，例如：涉及未公开的规划）</label><textarea id="secret-reason" name="reason" maxlength="${MAX_SECRET_REASON}" required>${v('secret', 'reason')}</textarea>
<button type="submit" class="secondary">${s.secret ? '取消涉密标记' : '标为涉密'}</button></form>`);

  // On a phone the forms lie far below the facts: a line of links jumps to each.
  const jumps = forms
    .map((f) => /<h2 id="(\w+)">([^<]+)<\/h2>/.exec(f.value))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => html`<a href="#${m[1]!}">${m[2]!}</a>`);

  const reviewText =
    s.review === null
      ? null
      : s.review.state === 'accepted'
        ? '已立案'
        : s.review.state === 'not_accepted'
          ? `不予立案。理由：${s.review.reason ?? ''}`
          : `已合并办理。理由：${s.review.reason ?? ''}`;
  const mergedInto = (s.history as { action?: string; detail?: { into?: unknown } }[]).find(
    (h) => h.action === 'merged',
  )?.detail?.into;

  // A refused form: its message at the top, where the page opens, with a link down to the form.
  const refused = form
    ? refusedFormAlert({
        label: form.which === 'answer' && report ? '反馈' : FORM_LABEL[form.which],
        anchor: forms.some((f) => f.value.includes(`id="${form.which}"`)) ? form.which : null,
        message: form.error,
      })
    : '';

  sendPage(
    c,
    { title: `${s.kind} ${s.code}`, active: 'suggestions', notice: itemNotice(c.ctx.query.done) },
    html`${PHONE_STYLESHEET}${refused}${jumps.length > 0 ? html`<nav class="actions" aria-label="办理">${jumps}</nav>` : ''}<dl class="facts">
<dt>状态</dt><dd>${s.statusLabel}${s.round > 1 ? `，第 ${s.round} 轮办理` : ''}${extras.pending.length > 0 ? html` <span class="tag warn">答复待审核</span>` : ''}${s.keySupervision ? html` <span class="tag warn">重点督办</span>` : ''}</dd>
${extras.pending.length > 0 ? html`<dt>待审核</dt><dd>${waitingText(extras.pending)}${reviewLink}</dd>` : ''}
<dt>网上公开</dt><dd>${publicationText(extras, s.secret)}</dd>
${reviewText ? html`<dt>立案审查</dt><dd class="pre">${reviewText}${typeof mergedInto === 'string' ? html`（并入 <a class="code" href="/console/suggestions/${mergedInto}">${mergedInto}</a>）` : ''}</dd>` : ''}
${s.ratingLabel ? html`<dt>评价</dt><dd>${s.ratingLabel}</dd>` : ''}
<dt>代表</dt><dd>${s.deputies.map((d) => `${d.name}${d.author ? '' : '（附议或合并）'}`).join('、')}</dd>
<dt>提交日期</dt><dd>${formatDate(s.submittedOn)}</dd>
${s.enteredBy ? html`<dt>代录</dt><dd>${s.enteredBy}</dd>` : ''}
${s.secret ? html`<dt>密级</dt><dd><span class="tag bad">涉密</span> 内容只在本页显示，不在列表、消息和其他地方显示。</dd>` : ''}
<dt>标题</dt><dd>${s.title ?? html`<span class="muted">未设（列表显示内容第一行）</span>`}</dd>
${s.category ? html`<dt>分类</dt><dd>${s.category}</dd>` : ''}
<dt>内容</dt><dd class="pre">${s.content ?? ''}</dd>
${s.photoViews.length > 0 ? html`<dt>${s.photoViews.every((p) => p.kind === 'image') ? '照片' : '附件'}</dt><dd>${attachmentsCount(s.photos)}${s.photoViews.map((p) => photoFigure(s.code, p))}</dd>` : ''}
${s.location ? html`<dt>位置</dt><dd>${locationText(s.location)}</dd>` : ''}
${answerFiles.map((a) => html`<dt>${a.organ}答复附件${a.status === 'approved' ? '' : a.status === 'pending_review' ? '（待审核）' : a.status === 'returned' ? '（已退回）' : '（协办意见）'}</dt><dd>${a.files.map((f) => html`<a href="${fileHref(s.code, a.answerId, f.index)}" download>${f.name}</a>（${sizeText(f.size)}） `)}</dd>`)}
</dl>
<h2>承办单位</h2>
${
  s.assignments.length === 0
    ? html`<p class="muted">尚未交办。</p>`
    : listTable(
        [
          { label: '单位' },
          { label: '轮次' },
          { label: '交办日' },
          { label: '答复期限' },
          { label: '状态' },
          { label: '答复' },
        ],
        s.assignments.map((a, i) => {
          const { pending, sent } = extras.byAssignment[i] ?? { pending: null, sent: null };
          return [
            `${a.organ}（${roleLabel(a.role)}）`,
            a.round,
            html`<span class="nowrap">${formatDate(a.assignedOn)}</span>`,
            a.status === 'open' ? dueCell(a) : a.dueOn ? dateText(a.dueOn, a.dueProvisional) : '—',
            html`${ASSIGNMENT_STATUS[a.status] ?? a.status}${a.endedReason ? html`<br><span class="muted">${plainBrackets(a.endedReason)}</span>` : ''}`,
            pending
              ? html`<span class="tag warn">已提交，待审核</span> ${reviewLink}<div class="pre">${answerText(pending.fields, pending)}</div>`
              : a.answer
                ? html`<div class="pre">${answerText(a.answer, sent)}
答复日：${formatDate(a.answer.answeredOn)}</div>`
                : '—',
          ];
        }),
      )
}
${forms}
<h2>办理记录</h2>
<ol class="wb-list" aria-label="办理记录">
${history.map((h) => historyEntry(h, deps.config.timezone))}
</ol>
<p><a href="/console/suggestions">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

/**
 * An answer as lines with the words of the organ's own form (no brackets inside brackets), then what the
 * organ sent with it: the result class, 文号 and 联系人.
 */
function answerText(
  f: {
    done?: string | null;
    planned?: string | null;
    plannedBy?: string | null;
    cannot?: string | null;
    cannotReason?: string | null;
    signedBy?: string | null;
  },
  sent: Pick<OrganAnswer, 'resultClass' | 'resultLabel' | 'docNo' | 'contact'> | null,
): string {
  const lines = [
    f.done ? `已办理的情况：${f.done}` : null,
    f.planned ? `计划办理的事项：${f.planned}` : null,
    f.plannedBy ? `落实时限：${formatDate(f.plannedBy)}` : null,
    f.cannot ? `不能办理的事项：${f.cannot}` : null,
    f.cannotReason ? `不能办理的原因：${f.cannotReason}` : null,
    f.signedBy ? `签发人：${f.signedBy}` : null,
    sent?.resultClass ? `办理结果分类：${sent.resultClass} 类，${sent.resultLabel ?? ''}` : null,
    sent?.docNo ? `文号：${sent.docNo}` : null,
    sent?.contact ? `联系人：${sent.contact}` : null,
  ];
  return lines.filter((l) => l !== null).join('\n');
}

/** The confirmations of this page's own changes, beside the console's (never user text in a URL). */
const ITEM_NOTICES: Record<string, string> = {
  published: '已公开到网上，公开页面现在可以看到本件。',
  unpublished: '已从公开页面撤下。',
  supervised: '督办已发出，正在办理的单位的联系人会收到督办意见。',
  markedSecret: '已标为涉密：内容只在本页显示，不再通过企业微信、钉钉发送。',
  unmarkedSecret: '已取消涉密标记。',
  supervisedLeaders:
    '督办已发出，正在办理的单位的联系人会收到督办意见；已提醒多次仍未答复的单位，同时发给了单位负责人。',
};
const itemNotice = (key: unknown): string | null =>
  noticeOf(key) ?? (typeof key === 'string' && Object.hasOwn(ITEM_NOTICES, key) ? ITEM_NOTICES[key]! : null);

/** The organ an answer is recorded for, when its own answer already waits for review; null otherwise. */
async function heldForReview(c: PageContext, code: string, organ: string): Promise<string | null> {
  const s = await oneForStaff(c.deps, code, scopeOf(c.viewer.principal), c.today);
  if (!s) return null;
  const open = s.assignments.filter((a) => a.round === s.round && a.status === 'open');
  const target = organ !== '' ? organ : open.length === 1 ? open[0]!.organ : null;
  if (target === null) return null;
  const { pending } = await itemExtras(c, s);
  return pending.some((a) => a.organ === target) ? target : null;
}

/** Whether the item is on the public pages, in words. */
function publicationText(p: { published: boolean; withholdName: boolean }, secret: boolean): SafeHtml {
  if (secret)
    return p.published
      ? html`<span class="tag bad">涉密</span> 涉密事项不在公开页面显示，请撤下。`
      : html`涉密事项，不能公开。`;
  if (!p.published) return html`未公开。`;
  return html`<span class="tag">已公开</span> ${p.withholdName ? '不公开代表姓名。' : '公开代表姓名。'}<a href="/public">看公开页面</a>`;
}

interface HistoryEntry {
  at: string;
  actorName: string | null;
  actor: string;
  summary: string;
  reason: string | null;
}

/** One line of 办理记录: when, what (who did it only when the words do not already say), and why if given. */
function historyEntry(h: HistoryEntry, timeZone: string): SafeHtml {
  const who = h.actorName ?? h.actor;
  const named = who !== '' && h.summary.includes(who);
  return html`<li class="wb-item"><p class="muted"><span class="nowrap">${dateTime(h.at, timeZone)}</span>${named ? '' : html` · 经办：${who}`}</p>
<p class="wb-pre">${h.summary}</p>${
    h.reason
      ? html`
<p class="wb-pre">理由：${h.reason}</p>`
      : ''
  }</li>
`;
}

/** One photo on an item's page: the image when it was kept, otherwise what became of it. */
function photoFigure(code: string, p: PhotoView): SafeHtml {
  const src = `/console/suggestions/${code}/photos/${p.index}`;
  // A video or a file is named as such (a file with its name); each is kept and offered alike.
  const label = `${p.kind === 'video' ? '视频' : p.kind === 'file' ? '文件' : '照片'} ${p.index}${p.fileName ? `（${p.fileName}）` : ''}`;
  if (p.status === 'fetched') {
    return p.kind === 'image' && INLINE_TYPES.has(p.contentType ?? '')
      ? html`<figure class="photo"><a href="${src}"><img src="${src}" alt="${label}" width="240" loading="lazy"></a><figcaption>${label}</figcaption></figure>`
      : html`<p>${label}：<a href="${src}">下载</a></p>`;
  }
  return html`<p class="photo-missing">${label}：<span class="tag${p.status === 'pending' ? ' warn' : ' bad'}">${p.statusText}</span></p>`;
}

/** Picture types a browser shows inline; anything else is only offered as a download. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp']);
const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};

interface ProxyForm {
  error: string;
  values: Record<string, string>;
  code: number;
}

/** 代录: an item entered for a deputy who handed it in on paper, by phone or in person. */
async function proxyPage(c: PageContext, form?: ProxyForm): Promise<void> {
  const congresses = (await visibleCongresses(c.deps, c.viewer.principal)).filter(isLiveCongress);
  const v = (n: string, d = '') => (form ? (form.values[n] ?? '') : d);
  sendPage(
    c,
    { title: '代录建议、批评和意见', active: 'suggestions', error: form?.error ?? null },
    html`<form method="post" action="/console/suggestions/new" class="box">${csrfField(c.viewer)}
${
  congresses.length > 1
    ? html`<label for="congress">人大</label><select id="congress" name="congress"><option value="">请选择</option>${congresses.map(
        (x) => html`<option value="${x.id}"${sel(v('congress') === String(x.id))}>${x.name}</option>`,
      )}</select>`
    : ''
}
<label for="deputy">代表（姓名、企业微信或钉钉账号、手机号）</label><input type="text" id="deputy" name="deputy" maxlength="100" required value="${v('deputy')}">
<label for="kind">类别</label><select id="kind" name="kind">${(['建议', '批评', '意见'] as const).map(
      (k) => html`<option value="${k}"${sel(v('kind', '建议') === k)}>${k}</option>`,
    )}</select>
<label for="content">内容（第一行作为列表中的标题）</label><textarea id="content" name="content" maxlength="${MAX_CONTENT}" required rows="8">${v('content')}</textarea>
<label class="check"><input type="checkbox" name="secret" value="true"${checked(v('secret') === 'true')}> 涉密（内容不通过企业微信、钉钉发送）</label>
<p class="muted">代录后，代表本人会收到通知：“工作人员已代您录入……”。</p>
<button type="submit">代录</button></form>
<p><a href="/console/suggestions">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

const codeOf = (c: PageContext) => String(c.ctx.params.code ?? '');

export const suggestionPages: ConsoleModule = (r) => {
  r.get('/suggestions', 'staff', listPage);
  r.get('/suggestions/new', 'staff', (c) => proxyPage(c));
  r.post('/suggestions/new', 'staff', async (c, form) => {
    const values = {
      congress: field(form, 'congress'),
      deputy: field(form, 'deputy'),
      kind: field(form, 'kind'),
      content: field(form, 'content'),
      secret: field(form, 'secret'),
    };
    const refuse = (error: string, status = 400) => proxyPage(c, { error, values, code: status });
    const bad =
      checkText('代表', values.deputy, { required: true, max: 100 }) ??
      checkText('内容', values.content, { required: true, max: MAX_CONTENT }) ??
      (['建议', '批评', '意见'].includes(values.kind) ? null : '请选择类别');
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const congresses = await visibleCongresses(c.deps, p);
    let scope = scopeOf(p);
    if (values.congress === '' && congresses.filter(isLiveCongress).length > 1) return refuse('请选择人大');
    if (values.congress !== '') {
      const chosen = congresses.find((x) => String(x.id) === values.congress);
      if (!chosen) return refuse('请选择人大');
      scope = [chosen.id];
    }
    let created = '';
    const res = await attempt(async () => {
      const deputy = await resolveDeputy(c.deps.db, values.deputy, scope);
      const actor = consoleActor(p);
      const out = await submitSuggestion(c.deps, {
        deputy,
        kind: values.kind as '建议' | '批评' | '意见',
        content: values.content,
        photos: [],
        secret: values.secret === 'true',
        enteredBy: actor,
        actor,
      });
      created = out.item.code;
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${created}`, 'entered');
  });
  r.get('/suggestions/:code', 'staff', (c) => itemPage(c, codeOf(c)));

  // A kept photo's bytes, for the item's page: only within the viewer's congresses, never sniffed.
  r.get('/suggestions/:code/photos/:n', 'staff', async (c) => {
    const code = codeOf(c);
    const n = String(c.ctx.params.n ?? '');
    const missing = () => new AppError('not_found', `事项 ${code} 没有第 ${n} 张已保存的照片。`);
    if (!CODE_RE.test(code) || !/^[1-9]\d{0,2}$/.test(n)) throw missing();
    const photo = await photoForStaff(c.deps, code, Number(n), scopeOf(c.viewer.principal));
    if (!photo) throw missing();
    const inline = INLINE_TYPES.has(photo.contentType);
    const name = `${code}-${n}.${EXTENSION[photo.contentType] ?? 'bin'}`;
    c.ctx.status = 200;
    c.ctx.set('Content-Type', inline ? photo.contentType : 'application/octet-stream');
    c.ctx.set('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`);
    c.ctx.set('X-Content-Type-Options', 'nosniff');
    c.ctx.set('Cache-Control', 'private, no-store');
    c.ctx.body = Buffer.from(photo.content);
  });

  // Each form: the item must be visible first (404 otherwise); a refusal shows the form again.
  const visible = async (c: PageContext) => {
    const code = codeOf(c);
    if (!CODE_RE.test(code) || !(await oneForStaff(c.deps, code, scopeOf(c.viewer.principal), c.today)))
      throw new AppError('not_found', `没有编号为 ${code} 的事项。`);
    return code;
  };

  r.post('/suggestions/:code/assign', 'staff', async (c, form) => {
    const code = await visible(c);
    const assisting = form
      .getAll('assisting')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    const values = { lead: field(form, 'lead'), assisting: assisting.join('\n') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'assign', error, values, code: status });
    const bad =
      (values.lead === '' ? '请选择承办单位' : null) ??
      checkText('承办单位', values.lead, { max: 100 }) ??
      (assisting.length > 20 ? '协办单位最多 20 个' : null) ??
      (assisting.includes(values.lead) ? '承办单位不必同时选为协办单位' : null);
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await assignSuggestion(c.deps, {
        code,
        organs: { lead: values.lead, assisting },
        actor: consoleActor(p),
        scope: scopeOf(p),
        audit: auditSourceOf(c.ctx, 'console'),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'assigned');
  });

  // 登记新单位 from the 交办 form: the register is shared by every congress (as PUT /api/organs/{名称}).
  r.post('/suggestions/:code/organs', 'staff', async (c, form) => {
    const code = await visible(c);
    const names = ['name', 'contactName', 'contactMobile', 'wecomUserid'] as const;
    const values = Object.fromEntries(names.map((n) => [n, field(form, n)])) as Record<
      (typeof names)[number],
      string
    >;
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'organ', error, values, code: status });
    if (!mayChangeShared(c.viewer.principal)) return refuse(SHARED_DATA_REFUSAL, 403);
    const bad =
      checkText('单位名称', values.name, { required: true, max: 100 }) ??
      checkText('联系人', values.contactName, { max: 100 }) ??
      (values.contactMobile === '' || /^[0-9+\-\s]{5,20}$/.test(values.contactMobile)
        ? null
        : '联系电话应为 5 到 20 位数字') ??
      checkText('企业微信账号', values.wecomUserid, { max: 100 });
    if (bad) return refuse(bad);
    if (await organByName(c.deps.db, values.name))
      return refuse(`单位“${values.name}”已经登记，请直接从列表中选择。`, 409);
    const { organ } = await registerOrgan(
      c.deps,
      values.name,
      {
        contactName: values.contactName || null,
        contactMobile: values.contactMobile || null,
        contactWecom: values.wecomUserid || null,
        contactDingtalk: null,
      },
      { actor: actorOf(c.viewer.principal), requestId: c.ctx.state.requestId ?? null },
    );
    markAudited(c.ctx);
    redirectAfter(c.ctx, `/console/suggestions/${code}?organ=${organ.id}`, 'organAdded');
  });

  // 立案审查 (optional before 交办): accept, 不予立案 with a reason, or merge into another item.
  r.post('/suggestions/:code/review', 'staff', async (c, form) => {
    const code = await visible(c);
    const names = ['title', 'category', 'key', 'decision', 'into', 'reason'] as const;
    const values = Object.fromEntries(names.map((n) => [n, field(form, n)])) as Record<
      (typeof names)[number],
      string
    >;
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'review', error, values, code: status });
    const d = values.decision;
    const bad =
      (['accept', 'not_accepted', 'merge'].includes(d) ? null : '请选择审查结论') ??
      checkText('标题', values.title, { max: MAX_TITLE }) ??
      checkText('分类', values.category, { max: MAX_CATEGORY }) ??
      (d === 'not_accepted' && values.reason === '' ? '请填写不予立案的理由' : null) ??
      (d === 'merge' && values.into === '' ? '请填写要合并到的建议编号' : null) ??
      (d === 'merge' && !CODE_RE.test(values.into.toUpperCase())
        ? '合并到的编号应形如 JY-2026-0001'
        : null) ??
      (d === 'merge' && values.reason === '' ? '请填写合并办理的理由' : null) ??
      checkText('理由', values.reason, { max: MAX_REVIEW_REASON });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const review: ReviewDecision =
      d === 'accept'
        ? { decision: 'accept' }
        : d === 'merge'
          ? { decision: 'merge', into: values.into, reason: values.reason }
          : { decision: 'not_accepted', reason: values.reason };
    const res = await attempt(async () => {
      await reviewSuggestion(c.deps, {
        code,
        review,
        details: { title: values.title, category: values.category, keySupervision: values.key === 'true' },
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(
      c.ctx,
      `/console/suggestions/${code}`,
      d === 'accept' ? 'accepted' : d === 'merge' ? 'merged' : 'notAccepted',
    );
  });

  r.post('/suggestions/:code/details', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = {
      title: field(form, 'title'),
      category: field(form, 'category'),
      key: field(form, 'key'),
    };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'details', error, values, code: status });
    const bad =
      checkText('标题', values.title, { max: MAX_TITLE }) ??
      checkText('分类', values.category, { max: MAX_CATEGORY });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await setSuggestionDetails(c.deps, {
        code,
        details: { title: values.title, category: values.category, keySupervision: values.key === 'true' },
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'details');
  });

  // 退回: an organ sends its assignment back, with its reason (as POST /api/suggestions/{code}/returns).
  r.post('/suggestions/:code/return', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = { organ: field(form, 'organ'), reason: field(form, 'reason') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'return', error, values, code: status });
    const bad =
      (values.organ === '' ? '请选择退回的单位' : null) ??
      checkText('单位', values.organ, { max: 100 }) ??
      (values.reason === '' ? '请填写退回的理由' : null) ??
      checkText('退回理由', values.reason, { max: 500 });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await returnAssignment(c.deps, {
        code,
        organ: values.organ,
        reason: values.reason,
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'returned');
  });

  // 改办: an organ's assignment moves to another organ (as POST /api/suggestions/{code}/transfers).
  r.post('/suggestions/:code/transfer', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = { from: field(form, 'from'), to: field(form, 'to'), reason: field(form, 'reason') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'transfer', error, values, code: status });
    const bad =
      (values.from === '' ? '请选择原单位' : null) ??
      (values.to === '' ? '请选择改由哪个单位办理' : null) ??
      (values.to === values.from ? '改办的单位应与原单位不同' : null) ??
      checkText('单位', values.to, { max: 100 }) ??
      (values.reason === '' ? '请填写改办的理由' : null) ??
      checkText('改办理由', values.reason, { max: 500 });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await transferAssignment(c.deps, {
        code,
        from: values.from,
        to: values.to,
        reason: values.reason,
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'transferred');
  });

  r.post('/suggestions/:code/extend', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = {
      organ: field(form, 'organ'),
      date: field(form, 'date'),
      reason: field(form, 'reason'),
      approvedBy: field(form, 'approvedBy'),
    };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'extend', error, values, code: status });
    const date = readDateField('新的答复期限', values.date, true);
    if (date.date !== undefined) values.date = date.date;
    const bad =
      date.error ??
      checkText('理由', values.reason, { required: true, max: 500 }) ??
      checkText('批准人', values.approvedBy, { max: 100 }) ??
      checkText('单位', values.organ, { max: 100 });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await extendSuggestion(c.deps, {
        code,
        date: values.date,
        reason: values.reason,
        organ: values.organ || undefined,
        approvedBy: values.approvedBy || undefined,
        actor: consoleActor(p),
        scope: scopeOf(p),
        audit: auditSourceOf(c.ctx, 'console'),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'extended');
  });

  // 督办: the office urges the organs still handling the item (as POST /api/suggestions/{code}/supervision).
  r.post('/suggestions/:code/supervise', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = { note: field(form, 'note') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'supervise', error, values, code: status });
    const bad =
      (values.note === '' ? '请填写督办意见，再发出督办。' : null) ??
      checkText('督办意见', values.note, { max: MAX_SUPERVISION_NOTE });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    let escalated = false;
    const res = await attempt(async () => {
      const done = await superviseItem(c.deps, {
        code,
        note: values.note,
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
      escalated = done.escalated.length > 0;
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, escalated ? 'supervisedLeaders' : 'supervised');
  });

  r.post('/suggestions/:code/secret', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = { reason: field(form, 'reason'), secret: field(form, 'secret') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'secret', error, values, code: status });
    if (values.secret !== 'true' && values.secret !== 'false') return refuse('请从本件的页面重新操作。');
    const bad =
      (values.reason === '' ? '请填写理由，再保存涉密标记。' : null) ??
      checkText('理由', values.reason, { max: MAX_SECRET_REASON });
    if (bad) return refuse(bad);
    const secret = values.secret === 'true';
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await markSecret(c.deps, {
        code,
        secret,
        reason: values.reason,
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, secret ? 'markedSecret' : 'unmarkedSecret');
  });

  // 网上公开 from the item's page: the call 答复审核 makes, after the confirmation was ticked.
  r.post('/suggestions/:code/publication', 'staff', async (c, form) => {
    const code = await visible(c);
    const values = {
      publish: field(form, 'publish'),
      withholdName: field(form, 'withholdName'),
      confirm: field(form, 'confirm'),
    };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'publication', error, values, code: status });
    const publish = values.publish === '1';
    if (publish && values.confirm !== '1') return refuse('请先勾选「确认公开到网上」，再点「网上公开」。');
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await setItemPublication(c.deps, {
        code,
        publish,
        // 撤下 keeps what was chosen about the names (a deputy may have asked in chat).
        withholdName: publish ? values.withholdName === '1' : undefined,
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, publish ? 'published' : 'unpublished');
  });

  r.post('/suggestions/:code/answer', 'staff', async (c, form) => {
    const code = await visible(c);
    const names = ['organ', 'done', 'planned', 'plannedBy', 'cannot', 'cannotReason', 'signedBy'] as const;
    const values = Object.fromEntries(names.map((n) => [n, field(form, n)])) as Record<
      (typeof names)[number],
      string
    >;
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'answer', error, values, code: status });
    const plannedBy = readDateField('落实时限', values.plannedBy);
    if (plannedBy.date !== undefined) values.plannedBy = plannedBy.date;
    const bad =
      checkText('已办理的情况', values.done, { max: 5000 }) ??
      checkText('计划办理的事项', values.planned, { max: 5000 }) ??
      checkText('不能办理的事项', values.cannot, { max: 5000 }) ??
      checkText('不能办理的原因', values.cannotReason, { max: 2000 }) ??
      checkText('签发人', values.signedBy, { max: 100 }) ??
      checkText('单位', values.organ, { max: 100 }) ??
      plannedBy.error;
    if (bad) return refuse(bad);
    // An organ's answer waiting for review is decided on 答复审核, never answered a second time here.
    const held = await heldForReview(c, code, values.organ);
    if (held)
      return refuse(
        `${held}的答复已提交，正等待审核，不能再记录一份答复。请到「答复审核」通过或退回修改。`,
        409,
      );
    const p = c.viewer.principal;
    const orNull = (s: string) => (s === '' ? null : s);
    const res = await attempt(async () => {
      const out = await answerSuggestion(c.deps, {
        code,
        organ: values.organ || undefined,
        fields: {
          done: orNull(values.done),
          planned: orNull(values.planned),
          plannedBy: orNull(values.plannedBy),
          cannot: orNull(values.cannot),
          cannotReason: orNull(values.cannotReason),
          signedBy: orNull(values.signedBy),
        },
        actor: consoleActor(p),
        scope: scopeOf(p),
        audit: auditSourceOf(c.ctx, 'console'),
      });
      // The deputies asked to rate it may reply 满意 / 不满意 in chat without its code (CONTRACT §3).
      await rememberLastItem(c.deps.store, c.deps.clock, out.askedToRate, out.item.code);
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'answered');
  });
};
