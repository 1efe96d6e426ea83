import type { TokenRole } from '../../db/schema.ts';
import { CSRF_FIELD } from './csrf.ts';
import { html, type SafeHtml } from './html.ts';
import type { Viewer } from './session.ts';

// The frame of every console page: a header with the sections, who is signed in, the page's notice or
// error, and the page itself. One stylesheet, served by the console (no inline styles, no scripts).

export const ROLE_LABEL: Record<TokenRole, string> = {
  staff: '工作人员',
  approver: '审批人',
  admin: '管理员',
};

const SECTIONS: { href: string; label: string; key: string }[] = [
  { href: '/console', label: '概览', key: 'overview' },
  { href: '/console/deputies', label: '代表名册', key: 'deputies' },
  { href: '/console/suggestions', label: '建议', key: 'suggestions' },
  { href: '/console/leave', label: '请假', key: 'leave' },
  { href: '/console/reception', label: '接待日', key: 'reception' },
  { href: '/console/outbox', label: '消息发送', key: 'outbox' },
  { href: '/console/reminders', label: '提醒记录', key: 'reminders' },
  { href: '/console/calendar', label: '日历', key: 'calendar' },
];

/** Fixed confirmations a redirect may name with `?done=` (never user text in a URL). */
const NOTICES: Record<string, string> = {
  status: '代表职务状态已变更，并已通知代表本人。',
  assigned: '已交办，承办单位和代表都会收到通知。',
  extended: '已延期，新的答复期限已通知相关单位和代表。',
  answered: '答复已记录，已发送给代表并请其评价。',
  decided: '决定已记录，已通知代表本人。',
  corrected: '日历已更正，受影响的日期已重新计算并通知。',
  uncorrected: '已撤销更正，受影响的日期已重新计算。',
  imported: '已按国务院通知载入该年放假安排，受影响的日期已重新计算并通知。',
  requeued: '已重新排队，消息将尽快发出。',
};

export const noticeOf = (key: unknown): string | null =>
  typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key]! : null;

export interface PageOptions {
  title: string;
  active?: string;
  notice?: string | null;
  error?: string | null;
}

export function csrfField(viewer: Viewer): SafeHtml {
  return viewer.csrf === null
    ? html``
    : html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}">`;
}

export function layout(viewer: Viewer | null, o: PageOptions, body: SafeHtml): SafeHtml {
  const nav = viewer
    ? html`<nav>${SECTIONS.map(
        (s) =>
          html`<a href="${s.href}"${s.key === o.active ? html` class="active" aria-current="page"` : ''}>${s.label}</a>`,
      )}</nav>
      <div class="who">${viewer.principal.name}（${ROLE_LABEL[viewer.principal.role]}）${
        viewer.sessionId
          ? html`<form method="post" action="/console/logout" class="inline">${csrfField(viewer)}<button type="submit" class="link">退出</button></form>`
          : ''
      }</div>`
    : html``;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · 人大代表联络工作台</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head><body>
<header><a class="brand" href="/console">人大代表联络工作台</a>${nav}</header>
<main>
<h1>${o.title}</h1>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
${body}
</main>
</body></html>`;
}

export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:16px;line-height:1.6;color:#1f2328;background:#f6f7f9}
header{background:#a4161a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
header a{color:#fff;text-decoration:none}
.brand{font-weight:bold;font-size:1.05rem}
nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
nav a{padding:.15rem .3rem;border-radius:4px}
nav a.active,nav a:hover{background:rgba(255,255,255,.2)}
.who{margin-left:auto;font-size:.9rem}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{width:100%;border-collapse:collapse;background:#fff;margin-bottom:1rem}
th,td{border-bottom:1px solid #e1e4e8;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600;white-space:nowrap}
.scroll{overflow-x:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin-bottom:1rem}
.card{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.75rem;display:block;color:inherit;text-decoration:none}
.card .n{font-size:1.8rem;font-weight:bold;display:block}
.card.warn .n{color:#a4161a}
form.box{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;max-width:40rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:1rem}
label{display:block;margin:.4rem 0 .15rem;font-weight:600}
form.filters label{margin:0}
input[type=text],input[type=password],input[type=date],select,textarea{width:100%;padding:.45rem;border:1px solid #c9ced6;border-radius:6px;font:inherit;background:#fff}
form.filters input,form.filters select{width:auto}
textarea{min-height:5rem}
button{font:inherit;padding:.45rem 1rem;border:0;border-radius:6px;background:#a4161a;color:#fff;cursor:pointer;margin-top:.5rem}
button.secondary{background:#57606a}
button.link{background:none;color:#fff;text-decoration:underline;padding:0;margin:0 0 0 .5rem}
form.inline{display:inline}
.notice{background:#e6f4ea;border:1px solid #9fd3ae;padding:.5rem .75rem;border-radius:6px}
.error{background:#fdecea;border:1px solid #f1aeb5;padding:.5rem .75rem;border-radius:6px}
.muted{color:#57606a;font-size:.9rem}
.tag{display:inline-block;padding:0 .4rem;border-radius:4px;background:#eef0f3;font-size:.85rem}
.tag.bad{background:#fdecea;color:#a4161a}
.tag.warn{background:#fff4e5;color:#8a4b00}
.pre{white-space:pre-wrap;word-break:break-word}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;padding:.75rem 1rem;border:1px solid #e1e4e8;border-radius:8px}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.months{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem}
.months table{font-size:.85rem}
@media (max-width:600px){header{padding:.5rem}main{padding:.5rem}th,td{padding:.35rem}.who{margin-left:0}}
`;
