import { type LeaderCandidate, listLeaderCandidates } from '../../db/repositories/groups.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import {
  type GroupPut,
  type GroupView,
  listGroupViews,
  putGroup,
  readBindingAddress,
} from '../services/congresses/index.ts';
import { bindingUsable } from '../services/notices/index.ts';
import type { Form } from './csrf.ts';
import { html, query, type SafeHtml } from './html.ts';
import { csrfField } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  redirectAfter,
} from './page-context.ts';
import { visibleCongresses } from './scope.ts';
import { congressPicker, formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 小组与群机器人: deputy groups and how pushes reach their group chats (a WeCom group robot's webhook
// address, a group chat WeCom's intelligent robot is in, or an app chat; a DingTalk custom robot's address
// and signing secret, or the enterprise robot's conversation), and the leader 大同 第六条 (S1) reminders go
// to, chosen from the congress's deputies and stored by id. Each field says in plain words what it is,
// where staff find it and what it looks like; a robot's whole address or only its key is taken, anything
// else refused before anything is saved. Keys and secrets are write-only: the page shows whether one is
// set, never its value. As PUT /api/groups/{name}, through the same service.

const KIND_LABEL: Record<GroupView['kind'], string> = {
  large: '代表大组',
  small: '代表小组',
  staff: '工作人员群',
};

const BINDINGS = [
  {
    field: 'wecomWebhookKey',
    kind: 'wecom_robot',
    label: '企业微信群机器人地址',
    short: '企业微信群机器人',
    hint: '在企业微信群里点右上角「…」→「群机器人」，点开本组的机器人，复制它的 Webhook 地址粘贴到这里，形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…（只填 key= 后面的那一串也可以）。',
    example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    set: (g: GroupView) => g.bindings.wecomRobot,
    more: false,
  },
  {
    field: 'dingtalkWebhookToken',
    kind: 'dingtalk_robot',
    label: '钉钉自定义机器人地址',
    short: '钉钉自定义机器人',
    hint: '在钉钉群里点右上角「群设置」→「机器人」，点开本组的自定义机器人，复制它的 Webhook 地址粘贴到这里，形如 https://oapi.dingtalk.com/robot/send?access_token=…（只填 access_token= 后面的那一串也可以）。',
    example: 'https://oapi.dingtalk.com/robot/send?access_token=…',
    set: (g: GroupView) => g.bindings.dingtalkRobot,
    more: false,
  },
  {
    field: 'dingtalkSecret',
    kind: 'dingtalk_robot',
    label: '钉钉机器人的加签密钥',
    short: '',
    hint: '添加上面这个钉钉机器人时，「安全设置」勾选了「加签」的，把那里显示的密钥复制过来，以 SEC 开头；没有勾选加签的不用填。',
    example: '',
    set: (g: GroupView) => g.bindings.dingtalkRobotSigned,
    more: false,
  },
  {
    field: 'wecomBotChatId',
    kind: 'wecom_bot',
    label: '企业微信智能机器人所在群的编号',
    short: '企业微信智能机器人所在的群',
    hint: '本系统的企业微信智能机器人在群里时才用：把它加进群后，在群里 @它 说一句话，管理员就能在服务日志里查到这个群的编号并提供给您。编号是一串英文字母和数字，形如 wrOgQhDgAA…，不是网址；群里加的普通群机器人请填上面的群机器人地址。',
    example: '',
    set: (g: GroupView) => g.bindings.wecomBot,
    more: true,
  },
  {
    field: 'wecomChatId',
    kind: 'wecom_appchat',
    label: '企业微信应用群聊的编号',
    short: '企业微信应用群聊',
    hint: '只有用本系统的企业微信应用建立的群聊才有这个编号，由管理员建群时得到并提供；普通的企业微信群请填上面的群机器人地址。',
    example: '',
    set: (g: GroupView) => g.bindings.wecomAppchat,
    more: true,
  },
  {
    field: 'dingtalkOpenConversationId',
    kind: 'dingtalk_conversation',
    label: '钉钉群的编号',
    short: '钉钉群（本系统的机器人）',
    hint: '本系统的钉钉机器人在群里时才用：把它加进群后，在群里 @它 说一句话，管理员就能在服务日志里查到这个群的编号（以 cid 开头）并提供给您。',
    example: '',
    set: (g: GroupView) => g.bindings.dingtalkConversation,
    more: true,
  },
] as const;

type Binding = (typeof BINDINGS)[number];
type BindingField = Binding['field'];

const NOTHING_SAVED = '本次没有保存任何修改。';

/** The service names API fields; the form names what staff see. */
const formWords = (message: string): string =>
  message.replace(/字段「(\w+)」/g, (whole, f: string) => {
    const label =
      f === 'leader' || f === 'leaderPersonId' ? '负责人' : BINDINGS.find((b) => b.field === f)?.label;
    return label ? `「${label}」` : whole;
  });

/**
 * How pushes reach the group's chats, in words, and whether any does. A chat the service cannot send
 * through (bindingUsable: WeCom's intelligent robot's without the robot) is named as not reached.
 */
const reachOf = (g: GroupView, config: Config): { text: string; reached: boolean } => {
  const bound = BINDINGS.filter((b) => b.short !== '' && b.set(g));
  const idle = (b: (typeof bound)[number]) => !bindingUsable(b.kind, config);
  return {
    text:
      bound.length > 0
        ? bound.map((b) => (idle(b) ? `${b.short}（本系统尚未接入，发不到）` : b.short)).join('、')
        : '未绑定群聊',
    reached: bound.some((b) => !idle(b)),
  };
};

/**
 * Why a binding's value cannot be saved, in words, or null: a robot's address of the wrong kind (one of the
 * other robot's says where it belongs), an address where a group's number goes, characters no key or id
 * has, a signing secret not starting with SEC. The API's own reading (readBindingAddress) decides.
 */
function bindingProblem(b: Binding, value: string): string | null {
  if (b.field === 'dingtalkSecret')
    return /^SEC[A-Za-z0-9]+$/.test(value)
      ? null
      : `「${b.label}」应以 SEC 开头，只有字母和数字。请在钉钉机器人的「安全设置」里重新复制。${NOTHING_SAVED}`;
  const read = readBindingAddress(b.field, value);
  if (read.ok) return null;
  const url = /^https?:\/\//i.test(value);
  const other = url
    ? BINDINGS.find((o) => o.example !== '' && o !== b && readBindingAddress(o.field, value).ok)
    : undefined;
  // An address in a field that takes a group's number: a robot's one (the group robot and the intelligent
  // robot are easily taken for each other) says where it belongs.
  if (url && b.example === '')
    return other
      ? `这是${other.short}的地址，请填到「${other.label}」一栏；「${b.label}」填的是群的编号，不是网址。${NOTHING_SAVED}`
      : `「${b.label}」填的是群的编号，不是网址，请填管理员提供的编号。${NOTHING_SAVED}`;
  if (read.problem === 'chars')
    return `「${b.label}」里有空格、汉字或其他不该有的字符，请重新复制后粘贴。${NOTHING_SAVED}`;
  return other
    ? `这是${other.short}的地址，请填到「${other.label}」一栏；「${b.label}」只填${b.short}的地址（形如 ${b.example}）。${NOTHING_SAVED}`
    : `「${b.label}」填的不是${b.short}的地址，请复制形如 ${b.example} 的 Webhook 地址。${NOTHING_SAVED}`;
}

/** A name as the leader list shows it: with their group if not this one, and when no chat reaches them. */
function candidateLabel(p: LeaderCandidate, twins: Set<string>): string {
  const where = p.member ? '' : p.group ? `（${p.group}）` : '';
  const tail = twins.has(p.name) && p.mobile ? `，手机尾号${p.mobile.slice(-4)}` : '';
  const reach = p.reachable ? '' : '（无企业微信或钉钉账号，收不到提醒）';
  return `${p.name}${where}${tail}${reach}`;
}

const byName = new Intl.Collator('zh-CN');

/**
 * The leader as a choice among the congress's deputies (a staff group: its staff), the group's own first,
 * by name; a current leader no longer among them stays selectable as they are. `chosen`: a person's id,
 * '' for none. `was` travels with the form, so a leader changed meanwhile by someone else is not undone by
 * a save that did not touch this choice.
 */
function leaderField(
  g: GroupView,
  candidates: LeaderCandidate[],
  chosen: string,
  was: string,
  state: GroupState | undefined,
): SafeHtml {
  const sorted = [...candidates].sort((a, b) => byName.compare(a.name, b.name));
  const seen = new Set<string>();
  const twins = new Set<string>();
  for (const p of sorted) (seen.has(p.name) ? twins : seen).add(p.name);
  const option = (p: LeaderCandidate) =>
    html`<option value="${String(p.id)}"${chosen === String(p.id) ? html` selected` : ''}>${candidateLabel(p, twins)}</option>`;
  const members = sorted.filter((p) => p.member);
  const others = sorted.filter((p) => !p.member);
  const staff = g.kind === 'staff';
  const gone = g.leader && !candidates.some((p) => p.id === g.leader!.personId) ? g.leader : null;
  return html`<fieldset><legend>负责人（小组召集人）</legend>
${faultMessage(state, 'leaderId')}<label for="g-leader" class="muted">${staff ? '从本人大在任的工作人员中选择。' : '从本人大的在任代表中选择，本组成员排在前面。'}小组活动提醒（大同 第六条）发给负责人。</label>
<select id="g-leader" name="leaderId"${faultMarks(state, 'leaderId')}>
<option value="">${g.leader ? '取消负责人（不设）' : '不设负责人'}</option>
${gone ? html`<option value="${String(gone.personId)}"${chosen === String(gone.personId) ? html` selected` : ''}>${gone.name}（现负责人，已不在可选名单中）</option>` : ''}
${members.length > 0 ? html`<optgroup label="本组成员（${members.length} 人）">${members.map(option)}</optgroup>` : ''}
${others.length > 0 ? html`<optgroup label="${staff ? '本人大的工作人员' : members.length > 0 ? '本人大的其他代表' : '本人大的代表'}">${others.map(option)}</optgroup>` : ''}
</select>
<input type="hidden" name="leaderWas" value="${was}">
${gone ? html`<p class="muted">现负责人${gone.name}已不是本人大在任的${staff ? '工作人员' : '代表'}，请另选一位。</p>` : ''}
${candidates.length === 0 ? html`<p class="muted">本人大还没有在任的${staff ? '工作人员' : '代表'}可选，请先导入名册。</p>` : ''}
</fieldset>`;
}

async function listPage(c: PageContext, state?: { values: Record<string, string>; error: string }) {
  const p = c.viewer.principal;
  const groups = await listGroupViews(c.deps.db, p);
  const congresses = await visibleCongresses(c.deps, p);
  const many = congresses.length > 1;
  const v = (k: string) => state?.values[k] ?? '';
  wbPage(
    c,
    { title: '小组与群机器人', active: 'groups', notice: wbNotice(c.ctx) },
    html`<ul class="wb-list wb-grid">${groups.map(
      (g) => html`<li class="wb-item"><h3><a href="/console/groups/${g.id}">${g.name}</a></h3>
<p>${KIND_LABEL[g.kind]} · ${g.members} 人${many ? ` · ${g.congress}` : ''}</p>
<p>${g.leader ? `负责人：${g.leader.name}` : html`<span class="muted">未设负责人</span>`}</p>
<p class="${reachOf(g, c.deps.config).reached ? 'muted' : 'wb-bad'}">${reachOf(g, c.deps.config).text}</p></li>`,
    )}</ul>
${groups.length === 0 ? html`<p class="muted">还没有小组。导入名册时会按“代表大组”“代表小组”两列建立小组。</p>` : ''}
<h2>新建小组</h2>
<form method="post" action="/console/groups" class="box">${csrfField(c.viewer)}${formError(state?.error)}
${congressPicker(congresses, v('congress'), 'group-congress')}
<label for="group-name">小组名称</label><input type="text" id="group-name" name="name" maxlength="100" required value="${v('name')}" placeholder="例如：第一代表小组">
<label for="group-kind">类型</label><select id="group-kind" name="kind">${(
      ['small', 'large', 'staff'] as const
    ).map(
      (k) => html`<option value="${k}"${v('kind') === k ? html` selected` : ''}>${KIND_LABEL[k]}</option>`,
    )}</select>
<p class="muted">建好后在小组页面选择负责人、填写群机器人地址。</p>
<button type="submit">新建</button>
</form>`,
    state ? 400 : 200,
  );
}

async function groupOf(c: PageContext): Promise<GroupView> {
  const id = idParam(c.ctx, '小组');
  const g = (await listGroupViews(c.deps.db, c.viewer.principal)).find((x) => x.id === id);
  if (!g) throw new AppError('not_found', '没有这个小组。');
  return g;
}

/**
 * A refused save: what was typed, why, and the field at fault (its message then stands in its box, which
 * the page opens at, rather than at the top of a long form).
 */
interface GroupState {
  values: Record<string, string>;
  error: string;
  status: number;
  field?: BindingField | 'leaderId';
}

/** The marks of the field a refusal names: red, and where the page opens. */
const faultMarks = (state: GroupState | undefined, name: string) =>
  state?.field === name ? html` aria-invalid="true" autofocus` : '';

/** The refusal's message, in the box of the field it names. */
const faultMessage = (state: GroupState | undefined, name: string) =>
  state?.field === name ? formError(state.error) : '';

async function groupPage(c: PageContext, state?: GroupState) {
  const g = await groupOf(c);
  const candidates = await listLeaderCandidates(c.deps.db, g.id);
  const v = (k: string) => state?.values[k] ?? '';
  const current = g.leader ? String(g.leader.personId) : '';
  const bindingField = (
    b: Binding,
  ): SafeHtml => html`<fieldset><legend>${b.label}${b.set(g) ? html` <span class="tag">已设置</span>` : html` <span class="tag warn">未设置</span>`}</legend>
${faultMessage(state, b.field)}<label for="g-${b.field}" class="muted">${b.hint}</label>
${!bindingUsable(b.kind, c.deps.config) /* only the intelligent robot's chat can be unusable */ ? html`<p class="muted">注意：本系统目前还没有接入企业微信智能机器人，填了编号也发不到这个群里，需要管理员先接入。</p>` : ''}
<input type="${b.field === 'dingtalkSecret' ? 'password' : 'text'}" id="g-${b.field}" name="${b.field}" maxlength="512" autocomplete="off" value="${b.field === 'dingtalkSecret' ? '' : v(b.field)}" placeholder="${b.set(g) ? '已设置；不修改就留空' : ''}"${faultMarks(state, b.field)}>
${b.set(g) ? html`<label class="wb-check"><input type="checkbox" name="clear" value="${b.field}"${state?.values[`clear:${b.field}`] ? html` checked` : ''}> 解除此项绑定</label>` : ''}
</fieldset>`;
  const more = BINDINGS.filter((b) => b.more);
  const moreOpen = more.some((b) => b.set(g) || v(b.field) !== '' || state?.values[`clear:${b.field}`]);
  wbPage(
    c,
    { title: g.name, active: 'groups', notice: wbNotice(c.ctx) },
    html`<dl class="facts"><dt>类型</dt><dd>${KIND_LABEL[g.kind]}</dd><dt>人大</dt><dd>${g.congress}</dd><dt>成员</dt><dd>${g.members} 人</dd>
<dt>负责人</dt><dd>${g.leader?.name ?? '未设'}</dd><dt>推送到群</dt><dd>${reachOf(g, c.deps.config).text}</dd></dl>
${g.members > 0 ? html`<p><a href="/console/deputies${query({ group: String(g.id) })}">查看本组 ${g.members} 位成员的名单</a></p>` : ''}
<form method="post" action="/console/groups/${g.id}" class="box">${csrfField(c.viewer)}${state?.field ? '' : formError(state?.error)}
${leaderField(g, candidates, state ? v('leaderId') : current, state ? v('leaderWas') : current, state)}
<h2>推送到群</h2>
<p class="muted">通知和提醒通过群里的机器人发到群里。为安全起见，已经填好的地址和密钥不再显示；不需要修改的留空即可。</p>
${BINDINGS.filter((b) => !b.more).map(bindingField)}
<details class="wb-more"${moreOpen ? html` open` : ''}><summary>其他接入方式（一般不用填，编号由管理员提供）</summary>
${more.map(bindingField)}
</details>
<button type="submit">保存</button>
</form>
<p><a href="/console/groups">返回小组列表</a></p>`,
    state?.status ?? 200,
  );
}

async function saveGroup(c: PageContext, form: Form): Promise<void> {
  const g = await groupOf(c);
  const clear = new Set(form.getAll('clear'));
  const values: Record<string, string> = {};
  const put: GroupPut = { congress: g.congress };
  const problems: { field: GroupState['field']; error: string }[] = [];
  for (const b of BINDINGS) {
    const val = field(form, b.field);
    if (b.field !== 'dingtalkSecret') values[b.field] = val;
    if (clear.has(b.field)) {
      values[`clear:${b.field}`] = '1';
      put[b.field as BindingField] = null;
    } else if (val !== '') {
      const problem = bindingProblem(b, val);
      if (problem) problems.push({ field: b.field, error: problem });
      put[b.field as BindingField] = val;
    }
  }
  // The leader changes only when the choice differs from the one the page showed.
  values.leaderId = field(form, 'leaderId');
  values.leaderWas = field(form, 'leaderWas');
  if (values.leaderId !== values.leaderWas) {
    if (values.leaderId === '') put.leaderPersonId = null;
    else if (/^[1-9]\d{0,9}$/.test(values.leaderId)) put.leaderPersonId = Number(values.leaderId);
    else problems.push({ field: 'leaderId', error: `请从列表中选择负责人。${NOTHING_SAVED}` });
  }
  const again = (error: string, status = 400, at?: GroupState['field']) =>
    groupPage(c, { values, error, status, ...(at ? { field: at } : {}) });
  if (problems[0]) return again(problems[0].error, 400, problems[0].field);
  if (put.dingtalkSecret && !put.dingtalkWebhookToken && !g.bindings.dingtalkRobot)
    return again(
      `加签密钥属于钉钉自定义机器人，请同时填写「钉钉自定义机器人地址」。${NOTHING_SAVED}`,
      400,
      'dingtalkWebhookToken',
    );
  if (Object.keys(put).length === 1)
    return again('没有要保存的修改：请选择负责人、填写要绑定的内容，或勾选要解除的项。');
  const res = await attempt(async () => {
    await putGroup(
      c.deps,
      {
        principal: c.viewer.principal,
        actor: actorOf(c.viewer.principal),
        requestId: c.ctx.state.requestId ?? null,
      },
      g.name,
      put,
    );
  });
  // The service refuses a leader not of this congress's (the only refusal naming 负责人).
  if (!res.ok)
    return again(
      formWords(res.message),
      res.status,
      put.leaderPersonId !== undefined && res.message.includes('负责人') ? 'leaderId' : undefined,
    );
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/groups/${g.id}`, 'group');
}

async function createGroup(c: PageContext, form: Form): Promise<void> {
  const values = { congress: field(form, 'congress'), name: field(form, 'name'), kind: field(form, 'kind') };
  const again = (error: string) => listPage(c, { values, error });
  const problem =
    (values.congress === '' ? '请选择人大' : null) ??
    checkText('小组名称', values.name, { required: true, max: 100 }) ??
    (!['large', 'small', 'staff'].includes(values.kind) ? '请选择类型。' : null);
  if (problem) return again(problem);
  const existing = (await listGroupViews(c.deps.db, c.viewer.principal)).find(
    (x) => x.name === values.name && x.congress === values.congress,
  );
  if (existing) return again(`「${values.congress}」已有名为「${values.name}」的小组。`);
  const out: { id?: number } = {};
  const res = await attempt(async () => {
    const r = await putGroup(
      c.deps,
      {
        principal: c.viewer.principal,
        actor: actorOf(c.viewer.principal),
        requestId: c.ctx.state.requestId ?? null,
      },
      values.name,
      { congress: values.congress, kind: values.kind as GroupView['kind'] },
    );
    out.id = r.group.id;
  });
  if (!res.ok) return again(res.message);
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/groups/${out.id}`, 'group');
}

export const groupPages: ConsoleModule = (r) => {
  r.get('/groups', 'staff', (c) => listPage(c));
  r.post('/groups', 'staff', createGroup);
  r.get('/groups/:id', 'staff', (c) => groupPage(c));
  r.post('/groups/:id', 'staff', saveGroup);
};
