import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { escapeHtml as e, PRINT_CSP, printablePage } from '../print/html.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import {
  itemForOrgan,
  itemsForOrgan,
  type Letter,
  type OrganActor,
  type OrganItemView,
  photoForStaff,
  requestReturn,
  signForItem,
  submitOrganAnswer,
} from '../services/suggestions/index.ts';
import { formatDate } from '../statute/date-text.ts';
import type { Form } from './csrf.ts';
import { html } from './html.ts';
import { csrfField } from './layout.ts';
import type { ConsoleModule, PageContext } from './page-context.ts';
import { attempt, field, sendPage } from './page-context.ts';
import { uploadedFile } from './upload.ts';

// 本单位事项: what an organ's contact (token role 'organ') sees in the console — only the items assigned to
// its organ, each with its 交办函 as a printable A4 page (the kept photos shown from our own storage).

const CODE_RE = wholeCodeOf('JY');

function organOf(c: PageContext): number {
  const id = c.viewer.principal.organId;
  if (c.viewer.principal.role !== 'organ' || id === undefined)
    throw new AppError('forbidden', '本页面只供承办单位的联系人使用。');
  return id;
}

function codeOf(c: PageContext): string {
  const code = String(c.ctx.params.code ?? '');
  if (!CODE_RE.test(code)) throw new AppError('not_found', `没有找到编号为 ${code} 的事项`);
  return code;
}

/** The 交办函 as an A4 document: every line of the letter, and the kept photos. */
export function letterPage(l: Letter, photos: number[]): string {
  const rows: [string, string][] = [
    ['编号', `${l.kind} ${l.code}`],
    ['标题', l.title],
    ['提出代表', l.deputies.map((d) => `${d.name}（${d.congress}代表）`).join('、')],
    ['提出日期', formatDate(l.submittedOn)],
    ['承办单位', l.lead ?? '—'],
    ['协办单位', l.assisting.join('、') || '—'],
    ['交办日期', formatDate(l.assignedOn)],
    ['答复期限', l.dueText],
    ['申请退回截止', `${l.returnByText}（逾期不再受理退回申请）`],
  ];
  if (l.place) rows.push(['地点', l.place]);
  const content = l.secret
    ? '<p>本事项涉密，内容不在网上显示，请到人大常委会代表工作机构领取。</p>'
    : `<p>${e(l.content ?? '').replace(/\n/g, '<br>')}</p>`;
  const imgs = photos
    .map(
      (n) =>
        `<figure><img src="/console/organ/items/${e(l.code)}/photos/${n}" alt="照片 ${n}" width="400"><figcaption>照片 ${n}</figcaption></figure>`,
    )
    .join('');
  const body = `<h1>交 办 函</h1>
<p>${e(l.organ)}：</p>
<p>现将代表${e(l.kind)}交由贵单位${l.role === 'lead' ? '承办' : '协办'}，请认真研究办理，并于 ${e(l.dueText)} 前答复代表。</p>
<table>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>
<h2>内容</h2>${content}${imgs}
<p class="sign">人大常委会代表工作机构<br>${e(formatDate(l.assignedOn))}</p>`;
  return printablePage(`交办函 ${l.code}`, body);
}

const DONE: Record<string, string> = {
  signed: '已签收。',
  returnRequested: '已提出退回申请，由人大常委会代表工作机构决定，决定前请继续办理。',
  answered: '答复已提交，经人大常委会代表工作机构审核后发给代表。',
  toLead: '协办意见已送承办单位。',
};

const contactOf = (c: PageContext): OrganActor => ({
  id: actorOf(c.viewer.principal),
  name: c.viewer.principal.name,
  organId: organOf(c),
});

/** One item for the organ: sign, ask to return it, answer with the structured fields and a result class. */
async function handlePage(c: PageContext, view: OrganItemView, error: string | null = null, status = 200) {
  const l = view.letter;
  const csrf = csrfField(c.viewer);
  const done = typeof c.ctx.query.done === 'string' ? (DONE[c.ctx.query.done] ?? null) : null;
  const base = `/console/organ/items/${l.code}`;
  const last = view.answers.at(-1);
  const open = view.assignmentStatus === 'open';
  sendPage(
    c,
    { title: `${l.code} 办理`, active: 'organ', notice: done, error },
    html`<p><a href="${base}">查看和打印交办函</a> · ${l.role === 'lead' ? '承办' : '协办'} · 期限 ${l.dueText}</p>
<p>${l.secret ? '本事项涉密，请到人大常委会代表工作机构领取材料。' : l.content}</p>
${last ? html`<p>最近一次答复：${last.status === 'pending_review' ? '待审核' : last.status === 'returned' ? `已退回修改（${last.reviewNote ?? ''}）` : last.status === 'approved' ? '已审核通过' : '已送承办单位'}</p>` : ''}
${
  open && !l.signedAt
    ? html`<form method="post" action="${base}/sign">${csrf}<button type="submit">签收</button></form>`
    : html`<p>${l.signedAt ? '已签收。' : ''}</p>`
}
${
  open
    ? html`<h2>申请退回</h2><form method="post" action="${base}/return-request" class="box">${csrf}
<p class="muted">请于 ${l.returnByText}前提出。</p>
<label for="reason">理由</label><input type="text" id="reason" name="reason" maxlength="500" required>
<button type="submit">申请退回</button></form>
<h2>答复</h2><form method="post" action="${base}/answer" class="box" enctype="multipart/form-data">${csrf}
${
  l.role === 'lead'
    ? html`<label for="rc">办理结果分类</label><select id="rc" name="resultClass" required><option value="">请选择</option>${view.resultClasses.map((x) => html`<option value="${x.code}">${x.code} ${x.label}</option>`)}</select>`
    : ''
}
<label for="done">已办理的情况</label><textarea id="done" name="done" rows="3" maxlength="5000"></textarea>
<label for="planned">计划办理的事项</label><textarea id="planned" name="planned" rows="2" maxlength="5000"></textarea>
<label for="plannedBy">落实时限</label><input type="date" id="plannedBy" name="plannedBy">
<label for="cannot">不能办理的事项</label><textarea id="cannot" name="cannot" rows="2" maxlength="5000"></textarea>
<label for="cannotReason">不能办理的原因</label><input type="text" id="cannotReason" name="cannotReason" maxlength="2000">
<label for="signedBy">签发人</label><input type="text" id="signedBy" name="signedBy" maxlength="100"${l.role === 'lead' ? html` required` : ''}>
<label for="contact">联系人及电话</label><input type="text" id="contact" name="contact" maxlength="100">
<label for="docNo">文号</label><input type="text" id="docNo" name="docNo" maxlength="60">
${ATTACHMENT_FIELDS.map((n, i) => html`<label for="${n}">附件${i + 1}（可不选；每个不超过 10 MB，如答复函、现场照片）</label><input type="file" id="${n}" name="${n}">`)}
<button type="submit">提交答复</button></form>`
    : ''
}`,
    status,
  );
}

async function act(c: PageContext, change: () => Promise<string>): Promise<void> {
  const code = codeOf(c);
  let done = '';
  const res = await attempt(async () => {
    done = await change();
  });
  if (!res.ok) return handlePage(c, await itemForOrgan(c.deps, code, organOf(c)), res.message, res.status);
  c.ctx.redirect(`/console/organ/items/${code}/handle?done=${done}`);
  c.ctx.status = 303;
}

const orNull = (form: Form, name: string): string | null => field(form, name) || null;

/** The answer form's file inputs (one file each: the upload reader keeps one file per field). */
const ATTACHMENT_FIELDS = ['attachment1', 'attachment2', 'attachment3'] as const;

export const organPages: ConsoleModule = (r) => {
  r.get('/organ/items/:code/handle', 'organ', async (c) =>
    handlePage(c, await itemForOrgan(c.deps, codeOf(c), organOf(c))),
  );
  r.post('/organ/items/:code/sign', 'organ', (c) =>
    act(c, async () => {
      await signForItem(c.deps, { code: codeOf(c), actor: contactOf(c) });
      return 'signed';
    }),
  );
  r.post('/organ/items/:code/return-request', 'organ', (c, form: Form) =>
    act(c, async () => {
      await requestReturn(c.deps, { code: codeOf(c), reason: field(form, 'reason'), actor: contactOf(c) });
      return 'returnRequested';
    }),
  );
  r.post('/organ/items/:code/answer', 'organ', (c, form: Form) =>
    act(c, async () => {
      const out = await submitOrganAnswer(c.deps, {
        code: codeOf(c),
        actor: contactOf(c),
        answer: {
          fields: {
            done: orNull(form, 'done'),
            planned: orNull(form, 'planned'),
            plannedBy: orNull(form, 'plannedBy'),
            cannot: orNull(form, 'cannot'),
            cannotReason: orNull(form, 'cannotReason'),
            signedBy: orNull(form, 'signedBy'),
          },
          resultClass: field(form, 'resultClass') || undefined,
          contact: field(form, 'contact') || undefined,
          docNo: field(form, 'docNo') || undefined,
          uploads: ATTACHMENT_FIELDS.flatMap((n) => {
            const f = uploadedFile(c.ctx, n);
            return f
              ? [
                  {
                    name: f.name,
                    contentType: f.type.split(';')[0]!.trim() || 'application/octet-stream',
                    content: f.bytes,
                  },
                ]
              : [];
          }),
        },
      });
      return out.status === 'to_lead' ? 'toLead' : 'answered';
    }),
  );

  r.get('/organ', 'organ', async (c) => {
    const items = await itemsForOrgan(c.deps, organOf(c));
    const rows = items.map(
      (i) =>
        html`<tr><td><a href="/console/organ/items/${i.letter.code}/handle">${i.letter.code}</a></td><td>${i.letter.title}</td><td>${i.letter.role === 'lead' ? '承办' : '协办'}</td><td>${i.letter.dueText}</td><td>${i.letter.signedAt ? '已签收' : '未签收'}</td><td>${i.answers.at(-1)?.status === 'pending_review' ? '答复待审核' : i.assignmentStatus === 'answered' ? '已答复' : '办理中'}</td></tr>`,
    );
    sendPage(
      c,
      { title: '本单位事项', active: 'organ' },
      html`<p>点编号签收、申请退回或答复；也可以在企业微信或钉钉中发“签收 编号”“申请退回 编号 理由”“答复 编号 ……”。</p>
<div class="table-wrap"><table><thead><tr><th>编号</th><th>事项</th><th>分工</th><th>期限</th><th>签收</th><th>状态</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="6">本单位目前没有交办的事项。</td></tr>`}</tbody></table></div>`,
    );
  });

  // The 交办函 as a printable A4 page, with its own print style sheet (allowed by its hash).
  r.get('/organ/items/:code', 'organ', async (c) => {
    const view = await itemForOrgan(c.deps, codeOf(c), organOf(c));
    const photos = Array.from({ length: view.letter.attachments }, (_, i) => i + 1);
    c.ctx.set('Content-Security-Policy', PRINT_CSP);
    c.ctx.status = 200;
    c.ctx.type = 'text/html; charset=utf-8';
    c.ctx.body = letterPage(view.letter, photos);
  });

  r.get('/organ/items/:code/photos/:n', 'organ', async (c) => {
    const code = codeOf(c);
    await itemForOrgan(c.deps, code, organOf(c));
    const n = String(c.ctx.params.n ?? '');
    if (!/^[1-9]\d{0,2}$/.test(n)) throw new AppError('not_found', '没有这张照片');
    const photo = await photoForStaff(c.deps, code, Number(n), null);
    if (!photo) throw new AppError('not_found', '没有这张照片，或它还没有保存下来');
    c.ctx.set('Content-Type', photo.contentType);
    c.ctx.set('X-Content-Type-Options', 'nosniff');
    c.ctx.set('Cache-Control', 'private, no-store');
    c.ctx.body = Buffer.from(photo.content);
  });
};
