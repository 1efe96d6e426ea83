import { randomBytes } from 'node:crypto';
import { countUnknownMessages } from '../../db/repositories/broadcasts.ts';
import { listRecentBroadcasts } from '../../db/repositories/workbench.ts';
import type { BindingKind } from '../../db/schema.ts';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { type GroupView, listGroupViews } from '../services/congresses/index.ts';
import {
  type BroadcastPlan,
  type BroadcastProgress,
  broadcastProgress,
  broadcastStatusText,
  type GroupProgress,
  MAX_BROADCAST_CHARS,
  type MessageProgress,
  type PlannedGroup,
  planBroadcast,
  startBroadcast,
  withdrawBroadcast,
} from '../services/notices/index.ts';
import type { Form } from './csrf.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './layout.ts';
import { channelsConfigured } from './outbox-page.ts';
import { attempt, type ConsoleModule, field, type PageContext, redirectAfter } from './page-context.ts';
import { dateTime } from './text.ts';
import { formError, idParam, wbNotice, wbPage } from './workbench-kit.ts';

// 群发通知 (大同 第八条, S18): compose, preview who receives it and how (each deputy group through its bound
// group chat — a robot or an app chat — or, with none bound, member by member), send, and follow its
// progress group by group. As POST /api/broadcasts and GET /api/broadcasts/{id}, through the same service.

const ALL = 'all';
const RECENT = 20;

const PROGRESS_LABEL: Record<GroupProgress, string> = {
  waiting: '等待发送',
  sent: '已发出',
  failed: '发送失败',
  unreachable: '未绑定群，未发送',
  withdrawn: '已撤回，未发出',
  unknown: '结果不明',
};

/** A withdrawn group is no failure: the office chose it. */
const TAG_CLASS: Record<GroupProgress, string> = {
  waiting: 'tag warn',
  sent: 'tag',
  failed: 'tag bad',
  unreachable: 'tag bad',
  withdrawn: 'tag',
  unknown: 'tag warn',
};

const MESSAGE_LABEL: Record<MessageProgress, string> = {
  sent: '已发出',
  waiting: '等待发送',
  failed: '发送失败',
  withdrawn: '已撤回',
  unknown: '结果不明',
};

/** Messages by what became of them, in words: 「已发出 3 条，已撤回 5 条」 (only the states some have). */
const messageCounts = (m: Record<MessageProgress, number>): string =>
  (Object.keys(MESSAGE_LABEL) as MessageProgress[])
    .filter((k) => m[k] > 0)
    .map((k) => `${MESSAGE_LABEL[k]} ${m[k]} 条`)
    .join('，');

/** A group whose messages ended in more than one way: its counts are shown beside its tag. */
const mixed = (m: Record<MessageProgress, number>): boolean =>
  Object.values(m).filter((n) => n > 0).length > 1;

const WITHDRAW_CONFIRM = '我确认撤回这些未发出的消息';
/** The confirmation a redirect after a withdrawal names (the page itself shows the counts). */
const WITHDRAWN_NOTICE = '未发出的消息已撤回，不会再发出。';

/** Each chat a group's route may take, as staff read it (where the group hears the notice). */
const ROUTE_LABEL: Record<BindingKind, string> = {
  wecom_robot: '企业微信群机器人',
  wecom_bot: '企业微信智能机器人',
  wecom_appchat: '企业微信应用群聊',
  dingtalk_robot: '钉钉自定义机器人',
  dingtalk_conversation: '钉钉群（企业机器人）',
};

/** The chats a group's notice goes to, in words: the route sending takes (PlannedGroup.route). */
const routeWords = (g: PlannedGroup, view: GroupView | undefined): string[] =>
  g.route.map((k) =>
    k === 'dingtalk_robot' && view?.bindings.dingtalkRobotSigned
      ? '钉钉自定义机器人（加签）'
      : ROUTE_LABEL[k],
  );

/** Why a group has no route: no chat bound, or only the intelligent robot's, which the service lacks. */
const noRouteWords = (g: PlannedGroup): string =>
  g.unusable.length > 0 ? '企业微信智能机器人所在的群发不到（本系统尚未接入智能机器人）' : '没有绑定群聊';

/** Who sent it, as staff read it: the person's name, else what the audit's actor id stands for. */
const senderText = (b: { actor: string; sender_name: string | null }): string =>
  b.sender_name ?? (b.actor === 'admin:bootstrap' ? '管理员' : b.actor === 'cli' ? '命令行' : '工作人员');

/** How long a preview's 确认发送 is remembered, so a second press (or Back and again) sends nothing more. */
const SEND_ONCE_MS = 24 * 3600_000;
const sendOnceKey = (once: string) => `console:broadcast-send:${once}`;

interface Draft {
  text: string;
  targets: string[];
}

const draftOf = (form: Form): Draft => ({
  text: field(form, 'text'),
  targets: form.getAll('target').filter((t) => t.trim() !== ''),
});

async function composePage(c: PageContext, draft?: Draft, error?: string, status = 200): Promise<void> {
  const p = c.viewer.principal;
  const groups = (await listGroupViews(c.deps.db, p)).filter((g) => g.kind !== 'staff');
  const recent = await listRecentBroadcasts(c.deps.db, p.congressId, RECENT);
  const unknown = await countUnknownMessages(
    c.deps.db,
    recent.filter((b) => b.status === 'done').map((b) => b.id),
  );
  const tz = c.deps.config.timezone;
  const targets = new Set(draft?.targets ?? []);
  const many = new Set(groups.map((g) => g.congress)).size > 1;
  wbPage(
    c,
    { title: '群发通知', active: 'broadcasts', notice: wbNotice(c.ctx) },
    html`<form method="post" action="/console/broadcasts" class="box">${csrfField(c.viewer)}${formError(error)}
<label for="broadcast-text">通知内容</label>
<textarea id="broadcast-text" name="text" rows="8" maxlength="${MAX_BROADCAST_CHARS}" required placeholder="例如：《人大工作信息》第12期已印发，请各位代表查阅。">${draft?.text ?? ''}</textarea>
<p class="muted">最多 ${MAX_BROADCAST_CHARS} 字。发出时前面加“【通知】”，在工作时间内发出。</p>
<fieldset><legend>发给哪些代表群</legend>
<label class="wb-check"><input type="checkbox" name="target" value="${ALL}"${targets.has(ALL) ? html` checked` : ''}> 全部代表群</label>
${[...new Set(groups.map((g) => g.congress))].map(
  (congress) =>
    html`${many ? html`<p class="muted">${congress}</p>` : ''}<div class="wb-checks">${groups
      .filter((g) => g.congress === congress)
      .map(
        (g) =>
          html`<label><input type="checkbox" name="target" value="${g.name}"${targets.has(g.name) ? html` checked` : ''}> ${g.name}</label>`,
      )}</div>`,
)}</fieldset>
<input type="hidden" name="action" value="preview">
<button type="submit">预览</button>
</form>
<h2>最近的通知</h2>
${recent.length === 0 ? html`<p class="muted">还没有发过通知。</p>` : ''}
<ul class="wb-list">${recent.map(
      (
        b,
      ) => html`<li class="wb-item"><h3><a href="/console/broadcasts/${b.id}">第 ${b.id} 号通知</a> <span class="tag${b.status === 'done' && !unknown.has(b.id) ? '' : ' warn'}">${broadcastStatusText(b.status, unknown.get(b.id) ?? 0)}</span></h3>
<p class="wb-pre">${b.text.length > 80 ? `${b.text.slice(0, 80)}…` : b.text}</p><p class="muted">${dateTime(b.created_at, tz)} · ${senderText(b)}</p></li>`,
    )}</ul>`,
    status,
  );
}

async function planOf(c: PageContext, d: Draft): Promise<BroadcastPlan> {
  const p = c.viewer.principal;
  const all = d.targets.includes(ALL);
  return planBroadcast(
    c.deps.db,
    p.congressId === null ? null : [p.congressId],
    all ? { all: true } : { all: false, groups: [...new Set(d.targets)] },
    c.deps.config,
  );
}

function checkDraft(d: Draft): string | null {
  if (d.text === '') return '请填写通知内容。';
  if (d.text.length > MAX_BROADCAST_CHARS) return `通知内容最多 ${MAX_BROADCAST_CHARS} 字，请精简。`;
  if (d.targets.length === 0) return '请选择要发送的代表群，或勾选“全部代表群”。';
  if (d.targets.includes(ALL) && d.targets.length > 1)
    return '已勾选“全部代表群”，就不必再勾选单个的群；请只保留一种。';
  return null;
}

async function previewPage(c: PageContext, d: Draft, plan: BroadcastPlan): Promise<void> {
  const views = new Map((await listGroupViews(c.deps.db, c.viewer.principal)).map((g) => [g.id, g]));
  const rows = plan.groups.map((g) => ({ g, view: views.get(g.id), ways: routeWords(g, views.get(g.id)) }));
  const byRobot = rows.filter((r) => r.g.reachable);
  const oneByOne = rows.filter((r) => !r.g.reachable && r.g.members > 0);
  const nobody = rows.filter((r) => !r.g.reachable && r.g.members === 0);
  const hidden: SafeHtml[] = d.targets.map((t) => html`<input type="hidden" name="target" value="${t}">`);
  // A platform not set up: what would go through it only waits in the outbox.
  const configured = channelsConfigured(c.deps.config);
  const noChannel =
    !configured.wecom && !configured.dingtalk
      ? '还没有配置企业微信或钉钉：这条通知除经钉钉自定义机器人发到的群以外，都发不出去，只会在「消息发送」中排队重试。请先请管理员配置。'
      : !configured.wecom && rows.some((r) => r.g.route.some((k) => k.startsWith('wecom')))
        ? '企业微信还没有配置：经企业微信发送的部分发不出去，只会在「消息发送」中排队重试。'
        : null;
  wbPage(
    c,
    { title: '预览通知', active: 'broadcasts' },
    html`${noChannel ? html`<p class="error" role="alert">${noChannel}</p>` : ''}<p>共 ${rows.length} 个代表群：${byRobot.length} 个由群机器人或应用群聊发到群里${
      oneByOne.length > 0 ? `，${oneByOne.length} 个没有能发到的群聊，逐个发给群成员（每人一条个人消息）` : ''
    }${nobody.length > 0 ? html`，<strong class="wb-bad">${nobody.length} 个既没有能发到的群聊也没有成员，收不到</strong>` : ''}。</p>
<h2>内容</h2>
<p class="wb-item wb-pre">【通知】${d.text}</p>
<h2>各群怎样收到</h2>
<ul class="wb-list">${rows.map(
      (r) => html`<li class="wb-item"><h3>${r.g.name}</h3>
<p>${r.view ? `${r.view.members} 位成员 · ` : ''}${
        r.ways.length > 0
          ? html`经${r.ways.join('、')}发到群里`
          : r.g.members > 0
            ? html`<span class="tag warn">逐个发送</span> ${noRouteWords(r.g)}，逐个发给 ${r.g.members} 位成员`
            : html`<span class="wb-bad">${noRouteWords(r.g)}，也没有成员，收不到；请先在「小组与群机器人」中绑定</span>`
      }</p></li>`,
    )}</ul>
<form method="post" action="/console/broadcasts" class="box">${csrfField(c.viewer)}
<input type="hidden" name="text" value="${d.text}">${hidden}
<input type="hidden" name="once" value="${randomBytes(16).toString('base64url')}">
<div class="wb-actions">
<button type="submit" name="action" value="send">确认发送</button>
<button type="submit" name="action" value="edit" class="secondary">返回修改</button>
</div>
</form>`,
  );
}

/** What answers a withdrawal on the progress page: a line at the top, and the status to answer with. */
interface PageAnswer {
  notice?: string;
  error?: string;
  status?: number;
}

async function progressPage(c: PageContext, answer: PageAnswer = {}): Promise<void> {
  const id = idParam(c.ctx, '通知');
  const r = await broadcastProgress(c.deps.db, id, c.viewer.principal.congressId);
  const tz = c.deps.config.timezone;
  const total = Object.values(r.messages).reduce((n, k) => n + k, 0);
  const notice = answer.notice ?? (c.ctx.query.done === 'withdrawn' ? WITHDRAWN_NOTICE : wbNotice(c.ctx));
  wbPage(
    c,
    // A refusal is named in the form; with no form left (all sent meanwhile), at the top.
    {
      title: `第 ${r.id} 号通知`,
      active: 'broadcasts',
      notice,
      error: r.withdrawable > 0 ? null : (answer.error ?? null),
    },
    html`<dl class="facts"><dt>状态</dt><dd>${r.statusText}${r.status === 'done' ? html`<br><span class="muted">${dateTime(r.finishedAt, tz)} 结束</span>` : ''}</dd>
<dt>创建</dt><dd>${dateTime(r.createdAt, tz)}</dd>
<dt>进度</dt><dd>已发出 ${r.totals.sent} 个群，等待 ${r.totals.waiting} 个，失败 ${r.totals.failed} 个，未绑定 ${r.totals.unreachable} 个${r.totals.withdrawn > 0 ? `，已撤回 ${r.totals.withdrawn} 个` : ''}${r.totals.unknown > 0 ? `，结果不明 ${r.totals.unknown} 个` : ''}</dd>
<dt>消息</dt><dd>${total === 0 ? '没有消息' : `共 ${total} 条：${messageCounts(r.messages)}`}</dd></dl>
${r.messages.withdrawn > 0 ? html`<p class="muted">已撤回的 ${r.messages.withdrawn} 条没有发出。已经发出的消息不会撤回，收到的群和代表仍能看到。</p>` : ''}
${r.messages.unknown > 0 ? html`<p class="muted">结果不明的 ${r.messages.unknown} 条：发送时平台没有及时回应，可能已经送达，也可能没有，系统不再自动重发。请向群里确认；确实没有收到的，可在「消息发送」中按“结果不明”筛选后重新发送。</p>` : ''}
${r.withdrawable > 0 ? withdrawForm(c, r, answer.error) : ''}
<h2>内容</h2><p class="wb-item wb-pre">${r.text}</p>
<h2>各群</h2>
<ul class="wb-list">${r.groups.map(
      (g) =>
        html`<li class="wb-item"><h3>${g.name}</h3><p><span class="${TAG_CLASS[g.status]}">${PROGRESS_LABEL[g.status]}</span>${
          mixed(g.messages) ? html` <span class="muted">${messageCounts(g.messages)}</span>` : ''
        }${g.error ? html` <span class="muted">${g.error.slice(0, 200)}</span>` : ''}</p></li>`,
    )}</ul>
<p><a href="/console/broadcasts/${r.id}">刷新进度</a> · <a href="/console/broadcasts">返回群发通知</a></p>`,
    answer.status ?? 200,
  );
}

/** 撤回未发出的消息: offered while some wait; sent ones stay sent, and the form says so before it is ticked. */
function withdrawForm(c: PageContext, r: BroadcastProgress, error: string | undefined): SafeHtml {
  return html`<h2 id="withdraw">撤回未发出的消息</h2>
<form method="post" action="/console/broadcasts/${r.id}/withdraw" class="box">${csrfField(c.viewer)}${formError(error)}
<p>还有 ${r.withdrawable} 条消息没有发出。撤回后它们不再发出；已经发出的消息不会撤回${
    r.messages.sent > 0 ? `（已发出 ${r.messages.sent} 条），收到的群和代表仍能看到` : ''
  }。</p>
<label class="check"><input type="checkbox" name="confirmWithdraw" value="yes"> ${WITHDRAW_CONFIRM}</label>
<button type="submit">撤回未发出的消息</button>
</form>`;
}

export const broadcastPages: ConsoleModule = (r) => {
  r.get('/broadcasts', 'staff', (c) => composePage(c));
  r.get('/broadcasts/:id', 'staff', (c) => progressPage(c));
  // As POST /api/broadcasts/{id}/withdraw; the service audits a withdrawal, and a repeat changes nothing.
  r.post('/broadcasts/:id/withdraw', 'staff', async (c, form) => {
    const id = idParam(c.ctx, '通知');
    markAudited(c.ctx);
    if (field(form, 'confirmWithdraw') !== 'yes') {
      // Seen first: another congress's broadcast, or none, is "not found" before anything is asked.
      await broadcastProgress(c.deps.db, id, c.viewer.principal.congressId);
      return progressPage(c, {
        error: `撤回前请勾选「${WITHDRAW_CONFIRM}」；本次没有撤回任何消息。`,
        status: 400,
      });
    }
    const r = await withdrawBroadcast(c.deps, {
      id,
      congressId: c.viewer.principal.congressId,
      actor: actorOf(c.viewer.principal),
      requestId: c.ctx.state.requestId ?? null,
    });
    if (r.withdrawn === 0) return progressPage(c, { notice: r.text });
    redirectAfter(c.ctx, `/console/broadcasts/${id}`, 'withdrawn');
  });
  r.post('/broadcasts', 'staff', async (c, form) => {
    const d = draftOf(form);
    const action = form.get('action');
    // A preview or a return to the draft changes nothing: no audit row.
    if (action !== 'send') markAudited(c.ctx);
    if (action === 'edit') return composePage(c, d);
    const problem = checkDraft(d);
    if (problem) return composePage(c, d, problem, 400);
    const out: { plan?: BroadcastPlan; id?: number } = {};
    const planned = await attempt(async () => {
      out.plan = await planOf(c, d);
    });
    if (!planned.ok) return composePage(c, d, planned.message, planned.status);
    if (action !== 'send') return previewPage(c, d, out.plan!);
    // 确认发送 pressed twice, or again after Back: the notice already started is shown, never a second one.
    const once = field(form, 'once');
    if (!/^[\w-]{16,64}$/.test(once)) return composePage(c, d, '预览已失效，请重新预览后再发送。', 400);
    const key = sendOnceKey(once);
    if (!(await c.deps.store.setIfAbsent(key, 'sending', SEND_ONCE_MS))) {
      markAudited(c.ctx);
      const earlier = await c.deps.store.get(key);
      if (earlier && /^\d+$/.test(earlier))
        return redirectAfter(c.ctx, `/console/broadcasts/${earlier}`, 'broadcast_again');
      return composePage(c, d, '这份通知已经在发送，请稍后在“最近的通知”中查看，不要重复发送。', 409);
    }
    const sent = await attempt(async () => {
      out.id = (
        await startBroadcast(c.deps, {
          plan: out.plan!,
          targets: d.targets.includes(ALL) ? [ALL] : [...new Set(d.targets)],
          text: d.text,
          actor: actorOf(c.viewer.principal),
          senderPersonId: null,
          requestId: c.ctx.state.requestId ?? null,
          via: 'console',
        })
      ).id;
    });
    if (!sent.ok) {
      await c.deps.store.del(key);
      return composePage(c, d, sent.message, sent.status);
    }
    await c.deps.store.set(key, String(out.id), SEND_ONCE_MS);
    markAudited(c.ctx);
    redirectAfter(c.ctx, `/console/broadcasts/${out.id}`, 'broadcast');
  });
};
