import type { Context } from 'koa';
import type { Congress } from '../../db/schema.ts';
import { mayChangeShared, type Principal, SHARED_DATA_REFUSAL } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { html, type SafeHtml } from './html.ts';
import type { PageOptions } from './layout.ts';
import { type PageContext, sendPage } from './page-context.ts';

// What the workbench pages (activities, sessions, broadcasts, roster upload, organs, groups, congress
// settings, tokens, 视察) share: their stylesheet (the console allows no inline style; the item and list
// pages of 建议 and 请假 link it too, for the history cards and the phone's sort control, phone-kit.ts),
// their fixed confirmations, the congress picker and the shared-data check. On a phone a row of ticks or
// choices and a template chip are as tall as a thumb needs (40 px); long names (groups) go one to a line.

export const WORKBENCH_CSS = `
.wb-list{display:grid;gap:.6rem;margin:0 0 1rem;padding:0;list-style:none}
.wb-item{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:.6rem .75rem;min-width:0;overflow-wrap:anywhere}
.wb-item h3{font-size:1rem;margin:0 0 .25rem}
.wb-item p{margin:.15rem 0}
.wb-code{white-space:nowrap;font-variant-numeric:tabular-nums}
.wb-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.6rem}
form.box fieldset{border:1px solid #e1e4e8;border-radius:6px;margin:.6rem 0;padding:.4rem .75rem .6rem;min-width:0}
form.box legend{font-weight:600;padding:0 .25rem}
.wb-checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.1rem .75rem}
.wb-checks label,label.wb-check{font-weight:normal;display:flex;gap:.4rem;align-items:center;margin:.2rem 0}
.wb-checks input,label.wb-check input{width:auto;margin:0;flex:none}
.wb-row{display:flex;flex-wrap:wrap;gap:0 .75rem}
.wb-row>div{flex:1 1 10rem;min-width:0}
input[type=number],input[type=file],input[type=tel]{width:100%;padding:.45rem;border:1px solid #c9ced6;border-radius:6px;font:inherit;background:#fff}
.wb-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.4rem}
.wb-actions form{display:inline;margin:0}
.wb-actions button{margin-top:0}
.wb-once{font-family:ui-monospace,monospace;word-break:break-all;background:#fff4e5;border:1px solid #f0c36d;padding:.6rem;border-radius:6px;user-select:all}
.wb-ok{color:#1a7f37}
.wb-bad{color:#a4161a}
.wb-templates{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 1rem}
.wb-templates a{background:#fff;border:1px solid #c9ced6;border-radius:16px;padding:.2rem .7rem;color:inherit;text-decoration:none;font-size:.9rem}
.wb-templates a.active{border-color:#a4161a;color:#a4161a}
label.muted{font-weight:normal}
form.filters label select{display:block;margin-top:.15rem}
.wb-pre{white-space:pre-wrap;overflow-wrap:anywhere}
.phone-sort{display:none}
.wb-checks.wb-wide{grid-template-columns:1fr;margin-left:1.75rem}
.wb-more{margin:.6rem 0}
.wb-more summary{cursor:pointer;color:#0a58ca;padding:.6rem 0}
@media (max-width:600px){.phone-sort{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:center;margin:0 0 .75rem}
.phone-sort label{margin:0}
.phone-sort select{flex:1 1 12rem;width:auto;min-width:0}
.phone-sort button{margin-top:0}
.wb-checks label,label.wb-check{min-height:2.5rem;margin:0}
.wb-templates a{display:inline-flex;align-items:center;min-height:2.5rem;padding:0 .8rem;border-radius:20px}}
`;

const STYLESHEET = html`<link rel="stylesheet" href="/console/assets/workbench.css">`;

/** A workbench page: the console's frame with the workbench stylesheet. */
export function wbPage(c: PageContext, o: PageOptions, body: SafeHtml, status = 200): void {
  sendPage(c, o, html`${STYLESHEET}${body}`, status);
}

/** Fixed confirmations a redirect may name with `?done=` (never user text in a URL). */
const NOTICES: Record<string, string> = {
  activity: '活动已登记。活动开始前的，受邀代表会收到邀请，并在前一个工作日收到提醒。',
  attendance: '出席情况已登记，并记入代表的履职档案。',
  session: '会议已登记。',
  absences: '缺席情况已登记；未请假缺席的，代表和工作人员会收到提醒。',
  broadcast: '通知已排队发送（工作时间内发出），可在本页查看进度。',
  broadcast_again: '这份通知刚才已经发出，没有再发第二次。下面是它的进度。',
  organ: '单位及联系人已保存。',
  contact: '联系人已添加。交办、催办和督办的消息也会发给他。',
  contactRemoved: '联系人已移除，不再收到这个单位的消息。',
  group: '小组设置已保存。',
  congress: '人大设置已保存。',
  revoked: '令牌已撤销，持有者将无法再登录或调用接口。',
  alreadyRevoked: '这个令牌此前已经撤销，本次没有改动。',
  linked: '视察申请已更新。',
  report: '报告已登记并转交承办单位，三个月内反馈（山西 第二十七条）。',
  roster: '名册已导入。',
  requeuedAll: '所有发送失败的消息已重新排队。',
};

export const wbNotice = (ctx: Context): string | null => {
  const key = ctx.query.done;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key]! : null;
};

/** The organ register and the calendar are shared by every congress: a bound staff token may not change them. */
export function requireShared(p: Principal): void {
  if (!mayChangeShared(p)) throw new AppError('shared_data_forbidden', SHARED_DATA_REFUSAL);
}

/** A select of the congresses this viewer may act in; a single one is a fixed line. */
export function congressPicker(list: Congress[], chosen: string, id = 'congress'): SafeHtml {
  if (list.length === 1) {
    return html`<input type="hidden" name="congress" value="${list[0]!.name}"><p class="muted">人大：${list[0]!.name}</p>`;
  }
  return html`<label for="${id}">人大</label><select id="${id}" name="congress" required>
<option value="">请选择</option>${list.map(
    (c) => html`<option value="${c.name}"${c.name === chosen ? html` selected` : ''}>${c.name}</option>`,
  )}</select>`;
}

/** The error line at the top of a refused form. */
export const formError = (message: string | null | undefined): SafeHtml | string =>
  message ? html`<p class="error" role="alert">${message}</p>` : '';

/** A positive whole number from a route parameter, else a clear 404. */
export function idParam(ctx: Context, what: string): number {
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', `没有这个${what}。`);
  return id;
}
