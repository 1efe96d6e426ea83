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
  organ: '承办单位',
};

/**
 * The menu: one entry per line. `role` is the least role that may open the page; `unbound` marks a page
 * only a token not bound to one congress may open (it spans every congress). An entry a viewer cannot open
 * is not shown.
 */
export interface MenuEntry {
  href: string;
  label: string;
  key: string;
  role?: TokenRole;
  unbound?: boolean;
}

export const SECTIONS: MenuEntry[] = [
  { href: '/console', label: '概览', key: 'overview' },
  { href: '/console/deputies', label: '代表名册', key: 'deputies' },
  { href: '/console/suggestions', label: '建议', key: 'suggestions' },
  { href: '/console/leave', label: '请假', key: 'leave' },
  { href: '/console/reception', label: '接待日', key: 'reception' },
  { href: '/console/outbox', label: '消息发送', key: 'outbox', unbound: true },
  { href: '/console/reminders', label: '提醒记录', key: 'reminders', unbound: true },
  { href: '/console/calendar', label: '日历', key: 'calendar' },
  { href: '/console/activities', label: '活动', key: 'activities' },
  { href: '/console/sessions', label: '会议', key: 'sessions' },
  { href: '/console/broadcasts', label: '群发通知', key: 'broadcasts' },
  { href: '/console/roster', label: '名册导入', key: 'roster' },
  { href: '/console/organs', label: '承办单位', key: 'organs' },
  { href: '/console/groups', label: '小组与群机器人', key: 'groups' },
  { href: '/console/congresses', label: '人大设置', key: 'congresses', role: 'admin' },
  { href: '/console/tokens', label: '令牌', key: 'tokens', role: 'admin' },
  { href: '/console/statistics', label: '统计', key: 'statistics' },
  { href: '/console/reviews', label: '答复审核', key: 'reviews' },
  { href: '/console/organ', label: '本单位事项', key: 'organ', role: 'organ' },
];

const RANK: Record<TokenRole, number> = { organ: -1, staff: 0, approver: 1, admin: 2 };

/** Whether the viewer may open the entry's page (so the menu never links to a 403). */
export const mayOpen = (viewer: Viewer, e: MenuEntry): boolean =>
  // An organ's contact sees only its own page, and staff do not see it.
  (e.role === 'organ'
    ? viewer.principal.role === 'organ'
    : RANK[viewer.principal.role] >= RANK[e.role ?? 'staff']) &&
  (e.unbound !== true || viewer.principal.congressId === null);

/** Fixed confirmations a redirect may name with `?done=` (never user text in a URL). */
const NOTICES: Record<string, string> = {
  status: '代表职务状态已变更，并已通知代表本人。',
  assigned: '已交办，承办单位和代表都会收到通知。',
  extended:
    '已延期。新的答复期限和延期理由已发给提出建议的代表和各承办单位的联系人（没有登记联系方式的单位，已请工作人员电话告知）。',
  entered: '已代录，代表本人会收到通知。',
  leaveEntered: '已代录请假，代表本人和决定机关会收到通知。',
  accepted: '已立案，可以交办。',
  notAccepted: '已记录不予立案，理由已发给代表。',
  merged: '已合并办理，理由已发给代表，代表今后会收到合并后事项的办理进展。',
  details: '标题、类别和重点督办已保存。',
  returned: '已退回，代表已收到通知。',
  transferred: '已改办，新承办单位和代表都会收到通知。',
  organAdded: '单位已登记，可以从列表中选择。',
  answered: '答复已记录，已发送给代表并请其评价。',
  decided: '决定已记录，已通知代表本人。',
  returnedDecision: '送回的决定已记录，已通知代表本人。',
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

/**
 * The menu. On a desktop its entries stand in the header; below 600 px they fold behind a 菜单 button that
 * names the page one is on, and open as rows of whole entries. With no script allowed, the button is the
 * label of a checkbox the stylesheet reads (kept out of the browser's form restoring).
 */
function menu(viewer: Viewer, active: string | undefined): SafeHtml {
  const entries = SECTIONS.filter((s) => mayOpen(viewer, s));
  const here = entries.find((s) => s.key === active);
  return html`<input type="checkbox" id="menu-toggle" class="menu-toggle" autocomplete="off">
<label for="menu-toggle" class="menu-button"><span class="menu-word">菜单</span>${here ? html`<span class="menu-here">当前：${here.label}</span>` : ''}</label>
<nav>${entries.map(
    (s) =>
      html`<a href="${s.href}"${s.key === active ? html` class="active" aria-current="page"` : ''}>${s.label}</a>`,
  )}</nav>`;
}

export function layout(viewer: Viewer | null, o: PageOptions, body: SafeHtml): SafeHtml {
  const nav = viewer
    ? html`${menu(viewer, o.active)}
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

// Below 600 px a list row is a card: each cell's label floats in a column of its own (a grid put the second
// part of a value, e.g. a rate's fraction, under the label). A link standing alone in a paragraph (返回列表,
// 下载 Excel) gets the 40 px a thumb needs, as buttons do.
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:16px;line-height:1.6;color:#1f2328;background:#f6f7f9}
header{background:#a4161a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
header a{color:#fff;text-decoration:none}
.brand{font-weight:bold;font-size:1.05rem}
nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.menu-toggle,.menu-button{display:none}
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
.card .n small{font-size:1rem;font-weight:normal}
.card.warn .n{color:#a4161a}
details.box{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;max-width:40rem}
details.box summary{cursor:pointer;color:#0a58ca}
form.box{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem;max-width:40rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:1rem}
label{display:block;margin:.4rem 0 .15rem;font-weight:600}
form.filters label{margin:0}
form.filters input[type=search]{min-width:18rem}
details.more summary{cursor:pointer;color:#0a58ca;padding:.45rem 0}
details.more[open]{flex-basis:100%}
.more-fields{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
input[type=text],input[type=search],input[type=tel],input[type=password],input[type=date],select,textarea{width:100%;padding:.45rem;border:1px solid #c9ced6;border-radius:6px;font:inherit;background:#fff}
form.filters input,form.filters select{width:auto}
textarea{min-height:5rem}
button{font:inherit;padding:.45rem 1rem;border:0;border-radius:6px;background:#a4161a;color:#fff;cursor:pointer;margin-top:.5rem}
button.secondary{background:#57606a}
button.link{background:none;color:#fff;text-decoration:underline;padding:0;margin:0 0 0 .5rem}
form.inline{display:inline}
.notice{background:#e6f4ea;border:1px solid #9fd3ae;padding:.5rem .75rem;border-radius:6px}
.error{background:#fdecea;border:1px solid #f1aeb5;padding:.5rem .75rem;border-radius:6px}
input[aria-invalid=true],select[aria-invalid=true]{border-color:#c62828;box-shadow:0 0 0 2px #f8d7da;background:#fff8f8}
input[aria-invalid=true]:focus,select[aria-invalid=true]:focus{outline:2px solid #c62828;outline-offset:1px}
.muted{color:#57606a;font-size:.9rem}
.decision-rejected{color:#a4161a}
.field-hint{display:block;color:#57606a;font-size:.85rem;font-weight:normal;margin:.15rem 0 .25rem;overflow-wrap:anywhere}
.tag{display:inline-block;padding:0 .4rem;border-radius:4px;background:#eef0f3;font-size:.85rem}
.tag.bad{background:#fdecea;color:#a4161a}
.tag.warn{background:#fff4e5;color:#8a4b00}
.pre{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%;margin:.5rem 0}
pre.answer{font:inherit;background:#f6f7f9;border:1px solid #e1e4e8;border-radius:6px;padding:.5rem .75rem}
section.box{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.75rem 1rem;margin:1rem 0;max-width:48rem;overflow-wrap:anywhere}
section.box h2,section.box h3{margin:0 0 .5rem}
section.box.waiting{background:#fffbeb;border-color:#f0c36d}
div.error p{margin:.25rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;padding:.75rem 1rem;border:1px solid #e1e4e8;border-radius:8px}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.months{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem}
.months table{font-size:.85rem}
.code,.nowrap{white-space:nowrap}
th a{color:inherit}
table.list td:empty::after,table.list td>div:empty::after{content:'—';color:#57606a}
th a.sorted{text-decoration:underline}
.pager{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:0 0 1rem}
.actions a{white-space:nowrap}
.row2{display:grid;grid-template-columns:1fr 1fr;gap:0 .75rem}
fieldset{border:1px solid #e1e4e8;border-radius:6px;margin:.5rem 0;padding:.25rem .75rem .5rem}
legend{font-weight:600;padding:0 .25rem}
label.check{font-weight:normal;display:flex;gap:.5rem;align-items:center;min-height:2.5rem;cursor:pointer}
label.check input{margin:0}
input[type=checkbox],input[type=radio]{width:20px;height:20px;min-width:20px;margin:0 .4rem 0 0;accent-color:#a4161a;vertical-align:middle;cursor:pointer}
label:has(>input[type=checkbox]),label:has(>input[type=radio]){cursor:pointer}
.photo img{max-width:100%;height:auto}
.grid-month{width:100%;table-layout:fixed}
.grid-month th,.grid-month td{text-align:center;padding:.25rem .1rem;border:1px solid #e1e4e8;vertical-align:top}
.grid-month td.off{background:#fdecea}
.grid-month td.makeup{background:#fff4e5}
.grid-month td.corrected{outline:2px solid #0a58ca;outline-offset:-2px}
.grid-month td.provisional .d{font-style:italic}
.grid-month td.blank{background:#f6f7f9}
.grid-month .d{display:block;font-weight:600}
.grid-month .n{display:block;font-size:.7rem;line-height:1.2;color:#57606a;word-break:break-all}
.legend{display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.85rem}
.legend span{padding:0 .4rem;border:1px solid #e1e4e8;border-radius:4px}
.legend .off{background:#fdecea}.legend .makeup{background:#fff4e5}.legend .corrected{outline:2px solid #0a58ca;outline-offset:-2px}
input,select,textarea{max-width:100%}
figure.chart{margin:1rem 0}
figure.chart svg{display:block;height:auto;max-width:48rem}
figure.chart svg.chart-narrow{display:none}
.alert-links{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 .25rem}
.alert-links a{display:inline-flex;align-items:center;min-height:2.5rem;padding:0 .75rem;border:1px solid #a4161a;border-radius:6px;background:#fff;color:#a4161a;text-decoration:none}
@media (min-width:601px){
table.stats{font-size:.875rem}
table.stats th,table.stats td{padding:.35rem .3rem}
table.stats thead th{white-space:normal;word-break:keep-all;vertical-align:bottom;line-height:1.3}
table.stats td{text-align:right;white-space:nowrap}
table.stats tbody th{white-space:normal;min-width:6em}
}
@media (max-width:600px){header{position:relative;padding:.4rem .5rem;gap:.25rem .5rem}main{padding:.5rem}th,td{padding:.35rem}
.brand{font-size:.95rem}
.who{font-size:.85rem;display:flex;align-items:center}
input.menu-toggle{display:block;position:absolute;top:0;left:0;width:1px;height:1px;min-width:0;margin:0;opacity:0;pointer-events:none}
.menu-button{order:3;flex:1 0 100%;display:flex;align-items:center;gap:.75rem;min-height:2.75rem;padding:0 .75rem;border:1px solid rgba(255,255,255,.5);border-radius:6px;font-weight:600;cursor:pointer}
.menu-button::after{content:'';margin-left:auto;width:.5rem;height:.5rem;border:solid #fff;border-width:0 2px 2px 0;transform:translateY(-25%) rotate(45deg)}
.menu-toggle:checked+.menu-button::after{transform:translateY(25%) rotate(225deg)}
.menu-toggle:focus-visible+.menu-button{outline:2px solid #fff;outline-offset:2px}
.menu-here{font-weight:normal;overflow-wrap:anywhere}
header nav{order:4;flex:1 0 100%;display:none;flex-wrap:wrap;gap:.35rem;padding:.15rem 0 .1rem}
.menu-toggle:checked~nav{display:flex}
header nav a{flex:1 0 auto;display:flex;align-items:center;justify-content:center;min-height:2.75rem;padding:0 .7rem;border-radius:6px;background:rgba(255,255,255,.12);white-space:nowrap}
header nav a.active{background:#fff;color:#a4161a;font-weight:600}
header>*{max-width:100%}
button{min-height:2.75rem}
button.link{min-height:2.5rem;min-width:2.75rem;padding:0 .5rem;margin:0 0 0 .25rem}
label.check{min-height:2.75rem}
.confirm-actions a{display:inline-flex;align-items:center;min-height:2.5rem}
table.list td a,.actions a,.pager a,ul a,main>p:not([class])>a{display:inline-flex;align-items:center;min-height:2.5rem}
input[type=text],input[type=search],input[type=tel],input[type=password],input[type=date],select{min-height:2.75rem}
dl.facts{grid-template-columns:1fr}
dl.facts dt{margin-top:.35rem}
form.filters{flex-direction:column;align-items:stretch}
form.filters input,form.filters select{width:100%}
form.filters label.check input{width:auto}
.more-fields{flex-direction:column;align-items:stretch}
.row2{grid-template-columns:1fr}
table.list,table.list tbody,table.list tr,table.list td{display:block;width:100%}
table.list thead{display:none}
table.list{background:none}
table.list tr{background:#fff;border:1px solid #e1e4e8;border-radius:8px;margin:0 0 .6rem;padding:.35rem .6rem}
table.list td{border:0;padding:.15rem 0 .15rem 6rem;display:flow-root;overflow-wrap:anywhere}
table.list td::before{content:attr(data-label);float:left;width:5.5rem;margin-left:-6rem;padding-top:.2rem;color:#57606a;font-size:.85rem;overflow-wrap:normal}
table.list td[data-label=""]{padding-left:0}
table.list td[data-label=""]::before{content:none}
.scroll{overflow-x:visible}
.grid-month .n{display:none}
figure.chart svg.chart-wide{display:none}
figure.chart svg.chart-narrow{display:block;max-width:none}
}
`;
