import { createHash } from 'node:crypto';
import {
  absencesOfMandates,
  listGroupChoices,
  mandateIdsByMobilePart,
} from '../../db/repositories/console-lists.ts';
import { listDutyEvents } from '../../db/repositories/duties.ts';
import { listLeave } from '../../db/repositories/leave.ts';
import { type DeputyRow, listDeputies, loadMandatesOfPeople } from '../../db/repositories/people.ts';
import { listStatusChanges } from '../../db/repositories/status-changes.ts';
import { assignmentsOf, followersOf, listSuggestionsOfPerson } from '../../db/repositories/suggestions.ts';
import type { MandateStatus } from '../../db/schema.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { attendanceCertificate } from '../print/attendance-certificate.ts';
import { activityTime, attendedInPeriod, KIND_LABEL } from '../services/activities/index.ts';
import {
  changeMandateStatus,
  ROLE_LABEL as MANDATE_ROLE_LABEL,
  STATUS_LABEL,
} from '../services/roster/index.ts';
import { suggestionJson } from '../services/suggestions/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { html, listTable, pager, query, type SafeHtml, sortOf } from './html.ts';
import { csrfField, noticeOf } from './layout.ts';
import { LEAVE_COLUMNS, leaveRow } from './leave-page.ts';
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
import { chosenCongress, visibleCongresses } from './scope.ts';
import { SUGGESTION_COLUMNS, suggestionRow } from './suggestions-page.ts';
import { dateTime, SEARCH_MAX } from './text.ts';

// 代表名册: the roster with filters, and one deputy's page with their mandates, the status history and
// the S16 status change (山西 第四十五至四十八条), with its required reason.

const STATUSES = ['active', 'suspended', 'terminated'] as const;
const PAGE_SIZE = 100;
/** A search of digits only, long enough to mean part of a mobile number. */
const MOBILE_PART = /^\d{4,11}$/;
const DEPUTY_SORTS = ['name', 'unit', 'status'] as const;

const statusTag = (s: MandateStatus) =>
  html`<span class="tag${s === 'active' ? '' : ' bad'}">${STATUS_LABEL[s]}</span>`;

async function listPage(c: PageContext): Promise<void> {
  const { deps, ctx, viewer } = c;
  const p = viewer.principal;
  const congresses = await visibleCongresses(deps, p);
  const congress = chosenCongress(congresses, param(ctx, 'congress'));
  const congressId = congress?.id ?? p.congressId ?? undefined;
  const status = param(ctx, 'status');
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
    throw new AppError('bad_request', '状态应为 正常 / 暂停 / 终止 之一。');
  const q = param(ctx, 'q');
  const groupParam = param(ctx, 'group');
  // The groups of the congress in view (or of every congress visible), as the filter's choices.
  const groupChoices = (await listGroupChoices(deps.db, congressId ?? null)).filter((g) =>
    congresses.some((x) => x.name === g.congress),
  );
  const groupLabel = (g: (typeof groupChoices)[number]) =>
    `${g.kind === 'large' ? '大组' : '小组'}：${g.name}${congressId === undefined && congresses.length > 1 ? `（${g.congress}）` : ''}`;
  let groupId: number | undefined;
  let error: string | null = null;
  if (groupParam !== undefined) {
    // The drop-down sends a group's id; an older link or a typed name is matched exactly, else in part.
    const byId = /^\d+$/.test(groupParam) ? groupChoices.find((g) => String(g.id) === groupParam) : undefined;
    const exact = groupChoices.filter((g) => g.name === groupParam);
    const partial = groupChoices.filter((g) => g.name.includes(groupParam));
    const found = byId ? [byId] : exact.length > 0 ? exact : partial;
    if (found.length === 1) groupId = found[0]!.id;
    else
      error =
        found.length === 0
          ? `没有名称包含「${groupParam}」的代表小组或大组，请从列表中选择。`
          : `名称包含「${groupParam}」的组有 ${found.length} 个（${found.map(groupLabel).join('、')}），请从列表中选择一个。`;
  }
  const pageNo = Math.max(1, Number.parseInt(param(ctx, 'page') ?? '1', 10) || 1);
  const { by, dir } = sortOf({ sort: param(ctx, 'sort'), dir: param(ctx, 'dir') }, DEPUTY_SORTS);
  const filter = {
    congressId,
    status: status as MandateStatus | undefined,
    groupId,
    sort: by ? { by: by as (typeof DEPUTY_SORTS)[number], dir } : undefined,
  };
  let { rows, total } =
    error === null
      ? await listDeputies(deps.db, { ...filter, q, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE })
      : { rows: [] as DeputyRow[], total: 0 };
  // Part of a mobile number (e.g. its last digits) finds the deputies whose number contains it.
  if (error === null && q !== undefined && MOBILE_PART.test(q)) {
    const seen = new Set(rows.map((r) => r.id));
    for (const id of await mandateIdsByMobilePart(deps.db, q, congressId ?? null, PAGE_SIZE)) {
      if (seen.has(id)) continue;
      const one = await listDeputies(deps.db, { ...filter, mandateId: id, limit: 1, offset: 0 });
      if (one.rows[0]) {
        rows = [...rows, one.rows[0]];
        total += 1;
        seen.add(id);
      }
    }
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const here = {
    congress: congress?.id,
    status,
    q,
    group: groupId !== undefined ? String(groupId) : groupParam,
  };
  sendPage(
    c,
    { title: '代表名册', active: 'deputies', error },
    html`<form method="get" action="/console/deputies" class="filters">
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
<label>小组 <select name="group"><option value="">全部</option>${groupChoices.map(
      (g) =>
        html`<option value="${g.id}"${g.id === groupId ? html` selected` : ''}>${groupLabel(g)}</option>`,
    )}</select></label>
<label>姓名、手机（可只填尾号）或账号 <input type="search" name="q" value="${q ?? ''}" size="12" maxlength="${SEARCH_MAX}"></label>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${total} 条${pages > 1 ? `，第 ${pageNo} / ${pages} 页` : ''}</p>
${
  rows.length === 0
    ? html`<p class="muted">没有符合条件的代表。</p>`
    : listTable(
        [
          { label: '姓名', sort: 'name' },
          { label: '人大' },
          { label: '选举单位', sort: 'unit' },
          { label: '小组' },
          { label: '手机' },
          { label: '角色' },
          { label: '状态', sort: 'status' },
        ],
        rows.map((r) => [
          html`<a class="tap" href="/console/deputies/${r.id}">${r.name}</a>`,
          r.congress,
          r.electoral_unit ?? '',
          [r.large_group, r.small_group].filter(Boolean).join(' / '),
          r.mobile ? html`<a class="nowrap" href="tel:${r.mobile}">${r.mobile}</a>` : '—',
          MANDATE_ROLE_LABEL[r.role],
          statusTag(r.status),
        ]),
        { base: '/console/deputies', params: here, by, dir },
      )
}
${pager('/console/deputies', { ...here, sort: by, dir: by ? dir : undefined }, pageNo, pages)}`,
  );
}

/** The mandate by id, when this principal may see it; 404 otherwise (never says which). */
async function visibleMandate(c: PageContext): Promise<DeputyRow> {
  const id = Number(c.ctx.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', '没有这位代表。');
  const { rows } = await listDeputies(c.deps.db, {
    mandateId: id,
    congressId: c.viewer.principal.congressId ?? undefined,
    limit: 1,
    offset: 0,
  });
  if (rows.length === 0) throw new AppError('not_found', '没有这位代表。');
  return rows[0]!;
}

async function deputyPage(
  c: PageContext,
  d: DeputyRow,
  form?: {
    error: string;
    status: string;
    reason: string;
    confirmed: boolean;
    mandateId: number;
    code: number;
  },
): Promise<void> {
  const { deps, viewer } = c;
  const mandateIds = (await loadMandatesOfPeople(deps.db, [d.person_id])).map((m) => m.id);
  const mandates: DeputyRow[] = [];
  for (const id of mandateIds) {
    const r = await listDeputies(deps.db, {
      mandateId: id,
      congressId: viewer.principal.congressId ?? undefined,
      limit: 1,
      offset: 0,
    });
    if (r.rows[0]) mandates.push(r.rows[0]);
  }
  const history = await listStatusChanges(
    deps.db,
    mandates.map((m) => m.id),
  );
  const congressOf = (mandateId: number) => mandates.find((m) => m.id === mandateId)?.congress ?? '';
  const statusForm = (m: DeputyRow) => {
    const mine = form?.mandateId === m.id ? form : undefined;
    if (m.status === 'terminated')
      return html`<p class="muted">代表资格已终止，不能再变更状态（山西 第四十五条）。</p>`;
    const choices = STATUSES.filter((s) => s !== m.status);
    return html`<form method="post" action="/console/deputies/${m.id}/status" class="box">
${csrfField(viewer)}
<label for="status-${m.id}">变更为</label>
<select id="status-${m.id}" name="status" required><option value="">请选择</option>${choices.map(
      (s) =>
        html`<option value="${s}"${mine?.status === s ? html` selected` : ''}>${STATUS_LABEL[s]}</option>`,
    )}</select>
<label for="reason-${m.id}">原因（必填，会告知代表本人）</label>
<textarea id="reason-${m.id}" name="reason" maxlength="500" required>${mine?.reason ?? ''}</textarea>
${
  choices.includes('terminated')
    ? html`<p class="muted">选择「${STATUS_LABEL.terminated}」时：代表资格终止只适用于山西 第四十六条所列情形（迁出或调离、辞职被接受、未经批准两次不出席会议、被罢免等），终止后<strong>不能恢复</strong>（第四十五条），代表本人会立即收到通知。</p>
<label class="check"><input type="checkbox" name="confirmTerminate" value="yes"${mine?.confirmed ? html` checked` : ''}> 我已核实，确认终止其代表资格</label>`
    : ''
}
<p class="muted">依照山西 第四十五至四十八条。变更会记入历史并通知代表本人及其原选举单位联系人。</p>
<button type="submit">变更状态</button>
</form>`;
  };
  sendPage(
    c,
    {
      title: `代表：${d.name}`,
      active: 'deputies',
      notice: noticeOf(c.ctx.query.done),
      error: form?.error ?? null,
    },
    html`<dl class="facts">
<dt>姓名</dt><dd>${d.name}</dd>
<dt>手机</dt><dd>${d.mobile ?? '—'}</dd>
<dt>企业微信账号</dt><dd>${d.wecom ?? '—'}</dd>
<dt>钉钉账号</dt><dd>${d.dingtalk ?? '—'}</dd>
</dl>
${mandates.map(
  (m) => html`<h2>${m.congress}</h2>
<dl class="facts">
<dt>选举单位</dt><dd>${m.electoral_unit ?? '—'}</dd>
<dt>代表大组</dt><dd>${m.large_group ?? '—'}</dd>
<dt>代表小组</dt><dd>${m.small_group ?? '—'}</dd>
<dt>联络站</dt><dd>${m.station ?? '—'}</dd>
<dt>角色</dt><dd>${MANDATE_ROLE_LABEL[m.role]}</dd>
<dt>状态</dt><dd>${statusTag(m.status)}${m.status_reason ? html` <span class="pre">${m.status_reason}</span>` : ''}</dd>
</dl>
${statusForm(m)}`,
)}
${await recordSections(c, d, mandates)}
<h2>状态变更历史</h2>
${
  history.length === 0
    ? html`<p class="muted">没有变更记录。</p>`
    : listTable(
        [{ label: '时间' }, { label: '人大' }, { label: '变更' }, { label: '原因' }, { label: '操作人' }],
        history.map((h) => [
          html`<span class="nowrap">${dateTime(h.changed_at, deps.config.timezone)}</span>`,
          congressOf(h.mandate_id),
          `${STATUS_LABEL[h.from_status]} → ${STATUS_LABEL[h.to_status]}`,
          html`<div class="pre">${h.reason}</div>`,
          h.changed_by,
        ]),
      )
}
<p><a href="/console/deputies">返回名册</a></p>`,
    form?.code ?? 200,
  );
}

/** The deputy's year: their items, leave, attendance, duty record, and the certificate for their employer. */
async function recordSections(c: PageContext, d: DeputyRow, mandates: DeputyRow[]): Promise<SafeHtml> {
  const { deps, today } = c;
  const thisYear = Number(today.slice(0, 4));
  const yearText = param(c.ctx, 'year');
  const year = yearText !== undefined && /^\d{4}$/.test(yearText) ? Number(yearText) : thisYear;
  const ids = mandates.map((m) => m.id);
  const congressIds = new Set(mandates.map((m) => m.congress_id));
  const items = (await listSuggestionsOfPerson(deps.db, d.person_id)).filter((s) =>
    congressIds.has(s.congress_id),
  );
  const assignments = await assignmentsOf(
    deps.db,
    items.map((s) => s.id),
  );
  const views = [];
  for (const s of items) {
    const deputies = (await followersOf(deps.db, s.id)).map((f) => ({ name: f.name, author: f.author }));
    views.push(suggestionJson(s, assignments, deputies, today, { withSecretContent: false }));
  }
  const leave = (await listLeave(deps.db, { personId: d.person_id })).filter((l) =>
    congressIds.has(l.congress_id),
  );
  const from = `${year}-01-01`;
  const to = year === thisYear ? today : `${year}-12-31`;
  const attended = [];
  if (year <= thisYear) {
    for (const m of mandates) {
      const a = await attendedInPeriod(deps, { mandateId: m.id, from, to, tokenCongressId: null });
      attended.push(...a.activities);
    }
  }
  const absences = await absencesOfMandates(deps.db, ids);
  const events = await listDutyEvents(deps.db, ids, from, `${year}-12-31`);
  const tz = deps.config.timezone;
  return html`<nav class="actions" aria-label="年份">${[thisYear - 1, thisYear].map((y) =>
    y === year
      ? html`<strong>${y} 年</strong>`
      : html`<a href="/console/deputies/${d.id}${query({ year: y })}">${y} 年</a>`,
  )}<a href="/console/deputies/${d.id}/certificate${query({ from, to })}">打印 ${year} 年出勤证明</a></nav>
<h2>建议、批评和意见（${views.length} 件）</h2>
${
  views.length === 0
    ? html`<p class="muted">没有。</p>`
    : listTable(
        SUGGESTION_COLUMNS.map((x) => ({ label: x.label })),
        views.map(suggestionRow),
      )
}
<h2>请假（${leave.length} 件）</h2>
${
  leave.length === 0
    ? html`<p class="muted">没有。</p>`
    : listTable(
        LEAVE_COLUMNS.map((x) => ({ label: x.label })),
        leave.map(leaveRow),
      )
}
<h2>${year} 年参加的代表活动</h2>
${
  attended.length === 0
    ? html`<p class="muted">没有记录。</p>`
    : listTable(
        [{ label: '时间' }, { label: '活动' }, { label: '组织单位' }],
        attended.map((a) => [
          activityTime(a.starts_at, a.ends_at, tz),
          html`${KIND_LABEL[a.kind]}：${a.title} <span class="code muted">${a.code}</span>`,
          a.organiser,
        ]),
      )
}
<h2>会议缺席记录</h2>
${
  absences.length === 0
    ? html`<p class="muted">没有缺席记录。</p>`
    : listTable(
        [{ label: '会议' }, { label: '日期' }, { label: '情况' }],
        absences.map((a) => [
          a.name,
          html`<span class="nowrap">${formatDate(a.starts_on)}</span>`,
          a.excused
            ? '已请假获准'
            : a.not_counted_reason
              ? `不计入（${a.not_counted_reason}）`
              : '未请假缺席',
        ]),
      )
}
<h2>${year} 年履职记录</h2>
${
  events.length === 0
    ? html`<p class="muted">本年度暂无记录。</p>`
    : listTable(
        [{ label: '日期' }, { label: '事项' }],
        events.map((e) => [
          html`<span class="nowrap">${formatDate(e.occurred_on)}</span>`,
          html`${e.summary}${e.entered_by_staff ? html` <span class="tag">工作人员代录</span>` : ''}`,
        ]),
      )
}`;
}

// The printable certificate's one inline handler (its print button), allowed by its hash and nothing else.
const PRINT_HASH = createHash('sha256').update('window.print()').digest('base64');
const PRINT_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-hashes' 'sha256-${PRINT_HASH}'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;

export const deputyPages: ConsoleModule = (r) => {
  r.get('/deputies', 'staff', listPage);

  r.get('/deputies/:id', 'staff', async (c) => deputyPage(c, await visibleMandate(c)));

  // 出勤证明 (大同 第十四条, 山西 第三十九条), as GET /api/deputies/{id}/attendance-certificate.
  r.get('/deputies/:id/certificate', 'staff', async (c) => {
    const d = await visibleMandate(c);
    const page = await attendanceCertificate(c.deps, {
      mandateId: d.id,
      from: param(c.ctx, 'from') ?? `${c.today.slice(0, 4)}-01-01`,
      to: param(c.ctx, 'to') ?? c.today,
      tokenCongressId: c.viewer.principal.congressId,
    });
    c.ctx.set('Content-Security-Policy', PRINT_CSP);
    c.ctx.type = 'text/html; charset=utf-8';
    c.ctx.body = page;
  });

  // 山西 第四十五至四十八条 (S16): a status change with its reason, as PATCH /api/deputies/{id}.
  r.post('/deputies/:id/status', 'staff', async (c, form) => {
    const d = await visibleMandate(c);
    const status = field(form, 'status');
    const reason = field(form, 'reason');
    const confirmed = field(form, 'confirmTerminate') === 'yes';
    const refuse = (error: string, code = 400) =>
      deputyPage(c, d, { error, status, reason, confirmed, mandateId: d.id, code });
    if (!(STATUSES as readonly string[]).includes(status)) return refuse('请选择要变更为的状态。');
    const bad = checkText('原因', reason, { required: true, max: 500 });
    if (bad) return refuse(bad);
    // Termination cannot be undone (山西 第四十五条) and the deputy is told at once: it needs an explicit yes.
    if (status === 'terminated' && !confirmed)
      return refuse(
        '终止代表资格后不能恢复，代表本人会立即收到通知。请核实后勾选「我已核实，确认终止其代表资格」，再提交；本次没有作任何变更。',
      );
    const p = c.viewer.principal;
    const r = await attempt(async () => {
      await c.deps.db.transaction().execute((trx) =>
        changeMandateStatus(trx, c.deps.clock, {
          mandateId: d.id,
          to: status as MandateStatus,
          reason,
          actor: actorOf(p),
          requestId: c.ctx.state.requestId ?? null,
          source: 'console',
          timeZone: c.deps.config.timezone,
        }),
      );
    });
    if (!r.ok) return refuse(r.message, r.status);
    markAudited(c.ctx);
    redirectAfter(c.ctx, `/console/deputies/${d.id}`, 'status');
  });
};
