import { createHash } from 'node:crypto';
import { listOutboxView } from '../../db/repositories/console-lists.ts';
import type { OutboxStatus } from '../../db/schema.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { requeueAll, requeueOne } from '../messaging/index.ts';
import { html, listTable, pager } from './html.ts';
import { csrfField, noticeOf } from './layout.ts';
import { type ConsoleModule, type PageContext, param, redirectAfter, sendPage } from './page-context.ts';
import { requireUnbound } from './scope.ts';
import { dateTime } from './text.ts';

// 消息发送: the outbox by status, with the last error of failed and dead rows; a dead row, or one whose
// outcome is unknown (staff asked the recipient), can be sent again with 重新发送 (audited). A group robot's address is
// its credential (webhook key, access token): only a fingerprint is shown, and anything in an error text
// that looks like a key or a signature is blanked.

const STATUS_LABEL: Record<OutboxStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '失败待重试',
  dead: '发送失败',
  unknown: '结果不明',
};
/** The filter's choices: 'dead' means tried and failed; a withdrawn reminder is listed apart, not a failure. */
const VIEWS: Record<OutboxStatus | 'withdrawn', string> = { ...STATUS_LABEL, withdrawn: '已撤回（未发送）' };
const isWithdrawn = (r: { status: OutboxStatus; first_tried_at: unknown }) =>
  r.status === 'dead' && r.first_tried_at === null;
const PAGE_SIZE = 100;

const fingerprint = (s: string) => `#${createHash('sha256').update(s).digest('hex').slice(0, 12)}`;

export const redactSecrets = (text: string): string =>
  text
    .replace(/((?:key|access_token|accessToken|secret|sign|signature|token)=)[^&\s"']+/gi, '$1…')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…');

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

async function outboxPage(c: PageContext): Promise<void> {
  requireUnbound(c.viewer.principal);
  const status = param(c.ctx, 'status');
  if (status !== undefined && !Object.hasOwn(VIEWS, status))
    throw new AppError('bad_request', '状态筛选不正确。');
  const pageNo = Math.max(1, Number.parseInt(param(c.ctx, 'page') ?? '1', 10) || 1);
  const { rows, total } = await listOutboxView(c.deps.db, {
    view: status as OutboxStatus | 'withdrawn' | undefined,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const tz = c.deps.config.timezone;
  sendPage(
    c,
    { title: '消息发送', active: 'outbox', notice: noticeOf(c.ctx.query.done) },
    html`<form method="get" action="/console/outbox" class="filters">
<label>状态 <select name="status"><option value="">全部</option>${(
      Object.keys(VIEWS) as (keyof typeof VIEWS)[]
    ).map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${VIEWS[s]}</option>`,
    )}</select></label>
<button type="submit">筛选</button>
</form>
${
  status === 'dead' && total > 0
    ? html`<form method="post" action="/console/outbox/requeue-dead" class="filters">${csrfField(c.viewer)}<button type="submit" class="secondary">全部重新发送</button><span class="muted">把所有发送失败的消息重新排队（已撤回的不在内）。</span></form>`
    : ''
}
<p class="muted">共 ${total} 条${pages > 1 ? `，第 ${pageNo} / ${pages} 页` : ''}</p>
${listTable(
  [
    { label: '编号' },
    { label: '创建' },
    { label: '渠道' },
    { label: '发往' },
    { label: '内容' },
    { label: '状态' },
    { label: '尝试' },
    { label: '最近错误' },
    { label: '' },
  ],
  rows.map((r) => [
    r.id,
    html`<span class="nowrap">${dateTime(r.created_at, tz)}</span>`,
    r.channel === 'wecom' ? '企业微信' : '钉钉',
    html`<span class="code">${r.target_kind === 'user' ? r.target_address : `${r.target_kind} ${fingerprint(r.target_address)}`}</span>`,
    html`<div class="pre">${clip(String((r.payload as { text?: unknown }).text ?? ''), 300)}</div>`,
    html`${isWithdrawn(r) ? VIEWS.withdrawn : STATUS_LABEL[r.status]}${r.status === 'sent' && r.sent_at ? html`<br><span class="muted">${dateTime(r.sent_at, tz)}</span>` : ''}${
      r.status === 'pending' ? html`<br><span class="muted">不早于 ${dateTime(r.not_before, tz)}</span>` : ''
    }`,
    `${r.attempts} / ${r.max_attempts}`,
    html`<div class="pre">${r.last_error ? redactSecrets(r.last_error) : ''}</div>`,
    // A withdrawn message stays withdrawn: sending it again would undo what the withdrawal decided.
    (r.status === 'dead' && !isWithdrawn(r)) || r.status === 'unknown'
      ? html`<form method="post" action="/console/outbox/${r.id}/requeue" class="inline">${csrfField(c.viewer)}<button type="submit" class="secondary">重新发送</button></form>`
      : '',
  ]),
)}
${pager('/console/outbox', { status }, pageNo, pages)}`,
  );
}

export const outboxPages: ConsoleModule = (r) => {
  r.get('/outbox', 'staff', outboxPage);
  r.post('/outbox/requeue-dead', 'staff', async (c) => {
    requireUnbound(c.viewer.principal);
    await requeueAll(c.deps.db, 'dead', c.deps.clock.now(), {
      actor: actorOf(c.viewer.principal),
      requestId: c.ctx.state.requestId ?? null,
    });
    markAudited(c.ctx); // requeueAll wrote the row, with the ids it requeued
    redirectAfter(c.ctx, '/console/outbox?status=dead', 'requeued');
  });
  r.post('/outbox/:id/requeue', 'staff', async (c) => {
    requireUnbound(c.viewer.principal);
    const id = Number(c.ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', '没有这条消息。');
    const res = await requeueOne(c.deps.db, id, c.deps.clock.now(), {
      actor: actorOf(c.viewer.principal),
      requestId: c.ctx.state.requestId ?? null,
    });
    if (!res.ok && res.reason === 'not_found') throw new AppError('not_found', '没有这条消息。');
    if (!res.ok) throw new AppError('conflict', '只有发送失败或结果不明的消息可以重新发送。');
    markAudited(c.ctx); // requeueOne wrote the row, with the status before and after
    redirectAfter(c.ctx, '/console/outbox', 'requeued');
  });
};
