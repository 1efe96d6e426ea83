import { findActivityByCode } from '../../db/repositories/activities.ts';
import {
  type DeputyPick,
  listActivityParticipants,
  listDeputiesToPick,
  listGroupsAndStations,
  listRecentActivities,
} from '../../db/repositories/workbench.ts';
import type { ActivityKind, Congress } from '../../db/schema.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { activityTime, createActivity, KIND_LABEL, recordAttendance } from '../services/activities/index.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { organiserLabel } from '../services/leave/index.ts';
import { addDays } from '../statute/calendar-date.ts';
import { instantAt } from '../statute/working-hours.ts';
import type { Form } from './csrf.ts';
import { dateInput, readDateField, readTimeField, timeHint, timeInput } from './date-field.ts';
import { html, query } from './html.ts';
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
import { formError, wbNotice, wbPage } from './workbench-kit.ts';

// 活动: staff create an activity from a template (大同 第六条 S1 小组活动, 第七条 S3, 第十一条 S4; 山西 第二十一条 S9,
// 第三十一条 S10 联络站, 第四十一条 S14 集体学习), invite a group, a station or every deputy, and record who came
// once it has begun (S15: a line of each attendee's duty record). As POST /api/activities and
// POST /api/activities/{code}/attendance, through the same service.

const KINDS = Object.keys(KIND_LABEL) as ActivityKind[];
const CODE_RE = wholeCodeOf('HD');
const RECENT = 50;

type Invite = 'none' | 'group' | 'station' | 'all';

interface Template {
  title: string;
  organiser: string;
  from: string;
  to: string;
  invite: Invite;
  hint: string;
}

// Starting values per kind; everything stays editable.
const TEMPLATES: Record<ActivityKind, Template> = {
  small_group: {
    title: '代表小组活动',
    organiser: '人大常委会代表工作委员会',
    from: '09:00',
    to: '11:30',
    invite: 'group',
    hint: '大同 第六条：代表小组每两个月至少活动一次。请选择小组，邀请本组全体代表。',
  },
  large_group: {
    title: '代表大组活动',
    organiser: '人大常委会代表工作委员会',
    from: '09:00',
    to: '11:30',
    invite: 'group',
    hint: '大同 第六条：代表大组每半年至少活动一次。请选择大组。',
  },
  station: {
    title: '代表进站接待群众',
    organiser: '代表联络站',
    from: '09:00',
    to: '12:00',
    invite: 'station',
    hint: '山西 第三十一条：联络站每月至少安排一次，时间不少于半个工作日。请选择联络站。',
  },
  study: {
    title: '代表集体学习',
    organiser: '人大常委会办公室',
    from: '09:00',
    to: '12:00',
    invite: 'all',
    hint: '山西 第四十一条：常委会每年至少组织一次集体学习。',
  },
  campaign: {
    title: '代表建言献策活动',
    organiser: '人大常委会办公室',
    from: '09:00',
    to: '11:30',
    invite: 'all',
    hint: '大同 第七条。',
  },
  inspection: {
    title: '代表视察',
    organiser: '人大常委会办公室',
    from: '09:00',
    to: '12:00',
    invite: 'none',
    hint: '山西 第二十二条：持证视察由常委会工作机构联系安排。视察后可在「视察」页登记视察报告。',
  },
  sitting_in: {
    title: '列席常委会会议',
    organiser: '人大常委会办公室',
    from: '09:00',
    to: '12:00',
    invite: 'none',
    hint: '大同 第七条(一)：邀请部分代表列席常务委员会会议。',
  },
};

const INVITE_LABEL: Record<Invite, string> = {
  group: '所选小组（大组）的全体代表',
  station: '所选联络站的全体代表',
  all: '本人大全体代表',
  none: '暂不邀请（事后登记出席）',
};

const sel = (on: boolean) => (on ? html` selected` : '');

async function listPage(c: PageContext): Promise<void> {
  const p = c.viewer.principal;
  const rows = await listRecentActivities(c.deps.db, p.congressId, RECENT);
  const tz = c.deps.config.timezone;
  // An organiser entered through chat or the API is often a staff member's account id: shown by name.
  const organisers = new Map<string, string>();
  for (const a of rows) {
    const key = `${a.congress_id}:${a.organiser}`;
    if (!organisers.has(key))
      organisers.set(key, await organiserLabel(c.deps.db, a.congress_id, a.organiser));
  }
  wbPage(
    c,
    { title: '活动', active: 'activities', notice: wbNotice(c.ctx) },
    html`<p>登记一项活动：先选模板，再修改细节。</p>
<nav class="wb-templates" aria-label="活动模板">${KINDS.map(
      (k) => html`<a href="/console/activities/new${query({ template: k })}">${KIND_LABEL[k]}</a>`,
    )}</nav>
<p><a href="/console/inspections">代表视察申请和视察报告</a></p>
<h2>最近的活动</h2>
${rows.length === 0 ? html`<p class="muted">还没有登记任何活动。</p>` : ''}
<ul class="wb-list">${rows.map(
      (
        a,
      ) => html`<li class="wb-item"><h3><a class="wb-code" href="/console/activities/${a.code}">${a.code}</a> ${a.title}</h3>
<p>${KIND_LABEL[a.kind]} · ${activityTime(new Date(a.starts_at), new Date(a.ends_at), tz)}</p>
<p class="muted">${organisers.get(`${a.congress_id}:${a.organiser}`)}${a.group_name ? ` · ${a.group_name}` : ''}${a.station_name ? ` · ${a.station_name}` : ''}${a.place ? ` · ${a.place}` : ''}</p>
<p class="muted">邀请 ${Number(a.invited)} 人，出席 ${Number(a.attended)} 人</p></li>`,
    )}</ul>`,
  );
}

interface NewState {
  values: Record<string, string>;
  error: string | null;
  status: number;
}

async function newPage(c: PageContext, state?: NewState): Promise<void> {
  const congresses = await visibleCongresses(c.deps, c.viewer.principal);
  const raw = state?.values.kind ?? param(c.ctx, 'template') ?? 'small_group';
  const kind: ActivityKind = (KINDS as string[]).includes(raw) ? (raw as ActivityKind) : 'small_group';
  const t = TEMPLATES[kind];
  const v = (name: string, fallback = '') => state?.values[name] ?? fallback;
  const chosen =
    congresses.find((x) => x.name === (state?.values.congress ?? param(c.ctx, 'congress'))) ??
    (congresses.length === 1 ? congresses[0] : undefined);
  const { groups, stations } = chosen
    ? await listGroupsAndStations(c.deps.db, chosen.id)
    : { groups: [], stations: [] };
  const invite = v('invite', t.invite);
  wbPage(
    c,
    { title: `登记活动：${KIND_LABEL[kind]}`, active: 'activities' },
    html`<nav class="wb-templates" aria-label="活动模板">${KINDS.map(
      (k) =>
        html`<a href="/console/activities/new${query({ template: k, congress: chosen?.name })}"${k === kind ? html` class="active" aria-current="page"` : ''}>${KIND_LABEL[k]}</a>`,
    )}</nav>
${
  congresses.length > 1
    ? html`<form method="get" action="/console/activities/new" class="filters"><input type="hidden" name="template" value="${kind}">
<label for="activity-congress-pick">先选人大（列出它的小组和联络站）<select id="activity-congress-pick" name="congress">${congresses.map(
        (x) =>
          html`<option value="${x.name}"${x.id === chosen?.id ? html` selected` : ''}>${x.name}</option>`,
      )}</select></label><button type="submit" class="secondary">选择</button></form>`
    : ''
}
${
  chosen
    ? html`<form method="post" action="/console/activities" class="box">${csrfField(c.viewer)}${formError(state?.error)}
<p class="muted">${t.hint}</p>
<input type="hidden" name="kind" value="${kind}">
<input type="hidden" name="congress" value="${chosen.name}"><p>人大：${chosen.name}</p>
<label for="activity-title">活动名称</label>
<input type="text" id="activity-title" name="title" maxlength="200" required value="${v('title', t.title)}">
<label for="activity-organiser">组织单位</label>
<input type="text" id="activity-organiser" name="organiser" maxlength="200" required value="${v('organiser', t.organiser)}">
<div class="wb-row">
<div><label for="activity-group">小组或大组</label><select id="activity-group" name="group"><option value="">（不限）</option>${groups.map(
        (g) =>
          html`<option value="${g.name}"${sel(v('group') === g.name)}>${g.name}（${g.kind === 'large' ? '大组' : '小组'}）</option>`,
      )}</select></div>
<div><label for="activity-station">联络站</label><select id="activity-station" name="station"><option value="">（不限）</option>${stations.map(
        (s) => html`<option value="${s.name}"${sel(v('station') === s.name)}>${s.name}</option>`,
      )}</select></div>
</div>
<label for="activity-date">日期</label>${dateInput({ id: 'activity-date', name: 'date', value: v('date', addDays(c.today, 7)), required: true })}
<div class="wb-row">
<div><label for="activity-from">开始时间</label>${timeInput({ id: 'activity-from', name: 'from', value: v('from', t.from), required: true, hint: 'activity-time-hint' })}</div>
<div><label for="activity-to">结束时间</label>${timeInput({ id: 'activity-to', name: 'to', value: v('to', t.to), required: true, hint: 'activity-time-hint' })}</div>
</div>${timeHint('activity-time-hint')}
<label for="activity-place">地点（可不填）</label>
<input type="text" id="activity-place" name="place" maxlength="200" value="${v('place')}" placeholder="例如：市人大常委会三楼会议室">
<fieldset><legend>邀请谁</legend>${(['group', 'station', 'all', 'none'] as Invite[]).map(
        (i) =>
          html`<label class="wb-check"><input type="radio" name="invite" value="${i}"${invite === i ? html` checked` : ''}> ${INVITE_LABEL[i]}</label>`,
      )}
<p class="muted">受邀代表收到邀请，可回复“参加”或“请假”；活动前一个工作日上午 9 点再提醒一次。已经开始或结束的活动只作记录，不发邀请。</p></fieldset>
<button type="submit">登记活动</button>
</form>`
    : html`${formError(state?.error)}`
}`,
    state?.status ?? 200,
  );
}

/** "YYYY-MM-DD" and "HH:MM" (both read already) in APP_TIMEZONE → the ISO instant the service takes. */
function instantOf(date: string, time: string, tz: string): string {
  const [hour, minute] = time.split(':').map(Number);
  return new Date(instantAt(date, 0, tz).getTime() + (hour! * 60 + minute!) * 60_000).toISOString();
}

function invitees(
  all: DeputyPick[],
  invite: Invite,
  groupId: number | null,
  stationId: number | null,
): string[] {
  const live = all.filter((d) => d.status === 'active' && d.userid !== null);
  const picked =
    invite === 'all'
      ? live
      : invite === 'group'
        ? live.filter((d) => groupId !== null && (d.largeGroupId === groupId || d.smallGroupId === groupId))
        : invite === 'station'
          ? live.filter((d) => stationId !== null && d.stationId === stationId)
          : [];
  return picked.map((d) => d.userid!);
}

async function createFromForm(c: PageContext, form: Form): Promise<void> {
  const values = Object.fromEntries(
    [
      'kind',
      'congress',
      'title',
      'organiser',
      'group',
      'station',
      'date',
      'from',
      'to',
      'place',
      'invite',
    ].map((k) => [k, field(form, k)]),
  );
  const again = (error: string, status = 400) => newPage(c, { values, error, status });
  const kind = values.kind as ActivityKind;
  if (!KINDS.includes(kind)) return again('请从模板中选择活动类别。');
  const invite = values.invite as Invite;
  const tz = c.deps.config.timezone;
  const problem =
    (values.congress === '' ? '请选择人大' : null) ??
    checkText('活动名称', values.title!, { required: true, max: 200 }) ??
    checkText('组织单位', values.organiser!, { required: true, max: 200 }) ??
    checkText('地点', values.place!, { max: 200 }) ??
    (!(['none', 'group', 'station', 'all'] as string[]).includes(invite) ? '请选择邀请谁' : null);
  if (problem) return again(problem);
  const date = readDateField('日期', values.date!, true);
  if (date.error !== undefined) return again(date.error);
  values.date = date.date;
  const from = readTimeField('开始时间', values.from!, true);
  if (from.error !== undefined) return again(from.error);
  values.from = from.time;
  const to = readTimeField('结束时间', values.to!, true);
  if (to.error !== undefined) return again(to.error);
  values.to = to.time;
  const startsAt = instantOf(values.date, values.from, tz);
  const endsAt = instantOf(values.date, values.to, tz);
  if (endsAt <= startsAt)
    return again(`「结束时间」${values.to} 应晚于「开始时间」${values.from}，请重新填写。`);
  if ((kind === 'small_group' || kind === 'large_group') && values.group === '')
    return again('小组、大组活动请选择是哪个组（大同 第六条）。');
  if (kind === 'station' && values.station === '')
    return again('联络站活动请选择联络站（山西 第三十一条）。');
  if (invite === 'group' && values.group === '') return again('要邀请小组的代表，请先选择小组或大组。');
  if (invite === 'station' && values.station === '') return again('要邀请联络站的代表，请先选择联络站。');
  const congress = (await visibleCongresses(c.deps, c.viewer.principal)).find(
    (x) => x.name === values.congress,
  );
  if (!congress) return again('请选择人大。');
  const { groups, stations } = await listGroupsAndStations(c.deps.db, congress.id);
  const group = groups.find((g) => g.name === values.group);
  const station = stations.find((s) => s.name === values.station);
  const userids = invitees(
    await listDeputiesToPick(c.deps.db, congress.id),
    invite,
    group?.id ?? null,
    station?.id ?? null,
  );
  const out: { code?: string } = {};
  const res = await attempt(async () => {
    const r = await createActivity(
      c.deps,
      {
        kind,
        title: values.title!,
        organiser: values.organiser!,
        congress: congress.name,
        group: values.group || undefined,
        station: values.station || undefined,
        startsAt,
        endsAt,
        place: values.place || undefined,
        invitees: userids,
      },
      { actor: actorOf(c.viewer.principal), tokenCongressId: c.viewer.principal.congressId },
    );
    out.code = r.activity.code;
  });
  if (!res.ok) return again(res.message, res.status);
  redirectAfter(c.ctx, `/console/activities/${out.code}`, 'activity');
}

interface AttendState {
  checked: Set<string>;
  error: string;
  status: number;
}

async function activityPage(c: PageContext, code: string, state?: AttendState): Promise<void> {
  if (!CODE_RE.test(code)) throw new AppError('not_found', `没有编号为 ${code} 的活动。`);
  const a = await findActivityByCode(c.deps.db, code);
  const p = c.viewer.principal;
  if (!a || (p.congressId !== null && a.congress_id !== p.congressId))
    throw new AppError('not_found', `没有编号为 ${code} 的活动。`);
  const congresses: Congress[] = await visibleCongresses(c.deps, p);
  const tz = c.deps.config.timezone;
  const people = await listActivityParticipants(c.deps.db, a.id);
  const deputies = await listDeputiesToPick(c.deps.db, a.congress_id);
  const byMandate = new Map(people.map((x) => [x.mandate_id, x]));
  const started = a.starts_at <= c.deps.clock.now();
  const pickable = deputies.filter((d) => d.userid !== null);
  const noId = deputies.filter((d) => d.userid === null && byMandate.has(d.mandateId));
  // The invited first, then everyone else of the congress (someone may come uninvited).
  pickable.sort((x, y) => Number(byMandate.has(y.mandateId)) - Number(byMandate.has(x.mandateId)));
  const isChecked = (d: DeputyPick) =>
    state ? state.checked.has(d.userid!) : byMandate.get(d.mandateId)?.attended === true;
  const answer = (m: number) => {
    const x = byMandate.get(m);
    if (!x) return '';
    if (x.attended) return '（已出席）';
    if (x.response === 'accepted') return '（回复参加）';
    if (x.response === 'declined') return `（请假${x.response_reason ? `：${x.response_reason}` : ''}）`;
    return x.invited ? '（已邀请）' : '';
  };
  wbPage(
    c,
    { title: `活动 ${a.code}`, active: 'activities', notice: wbNotice(c.ctx) },
    html`<dl class="facts">
<dt>名称</dt><dd>${a.title}</dd>
<dt>类别</dt><dd>${KIND_LABEL[a.kind]}</dd>
${congresses.length > 1 ? html`<dt>人大</dt><dd>${congresses.find((x) => x.id === a.congress_id)?.name ?? ''}</dd>` : ''}
<dt>时间</dt><dd>${activityTime(a.starts_at, a.ends_at, tz)}</dd>
<dt>组织单位</dt><dd>${await organiserLabel(c.deps.db, a.congress_id, a.organiser)}</dd>
${a.place ? html`<dt>地点</dt><dd>${a.place}</dd>` : ''}
<dt>邀请</dt><dd>${people.filter((x) => x.invited).length} 人；回复参加 ${people.filter((x) => x.response === 'accepted').length} 人，请假 ${people.filter((x) => x.response === 'declined').length} 人</dd>
<dt>出席</dt><dd>${people.filter((x) => x.attended).length} 人</dd>
</dl>
<h2>登记出席</h2>
<form method="post" action="/console/activities/${a.code}/attendance" class="box">${csrfField(c.viewer)}${formError(state?.error)}
${started ? '' : html`<p class="muted">活动尚未开始，开始后才能登记出席。</p>`}
<fieldset><legend>勾选出席的代表</legend>
${pickable.length === 0 ? html`<p class="muted">该人大还没有登记了企业微信或钉钉账号的代表。</p>` : ''}
<div class="wb-checks">${pickable.map(
      (d) =>
        html`<label><input type="checkbox" name="userid" value="${d.userid}"${isChecked(d) ? html` checked` : ''}> <span><span class="nowrap">${d.name}</span><span class="muted nowrap">${answer(d.mandateId)}</span></span></label>`,
    )}</div></fieldset>
${noId.length > 0 ? html`<p class="muted">以下受邀代表没有登记企业微信或钉钉账号，无法在此登记：${noId.map((d) => d.name).join('、')}</p>` : ''}
<p class="muted">出席会记入代表的履职档案（可开具出勤证明）。已登记的不会重复记录。</p>
<button type="submit">登记出席</button>
</form>
<p><a href="/console/activities">返回活动列表</a></p>`,
    state?.status ?? 200,
  );
}

export const activityPages: ConsoleModule = (r) => {
  r.get('/activities', 'staff', listPage);
  r.get('/activities/new', 'staff', (c) => newPage(c));
  r.post('/activities', 'staff', createFromForm);
  r.get('/activities/:code', 'staff', (c) => activityPage(c, String(c.ctx.params.code)));
  r.post('/activities/:code/attendance', 'staff', async (c, form) => {
    const code = String(c.ctx.params.code);
    const userids = form.getAll('userid').filter((u) => u.trim() !== '');
    const again = (error: string, status: number) =>
      activityPage(c, code, { checked: new Set(userids), error, status });
    if (userids.length === 0) return again('请勾选出席的代表。', 400);
    const res = await attempt(async () => {
      await recordAttendance(c.deps, {
        code,
        userids,
        tokenCongressId: c.viewer.principal.congressId,
      });
    });
    if (!res.ok) return again(res.message, res.status);
    redirectAfter(c.ctx, `/console/activities/${code}`, 'attendance');
  });
};
