import { markAudited } from '../api/audit-trail.ts';
import { AppError } from '../errors.ts';
import {
  type CreatedToken,
  createToken,
  listTokenViews,
  revokeTokenById,
  type TokenView,
} from '../services/congresses/index.ts';
import { confirmed, confirmForm } from './confirm-step.ts';
import type { Form } from './csrf.ts';
import { html } from './html.ts';
import { csrfField, ROLE_LABEL } from './layout.ts';
import {
  attempt,
  type ConsoleModule,
  checkText,
  field,
  type PageContext,
  redirectAfter,
} from './page-context.ts';
import { visibleCongresses } from './scope.ts';
import { dateTime } from './text.ts';
import { formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 令牌 (admin only): personal tokens for staff to sign in and call the API. A new token is shown once, on
// the page that created it, and stored only as its digest; revoking one ends its sessions and cannot be
// undone, so 撤销 first says whose access ends and revokes only once 确认撤销 is pressed. As
// POST /api/tokens, GET /api/tokens and DELETE /api/tokens/{id}.

const ROLES = ['staff', 'approver', 'admin'] as const;

interface State {
  values?: Record<string, string>;
  error?: string;
  created?: CreatedToken;
  status?: number;
}

async function tokensPage(c: PageContext, s: State = {}): Promise<void> {
  const p = c.viewer.principal;
  const tokens = await listTokenViews(c.deps, p);
  const congresses = await visibleCongresses(c.deps, p);
  const tz = c.deps.config.timezone;
  const v = (k: string, d = '') => s.values?.[k] ?? d;
  wbPage(
    c,
    { title: '令牌', active: 'tokens', notice: wbNotice(c.ctx) },
    html`${
      s.created
        ? html`<div class="notice" role="status"><p>已为「${s.created.name}」创建令牌（${ROLE_LABEL[s.created.role]}${s.created.congress ? `，限${s.created.congress}` : ''}）。令牌只显示这一次，请立即复制并当面或通过安全渠道交给本人：</p>
<p class="wb-once" id="new-token">${s.created.token}</p></div>`
        : ''
    }
<h2>创建令牌</h2>
<form method="post" action="/console/tokens" class="box">${csrfField(c.viewer)}${formError(s.error)}
<label for="token-name">使用人</label><input type="text" id="token-name" name="name" maxlength="100" required value="${v('name')}" placeholder="例如：代表工委 张三">
<label for="token-role">角色</label><select id="token-role" name="role">${ROLES.map(
      (r) =>
        html`<option value="${r}"${v('role', 'staff') === r ? html` selected` : ''}>${ROLE_LABEL[r]}</option>`,
    )}</select>
<label for="token-congress">限定人大</label><select id="token-congress" name="congress">${
      p.congressId === null ? html`<option value="">不限定（可管理所有人大）</option>` : ''
    }${congresses.map(
      (x) =>
        html`<option value="${x.name}"${v('congress') === x.name ? html` selected` : ''}>${x.name}</option>`,
    )}</select>
<p class="muted">审批人可以审批请假；管理员还可以管理令牌和人大设置。限定人大的令牌只能看到和处理该人大的事项。</p>
<button type="submit">创建</button>
</form>
<h2>已有的令牌</h2>
<ul class="wb-list">${tokens.map(
      (
        t,
      ) => html`<li class="wb-item"><h3>${t.name} <span class="tag">${ROLE_LABEL[t.role]}</span>${t.revokedAt ? html` <span class="tag bad">已撤销</span>` : ''}</h3>
<p class="muted"><span class="wb-code">${t.prefix}</span>${t.organ ? ` · ${t.organ}` : ''} · ${t.congress ?? '不限定人大'}</p>
<p class="muted">${usedText(t, tz)}</p>
${t.revokedAt ? '' : html`<form method="get" action="/console/tokens/${t.id}/revoke" class="wb-actions"><button type="submit" class="secondary">撤销…</button></form>`}</li>`,
    )}</ul>`,
    s.status ?? 200,
  );
}

const usedText = (t: TokenView, tz: string): string =>
  `创建于 ${dateTime(t.createdAt, tz)}${t.lastUsedAt ? `，最近使用 ${dateTime(t.lastUsedAt, tz)}` : '，尚未使用'}${t.revokedAt ? `，撤销于 ${dateTime(t.revokedAt, tz)}` : ''}`;

/** A token this viewer may see (a congress-bound admin: its congress's only), else a clear 404. */
async function tokenOf(c: PageContext): Promise<TokenView> {
  const id = idParam(c.ctx, '令牌');
  const t = (await listTokenViews(c.deps, c.viewer.principal)).find((x) => x.id === id);
  if (!t) throw new AppError('not_found', `没有编号为 ${id} 的令牌。`);
  return t;
}

/**
 * 撤销, one step before it happens: whose access ends (an organ's token: the organ), what the token is, that
 * it cannot be undone, and a warning when it is the one this session signed in with. 返回 changes nothing.
 */
function revokeConfirmPage(c: PageContext, t: TokenView): void {
  const tz = c.deps.config.timezone;
  const who = t.organ ?? t.name;
  wbPage(
    c,
    { title: `撤销令牌：${t.name}`, active: 'tokens', notice: null },
    t.revokedAt
      ? html`<p>这个令牌已于 ${dateTime(t.revokedAt, tz)} 撤销，不需要再撤销。</p><p><a href="/console/tokens">返回令牌列表</a></p>`
      : confirmForm({
          action: `/console/tokens/${t.id}/revoke`,
          viewer: c.viewer,
          body: html`<p>撤销后，<strong>${who}</strong>用这个令牌将无法再登录控制台，也不能再调用接口；正在使用它登录的，会立即退出。</p>
<dl class="facts"><dt>使用人</dt><dd>${t.name}</dd><dt>角色</dt><dd>${ROLE_LABEL[t.role]}</dd>${
            t.organ ? html`<dt>承办单位</dt><dd>${t.organ}</dd>` : ''
          }<dt>限定人大</dt><dd>${t.congress ?? '不限定'}</dd><dt>令牌开头</dt><dd><span class="wb-code">${t.prefix}</span></dd><dt>使用情况</dt><dd>${usedText(t, tz)}</dd></dl>
${c.viewer.principal.tokenId === t.id ? html`<p class="error" role="alert">这是您现在登录所用的令牌：撤销后您也会立即退出，需要用别的令牌重新登录。</p>` : ''}
<p class="muted">撤销后不能恢复。如果本人还需要使用，请撤销后为他重新创建一个令牌，并当面或通过安全渠道交给他。</p>`,
          confirmLabel: '确认撤销',
          back: { href: '/console/tokens', label: '返回令牌列表，不撤销' },
        }),
  );
}

async function create(c: PageContext, form: Form): Promise<void> {
  const values = { name: field(form, 'name'), role: field(form, 'role'), congress: field(form, 'congress') };
  const problem =
    checkText('使用人', values.name, { required: true, max: 100 }) ??
    (!(ROLES as readonly string[]).includes(values.role) ? '请选择角色。' : null);
  if (problem) return tokensPage(c, { values, error: problem, status: 400 });
  const out: { t?: CreatedToken } = {};
  const res = await attempt(async () => {
    out.t = await createToken(
      c.deps,
      c.viewer.principal,
      { name: values.name, role: values.role as (typeof ROLES)[number], congress: values.congress || null },
      c.ctx.state.requestId ?? null,
    );
  });
  if (!res.ok) return tokensPage(c, { values, error: res.message, status: res.status });
  markAudited(c.ctx);
  await tokensPage(c, { created: out.t! });
}

export const tokenPages: ConsoleModule = (r) => {
  r.get('/tokens', 'admin', (c) => tokensPage(c));
  r.post('/tokens', 'admin', create);
  r.get('/tokens/:id/revoke', 'admin', async (c) => revokeConfirmPage(c, await tokenOf(c)));
  r.post('/tokens/:id/revoke', 'admin', async (c, form) => {
    const t = await tokenOf(c);
    // Nothing changes before 确认撤销 (a form from an older page asks first too), nor for a token already
    // revoked: no audit row either.
    if (!confirmed(form) || t.revokedAt) {
      markAudited(c.ctx);
      if (t.revokedAt) return redirectAfter(c.ctx, '/console/tokens', 'alreadyRevoked');
      return revokeConfirmPage(c, t);
    }
    const res = await attempt(async () => {
      await revokeTokenById(c.deps, c.viewer.principal, t.id, c.ctx.state.requestId ?? null);
    });
    if (!res.ok) throw new AppError('not_found', res.message);
    markAudited(c.ctx); // revokeTokenById wrote token.revoke
    redirectAfter(c.ctx, '/console/tokens', 'revoked');
  });
};
