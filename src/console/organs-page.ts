import { markAudited } from '../api/audit-trail.ts';
import { actorOf, mayChangeShared } from '../api/auth.ts';
import {
  addOrganContact,
  furtherContactCounts,
  furtherContacts,
  type OrganContactRow,
  type OrganRow,
  organRegister,
  organsByIds,
  registerOrgan,
  removeOrganContact,
} from '../services/organs/index.ts';
import type { Form } from './csrf.ts';
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
import { formError, idParam, requireShared, wbNotice, wbPage } from './workbench-kit.ts';

// 承办单位: the register of organs that handle deputies' items (S8 有关机关、组织), with the contact 催办
// reaches (a WeCom or DingTalk account, else a phone call). The register is shared by every congress:
// changing it needs an admin or a token not bound to one congress. As PUT /api/organs/{name}; further
// contacts (one may be the organ's leader) as POST /api/organs/{name}/contacts.

const MOBILE_RE = /^[0-9+\-\s]{5,20}$/;
const FIELDS = ['name', 'contactName', 'contactMobile', 'wecomUserid', 'dingtalkUserid'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const CONTACT_FIELDS = ['name', 'mobile', 'wecomUserid', 'dingtalkUserid', 'leader'] as const;
type ContactValues = Record<(typeof CONTACT_FIELDS)[number], string>;
const NO_CONTACT: ContactValues = { name: '', mobile: '', wecomUserid: '', dingtalkUserid: '', leader: '' };

const valuesOf = (o: OrganRow): Values => ({
  name: o.name,
  contactName: o.contact_name ?? '',
  contactMobile: o.contact_mobile ?? '',
  wecomUserid: o.contact_wecom ?? '',
  dingtalkUserid: o.contact_dingtalk ?? '',
});

function organForm(c: PageContext, action: string, v: Values, fixedName: boolean, error?: string | null) {
  return html`<form method="post" action="${action}" class="box">${csrfField(c.viewer)}${formError(error)}
${
  fixedName
    ? html`<input type="hidden" name="name" value="${v.name}">`
    : html`<label for="organ-name">单位名称</label><input type="text" id="organ-name" name="name" maxlength="100" required value="${v.name}" placeholder="例如：市住房和城乡建设局">`
}
<label for="organ-contact">联系人（可不填）</label><input type="text" id="organ-contact" name="contactName" maxlength="100" value="${v.contactName}" placeholder="例如：王科长">
<label for="organ-mobile">联系电话（可不填）</label><input type="tel" id="organ-mobile" name="contactMobile" maxlength="20" value="${v.contactMobile}" placeholder="例如：0352-1234567 或 13800000000">
<div class="wb-row">
<div><label for="organ-wecom">联系人的企业微信账号</label><input type="text" id="organ-wecom" name="wecomUserid" maxlength="100" value="${v.wecomUserid}"></div>
<div><label for="organ-dingtalk">联系人的钉钉账号</label><input type="text" id="organ-dingtalk" name="dingtalkUserid" maxlength="100" value="${v.dingtalkUserid}"></div>
</div>
<p class="muted">填了企业微信或钉钉账号的，交办和催办消息直接发给联系人；都没填的，提醒工作人员电话联系。</p>
<button type="submit">保存</button>
</form>`;
}

/** How a contact is reached, as one line: the chat accounts, or a phone call when there are none. */
function accountsLine(wecom: string | null, dingtalk: string | null) {
  const accounts = [wecom ? `企业微信 ${wecom}` : '', dingtalk ? `钉钉 ${dingtalk}` : ''].filter(Boolean);
  return html`<p class="muted">${accounts.length > 0 ? accounts.join(' · ') : '无聊天账号：电话联系'}</p>`;
}

function contactForm(c: PageContext, organId: number, v: ContactValues, error?: string | null) {
  return html`<form method="post" action="/console/organs/${organId}/contacts" class="box">${csrfField(c.viewer)}${formError(error)}
<label for="contact-name">姓名</label><input type="text" id="contact-name" name="name" maxlength="100" required value="${v.name}" placeholder="例如：李科长">
<label for="contact-mobile">联系电话（可不填）</label><input type="tel" id="contact-mobile" name="mobile" maxlength="20" value="${v.mobile}" placeholder="例如：0352-1234567 或 13800000000">
<div class="wb-row">
<div><label for="contact-wecom">企业微信账号</label><input type="text" id="contact-wecom" name="wecomUserid" maxlength="100" value="${v.wecomUserid}"></div>
<div><label for="contact-dingtalk">钉钉账号</label><input type="text" id="contact-dingtalk" name="dingtalkUserid" maxlength="100" value="${v.dingtalkUserid}"></div>
</div>
<label class="wb-check"><input type="checkbox" name="leader" value="yes"${v.leader === 'yes' ? html` checked` : ''}> 这是单位领导：催办两次仍未答复的，督办消息也发给他</label>
<button type="submit">添加联系人</button>
</form>`;
}

function contactList(c: PageContext, organId: number, contacts: OrganContactRow[]) {
  if (contacts.length === 0) return html`<p class="muted">还没有其他联系人。</p>`;
  return html`<ul class="wb-list">${contacts.map(
    (
      k,
    ) => html`<li class="wb-item"><h3>${k.name}${k.leader ? html` <span class="tag">单位领导</span>` : ''}</h3>
${k.mobile ? html`<p>${k.mobile}</p>` : ''}${accountsLine(k.wecom_userid, k.dingtalk_userid)}
<form method="post" action="/console/organs/${organId}/contacts/${k.id}/remove" class="wb-actions">${csrfField(c.viewer)}<button type="submit" class="secondary">移除 ${k.name}</button></form></li>`,
  )}</ul>`;
}

async function listPage(c: PageContext, state?: { values: Values; error: string }): Promise<void> {
  const organs = await organRegister(c.deps.db);
  const further = await furtherContactCounts(c.deps.db);
  const may = mayChangeShared(c.viewer.principal);
  const empty: Values = { name: '', contactName: '', contactMobile: '', wecomUserid: '', dingtalkUserid: '' };
  wbPage(
    c,
    { title: '承办单位', active: 'organs', notice: wbNotice(c.ctx) },
    html`${
      may
        ? html`<h2>登记单位</h2>${organForm(c, '/console/organs', state?.values ?? empty, false, state?.error)}`
        : html`<p class="muted">承办单位名录由各人大共用，只有管理员或不限定人大的令牌可以修改。</p>`
    }
<h2>已登记的单位（${organs.length}）</h2>
${organs.length === 0 ? html`<p class="muted">还没有登记承办单位。</p>` : ''}
<ul class="wb-list wb-grid">${organs.map(
      (o) => html`<li class="wb-item"><h3>${o.name}</h3>
<p>${o.contact_name ?? html`<span class="muted">未填联系人</span>`}${o.contact_mobile ? ` · ${o.contact_mobile}` : ''}</p>
${accountsLine(o.contact_wecom, o.contact_dingtalk)}
${further.has(o.id) ? html`<p>另有 ${further.get(o.id)} 位联系人</p>` : ''}
${may ? html`<p><a href="/console/organs/${o.id}">修改联系人</a></p>` : ''}</li>`,
    )}</ul>`,
    state ? 400 : 200,
  );
}

interface EditState {
  values?: Values;
  error?: string;
  contact?: ContactValues;
  contactError?: string;
}

async function editPage(c: PageContext, state?: EditState): Promise<void> {
  requireShared(c.viewer.principal);
  const [o] = await organsByIds(c.deps.db, [idParam(c.ctx, '单位')]);
  if (!o) return listPage(c);
  const contacts = await furtherContacts(c.deps.db, o.id);
  wbPage(
    c,
    { title: `修改：${o.name}`, active: 'organs', notice: wbNotice(c.ctx) },
    html`<h2>主要联系人</h2>
${organForm(c, `/console/organs/${o.id}`, state?.values ?? valuesOf(o), true, state?.error)}
<h2>其他联系人（${contacts.length}）</h2>
<p class="muted">交办、催办和督办的消息也发给他们，他们也可以在企业微信或钉钉里替单位签收和答复。</p>
${contactList(c, o.id, contacts)}
<h2>添加联系人</h2>
${contactForm(c, o.id, state?.contact ?? NO_CONTACT, state?.contactError)}
<p><a href="/console/organs">返回承办单位</a></p>`,
    state ? 400 : 200,
  );
}

/** The text checks of a contact's fields (the name under the label its form gives it): the first problem. */
const contactProblem = (
  name: { label: string; value: string; required?: boolean },
  mobile: string,
  wecom: string,
  dingtalk: string,
): string | null =>
  checkText(name.label, name.value, { required: name.required, max: 100 }) ??
  (mobile !== '' && !MOBILE_RE.test(mobile)
    ? '联系电话只能含数字、空格、加号和短横线，例如 0352-1234567。'
    : null) ??
  checkText('企业微信账号', wecom, { max: 100 }) ??
  checkText('钉钉账号', dingtalk, { max: 100 });

async function addContact(c: PageContext, form: Form): Promise<void> {
  requireShared(c.viewer.principal);
  const organId = idParam(c.ctx, '单位');
  const v = Object.fromEntries(CONTACT_FIELDS.map((k) => [k, field(form, k)])) as ContactValues;
  const again = (contactError: string) => editPage(c, { contact: v, contactError });
  const problem = contactProblem(
    { label: '姓名', value: v.name, required: true },
    v.mobile,
    v.wecomUserid,
    v.dingtalkUserid,
  );
  if (problem) return again(problem);
  const [o] = await organsByIds(c.deps.db, [organId]);
  if (!o) return listPage(c);
  const res = await attempt(async () => {
    await addOrganContact(
      c.deps,
      o.name,
      {
        name: v.name,
        mobile: v.mobile || null,
        wecom: v.wecomUserid || null,
        dingtalk: v.dingtalkUserid || null,
        leader: v.leader === 'yes',
      },
      { actor: actorOf(c.viewer.principal), requestId: c.ctx.state.requestId ?? null },
    );
  });
  if (!res.ok) return again(res.message);
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/organs/${organId}`, 'contact');
}

async function removeContact(c: PageContext): Promise<void> {
  requireShared(c.viewer.principal);
  const organId = idParam(c.ctx, '单位');
  const res = await attempt(async () => {
    await removeOrganContact(c.deps, organId, Number(c.ctx.params.contact), {
      actor: actorOf(c.viewer.principal),
      requestId: c.ctx.state.requestId ?? null,
    });
  });
  if (!res.ok) return editPage(c, { contactError: res.message });
  markAudited(c.ctx);
  redirectAfter(c.ctx, `/console/organs/${organId}`, 'contactRemoved');
}

async function save(c: PageContext, form: Form, again: (v: Values, e: string) => Promise<void>) {
  requireShared(c.viewer.principal);
  const v = Object.fromEntries(FIELDS.map((k) => [k, field(form, k)])) as Values;
  const problem =
    checkText('单位名称', v.name, { required: true, max: 100 }) ??
    contactProblem(
      { label: '联系人', value: v.contactName },
      v.contactMobile,
      v.wecomUserid,
      v.dingtalkUserid,
    );
  if (problem) return again(v, problem);
  const res = await attempt(async () => {
    await registerOrgan(
      c.deps,
      v.name,
      {
        contactName: v.contactName || null,
        contactMobile: v.contactMobile || null,
        contactWecom: v.wecomUserid || null,
        contactDingtalk: v.dingtalkUserid || null,
      },
      { actor: actorOf(c.viewer.principal), requestId: c.ctx.state.requestId ?? null },
    );
  });
  if (!res.ok) return again(v, res.message);
  markAudited(c.ctx);
  redirectAfter(c.ctx, '/console/organs', 'organ');
}

export const organPages: ConsoleModule = (r) => {
  r.get('/organs', 'staff', (c) => listPage(c));
  r.post('/organs', 'staff', (c, form) => save(c, form, (values, error) => listPage(c, { values, error })));
  r.get('/organs/:id', 'staff', (c) => editPage(c));
  r.post('/organs/:id', 'staff', (c, form) =>
    save(c, form, (values, error) => editPage(c, { values, error })),
  );
  r.post('/organs/:id/contacts', 'staff', (c, form) => addContact(c, form));
  r.post('/organs/:id/contacts/:contact/remove', 'staff', (c) => removeContact(c));
};
