import { findSession, listSessions } from '../../db/repositories/sessions.ts';
import { listDeputiesToPick, listSessionAbsences } from '../../db/repositories/workbench.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { createSession, recordAbsences } from '../services/leave/index.ts';
import type { Form } from './csrf.ts';
import { dateInput, readDateField } from './date-field.ts';
import { html } from './html.ts';
import { csrfField } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  redirectAfter,
} from './page-context.ts';
import { wholeDate } from './phone-kit.ts';
import { visibleCongresses } from './scope.ts';
import { congressPicker, formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 会议: the sessions of a congress (山西 第八条, S5: leave during them is decided by the standing committee)
// and who did not attend one (山西 第四十六条(三), S6: two absences without approved leave end a
// mandate). As POST /api/sessions and POST /api/sessions/{id}/absences.

async function listPage(c: PageContext, state?: { values: Record<string, string>; error: string }) {
  const p = c.viewer.principal;
  const congresses = await visibleCongresses(c.deps, p);
  const names = new Map(congresses.map((x) => [x.id, x.name]));
  const rows = (await listSessions(c.deps.db, p.congressId)).reverse();
  const v = (k: string) => state?.values[k] ?? '';
  wbPage(
    c,
    { title: '会议', active: 'sessions', notice: wbNotice(c.ctx) },
    html`<h2>登记会议</h2>
<form method="post" action="/console/sessions" class="box">${csrfField(c.viewer)}${formError(state?.error)}
${congressPicker(congresses, v('congress'), 'session-congress')}
<label for="session-name">会议名称</label>
<input type="text" id="session-name" name="name" maxlength="200" required value="${v('name')}" placeholder="例如：市十六届人大四次会议">
<div class="wb-row">
<div><label for="session-start">开幕日期</label>${dateInput({ id: 'session-start', name: 'startsOn', value: v('startsOn'), required: true })}</div>
<div><label for="session-end">闭幕日期</label>${dateInput({ id: 'session-end', name: 'endsOn', value: v('endsOn'), required: true })}</div>
</div>
<p class="muted">会议期间代表请假由常委会审批（山西 第八条）。</p>
<button type="submit">登记会议</button>
</form>
<h2>已登记的会议</h2>
${rows.length === 0 ? html`<p class="muted">还没有登记会议。</p>` : ''}
<ul class="wb-list">${rows.map(
      (s) => html`<li class="wb-item"><h3><a href="/console/sessions/${s.id}">${s.name}</a></h3>
<p>${wholeDate(s.starts_on)} 至 ${wholeDate(s.ends_on)}</p>${congresses.length > 1 ? html`<p class="muted">${names.get(s.congress_id) ?? ''}</p>` : ''}</li>`,
    )}</ul>`,
    state ? 400 : 200,
  );
}

async function createFromForm(c: PageContext, form: Form): Promise<void> {
  const values = {
    congress: field(form, 'congress'),
    name: field(form, 'name'),
    startsOn: field(form, 'startsOn'),
    endsOn: field(form, 'endsOn'),
  };
  const again = (error: string) => listPage(c, { values, error });
  const startsOn = readDateField('开幕日期', values.startsOn, true);
  const endsOn = readDateField('闭幕日期', values.endsOn, true);
  const problem =
    (values.congress === '' ? '请选择人大' : null) ??
    checkText('会议名称', values.name, { required: true, max: 200 }) ??
    startsOn.error ??
    endsOn.error ??
    null;
  if (problem) return again(problem);
  values.startsOn = startsOn.date!;
  values.endsOn = endsOn.date!;
  if (values.endsOn < values.startsOn) return again('闭幕日期不能早于开幕日期。');
  const p = c.viewer.principal;
  const congress = (await visibleCongresses(c.deps, p)).find((x) => x.name === values.congress);
  if (!congress) return again('请选择人大。');
  const out: { id?: number } = {};
  const res = await attempt(async () => {
    out.id = (
      await createSession(c.deps, values, {
        actor: actorOf(p),
        tokenCongressId: p.congressId,
        requestId: c.ctx.state.requestId ?? null,
      })
    ).id;
  });
  if (!res.ok) return again(res.message);
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/sessions/${out.id}`, 'session');
}

async function sessionPage(c: PageContext, state?: { checked: Set<string>; error: string; status: number }) {
  const id = idParam(c.ctx, '会议');
  const p = c.viewer.principal;
  const s = await findSession(c.deps.db, id);
  if (!s || (p.congressId !== null && s.congress_id !== p.congressId))
    throw new AppError('not_found', '没有这个会议。');
  const absences = await listSessionAbsences(c.deps.db, id);
  const recorded = new Set(absences.map((a) => a.mandate_id));
  const deputies = (await listDeputiesToPick(c.deps.db, s.congress_id)).filter((d) => d.userid !== null);
  const noId = (await listDeputiesToPick(c.deps.db, s.congress_id)).filter((d) => d.userid === null);
  wbPage(
    c,
    { title: s.name, active: 'sessions', notice: wbNotice(c.ctx) },
    html`<p>${wholeDate(s.starts_on)} 至 ${wholeDate(s.ends_on)}</p>
<h2>已登记的缺席（${absences.length} 人）</h2>
${absences.length === 0 ? html`<p class="muted">还没有登记缺席。</p>` : ''}
<ul class="wb-list">${absences.map(
      (a) =>
        html`<li class="wb-item">${a.name} · ${a.excused ? html`<span class="tag">已请假</span>` : html`<span class="tag bad">未请假</span>`}${a.not_counted_reason ? html` <span class="muted">不计入：${a.not_counted_reason}</span>` : ''}</li>`,
    )}</ul>
<h2>登记未出席的代表</h2>
<form method="post" action="/console/sessions/${s.id}/absences" class="box">${csrfField(c.viewer)}${formError(state?.error)}
<fieldset><legend>勾选没有出席的代表</legend><div class="wb-checks">${deputies
      .filter((d) => !recorded.has(d.mandateId))
      .map(
        (d) =>
          html`<label><input type="checkbox" name="userid" value="${d.userid}"${state?.checked.has(d.userid!) ? html` checked` : ''}> ${d.name}</label>`,
      )}</div></fieldset>
${noId.length > 0 ? html`<p class="muted">没有登记企业微信或钉钉账号、无法在此登记的代表：${noId.map((d) => d.name).join('、')}</p>` : ''}
<p class="muted">已批准请假的记为请假缺席。未经批准两次不出席本级人代会会议的，代表资格终止（山西 第四十六条）：第一次未请假缺席后，代表本人和工作人员会收到提醒。</p>
<button type="submit">登记缺席</button>
</form>
<p><a href="/console/sessions">返回会议列表</a></p>`,
    state?.status ?? 200,
  );
}

export const sessionPages: ConsoleModule = (r) => {
  r.get('/sessions', 'staff', (c) => listPage(c));
  r.post('/sessions', 'staff', createFromForm);
  r.get('/sessions/:id', 'staff', (c) => sessionPage(c));
  r.post('/sessions/:id/absences', 'staff', async (c, form) => {
    const id = idParam(c.ctx, '会议');
    const userids = form.getAll('userid').filter((u) => u.trim() !== '');
    const again = (error: string, status: number) =>
      sessionPage(c, { checked: new Set(userids), error, status });
    if (userids.length === 0) return again('请勾选没有出席的代表。', 400);
    const res = await attempt(async () => {
      await recordAbsences(c.deps, {
        sessionId: id,
        userids,
        actor: actorOf(c.viewer.principal),
        tokenCongressId: c.viewer.principal.congressId,
      });
    });
    if (!res.ok) return again(res.message, res.status);
    redirectAfter(c.ctx, `/console/sessions/${id}`, 'absences');
  });
};
