import { listInspectionRequests } from '../../db/repositories/activities.ts';
import { listRecentActivities } from '../../db/repositories/workbench.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { linkInspectionRequest } from '../services/activities/index.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { organRegister } from '../services/organs/index.ts';
import { type DeputyRef, fileReport, resolveDeputy } from '../services/suggestions/index.ts';
import type { Form } from './csrf.ts';
import { html } from './html.ts';
import { csrfField } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  param,
  redirectAfter,
} from './page-context.ts';
import { visibleCongresses } from './scope.ts';
import { dateTime } from './text.ts';
import { congressPicker, formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 视察: deputies' requests to inspect (山西 第二十二条; 大同 第十二条, S17) for staff to arrange — linked to the
// activity that carried them out — and the report afterwards (山西 第二十七条, S8a), filed and transferred
// to the organs in one step with a three-month feedback clock. As POST /api/inspection-requests/{id} and
// POST /api/reports, through the same services.

const STATUS_LABEL = { requested: '待安排', arranged: '已安排', reported: '已提交报告' } as const;
const ACTIVITY_RE = wholeCodeOf('HD');
const RECENT = 100;

async function listPage(c: PageContext): Promise<void> {
  const p = c.viewer.principal;
  const rows = await listInspectionRequests(c.deps.db, p.congressId);
  const activities = await listRecentActivities(c.deps.db, p.congressId, RECENT);
  const tz = c.deps.config.timezone;
  wbPage(
    c,
    { title: '视察申请和视察报告', active: 'activities', notice: wbNotice(c.ctx) },
    html`<p><a href="/console/inspections/report">登记一份视察或调研报告</a> · <a href="/console/activities/new?template=inspection">登记视察活动</a></p>
<h2>代表的视察申请</h2>
${rows.length === 0 ? html`<p class="muted">还没有视察申请。代表在聊天中发“视察 想视察的地方和内容”即可申请。</p>` : ''}
<ul class="wb-list">${rows.map((r) => {
      const own = activities.filter((a) => a.congress_id === r.congress_id);
      return html`<li class="wb-item"><h3>第 ${r.id} 号 · ${r.deputy_name} <span class="tag${r.status === 'requested' ? ' warn' : ''}">${STATUS_LABEL[r.status]}</span></h3>
<p class="wb-pre">${r.content}</p>
<p class="muted">${dateTime(r.created_at, tz)}${r.activity_code ? html` · 活动 <a class="wb-code" href="/console/activities/${r.activity_code}">${r.activity_code}</a>` : ''}${r.report_ref ? html` · 报告 <a class="wb-code" href="/console/suggestions/${r.report_ref}">${r.report_ref}</a>` : ''}</p>
${
  r.report_ref
    ? ''
    : html`<div class="wb-actions">${
        own.length > 0
          ? html`<form method="post" action="/console/inspections/${r.id}/activity">${csrfField(c.viewer)}
<label for="link-${r.id}" class="muted">安排的活动</label><select id="link-${r.id}" name="activity">${own.map(
              (a) =>
                html`<option value="${a.code}"${a.code === r.activity_code ? html` selected` : ''}>${a.code} ${a.title}</option>`,
            )}</select> <button type="submit" class="secondary">关联</button></form>`
          : ''
      }<a href="/console/inspections/report?request=${r.id}">登记视察报告</a></div>`
}</li>`;
    })}</ul>`,
  );
}

interface ReportState {
  values: Record<string, string>;
  assisting: string[];
  error: string;
  status: number;
}

const FIELDS = ['request', 'congress', 'kind', 'activity', 'title', 'content', 'deputies', 'lead', 'secret'];

async function reportPage(c: PageContext, state?: ReportState): Promise<void> {
  const p = c.viewer.principal;
  const congresses = await visibleCongresses(c.deps, p);
  const organs = await organRegister(c.deps.db);
  const requestId = state?.values.request ?? param(c.ctx, 'request') ?? '';
  const request = requestId
    ? (await listInspectionRequests(c.deps.db, p.congressId)).find((r) => String(r.id) === requestId)
    : undefined;
  const activities = await listRecentActivities(c.deps.db, request?.congress_id ?? p.congressId, RECENT);
  const v = (k: string, d = '') => state?.values[k] ?? d;
  const assisting = new Set(state?.assisting ?? []);
  const requestCongress = congresses.find((x) => x.id === request?.congress_id)?.name ?? '';
  wbPage(
    c,
    { title: '登记视察或调研报告', active: 'activities' },
    html`<form method="post" action="/console/inspections/report" class="box">${csrfField(c.viewer)}${formError(state?.error)}
${request ? html`<p>第 ${request.id} 号视察申请：${request.deputy_name}，${request.content}</p><input type="hidden" name="request" value="${request.id}">` : ''}
${congressPicker(congresses, v('congress', requestCongress), 'report-congress')}
<label for="report-kind">类别</label><select id="report-kind" name="kind">
<option value="inspection"${v('kind') !== 'research' ? html` selected` : ''}>视察报告</option>
<option value="research"${v('kind') === 'research' ? html` selected` : ''}>调研报告</option></select>
<label for="report-activity">来自哪次活动（可不选）</label><select id="report-activity" name="activity"><option value="">（不关联活动）</option>${activities.map(
      (a) =>
        html`<option value="${a.code}"${v('activity', request?.activity_code ?? '') === a.code ? html` selected` : ''}>${a.code} ${a.title}</option>`,
    )}</select>
<label for="report-title">标题</label><input type="text" id="report-title" name="title" maxlength="200" required value="${v('title')}" placeholder="例如：关于城区老旧小区改造的视察报告">
<label for="report-content">报告内容</label><textarea id="report-content" name="content" rows="10" maxlength="5000" required>${v('content')}</textarea>
<label for="report-deputies">形成报告的代表（姓名，多位用顿号分隔）</label><input type="text" id="report-deputies" name="deputies" maxlength="2000" required value="${v('deputies', request?.deputy_name ?? '')}" placeholder="例如：张三、李四">
<label for="report-lead">承办单位</label><select id="report-lead" name="lead" required><option value="">请选择</option>${organs.map(
      (o) => html`<option value="${o.name}"${v('lead') === o.name ? html` selected` : ''}>${o.name}</option>`,
    )}</select>
${organs.length === 0 ? html`<p class="muted">还没有登记承办单位，请先到<a href="/console/organs">承办单位</a>页登记。</p>` : ''}
<fieldset><legend>协办单位（可不选）</legend><div class="wb-checks">${organs.map(
      (o) =>
        html`<label><input type="checkbox" name="assisting" value="${o.name}"${assisting.has(o.name) ? html` checked` : ''}> ${o.name}</label>`,
    )}</div></fieldset>
<label class="wb-check"><input type="checkbox" name="secret" value="1"${v('secret') ? html` checked` : ''}> 涉密（内容只在事项页显示，不在列表和消息中出现）</label>
<p class="muted">登记后即转交承办单位，三个月内向代表反馈研究处理情况（山西 第二十七条）。</p>
<button type="submit">登记并转交</button>
</form>
<p><a href="/console/inspections">返回视察申请</a></p>`,
    state?.status ?? 200,
  );
}

async function fileFromForm(c: PageContext, form: Form): Promise<void> {
  const p = c.viewer.principal;
  const values = Object.fromEntries(FIELDS.map((k) => [k, field(form, k)]));
  const assisting = form.getAll('assisting').filter((a) => a.trim() !== '');
  const again = (error: string, status = 400) => reportPage(c, { values, assisting, error, status });
  const names = [...new Set((values.deputies ?? '').split(/[、,，;；\s]+/).filter((n) => n !== ''))];
  const problem =
    (values.congress === '' ? '请选择人大' : null) ??
    (values.kind !== 'inspection' && values.kind !== 'research' ? '请选择报告类别。' : null) ??
    checkText('标题', values.title!, { required: true, max: 200 }) ??
    checkText('报告内容', values.content!, { required: true, max: 5000 }) ??
    (names.length === 0 ? '请填写形成报告的代表姓名，例如：张三、李四。' : null) ??
    (values.lead === '' ? '请选择承办单位。' : null) ??
    (assisting.includes(values.lead!) ? '承办单位不必再选为协办单位。' : null) ??
    (values.activity !== '' && !ACTIVITY_RE.test(values.activity!) ? '请从列表中选择活动。' : null);
  if (problem) return again(problem);
  const congress = (await visibleCongresses(c.deps, p)).find((x) => x.name === values.congress);
  if (!congress) return again('请选择人大。');
  const out: { code?: string } = {};
  const res = await attempt(async () => {
    const activities = await listRecentActivities(c.deps.db, congress.id, RECENT);
    const activity = values.activity ? activities.find((a) => a.code === values.activity) : undefined;
    if (values.activity && !activity) throw new AppError('bad_request', `没有活动 ${values.activity}。`);
    const deputies: DeputyRef[] = [];
    for (const n of names) deputies.push(await resolveDeputy(c.deps.db, n, [congress.id]));
    const r = await fileReport(c.deps, {
      congressId: congress.id,
      kind: values.kind === 'inspection' ? '视察报告' : '调研报告',
      title: values.title!,
      content: values.content!,
      secret: values.secret !== '',
      activityId: activity?.id ?? null,
      deputies,
      organs: { lead: values.lead!, assisting },
      actor: { id: actorOf(p), name: p.name },
    });
    out.code = r.item.code;
  });
  if (!res.ok) return again(res.message, res.status);
  if (values.request && /^\d+$/.test(values.request)) {
    await linkInspectionRequest(
      c.deps,
      { id: Number(values.request), reportRef: out.code! },
      { actor: actorOf(p), tokenCongressId: p.congressId, requestId: c.ctx.state.requestId ?? null },
    );
  }
  // The report's own history records it; the console's audit row records the form.
  redirectAfter(c.ctx, '/console/inspections', 'report');
}

export const inspectionPages: ConsoleModule = (r) => {
  r.get('/inspections', 'staff', listPage);
  r.get('/inspections/report', 'staff', (c) => reportPage(c));
  r.post('/inspections/report', 'staff', fileFromForm);
  r.post('/inspections/:id/activity', 'staff', async (c, form) => {
    const id = idParam(c.ctx, '视察申请');
    const activity = field(form, 'activity');
    if (!ACTIVITY_RE.test(activity)) throw new AppError('bad_request', '请从列表中选择活动。');
    const p = c.viewer.principal;
    await linkInspectionRequest(
      c.deps,
      { id, activity },
      { actor: actorOf(p), tokenCongressId: p.congressId, requestId: c.ctx.state.requestId ?? null },
    );
    markAudited(c.ctx);
    redirectAfter(c.ctx, '/console/inspections', 'linked');
  });
};
