import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import {
  type CongressPut,
  type CongressView,
  listCongressViews,
  listGroupViews,
  putCongress,
} from '../services/congresses/index.ts';
import type { Form } from './csrf.ts';
import { dateInput, readDateField } from './date-field.ts';
import { html } from './html.ts';
import { csrfField } from './layout.ts';
import { attempt, type ConsoleModule, field, type PageContext, redirectAfter } from './page-context.ts';
import { wholeDate } from './phone-kit.ts';
import { formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 人大设置 (admin): a congress's term and settings — the reception day of month (大同 第七条(九), S2) and its
// hosts, who may book it, how early the host receives the topics, and the periods of re-handling and
// extension (《代表法》第五十一条). As PUT /api/congresses/{name}, through the same service; a new
// reception day moves the stored future reception days and tells those concerned.

const LEVEL_LABEL: Record<CongressView['level'], string> = {
  province: '省级',
  city: '设区的市级',
  county: '县级',
  township: '乡镇级',
};

type Values = Record<string, string>;

const valuesOf = (v: CongressView): Record<string, string> => ({
  level: v.level,
  termStartsOn: v.termStartsOn ?? '',
  termEndsOn: v.termEndsOn ?? '',
  receptionDayOfMonth: String(v.settings.receptionDayOfMonth),
  receptionHosts: v.settings.receptionHosts.join('\n'),
  whoMayBook: Array.isArray(v.settings.whoMayBook) ? 'groups' : v.settings.whoMayBook,
  agendaLeadWorkingDays: String(v.settings.agendaLeadWorkingDays),
  reHandlingMonths: String(v.settings.reHandlingMonths),
  extensionCapMonths: String(v.settings.extensionCapMonths),
});

async function listPage(c: PageContext): Promise<void> {
  const views = await listCongressViews(c.deps.db, c.viewer.principal);
  wbPage(
    c,
    { title: '人大设置', active: 'congresses', notice: wbNotice(c.ctx) },
    html`<ul class="wb-list">${views.map(
      (
        v,
      ) => html`<li class="wb-item"><h3><a href="/console/congresses/${v.id}">${v.name}</a>${v.archivedAt ? html` <span class="tag">已归档</span>` : ''}</h3>
<p>${LEVEL_LABEL[v.level]}${v.termStartsOn ? html` · 任期 ${wholeDate(v.termStartsOn)} 至 ${v.termEndsOn ? wholeDate(v.termEndsOn) : '—'}` : ''}</p>
<p class="muted">接待日：每月 ${v.settings.receptionDayOfMonth} 日${v.settings.receptionHosts.length > 0 ? `，${v.settings.receptionHosts.join('、')}轮流接待` : ''}</p></li>`,
    )}</ul>
${views.length === 0 ? html`<p class="muted">还没有人大。导入名册时会按“人大”“层级”两列建立。</p>` : ''}`,
  );
}

async function congressOf(c: PageContext): Promise<CongressView> {
  const id = idParam(c.ctx, '人大');
  const v = (await listCongressViews(c.deps.db, c.viewer.principal)).find((x) => x.id === id);
  if (!v) throw new AppError('not_found', '没有这个人大，或您的令牌不能管理它。');
  return v;
}

async function editPage(
  c: PageContext,
  state?: { values: Values; groups: string[]; error: string; status: number },
) {
  const view = await congressOf(c);
  const v = (k: string) => state?.values[k] ?? valuesOf(view)[k] ?? '';
  const bookGroups = new Set(
    state?.groups ?? (Array.isArray(view.settings.whoMayBook) ? view.settings.whoMayBook : []),
  );
  const groups = (await listGroupViews(c.deps.db, c.viewer.principal)).filter(
    (g) => g.congress === view.name && g.kind !== 'staff',
  );
  // Under the choice they belong to, one to a line: a group's name is often long (片区、联络站 in it).
  const bookGroupChecks =
    groups.length === 0
      ? html`<p class="muted wb-checks wb-wide">还没有小组，可在「小组与群机器人」页新建。</p>`
      : html`<div class="wb-checks wb-wide">${groups.map(
          (g) =>
            html`<label><input type="checkbox" name="bookGroup" value="${g.name}"${bookGroups.has(g.name) ? html` checked` : ''}> ${g.name}</label>`,
        )}</div>`;
  const num = (name: string, label: string, min: number, max: number, hint: string) =>
    html`<div><label for="cs-${name}">${label}</label><input type="number" id="cs-${name}" name="${name}" min="${min}" max="${max}" step="1" required value="${v(name)}"><p class="muted">${hint}</p></div>`;
  wbPage(
    c,
    { title: view.name, active: 'congresses', notice: wbNotice(c.ctx) },
    html`<form method="post" action="/console/congresses/${view.id}" class="box">${csrfField(c.viewer)}${formError(state?.error)}
<label for="cs-level">层级</label><select id="cs-level" name="level">${(
      Object.keys(LEVEL_LABEL) as CongressView['level'][]
    ).map(
      (l) => html`<option value="${l}"${v('level') === l ? html` selected` : ''}>${LEVEL_LABEL[l]}</option>`,
    )}</select>
<div class="wb-row">
<div><label for="cs-start">任期开始</label>${dateInput({ id: 'cs-start', name: 'termStartsOn', value: v('termStartsOn') })}</div>
<div><label for="cs-end">任期结束</label>${dateInput({ id: 'cs-end', name: 'termEndsOn', value: v('termEndsOn') })}</div>
</div>
<fieldset><legend>代表接待日（大同 第七条(九)）</legend>
<div class="wb-row">${num('receptionDayOfMonth', '每月几日', 1, 28, '1 到 28 日；遇休息日顺延到下一个工作日。')}
${num('agendaLeadWorkingDays', '提前几个工作日把预约事项交给接待人', 1, 10, '例如 3。')}</div>
<label for="cs-hosts">接待的主任、副主任（每行一位，按月轮流）</label>
<textarea id="cs-hosts" name="receptionHosts" rows="4" placeholder="例如：&#10;王主任&#10;李副主任">${v('receptionHosts')}</textarea>
<fieldset><legend>谁可以预约</legend>
${(['all', 'groups', 'none'] as const).map(
  (w) =>
    html`<label class="wb-check"><input type="radio" name="whoMayBook" value="${w}"${v('whoMayBook') === w ? html` checked` : ''}> ${w === 'all' ? '全体代表' : w === 'none' ? '暂不开放预约' : '只限下列小组的代表'}</label>${w === 'groups' ? bookGroupChecks : ''}`,
)}
</fieldset>
</fieldset>
<fieldset><legend>办理期限</legend>
<div class="wb-row">${num('reHandlingMonths', '代表不满意后重新办理的期限（月）', 1, 6, '例如 1。')}
${num('extensionCapMonths', '延期最长到交办后几个月', 3, 6, '《代表法》第五十一条：不超过六个月。')}</div>
</fieldset>
<p class="muted">改了接待日的，已排定的以后各期接待日会重新计算，并通知预约的代表和接待人。</p>
<button type="submit">保存</button>
</form>
<p><a href="/console/congresses">返回人大设置</a></p>`,
    state?.status ?? 200,
  );
}

const INT_RE = /^\d{1,2}$/;

async function save(c: PageContext, form: Form): Promise<void> {
  const view = await congressOf(c);
  const keys = Object.keys(valuesOf(view));
  const values = Object.fromEntries(keys.map((k) => [k, field(form, k)])) as Values;
  const groups = form.getAll('bookGroup').filter((g) => g.trim() !== '');
  const again = (error: string, status = 400) => editPage(c, { values, groups, error, status });
  for (const [k, label] of [
    ['receptionDayOfMonth', '每月几日'],
    ['agendaLeadWorkingDays', '提前几个工作日'],
    ['reHandlingMonths', '重新办理的期限'],
    ['extensionCapMonths', '延期最长'],
  ] as const) {
    if (!INT_RE.test(values[k] ?? '')) return again(`「${label}」请填一个整数，例如 5。`);
  }
  for (const [k, label] of [
    ['termStartsOn', '任期开始'],
    ['termEndsOn', '任期结束'],
  ] as const) {
    const read = readDateField(label, values[k] ?? '');
    if (read.error !== undefined) return again(read.error);
    values[k] = read.date;
  }
  if (values.termStartsOn && values.termEndsOn && values.termEndsOn < values.termStartsOn)
    return again('任期结束不能早于任期开始。');
  if (!Object.hasOwn(LEVEL_LABEL, values.level ?? '')) return again('请选择层级。');
  const day = Number(values.receptionDayOfMonth);
  if (day < 1 || day > 28) return again('接待日请填 1 到 28 之间的日子，这样每个月都有这一天。');
  if (values.whoMayBook === 'groups' && groups.length === 0)
    return again('选了“只限下列小组”，请勾选至少一个小组。');
  const settings = {
    receptionDayOfMonth: day,
    receptionHosts: (values.receptionHosts ?? '')
      .split(/[\n、,，]+/)
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    whoMayBook: values.whoMayBook === 'groups' ? groups : values.whoMayBook === 'none' ? 'none' : 'all',
    agendaLeadWorkingDays: Number(values.agendaLeadWorkingDays),
    reHandlingMonths: Number(values.reHandlingMonths),
    extensionCapMonths: Number(values.extensionCapMonths),
  };
  const put: CongressPut = {
    level: values.level as CongressView['level'],
    termStartsOn: values.termStartsOn || null,
    termEndsOn: values.termEndsOn || null,
    settings,
  };
  const res = await attempt(async () => {
    await putCongress(
      c.deps,
      {
        principal: c.viewer.principal,
        actor: actorOf(c.viewer.principal),
        requestId: c.ctx.state.requestId ?? null,
      },
      view.name,
      put,
    );
  });
  if (!res.ok) return again(res.message.replace(/字段「settings\.(\w+)」/g, '设置'), res.status);
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/congresses/${view.id}`, 'congress');
}

export const congressPages: ConsoleModule = (r) => {
  r.get('/congresses', 'admin', listPage);
  r.get('/congresses/:id', 'admin', (c) => editPage(c));
  r.post('/congresses/:id', 'admin', save);
};
