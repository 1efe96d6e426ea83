import type { SuggestionKind, SuggestionStatus } from '../../db/schema.ts';
import { actorOf, type Principal } from '../api/auth.ts';
import { rememberLastItem } from '../bot/dialog/state.ts';
import { AppError } from '../errors.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import type { Actor } from '../services/suggestions/index.ts';
import {
  type AssignmentJson,
  answerSuggestion,
  assignSuggestion,
  extendSuggestion,
  isReport,
  listForStaff,
  locationText,
  oneForStaff,
  type PhotoView,
  photoForStaff,
  roleLabel,
  STATUS_LABEL,
  type SuggestionJson,
} from '../services/suggestions/index.ts';
import { formatDate, formatStatutoryDate } from '../statute/date-text.ts';
import { html, type SafeHtml } from './html.ts';
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
import { scopeOf } from './scope.ts';
import { dateTime } from './text.ts';

// 建议 (S8; reports S8a): the list with status and overdue filters, and one item's page with its full
// history, organs, due dates (with the weekday, marked when provisional) and the 交办 / 延期 / 答复 forms
// while the item's status allows them. A 涉密 item's content is shown on its page here and nowhere else.

const STATUSES = Object.keys(STATUS_LABEL) as SuggestionStatus[];
const CODE_RE = wholeCodeOf('JY');
const DUE_WITHIN_DAYS = 14;

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
  const date = formatStatutoryDate(a.dueOn, a.dueProvisional);
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

async function listPage(c: PageContext): Promise<void> {
  const { deps, ctx, viewer, today } = c;
  const status = param(ctx, 'status');
  if (status !== undefined && !STATUSES.includes(status as SuggestionStatus))
    throw new AppError('bad_request', '状态筛选不正确。');
  const overdue = param(ctx, 'overdue') === 'true';
  const dueSoon = param(ctx, 'due') === 'soon';
  let items = await listForStaff(
    deps,
    {
      scope: scopeOf(viewer.principal),
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
  sendPage(
    c,
    { title: '建议、批评和意见', active: 'suggestions' },
    html`<form method="get" action="/console/suggestions" class="filters">
<label>状态 <select name="status"><option value="">全部</option>${STATUSES.map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${STATUS_LABEL[s]}</option>`,
    )}</select></label>
<label><input type="checkbox" name="overdue" value="true"${overdue ? html` checked` : ''}> 只看超期</label>
<label><input type="checkbox" name="due" value="soon"${dueSoon ? html` checked` : ''}> ${DUE_WITHIN_DAYS} 天内到期</label>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${items.length} 件</p>
<div class="scroll"><table><thead><tr><th>编号</th><th>类别</th><th>标题</th><th>代表</th><th>状态</th><th>承办单位</th><th>答复期限</th></tr></thead><tbody>
${items.map((s) => {
  const lead = leadOf(s);
  return html`<tr><td><a href="/console/suggestions/${s.code}">${s.code}</a></td><td>${s.kind}</td>
<td>${s.secret ? html`<span class="tag bad">涉密</span>` : (s.title ?? '')}</td>
<td>${s.deputies.map((d) => d.name).join('、')}</td><td>${s.statusLabel}</td>
<td>${lead?.organ ?? ''}</td><td>${lead ? dueCell(lead) : '—'}</td></tr>`;
})}
</tbody></table></div>`,
  );
}

interface FormState {
  which: 'assign' | 'extend' | 'answer';
  error: string;
  values: Record<string, string>;
  code: number;
}

async function itemPage(c: PageContext, code: string, form?: FormState): Promise<void> {
  const { deps, viewer, today } = c;
  if (!CODE_RE.test(code)) throw new AppError('not_found', `没有编号为 ${code} 的事项。`);
  const s = await oneForStaff(deps, code, scopeOf(viewer.principal), today);
  if (!s) throw new AppError('not_found', `没有编号为 ${code} 的事项。`);
  const history = s.history as {
    at: string;
    actorName: string | null;
    actor: string;
    summary: string;
    reason: string | null;
  }[];
  const open = s.assignments.filter((a) => a.round === s.round && a.status === 'open');
  const v = (which: FormState['which'], name: string) =>
    form?.which === which ? (form.values[name] ?? '') : '';
  const errorFor = (which: FormState['which']) =>
    form?.which === which ? html`<p class="error" role="alert">${form.error}</p>` : '';
  const organChoice = (which: FormState['which'], allowAll: boolean) =>
    open.length > 1 || !allowAll
      ? html`<label for="${which}-organ">单位</label><select id="${which}-organ" name="organ">${
          allowAll ? html`<option value="">全部正在办理的单位</option>` : ''
        }${open.map((a) => html`<option value="${a.organ}"${v(which, 'organ') === a.organ ? html` selected` : ''}>${a.organ}（${roleLabel(a.role)}）</option>`)}</select>`
      : '';
  const handling = s.status === 'assigned' || s.status === 'rehandling';

  const forms: SafeHtml[] = [];
  if (s.status === 'submitted') {
    forms.push(html`<h2>交办</h2>
<form method="post" action="/console/suggestions/${s.code}/assign" class="box">${csrfField(viewer)}${errorFor('assign')}
<label for="lead">承办单位</label><input type="text" id="lead" name="lead" maxlength="100" required value="${v('assign', 'lead')}">
<label for="assisting">协办单位（可不填，多个用顿号分隔）</label><input type="text" id="assisting" name="assisting" maxlength="500" value="${v('assign', 'assisting')}">
<p class="muted">答复期限自交办之日起计算（《代表法》第五十一条第二款：三个月；视察、调研报告依山西 第二十七条三个月内反馈）。</p>
<button type="submit">交办</button></form>`);
  }
  if (handling && !isReport(s.kind as SuggestionKind) && open.length > 0) {
    forms.push(html`<h2>延期</h2>
<form method="post" action="/console/suggestions/${s.code}/extend" class="box">${csrfField(viewer)}${errorFor('extend')}
${organChoice('extend', true)}
<label for="extend-date">新的答复期限</label><input type="date" id="extend-date" name="date" required value="${v('extend', 'date')}">
<label for="extend-reason">理由</label><textarea id="extend-reason" name="reason" maxlength="500" required>${v('extend', 'reason')}</textarea>
<label for="extend-approved">批准人（可不填）</label><input type="text" id="extend-approved" name="approvedBy" maxlength="100" value="${v('extend', 'approvedBy')}">
<p class="muted">延期最长不超过自交办之日起六个月。</p>
<button type="submit">延期</button></form>`);
  }
  if (handling && open.length > 0) {
    forms.push(html`<h2>${isReport(s.kind as SuggestionKind) ? '反馈' : '答复'}</h2>
<form method="post" action="/console/suggestions/${s.code}/answer" class="box">${csrfField(viewer)}${errorFor('answer')}
${organChoice('answer', false)}
<label for="done">已办理的</label><textarea id="done" name="done" maxlength="5000">${v('answer', 'done')}</textarea>
<label for="planned">计划办理的</label><textarea id="planned" name="planned" maxlength="5000">${v('answer', 'planned')}</textarea>
<label for="plannedBy">计划落实时限</label><input type="date" id="plannedBy" name="plannedBy" value="${v('answer', 'plannedBy')}">
<label for="cannot">暂不能办理的</label><textarea id="cannot" name="cannot" maxlength="5000">${v('answer', 'cannot')}</textarea>
<label for="cannotReason">不能办理的原因</label><textarea id="cannotReason" name="cannotReason" maxlength="2000">${v('answer', 'cannotReason')}</textarea>
<label for="signedBy">签发人</label><input type="text" id="signedBy" name="signedBy" maxlength="100" value="${v('answer', 'signedBy')}">
<p class="muted">答复会发送给代表，并请代表评价。</p>
<button type="submit">记录答复</button></form>`);
  }

  sendPage(
    c,
    { title: `${s.kind} ${s.code}`, active: 'suggestions', notice: noticeOf(c.ctx.query.done) },
    html`<dl class="facts">
<dt>状态</dt><dd>${s.statusLabel}${s.round > 1 ? `（第 ${s.round} 轮办理）` : ''}</dd>
${s.ratingLabel ? html`<dt>评价</dt><dd>${s.ratingLabel}</dd>` : ''}
<dt>代表</dt><dd>${s.deputies.map((d) => `${d.name}${d.author ? '' : '（附议）'}`).join('、')}</dd>
<dt>提交日期</dt><dd>${formatDate(s.submittedOn)}</dd>
${s.enteredBy ? html`<dt>代录</dt><dd>${s.enteredBy}</dd>` : ''}
${s.secret ? html`<dt>密级</dt><dd><span class="tag bad">涉密</span> 内容只在本页显示，不在列表、消息和其他地方显示。</dd>` : ''}
${s.title ? html`<dt>标题</dt><dd>${s.title}</dd>` : ''}
<dt>内容</dt><dd class="pre">${s.content ?? ''}</dd>
${s.photoViews.length > 0 ? html`<dt>照片</dt><dd>${s.photos.length} 张${s.photoViews.map((p) => photoFigure(s.code, p))}</dd>` : ''}
${s.location ? html`<dt>位置</dt><dd>${locationText(s.location)}</dd>` : ''}
</dl>
<h2>承办单位</h2>
${
  s.assignments.length === 0
    ? html`<p class="muted">尚未交办。</p>`
    : html`<div class="scroll"><table><thead><tr><th>单位</th><th>轮次</th><th>交办日</th><th>答复期限</th><th>状态</th><th>答复</th></tr></thead><tbody>
${s.assignments.map(
  (
    a,
  ) => html`<tr><td>${a.organ}（${roleLabel(a.role)}）</td><td>${a.round}</td><td>${formatDate(a.assignedOn)}</td>
<td>${a.status === 'open' ? dueCell(a) : a.dueOn ? formatStatutoryDate(a.dueOn, a.dueProvisional) : '—'}</td>
<td>${ASSIGNMENT_STATUS[a.status] ?? a.status}${a.endedReason ? html`<br><span class="muted">${a.endedReason}</span>` : ''}</td>
<td class="pre">${
    a.answer
      ? [
          a.answer.done ? `已办理：${a.answer.done}\n` : '',
          a.answer.planned
            ? `计划办理：${a.answer.planned}${a.answer.plannedBy ? `（${formatDate(a.answer.plannedBy)}前）` : ''}\n`
            : '',
          a.answer.cannot
            ? `暂不能办理：${a.answer.cannot}${a.answer.cannotReason ? `（${a.answer.cannotReason}）` : ''}\n`
            : '',
          a.answer.signedBy ? `签发人：${a.answer.signedBy}\n` : '',
          `答复日：${formatDate(a.answer.answeredOn)}`,
        ].join('')
      : ''
  }</td></tr>`,
)}</tbody></table></div>`
}
${forms}
<h2>办理记录</h2>
<div class="scroll"><table><thead><tr><th>时间</th><th>经办</th><th>事项</th><th>理由</th></tr></thead><tbody>
${history.map(
  (h) =>
    html`<tr><td>${dateTime(h.at, deps.config.timezone)}</td><td>${h.actorName ?? h.actor}</td><td class="pre">${h.summary}</td><td class="pre">${h.reason ?? ''}</td></tr>`,
)}</tbody></table></div>
<p><a href="/console/suggestions">返回列表</a></p>`,
    form?.code ?? 200,
  );
}

const codeOf = (c: PageContext) => String(c.ctx.params.code ?? '');

/** One photo on an item's page: the image when it was kept, otherwise what became of it. */
function photoFigure(code: string, p: PhotoView): SafeHtml {
  const src = `/console/suggestions/${code}/photos/${p.index}`;
  if (p.status === 'fetched') {
    return INLINE_TYPES.has(p.contentType ?? '')
      ? html`<figure class="photo"><a href="${src}"><img src="${src}" alt="照片 ${p.index}" width="240" loading="lazy"></a><figcaption>照片 ${p.index}</figcaption></figure>`
      : html`<p>照片 ${p.index}：<a href="${src}">下载</a></p>`;
  }
  return html`<p class="photo-missing">照片 ${p.index}：<span class="tag${p.status === 'pending' ? ' warn' : ' bad'}">${p.statusText}</span></p>`;
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

const splitNames = (text: string): string[] =>
  text
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

export const suggestionPages: ConsoleModule = (r) => {
  r.get('/suggestions', 'staff', listPage);
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
    const values = { lead: field(form, 'lead'), assisting: field(form, 'assisting') };
    const refuse = (error: string, status = 400) =>
      itemPage(c, code, { which: 'assign', error, values, code: status });
    const assisting = splitNames(values.assisting);
    const bad =
      checkText('承办单位', values.lead, { required: true, max: 100 }) ??
      (assisting.length > 20 ? '协办单位最多 20 个' : null) ??
      assisting.map((n) => checkText('协办单位', n, { max: 100 })).find((x) => x !== null) ??
      null;
    if (bad) return refuse(bad);
    const p = c.viewer.principal;
    const res = await attempt(async () => {
      await assignSuggestion(c.deps, {
        code,
        organs: { lead: values.lead, assisting },
        actor: consoleActor(p),
        scope: scopeOf(p),
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'assigned');
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
    const bad =
      (/^\d{4}-\d{2}-\d{2}$/.test(values.date) ? null : '请填写新的答复期限（年-月-日）') ??
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
      });
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'extended');
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
    const bad =
      checkText('已办理的', values.done, { max: 5000 }) ??
      checkText('计划办理的', values.planned, { max: 5000 }) ??
      checkText('暂不能办理的', values.cannot, { max: 5000 }) ??
      checkText('不能办理的原因', values.cannotReason, { max: 2000 }) ??
      checkText('签发人', values.signedBy, { max: 100 }) ??
      checkText('单位', values.organ, { max: 100 }) ??
      (values.plannedBy === '' || /^\d{4}-\d{2}-\d{2}$/.test(values.plannedBy)
        ? null
        : '计划落实时限应为日期');
    if (bad) return refuse(bad);
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
      });
      // The deputies asked to rate it may reply 满意 / 不满意 in chat without its code (CONTRACT §3).
      await rememberLastItem(c.deps.store, c.deps.clock, out.askedToRate, out.item.code);
    });
    if (!res.ok) return refuse(res.message, res.status);
    redirectAfter(c.ctx, `/console/suggestions/${code}`, 'answered');
  });
};
