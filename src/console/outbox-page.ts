import { createHash } from 'node:crypto';
import { countWaitingOutbox, listOutboxView } from '../../db/repositories/console-lists.ts';
import { countRequeueableByStatus, withdrawnAmong } from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requeueAll, requeueOne, WITHDRAWN_NOT_REQUEUED } from '../messaging/index.ts';
import { confirmed, confirmForm } from './confirm-step.ts';
import { html, listTable, pager, type SafeHtml } from './html.ts';
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
const PAGE_SIZE = 100;

const fingerprint = (s: string) => `#${createHash('sha256').update(s).digest('hex').slice(0, 12)}`;

export const redactSecrets = (text: string): string =>
  text
    .replace(/((?:key|access_token|accessToken|secret|sign|signature|token)=)[^&\s"']+/gi, '$1…')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…');

const CHANNEL_LABEL: Record<string, string> = { wecom: '企业微信', dingtalk: '钉钉' };
export const channelLabel = (channel: string): string => CHANNEL_LABEL[channel] ?? channel;

/** Whether each chat platform is set up at all (its app or, for WeCom, its intelligent robot). */
export function channelsConfigured(config: Deps['config']): { wecom: boolean; dingtalk: boolean } {
  return {
    wecom: config.wecom !== undefined || config.wecomBot !== undefined,
    dingtalk: config.dingtalk !== undefined,
  };
}

/**
 * The known error codes of a send (the part before ": " in last_error) in plain Chinese, for staff. The
 * platform's own text is shown too when it is Chinese; the raw code stays beside it, small, for operators.
 */
const ERROR_TEXT: Record<string, (channel: string) => string> = {
  channel_disabled: (ch) =>
    `${channelLabel(ch)}还没有配置，这条消息发不出去。请管理员配置${channelLabel(ch)}；配置好后，消息会自动发出。`,
  rate_limited: (ch) => `发送太频繁，${channelLabel(ch)}暂时不接收，稍后会自动重试。`,
  quota_exhausted: (ch) => `${channelLabel(ch)}本月的接口调用次数已用完，请管理员扩容；之后会自动重试。`,
  token_rejected: (ch) =>
    `${channelLabel(ch)}的访问凭证已过期或被拒绝，系统会重新获取后重试；一直如此时请检查应用的 Secret。`,
  token_timeout: (ch) => `向${channelLabel(ch)}获取访问凭证超时，消息没有发出，稍后会自动重试。`,
  timeout: (ch) =>
    `${channelLabel(ch)}没有及时回应，消息可能已经送达，也可能没有；系统只在不会重复的时间内重试。`,
  network_error: (ch) => `连不上${channelLabel(ch)}的服务器（网络问题），稍后会自动重试。`,
  server_error: (ch) => `${channelLabel(ch)}的服务器出错（5xx），稍后会自动重试。`,
  configuration: (ch) => `${channelLabel(ch)}的配置有误，重试无用，请管理员检查配置。`,
  invalid_recipient: (ch) =>
    `收件人在${channelLabel(ch)}中不存在，或不在应用的可见范围内，请核对代表的账号。`,
  invalid_webhook: () => '群机器人的地址已失效，请在「小组与群机器人」中重新绑定。',
  content_too_long: () => '消息太长，平台不接收。',
  content_refused: (ch) => `${channelLabel(ch)}拒收了这条消息的内容，重发也不会成功。`,
  unsupported_target: (ch) =>
    `${channelLabel(ch)}发不了这种收件对象（例如钉钉应用未配置时，只能发往自定义群机器人）。`,
  not_connected: (ch) => `${channelLabel(ch)}智能机器人的连接尚未建立，稍后会自动重试。`,
  platform_error: (ch) => `${channelLabel(ch)}拒绝了这条消息。`,
  sender_error: () => '发送程序内部出错，稍后会自动重试；一直如此时请联系技术人员。',
};

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** A send's last error as staff read it: a Chinese explanation, and the raw code for operators. */
export function errorInChinese(lastError: string, channel: string): { text: string; code: string | null } {
  const cut = lastError.indexOf(': ');
  const code = cut > 0 && /^[a-z_]+$/.test(lastError.slice(0, cut)) ? lastError.slice(0, cut) : null;
  const detail = redactSecrets(code ? lastError.slice(cut + 2) : lastError);
  const known = code ? ERROR_TEXT[code] : undefined;
  const http5xx = /\bHTTP 5\d\d\b/.test(detail);
  const explained = known
    ? known(channel)
    : http5xx
      ? ERROR_TEXT.server_error!(channel)
      : /expired|过期/i.test(detail)
        ? ERROR_TEXT.token_rejected!(channel)
        : null;
  const chineseDetail = HAS_CHINESE.test(detail) ? detail : null;
  const text =
    explained && chineseDetail
      ? `${explained}（平台说明：${chineseDetail}）`
      : (explained ?? chineseDetail ?? `发送出错：${detail}`);
  return { text, code };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A refused 重新发送: the line at the top of the list, and the status to answer with. */
interface Refusal {
  error: string;
  status: number;
}

async function outboxPage(c: PageContext, refusal?: Refusal): Promise<void> {
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
  // Withdrawn (untried, or of a notice staff withdrew): listed as such, never offered for resending.
  const withdrawn = await withdrawnAmong(
    c.deps.db,
    rows.filter((r) => r.status === 'dead' || r.status === 'unknown').map((r) => r.id),
  );
  const requeueAction = (id: number) =>
    `/console/outbox/${id}/requeue${status ? `?status=${encodeURIComponent(status)}` : ''}`;
  const tz = c.deps.config.timezone;
  const warnings = channelWarnings(await outboxAttention(c.deps), true);
  sendPage(
    c,
    {
      title: '消息发送',
      active: 'outbox',
      notice: refusal ? null : noticeOf(c.ctx.query.done),
      error: refusal?.error ?? null,
    },
    html`${warnings}<form method="get" action="/console/outbox" class="filters">
<label>状态 <select name="status"><option value="">全部</option>${(
      Object.keys(VIEWS) as (keyof typeof VIEWS)[]
    ).map(
      (s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${VIEWS[s]}</option>`,
    )}</select></label>
<button type="submit">筛选</button>
</form>
${
  status === 'dead' && total > 0
    ? html`<form method="get" action="/console/outbox/requeue-dead" class="filters"><button type="submit" class="secondary">全部重新发送…</button><span class="muted">把所有发送失败的消息重新排队（已撤回的不在内）；下一步确认后才发送。</span></form>`
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
    // A long chat id must wrap on a phone, not push the page sideways.
    html`<div class="pre">${r.target_kind === 'user' ? r.target_address : `${r.target_kind} ${fingerprint(r.target_address)}`}</div>`,
    html`<div class="pre">${clip(String((r.payload as { text?: unknown }).text ?? ''), 300)}</div>`,
    html`${r.status === 'dead' && withdrawn.has(r.id) ? VIEWS.withdrawn : STATUS_LABEL[r.status]}${r.status === 'sent' && r.sent_at ? html`<br><span class="muted">${dateTime(r.sent_at, tz)}</span>` : ''}${
      r.status === 'pending' ? html`<br><span class="muted">不早于 ${dateTime(r.not_before, tz)}</span>` : ''
    }${
      // Resending may deliver it twice: what staff check first, before they press 重新发送.
      r.status === 'unknown' && !withdrawn.has(r.id)
        ? html`<br><span class="muted">系统已停止重试。请先向收件人确认没有收到，再重新发送，以免重复。</span>`
        : ''
    }`,
    `${r.attempts} / ${r.max_attempts}`,
    r.last_error ? errorCell(r.last_error, r.channel) : '',
    // A withdrawn message stays withdrawn: sending it again would undo what the withdrawal decided.
    withdrawn.has(r.id)
      ? html`<span class="muted small">已撤回，不能重新发送</span>`
      : r.status === 'dead' || r.status === 'unknown'
        ? html`<form method="post" action="${requeueAction(r.id)}" class="inline">${csrfField(c.viewer)}<button type="submit" class="secondary">重新发送</button></form>`
        : '',
  ]),
)}
${pager('/console/outbox', { status }, pageNo, pages)}`,
    refusal?.status ?? 200,
  );
}

export interface OutboxAttention {
  /** Rows that failed and are being retried (`failed`). */
  retrying: number;
  /** Rows not yet tried, or waiting for their time (`pending`). */
  pending: number;
  /** The platforms that are not set up while messages wait for them, with how many wait. */
  unconfigured: { channel: string; retrying: number; pending: number }[];
  /** Neither platform is set up at all. */
  noChannel: boolean;
}

/** What the outbox says staff must know: messages failing and retried, and platforms not set up. */
export async function outboxAttention(deps: Deps): Promise<OutboxAttention> {
  const rows = await countWaitingOutbox(deps.db);
  const configured = channelsConfigured(deps.config);
  const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((n, r) => n + r.n, 0);
  const unconfigured = (['wecom', 'dingtalk'] as const)
    .filter((ch) => {
      const mine = rows.filter((r) => r.channel === ch);
      return mine.some((r) => r.disabled > 0) || (!configured[ch] && mine.some((r) => r.n > 0));
    })
    .map((ch) => ({
      channel: ch,
      retrying: sum((r) => r.channel === ch && r.status === 'failed'),
      pending: sum((r) => r.channel === ch && r.status === 'pending'),
    }));
  return {
    retrying: sum((r) => r.status === 'failed'),
    pending: sum((r) => r.status === 'pending'),
    unconfigured,
    noChannel: !configured.wecom && !configured.dingtalk,
  };
}

/** The warning lines of an attention: each platform not set up, with what waits for it (counts if shown). */
/** The links of a warning as buttons in a row below its text (a link inside a sentence is too small to tap). */
export const alertLinks = (links: { href: string; text: string }[]): SafeHtml | '' =>
  links.length === 0
    ? ''
    : html`<p class="alert-links">${links.map((l) => html`<a href="${l.href}">${l.text}</a>`)}</p>`;

export function channelWarnings(a: OutboxAttention, withCounts: boolean): SafeHtml[] {
  const out = a.unconfigured.map((u) => {
    // Only the counts there are: 「现有 0 条发送失败」 says nothing. The links are buttons below the text,
    // big enough for a thumb.
    const counts = withCounts
      ? [
          { n: u.retrying, status: 'failed', what: '发送失败、正在重试', link: '正在重试' },
          { n: u.pending, status: 'pending', what: '等待发送', link: '等待发送' },
        ].filter((x) => x.n > 0)
      : [];
    const sentence = counts.map((x, i) => `${i === 0 ? '现有' : '另有'} ${x.n} 条${x.what}`).join('，');
    return html`<div class="error" role="alert"><p><strong>${channelLabel(u.channel)}还没有配置，消息发不出去。</strong>${
      sentence === '' ? '' : `${sentence}，`
    }代表和工作人员都收不到这些通知。请管理员配置${channelLabel(u.channel)}（见部署说明）；配置好后，等待中的消息会自动发出。</p>${alertLinks(
      counts.map((x) => ({
        href: `/console/outbox?status=${x.status}`,
        text: `查看${x.link}的 ${x.n} 条消息`,
      })),
    )}</div>`;
  });
  if (a.noChannel && a.unconfigured.length === 0)
    out.push(
      html`<p class="error" role="alert"><strong>还没有配置企业微信或钉钉。</strong>除钉钉自定义群机器人外，通知都发不出去，代表的消息也收不到。请管理员配置。</p>`,
    );
  return out;
}

function errorCell(lastError: string, channel: string) {
  const e = errorInChinese(lastError, channel);
  return html`<div class="pre">${e.text}</div>${e.code ? html`<span class="code muted small" title="${redactSecrets(lastError)}">${e.code}</span>` : ''}`;
}

/**
 * 全部重新发送, one step before it happens: how many messages it sends again and what that means, and the
 * form that does it once 「我确认」 is ticked (a plain form: no script needed). `error`: the form came back
 * without the tick; nothing was sent.
 */
async function requeueConfirmPage(c: PageContext, error?: string): Promise<void> {
  requireUnbound(c.viewer.principal);
  const n = await countRequeueableByStatus(c.deps.db, 'dead');
  sendPage(
    c,
    { title: '全部重新发送', active: 'outbox', notice: null, error: error ?? null },
    n === 0
      ? html`<p>目前没有可以重新发送的失败消息。</p><p><a href="/console/outbox?status=dead">返回消息发送</a></p>`
      : confirmForm({
          action: '/console/outbox/requeue-dead',
          viewer: c.viewer,
          body: html`<p>将把 <strong>${n}</strong> 条发送失败的消息重新排队发送（已撤回的消息不在内）。</p>
<p class="muted">其中有些可能是收件人账号有误或群机器人失效，重发前最好先看一眼失败原因；重发后按平台的频率限制陆续发出，发出的消息不能收回。</p>`,
          tick: `我确认重新发送这 ${n} 条消息`,
          confirmLabel: '确认全部重新发送',
          back: { href: '/console/outbox?status=dead', label: '返回，不发送' },
        }),
    error ? 400 : 200,
  );
}

export const outboxPages: ConsoleModule = (r) => {
  r.get('/outbox', 'staff', outboxPage);
  r.get('/outbox/requeue-dead', 'staff', (c) => requeueConfirmPage(c));
  r.post('/outbox/requeue-dead', 'staff', async (c, form) => {
    requireUnbound(c.viewer.principal);
    // Sent again only from the confirm page with its box ticked; otherwise that page, and nothing sent.
    if (!confirmed(form)) {
      markAudited(c.ctx); // nothing changed: no row
      return requeueConfirmPage(c, '请勾选「我确认重新发送」后再提交；本次没有发送任何消息。');
    }
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
    // Refused, nothing changed: the list again (as filtered) with the reason on top.
    markAudited(c.ctx);
    if (!res.ok)
      return outboxPage(c, {
        error:
          res.reason === 'withdrawn'
            ? WITHDRAWN_NOT_REQUEUED
            : '只有发送失败或结果不明的消息可以重新发送；这条消息的状态已经变了，本次没有改动。',
        status: 409,
      });
    // requeueOne wrote the row, with the status before and after
    const filter = param(c.ctx, 'status');
    redirectAfter(
      c.ctx,
      `/console/outbox${filter ? `?status=${encodeURIComponent(filter)}` : ''}`,
      'requeued',
    );
  });
};
