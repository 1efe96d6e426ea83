import { createHash } from 'node:crypto';
import { namesOfActors } from '../../db/repositories/console-lists.ts';
import { findLeaveByCode, type LeaveDetail, listLeave } from '../../db/repositories/leave.ts';
import { isLiveCongress } from '../../db/repositories/mandates.ts';
import { listOpenSessions } from '../../db/repositories/sessions.ts';
import { findDeputySeats } from '../../db/repositories/suggestions.ts';
import type { LeaveStatus } from '../../db/schema.ts';
import { auditSourceOf, markAudited } from '../api/audit-trail.ts';
import { actorOf, hasRole } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { renderLeaveForm } from '../print/leave-form.ts';
import { declineActivity } from '../services/activities/index.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import {
  decideLeave,
  recordReturnedDecision,
  STATUS_TEXT,
  submitSessionLeave,
} from '../services/leave/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { confirmed, confirmForm, wentBack } from './confirm-step.ts';
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
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  type PostHandler,
  param,
  redirectAfter,
  sendPage,
} from './page-context.ts';
import { PHONE_STYLESHEET, phoneSort, refusedFormAlert, type SortChoice, sortQuery } from './phone-kit.ts';
import { scopeOf, visibleCongresses } from './scope.ts';
import { dateTime, SEARCH_MAX } from './text.ts';

// 请假 (山西 第八条 S5; 大同 第十一条 S4): the list, one request with its written form (请假单), the
// 批准 / 不批准 forms for approvers, recorded as the deciding body decided (the bot records, it does not decide),
// and, for a request forwarded to the provincial body, the decision it came back with, recorded by staff.

const STATUSES = Object.keys(STATUS_TEXT) as LeaveStatus[];
const CODE_RE = wholeCodeOf('QJ');
const ACTIVITY_RE = wholeCodeOf('HD');

// The printable form's one inline handler (its print button), allowed by its hash and nothing else.
const PRINT_HASH = createHash('sha256').update('window.print()').digest('base64');
const FORM_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-hashes' 'sha256-${PRINT_HASH}'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;

const statusTag = (s: LeaveStatus) =>
  html`<span class="tag${s === 'pending' ? ' warn' : s === 'rejected' ? ' bad' : ''}">${STATUS_TEXT[s]}</span>`;

async function visibleRequest(c: PageContext): Promise<LeaveDetail> {
  const code = String(c.ctx.params.code ?? '');
  const r = CODE_RE.test(code) ? await findLeaveByCode(c.deps.db, code) : undefined;
  const bound = c.viewer.principal.congressId;
  if (!r || (bound !== null && r.congress_id !== bound))
    throw new AppError('not_found', `没有请假 ${code}。`);
  return r;
}

const PAGE_SIZE = 50;
const SORTS = ['code', 'submitted', 'status'] as const;
/** The orders the phone's sort control offers (the column headers, hidden on a phone, offer the same). */
const SORT_CHOICES: SortChoice[] = [
  { sort: 'submitted', dir: 'desc', label: '提出日期：最新的在前' },
  { sort: 'submitted', dir: 'asc', label: '提出日期：最早的在前' },
  { sort: 'code', dir: 'desc', label: '编号：从大到小' },
  { sort: 'code', dir: 'asc', label: '编号：从小到大' },
  { sort: 'status', dir: 'asc', label: '状态：待决定的在前' },
  { sort: 'status', dir: 'desc', label: '状态：待决定的在后' },
];
export const LEAVE_COLUMNS: Column[] = [
  { label: '编号', sort: 'code' },
  { label: '代表' },
  { label: '会议或活动' },
  { label: '决定机关' },
  { label: '提出日期', sort: 'submitted' },
  { label: '状态', sort: 'status' },
];

export const leaveRow = (r: LeaveDetail): Interpolated[] => [
  html`<a class="code" href="/console/leave/${r.code}">${r.code}</a>`,
  r.deputy_name,
  r.session_name ?? r.activity_title ?? '',
  r.deciding_body_label,
  html`<span class="nowrap">${formatDate(r.submitted_on)}</span>`,
  statusTag(r.status),
];

async function listPage(c: PageContext): Promise<void> {
  const status = param(c.ctx, 'status');
  if (status !== undefined && !STATUSES.includes(status as LeaveStatus))
    throw new AppError('bad_request', '状态筛选不正确。');
  const q = param(c.ctx, 'q');
  const { by, dir } = sortOf(sortQuery(c.ctx.query), SORTS);
  let rows = await listLeave(c.deps.db, {
    status: status as LeaveStatus | undefined,
    congressId: c.viewer.principal.congressId ?? undefined,
  });
  if (q) {
    const words = q.toLowerCase().split(/\s+/);
    rows = rows.filter((r) => {
      const hay = [r.code, r.deputy_name, r.session_name ?? '', r.activity_title ?? '', r.reason]
        .join('\n')
        .toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }
  if (by) {
    const sign = dir === 'asc' ? 1 : -1;
    const key = (r: LeaveDetail) =>
      by === 'submitted' ? r.submitted_on : by === 'status' ? String(STATUSES.indexOf(r.status)) : r.code;
    rows = [...rows].sort((a, b) => sign * (key(a).localeCompare(key(b)) || a.code.localeCompare(b.code)));
  }
  const page = pageOf(rows, param(c.ctx, 'page'), PAGE_SIZE);
  const filters = { q, status };
  sendPage(
    c,
    { title: '请假', active: 'leave' },
    html`${PHONE_STYLESHEET}<p class="actions"><a href="/console/leave/new">代录请假</a></p>
<form method="get" action="/console/leave" class="filters">
<label>搜索 <input type="search" name="q" value="${q ?? ''}" maxlength="${SEARCH_MAX}" placeholder="编号、代表、会议、事由"></label>
<label>状态 <select name="status"><option value="">全部</option>${STATUSES.map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${STATUS_TEXT[s]}</option>`,
    )}</select></label>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${rows.length} 件</p>
${rows.length > 1 ? phoneSort('/console/leave', filters, SORT_CHOICES, { by, dir }) : ''}
${
  rows.length === 0
    ? html`<p class="muted">没有符合条件的请假。</p>`
    : listTable(LEAVE_COLUMNS, page.rows.map(leaveRow), { base: '/console/leave', params: filters, by, dir })
}
${pager('/console/leave', { ...filters, sort: by, dir: by ? dir : undefined }, page.pageNo, page.pages)}`,
  );
}

interface ProxyForm {
  error: string;
  values: Record<string, string>;
  code: number;
}

/** 代录请假: a deputy's leave from a session, or from an activity they were invited to, entered by staff. */
async function proxyPage(c: PageContext, form?: ProxyForm): Promise<void> {
  const congresses = (await visibleCongresses(c.deps, c.viewer.principal)).filter(isLiveCongress);
  const sessions = await listOpenSessions(
    c.deps.db,
    congresses.map((x) => x.id),
    c.today,
  );
  const congressName = (id: number) => congresses.find((x) => x.id === id)?.name ?? '';
  const v = (n: string, d = '') => (form ? (form.values[n] ?? '') : d);
  const what = v('what', sessions.length > 0 ? 'session' : 'activity');
  sendPage(
    c,
    { title: '代录请假', active: 'leave', error: form?.error ?? null },
    html`<form method="post" action="/console/leave/new" class="box">${csrfField(c.viewer)}
<label for="deputy">代表（姓名、企业微信或钉钉账号、手机号）</label><input type="text" id="deputy" name="deputy" maxlength="100" required value="${v('deputy')}">
<fieldset><legend>请假参加的是</legend>
<label class="check"><input type="radio" name="what" value="session"${what === 'session' ? html` checked` : ''}> 会议</label>
<label class="check"><input type="radio" name="what" value="activity"${what === 'activity' ? html` checked` : ''}> 代表活动（受邀的活动）</label>
</fieldset>
<label for="session">会议（选“会议”时选择）</label><select id="session" name="session"><option value="">请选择会议</option>${sessions.map(
      (x) =>
        html`<option value="${x.name}"${v('session') === x.name ? html` selected` : ''}>${x.name}（${congresses.length > 1 ? `${congressName(x.congress_id)}，` : ''}${formatDate(x.starts_on)}）</option>`,
    )}</select>
<label for="activity">活动编号（选“代表活动”时填写，如 <span class="code">HD-2026-0001</span>）</label><input type="text" id="activity" name="activity" maxlength="20" value="${v('activity')}" autocapitalize="characters">
<label for="reason">请假事由</label><textarea id="reason" name="reason" maxlength="500" required>${v('reason')}</textarea>
<p class="muted">代录后，代表本人会收到通知，请假单转给决定机关（山西 第八条）。</p>
<button type="submit">代录请假</button></form>
<p><a href="/console/leave">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

interface DecisionForm {
  /** Why it was refused; none when the form comes back from the confirm step's 返回. */
  error?: string;
  values: Record<string, string>;
  code: number;
  /** The request was decided by someone else meanwhile: said at the top, the form no longer shown. */
  stale?: boolean;
}

const DECISION_LABEL: Record<string, string> = { approved: '批准', rejected: '不批准' };

/**
 * The two decisions this page records, with one form and one confirm step: an approver's 批准 / 不批准 on a
 * request waiting here (as POST /api/leave-requests/{code}/decision), and the decision a request forwarded to
 * the provincial body came back with, recorded by staff (as POST …/returned-decision, 山西 第八条).
 */
interface DecisionMode {
  /** The form's address below /console/leave/{code}/. */
  path: 'decision' | 'returned-decision';
  /** Whether the date must be written (a decision coming back has its own date; an approver's is today by default). */
  dateRequired: boolean;
  /** The heading above the form. */
  heading: string;
  /** Who may ask to change a decision recorded meanwhile. */
  recorder: string;
}

const DECIDE: DecisionMode = {
  path: 'decision',
  dateRequired: false,
  heading: '记录决定',
  recorder: '审批人',
};
const RETURNED: DecisionMode = {
  path: 'returned-decision',
  dateRequired: true,
  heading: '记录送回的决定',
  recorder: '记录人',
};

/** Why a decision just submitted was not recorded: who recorded which decision, when, instead. */
async function staleDecisionText(
  c: PageContext,
  r: LeaveDetail,
  mine: string,
  mode: DecisionMode,
): Promise<string> {
  const who = r.recorded_by
    ? (await namesOfActors(c.deps.db, [r.recorded_by])).get(r.recorded_by)
    : undefined;
  const when = r.recorded_at ? dateTime(r.recorded_at, c.deps.config.timezone) : null;
  const decided = r.decided_on ? `，决定日期 ${formatDate(r.decided_on)}` : '';
  const by = `${who ? `由「${who}」` : `由其他${mode.recorder}`}${when ? `于 ${when} ` : ''}`;
  const yours = DECISION_LABEL[mine] ? `您提交的「${DECISION_LABEL[mine]}」` : '您提交的决定';
  if (r.status !== 'approved' && r.status !== 'rejected')
    return `这项请假现在的状态是「${STATUS_TEXT[r.status]}」，已不能记录决定。${yours}没有记录。`;
  return `这项请假在您提交之前已${by}记录为「${STATUS_TEXT[r.status]}」${decided}。${yours}没有记录；如需更改，请与该${mode.recorder}联系。`;
}

/** The meeting or activity a request is about, as the page names it. */
const meetingOf = (r: LeaveDetail): string =>
  r.session_name ?? (r.activity_title ? `${r.activity_title}（${r.activity_code ?? ''}）` : '');

/** 批准 / 不批准 with its reason and date: the first step of either decision. */
function decisionForm(c: PageContext, r: LeaveDetail, mode: DecisionMode, form?: DecisionForm): SafeHtml {
  const v = (n: string) => form?.values[n] ?? '';
  const body = r.deciding_body_label;
  const intro =
    mode === RETURNED
      ? html`<p>这项请假已转呈<strong>${body}</strong>，由其决定，本机构不审批。收到${body}送回的决定后，在这里照实记录。</p>`
      : '';
  const dateLabel = mode.dateRequired ? `决定日期（${body}作出决定的日期）` : '决定日期（不填为今天）';
  return html`<h2 id="decide">${mode.heading}</h2>
<form method="post" action="/console/leave/${r.code}/${mode.path}" class="box">${csrfField(c.viewer)}
${form?.error && !form.stale ? html`<p class="error" role="alert">${form.error}</p>` : ''}${intro}
<fieldset><legend>${body}的决定</legend>${(['approved', 'rejected'] as const).map(
    (d) =>
      html`<label class="check"><input type="radio" name="decision" value="${d}" required${v('decision') === d ? html` checked` : ''}> ${DECISION_LABEL[d]}</label>`,
  )}</fieldset>
<label for="reason">不批准的理由（不批准时必填）</label><textarea id="reason" name="reason" maxlength="500">${v('reason')}</textarea>
<label for="decidedOn">${dateLabel}</label>${dateInput({ id: 'decidedOn', name: 'decidedOn', value: v('decidedOn'), required: mode.dateRequired })}
<p class="muted">记录${body}已作出的决定。下一步核对无误、按「确认」后才记录，代表本人随即收到通知。</p>
<button type="submit">记录决定…</button></form>`;
}

async function requestPage(c: PageContext, r: LeaveDetail, form?: DecisionForm): Promise<void> {
  const approver = hasRole(c.viewer.principal, 'approver');
  const decision =
    r.status === 'pending'
      ? approver
        ? decisionForm(c, r, DECIDE, form)
        : html`<p class="muted">待${r.deciding_body_label}决定。决定由审批人记录。</p>`
      : r.status === 'forwarded'
        ? decisionForm(c, r, RETURNED, form)
        : '';
  // A refused form: on a phone the form lies below the facts, so its message is at the top of the page
  // too, with a link down to it.
  const refused =
    form?.error && !form.stale && decision !== ''
      ? refusedFormAlert({
          label: r.status === 'forwarded' ? RETURNED.heading : DECIDE.heading,
          anchor: 'decide',
          message: form.error,
        })
      : '';
  sendPage(
    c,
    {
      title: `请假 ${r.code}`,
      active: 'leave',
      notice: noticeOf(c.ctx.query.done),
      error: form?.stale ? (form.error ?? null) : null,
    },
    html`${refused}<dl class="facts">
<dt>代表</dt><dd>${r.deputy_name}</dd>
<dt>人大</dt><dd>${r.congress_name}</dd>
<dt>会议或活动</dt><dd>${meetingOf(r)}</dd>
<dt>事由</dt><dd class="pre">${r.reason}</dd>
<dt>提出日期</dt><dd>${formatDate(r.submitted_on)}${r.entered_by_staff ? '（工作人员代录）' : ''}</dd>
<dt>决定机关</dt><dd>${r.deciding_body_label}</dd>
<dt>状态</dt><dd>${statusTag(r.status)}</dd>
${r.decided_on ? html`<dt>决定日期</dt><dd>${formatDate(r.decided_on)}</dd>` : ''}
${r.decision_reason ? html`<dt>理由</dt><dd class="pre">${r.decision_reason}</dd>` : ''}
</dl>
<p><a href="/console/leave/${r.code}/form">打开请假单（可打印）</a></p>
${decision}
<p><a href="/console/leave">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

/** A decision checked and ready to record: what the confirm step shows and sends again. */
interface CheckedDecision {
  decision: 'approved' | 'rejected';
  reason: string;
  /** YYYY-MM-DD; '' for today. */
  decidedOn: string;
}

/**
 * 批准 / 不批准, one step before it is recorded: the deputy, the meeting, the deciding body, the decision
 * and its date, with 确认 (records it) and 返回 (the form again, as filled in; nothing recorded).
 */
function decisionConfirmPage(c: PageContext, r: LeaveDetail, d: CheckedDecision, mode: DecisionMode): void {
  const label = DECISION_LABEL[d.decision]!;
  const body = r.deciding_body_label;
  const what = mode === RETURNED ? `${body}送回的决定` : `${body}的决定`;
  sendPage(
    c,
    { title: `确认${label}请假 ${r.code}`, active: 'leave' },
    confirmForm({
      action: `/console/leave/${r.code}/${mode.path}`,
      viewer: c.viewer,
      carry: { decision: d.decision, reason: d.reason, decidedOn: d.decidedOn },
      body: html`<p>请核对：确认后，${what}即被记录，<strong>${r.deputy_name}</strong>会立即收到通知，不能撤回。</p>
<dl class="facts">
<dt>代表</dt><dd>${r.deputy_name}</dd>
<dt>会议或活动</dt><dd>${meetingOf(r)}</dd>
<dt>决定机关</dt><dd>${body}</dd>
<dt>决定</dt><dd><strong class="decision-${d.decision}">${label}</strong></dd>
${d.reason === '' ? '' : html`<dt>${d.decision === 'rejected' ? '不批准的理由' : '理由'}</dt><dd class="pre">${d.reason}</dd>`}
<dt>决定日期</dt><dd>${formatDate(d.decidedOn === '' ? c.today : d.decidedOn)}</dd>
</dl>`,
      confirmLabel: `确认${label}`,
      back: { label: '返回修改' },
    }),
  );
}

/**
 * The POST of either decision: checked, shown once to confirm, then recorded by its service with its one
 * audit row (`leave.decide`, `leave.record_decision`, via 'console'). A refusal shows the form again as filled
 * in, and a request decided meanwhile says by whom.
 */
const decisionRoute =
  (mode: DecisionMode): PostHandler =>
  async (c, form) => {
    const req = await visibleRequest(c);
    const values = {
      decision: field(form, 'decision'),
      reason: field(form, 'reason'),
      decidedOn: field(form, 'decidedOn'),
    };
    const refuse = (error: string, code = 400) => requestPage(c, req, { error, values, code });
    // Someone else decided while this page was open: say who, when and what, and that this was not recorded.
    const stale = async (now: LeaveDetail) =>
      requestPage(c, now, {
        error: await staleDecisionText(c, now, values.decision, mode),
        values,
        code: 409,
        stale: true,
      });
    const open = (r: LeaveDetail) => r.status === 'pending' || r.status === 'forwarded';
    if (!open(req)) return stale(req);
    // 返回 from the confirm step: the form again as it was filled in; nothing recorded, no audit row.
    if (wentBack(form)) {
      markAudited(c.ctx);
      return requestPage(c, req, { values, code: 200 });
    }
    if (values.decision !== 'approved' && values.decision !== 'rejected')
      return refuse('请选择「批准」或「不批准」，再提交。');
    if (values.decision === 'rejected' && values.reason === '') return refuse('请填写不批准的理由。');
    const bad = checkText('理由', values.reason, { max: 500 });
    if (bad) return refuse(bad);
    const decidedOn = readDateField('决定日期', values.decidedOn, mode.dateRequired);
    if (decidedOn.error !== undefined) return refuse(decidedOn.error);
    // Checked before the confirm step, so 确认 is not followed by a refusal (the service checks again).
    const day = decidedOn.date === '' ? c.today : decidedOn.date;
    if (day > c.today) return refuse('决定日期不能晚于今天。');
    if (day < req.submitted_on)
      return refuse(`决定日期不能早于提出请假的日期（${formatDate(req.submitted_on)}）。`);
    const checked: CheckedDecision = {
      decision: values.decision,
      reason: values.reason,
      decidedOn: decidedOn.date,
    };
    // The first step only shows what would be recorded: nothing changes, so no audit row.
    if (!confirmed(form)) {
      markAudited(c.ctx);
      return decisionConfirmPage(c, req, checked, mode);
    }
    const p = c.viewer.principal;
    const common = {
      code: req.code,
      decision: checked.decision,
      reason: checked.reason === '' ? null : checked.reason,
      today: c.today,
      actor: actorOf(p),
      audit: auditSourceOf(c.ctx, 'console'),
    };
    const o =
      mode === RETURNED
        ? await recordReturnedDecision(c.deps, { ...common, decidedOn: day, tokenCongressId: p.congressId })
        : await decideLeave(c.deps, {
            ...common,
            decidedOn: checked.decidedOn === '' ? undefined : checked.decidedOn,
            by: { tokenCongressId: p.congressId },
          });
    if (!o.ok) {
      const now = await visibleRequest(c);
      if (!open(now)) return stale(now);
      return refuse(o.text, 409);
    }
    redirectAfter(c.ctx, `/console/leave/${req.code}`, mode === RETURNED ? 'returnedDecision' : 'decided');
  };

export const leavePages: ConsoleModule = (r) => {
  r.get('/leave', 'staff', listPage);
  r.get('/leave/new', 'staff', (c) => proxyPage(c));
  // 代录请假, as POST /api/leave-requests.
  r.post('/leave/new', 'staff', async (c, form) => {
    const values = {
      deputy: field(form, 'deputy'),
      what: field(form, 'what'),
      session: field(form, 'session'),
      activity: field(form, 'activity').toUpperCase(),
      reason: field(form, 'reason'),
    };
    const refuse = (error: string, code = 400) => proxyPage(c, { error, values, code });
    const bad =
      checkText('代表', values.deputy, { required: true, max: 100 }) ??
      (values.what !== 'session' && values.what !== 'activity'
        ? '请选择请假参加的是会议还是代表活动'
        : null) ??
      (values.what === 'session' && values.session === '' ? '请选择会议' : null) ??
      (values.what === 'activity' && !ACTIVITY_RE.test(values.activity)
        ? '请填写活动编号，如 HD-2026-0001'
        : null) ??
      checkText('请假事由', values.reason, { required: true, max: 500 });
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    // Leave follows the person (the service finds the seat the meeting belongs to), so a deputy of two
    // congresses needs no congress here.
    const seats = await findDeputySeats(c.deps.db, values.deputy, scopeOf(p));
    const persons = [...new Set(seats.map((x) => x.person_id))];
    if (persons.length === 0)
      return refuse(`没有找到在任代表“${values.deputy}”，请填写代表的姓名、企业微信或钉钉账号、手机号。`);
    if (persons.length > 1)
      return refuse(`有 ${persons.length} 位代表叫“${values.deputy}”，请改填其企业微信账号或手机号。`);
    const deputy = { personId: persons[0]! };
    const enteredBy = actorOf(p);
    const audit = auditSourceOf(c.ctx, 'console');
    const o =
      values.what === 'activity'
        ? await declineActivity(c.deps, {
            personId: deputy.personId,
            code: values.activity,
            reason: values.reason,
            today: c.today,
            enteredBy,
            audit,
          })
        : await submitSessionLeave(c.deps, {
            personId: deputy.personId,
            meetingName: values.session,
            reason: values.reason,
            today: c.today,
            enteredBy,
            audit,
          });
    if (!o.ok || !o.code) return refuse(o.text, 409);
    redirectAfter(c.ctx, `/console/leave/${o.code}`, 'leaveEntered');
  });
  r.get('/leave/:code', 'staff', async (c) => requestPage(c, await visibleRequest(c)));

  r.get('/leave/:code/form', 'staff', async (c) => {
    const req = await visibleRequest(c);
    c.ctx.set('Content-Security-Policy', FORM_CSP);
    c.ctx.type = 'text/html; charset=utf-8';
    c.ctx.body = renderLeaveForm(req);
  });

  // 批准 / 不批准: approvers only, as POST /api/leave-requests/{code}/decision.
  r.post('/leave/:code/decision', 'approver', decisionRoute(DECIDE));
  // The decision a forwarded request came back with: staff, as POST /api/leave-requests/{code}/returned-decision.
  r.post('/leave/:code/returned-decision', 'staff', decisionRoute(RETURNED));
};
