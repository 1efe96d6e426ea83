import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { type GroupPut, type GroupView, listGroupViews, putGroup } from '../services/congresses/index.ts';
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

// 小组与群机器人: deputy groups and how pushes reach their group chats (a WeCom group robot's webhook key
// or an app chat; a DingTalk custom robot's access token and signing secret, or the enterprise robot's
// conversation), and the leader 大同 第六条 (S1) reminders go to. Keys and secrets are write-only: the
// page shows whether one is set, never its value. As PUT /api/groups/{name}, through the same service.

const KIND_LABEL: Record<GroupView['kind'], string> = {
  large: '代表大组',
  small: '代表小组',
  staff: '工作人员群',
};

const BINDINGS = [
  {
    field: 'wecomWebhookKey',
    label: '企业微信群机器人',
    hint: '群机器人的 Webhook 地址或其中的 key，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    set: (g: GroupView) => g.bindings.wecomRobot,
  },
  {
    field: 'wecomChatId',
    label: '企业微信应用群聊',
    hint: '由应用创建的群聊的 chatid',
    set: (g: GroupView) => g.bindings.wecomAppchat,
  },
  {
    field: 'dingtalkWebhookToken',
    label: '钉钉自定义机器人',
    hint: '机器人的 Webhook 地址或其中的 access_token',
    set: (g: GroupView) => g.bindings.dingtalkRobot,
  },
  {
    field: 'dingtalkSecret',
    label: '钉钉机器人加签密钥',
    hint: '安全设置选“加签”时显示的密钥，以 SEC 开头',
    set: (g: GroupView) => g.bindings.dingtalkRobotSigned,
  },
  {
    field: 'dingtalkOpenConversationId',
    label: '钉钉群（企业机器人）',
    hint: '企业机器人所在群的 openConversationId',
    set: (g: GroupView) => g.bindings.dingtalkConversation,
  },
] as const;

type BindingField = (typeof BINDINGS)[number]['field'];

/** The service names API fields; the form names what staff see. */
const formWords = (message: string): string =>
  message.replace(/字段「(\w+)」/g, (whole, f: string) => {
    const label = f === 'leader' ? '负责人' : BINDINGS.find((b) => b.field === f)?.label;
    return label ? `「${label}」` : whole;
  });

const reachText = (g: GroupView): string => {
  const on = BINDINGS.filter((b) => b.field !== 'dingtalkSecret' && b.set(g)).map((b) => b.label);
  return on.length > 0 ? on.join('、') : '未绑定群聊';
};

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
<p class="${reachText(g) === '未绑定群聊' ? 'wb-bad' : 'muted'}">${reachText(g)}</p></li>`,
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
<p class="muted">建好后在小组页面绑定群机器人和负责人。</p>
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

async function groupPage(
  c: PageContext,
  state?: { values: Record<string, string>; error: string; status: number },
) {
  const g = await groupOf(c);
  const v = (k: string) => state?.values[k] ?? '';
  const bindingField = (
    b: (typeof BINDINGS)[number],
  ): SafeHtml => html`<fieldset><legend>${b.label}${b.set(g) ? html` <span class="tag">已设置</span>` : html` <span class="tag warn">未设置</span>`}</legend>
<label for="g-${b.field}" class="muted">${b.hint}</label>
<input type="${b.field === 'dingtalkSecret' ? 'password' : 'text'}" id="g-${b.field}" name="${b.field}" maxlength="512" autocomplete="off" value="${b.field === 'dingtalkSecret' ? '' : v(b.field)}" placeholder="${b.set(g) ? '不填则保持不变' : ''}">
${b.set(g) ? html`<label class="wb-check"><input type="checkbox" name="clear" value="${b.field}"${state?.values[`clear:${b.field}`] ? html` checked` : ''}> 解除此项绑定</label>` : ''}
</fieldset>`;
  wbPage(
    c,
    { title: g.name, active: 'groups', notice: wbNotice(c.ctx) },
    html`<dl class="facts"><dt>类型</dt><dd>${KIND_LABEL[g.kind]}</dd><dt>人大</dt><dd>${g.congress}</dd><dt>成员</dt><dd>${g.members} 人</dd>
<dt>负责人</dt><dd>${g.leader?.name ?? '未设'}</dd><dt>推送</dt><dd>${reachText(g)}</dd></dl>
${g.members > 0 ? html`<p><a href="/console/deputies${query({ group: String(g.id) })}">查看本组 ${g.members} 位成员的名单</a></p>` : ''}
<form method="post" action="/console/groups/${g.id}" class="box">${csrfField(c.viewer)}${formError(state?.error)}
<p class="muted">密钥和地址只写不读：已设置的不会显示出来，留空表示不变。</p>
${BINDINGS.map(bindingField)}
<label for="g-leader">负责人（小组召集人，接收小组活动提醒）</label>
<p class="muted">${g.leader ? `现为${g.leader.name}。要更换，` : ''}请填负责人的企业微信账号、钉钉账号或手机号，例如 ZhangSan 或 13800000001。</p>
<input type="text" id="g-leader" name="leader" maxlength="64" value="${v('leader')}">
${g.leader ? html`<label class="wb-check"><input type="checkbox" name="clear" value="leader"${state?.values['clear:leader'] ? html` checked` : ''}> 取消负责人</label>` : ''}
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
  for (const b of BINDINGS) {
    const val = field(form, b.field);
    if (b.field !== 'dingtalkSecret') values[b.field] = val;
    if (clear.has(b.field)) {
      values[`clear:${b.field}`] = '1';
      put[b.field as BindingField] = null;
    } else if (val !== '') put[b.field as BindingField] = val;
  }
  values.leader = field(form, 'leader');
  if (clear.has('leader')) {
    values['clear:leader'] = '1';
    put.leader = null;
  } else if (values.leader !== '') put.leader = values.leader;
  const again = (error: string, status = 400) => groupPage(c, { values, error, status });
  if (put.dingtalkSecret && !put.dingtalkWebhookToken && !g.bindings.dingtalkRobot)
    return again('加签密钥属于钉钉自定义机器人，请同时填写该机器人的 Webhook 地址。');
  if (Object.keys(put).length === 1) return again('没有要保存的修改：请填写要绑定的内容，或勾选要解除的项。');
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
  if (!res.ok) return again(formWords(res.message), res.status);
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
