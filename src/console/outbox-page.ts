import { createHash } from 'node:crypto';
import { listOutbox } from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { requeueOne } from '../messaging/index.ts';
import { html, query } from './html.ts';
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
const STATUSES = Object.keys(STATUS_LABEL) as OutboxStatus[];
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
  if (status !== undefined && !STATUSES.includes(status as OutboxStatus))
    throw new AppError('bad_request', '状态筛选不正确。');
  const pageNo = Math.max(1, Number.parseInt(param(c.ctx, 'page') ?? '1', 10) || 1);
  const { rows, total } = await listOutbox(c.deps.db, {
    status: status as OutboxStatus | undefined,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const tz = c.deps.config.timezone;
  sendPage(
    c,
    { title: '消息发送', active: 'outbox', notice: noticeOf(c.ctx.query.done) },
    html`<form method="get" action="/console/outbox" class="filters">
<label>状态 <select name="status"><option value="">全部</option>${STATUSES.map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${STATUS_LABEL[s]}</option>`,
    )}</select></label>
<button type="submit">筛选</button>
</form>
<p class="muted">共 ${total} 条${pages > 1 ? `，第 ${pageNo} / ${pages} 页` : ''}</p>
<div class="scroll"><table><thead><tr><th>编号</th><th>创建</th><th>渠道</th><th>发往</th><th>内容</th><th>状态</th><th>尝试</th><th>最近错误</th><th></th></tr></thead><tbody>
${rows.map(
  (
    r,
  ) => html`<tr><td>${r.id}</td><td>${dateTime(r.created_at, tz)}</td><td>${r.channel === 'wecom' ? '企业微信' : '钉钉'}</td>
<td>${r.target_kind === 'user' ? r.target_address : `${r.target_kind} ${fingerprint(r.target_address)}`}</td>
<td class="pre">${clip(String((r.payload as { text?: unknown }).text ?? ''), 300)}</td>
<td>${STATUS_LABEL[r.status]}${r.status === 'sent' && r.sent_at ? html`<br><span class="muted">${dateTime(r.sent_at, tz)}</span>` : ''}${
    r.status === 'pending' ? html`<br><span class="muted">不早于 ${dateTime(r.not_before, tz)}</span>` : ''
  }</td>
<td>${r.attempts} / ${r.max_attempts}</td><td class="pre">${r.last_error ? redactSecrets(r.last_error) : ''}</td>
<td>${
    r.status === 'dead' || r.status === 'unknown'
      ? html`<form method="post" action="/console/outbox/${r.id}/requeue" class="inline">${csrfField(c.viewer)}<button type="submit" class="secondary">重新发送</button></form>`
      : ''
  }</td></tr>`,
)}
</tbody></table></div>
${pageNo > 1 ? html`<a href="/console/outbox${query({ status, page: pageNo - 1 })}">上一页</a> ` : ''}
${pageNo < pages ? html`<a href="/console/outbox${query({ status, page: pageNo + 1 })}">下一页</a>` : ''}`,
  );
}

export const outboxPages: ConsoleModule = (r) => {
  r.get('/outbox', 'staff', outboxPage);
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
    redirectAfter(c.ctx, '/console/outbox', 'requeued');
  });
};
