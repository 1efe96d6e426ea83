import { createHash } from 'node:crypto';
import { findLeaveByCode, type LeaveDetail, listLeave } from '../../db/repositories/leave.ts';
import type { LeaveStatus } from '../../db/schema.ts';
import { actorOf, hasRole } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { renderLeaveForm } from '../print/leave-form.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { decideLeave, STATUS_TEXT } from '../services/leave/index.ts';
import { isValidDate } from '../statute/calendar-date.ts';
import { formatDate } from '../statute/date-text.ts';
import { html } from './html.ts';
import { csrfField, noticeOf } from './layout.ts';
import {
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  param,
  redirectAfter,
  sendPage,
} from './page-context.ts';

// 请假 (山西 第八条 S5; 大同 第十一条 S4): the list, one request with its written form (请假单), and the
// 批准 / 不批准 forms for approvers, recorded as the deciding body decided (the bot records, it does not decide).

const STATUSES = Object.keys(STATUS_TEXT) as LeaveStatus[];
const CODE_RE = wholeCodeOf('QJ');

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

async function listPage(c: PageContext): Promise<void> {
  const status = param(c.ctx, 'status');
  if (status !== undefined && !STATUSES.includes(status as LeaveStatus))
    throw new AppError('bad_request', '状态筛选不正确。');
  const rows = await listLeave(c.deps.db, {
    status: status as LeaveStatus | undefined,
    congressId: c.viewer.principal.congressId ?? undefined,
  });
  sendPage(
    c,
    { title: '请假', active: 'leave' },
    html`<form method="get" action="/console/leave" class="filters">
<label>状态 <select name="status"><option value="">全部</option>${STATUSES.map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${STATUS_TEXT[s]}</option>`,
    )}</select></label>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${rows.length} 件</p>
<div class="scroll"><table><thead><tr><th>编号</th><th>代表</th><th>会议或活动</th><th>决定机关</th><th>提出日期</th><th>状态</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr><td><a href="/console/leave/${r.code}">${r.code}</a></td><td>${r.deputy_name}</td>
<td>${r.session_name ?? r.activity_title ?? ''}</td><td>${r.deciding_body_label}</td><td>${formatDate(r.submitted_on)}</td><td>${statusTag(r.status)}</td></tr>`,
)}
</tbody></table></div>`,
  );
}

interface DecisionForm {
  error: string;
  values: Record<string, string>;
  code: number;
}

async function requestPage(c: PageContext, r: LeaveDetail, form?: DecisionForm): Promise<void> {
  const approver = hasRole(c.viewer.principal, 'approver');
  const v = (n: string) => form?.values[n] ?? '';
  const decision =
    r.status === 'pending'
      ? approver
        ? html`<h2>记录决定</h2>
<form method="post" action="/console/leave/${r.code}/decision" class="box">${csrfField(c.viewer)}
${form ? html`<p class="error" role="alert">${form.error}</p>` : ''}
<label for="decision">${r.deciding_body_label}的决定</label>
<select id="decision" name="decision"><option value="approved"${v('decision') === 'approved' ? html` selected` : ''}>批准</option><option value="rejected"${v('decision') === 'rejected' ? html` selected` : ''}>不批准</option></select>
<label for="reason">不批准的理由（不批准时必填）</label><textarea id="reason" name="reason" maxlength="500">${v('reason')}</textarea>
<label for="decidedOn">决定日期（不填为今天）</label><input type="date" id="decidedOn" name="decidedOn" value="${v('decidedOn')}">
<p class="muted">记录${r.deciding_body_label}已作出的决定，代表本人会立即收到通知。</p>
<button type="submit">记录决定</button></form>`
        : html`<p class="muted">待${r.deciding_body_label}决定。决定由审批人记录。</p>`
      : '';
  sendPage(
    c,
    { title: `请假 ${r.code}`, active: 'leave', notice: noticeOf(c.ctx.query.done), error: null },
    html`<dl class="facts">
<dt>代表</dt><dd>${r.deputy_name}</dd>
<dt>人大</dt><dd>${r.congress_name}</dd>
<dt>会议或活动</dt><dd>${r.session_name ?? (r.activity_title ? `${r.activity_title}（${r.activity_code ?? ''}）` : '')}</dd>
<dt>事由</dt><dd class="pre">${r.reason}</dd>
<dt>提出日期</dt><dd>${formatDate(r.submitted_on)}${r.entered_by_staff ? '（工作人员代录）' : ''}</dd>
<dt>决定机关</dt><dd>${r.deciding_body_label}</dd>
<dt>状态</dt><dd>${statusTag(r.status)}${r.decided_on ? `（${formatDate(r.decided_on)}）` : ''}</dd>
${r.decision_reason ? html`<dt>理由</dt><dd class="pre">${r.decision_reason}</dd>` : ''}
</dl>
<p><a href="/console/leave/${r.code}/form">打开请假单（可打印）</a></p>
${decision}
<p><a href="/console/leave">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

export const leavePages: ConsoleModule = (r) => {
  r.get('/leave', 'staff', listPage);
  r.get('/leave/:code', 'staff', async (c) => requestPage(c, await visibleRequest(c)));

  r.get('/leave/:code/form', 'staff', async (c) => {
    const req = await visibleRequest(c);
    c.ctx.set('Content-Security-Policy', FORM_CSP);
    c.ctx.type = 'text/html; charset=utf-8';
    c.ctx.body = renderLeaveForm(req);
  });

  // 批准 / 不批准: approvers only, as POST /api/leave-requests/{code}/decision.
  r.post('/leave/:code/decision', 'approver', async (c, form) => {
    const req = await visibleRequest(c);
    const values = {
      decision: field(form, 'decision'),
      reason: field(form, 'reason'),
      decidedOn: field(form, 'decidedOn'),
    };
    const refuse = (error: string, code = 400) => requestPage(c, req, { error, values, code });
    if (values.decision !== 'approved' && values.decision !== 'rejected')
      return refuse('请选择批准或不批准。');
    const bad = checkText('理由', values.reason, { max: 500 });
    if (bad) return refuse(bad);
    if (values.decidedOn !== '' && !isValidDate(values.decidedOn))
      return refuse('决定日期应为有效日期（年-月-日）。');
    const p = c.viewer.principal;
    const o = await decideLeave(c.deps, {
      code: req.code,
      decision: values.decision,
      reason: values.reason === '' ? null : values.reason,
      decidedOn: values.decidedOn === '' ? undefined : values.decidedOn,
      today: c.today,
      by: { tokenCongressId: p.congressId },
      actor: actorOf(p),
    });
    if (!o.ok) return refuse(o.text, 409);
    redirectAfter(c.ctx, `/console/leave/${req.code}`, 'decided');
  });
};
