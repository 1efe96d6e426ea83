import { organAuditOf } from '../api/audit-trail.ts';
import { actorOf } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { escapeHtml as e, PRINT_CSP, printablePage } from '../print/html.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import {
  type AnswerView,
  itemForOrgan,
  itemsForOrgan,
  type Letter,
  type OrganActor,
  type OrganAudit,
  type OrganItemView,
  photoForStaff,
  requestReturn,
  signForItem,
  submitOrganAnswer,
} from '../services/suggestions/index.ts';
import { formatDate } from '../statute/date-text.ts';
import type { Form } from './csrf.ts';
import { dateInput, readDateField } from './date-field.ts';
import { html, listTable, type SafeHtml } from './html.ts';
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
  returnRequested: '已提出退回申请，等待人大常委会代表工作机构决定；决定前答复期限不变。',
  answered: '答复已提交，经人大常委会代表工作机构审核后发给代表。',
  toLead: '协办意见已送承办单位。',
};

const contactOf = (c: PageContext): OrganActor => ({
  id: actorOf(c.viewer.principal),
  name: c.viewer.principal.name,
  organId: organOf(c),
});

/**
 * An organ's form is audited by its service, in the change's transaction, with the assignment before and
 * after (a repeat 签收, which changes nothing, writes no row); the console writes no row of its own.
 */
const auditedBy = (c: PageContext): OrganAudit => organAuditOf(c.ctx, 'console');

/** The organ's answer waiting for the office's review, if any (the last one the organ sent). */
const pendingAnswer = (view: OrganItemView): AnswerView | undefined => {
  const last = view.answers.at(-1);
  return view.assignmentStatus === 'open' && last?.status === 'pending_review' ? last : undefined;
};

/** The answer the office sent back for revision, while the organ has not sent a new one. */
const returnedAnswer = (view: OrganItemView): AnswerView | undefined => {
  const last = view.answers.at(-1);
  return view.assignmentStatus === 'open' && last?.status === 'returned' ? last : undefined;
};

/** Where the item stands for the organ, in plain words (the list's 状态 and the item page's first line). */
function organStateText(view: OrganItemView): string {
  const last = view.answers.at(-1);
  if (view.assignmentStatus === 'answered') {
    if (last?.status === 'to_lead') return '协办意见已送承办单位';
    return view.status === 'closed' ? '已答复，已办结' : '已答复';
  }
  if (view.returnRequested) return '已申请退回，等待代表工作机构决定';
  if (pendingAnswer(view)) return '答复已提交，等待代表工作机构审核';
  const returned = returnedAnswer(view);
  if (returned)
    return returned.withdrawn ? '答复已由本单位撤回，请修改后重新提交' : '答复被退回修改，请修改后重新提交';
  if (view.returnDecision === 'kept') return '退回申请未获同意，请继续办理';
  return view.letter.signedAt ? '办理中' : '待签收，办理中';
}

/**
 * Why nothing more may be sent on the item while it waits for the office or is answered, or null.
 * The console refuses a second answer or return request with this (409), changing nothing.
 */
function waitingReason(view: OrganItemView): string | null {
  const code = view.letter.code;
  if (view.assignmentStatus === 'answered') return `${code} 本单位已经答复，不能再申请退回或答复`;
  if (view.returnRequested)
    return `${code} 已申请退回，正等待人大常委会代表工作机构决定，决定前不能答复或再次申请退回`;
  if (pendingAnswer(view))
    return `${code} 的答复已提交，正等待人大常委会代表工作机构审核，不能再申请退回或重复提交答复`;
  return null;
}

/** The answer's fields as the form shows them (typed values, or an answer sent back for revision). */
type AnswerValues = Partial<Record<(typeof ANSWER_FIELDS)[number], string>>;
const ANSWER_FIELDS = [
  'resultClass',
  'done',
  'planned',
  'plannedBy',
  'cannot',
  'cannotReason',
  'signedBy',
  'contact',
  'docNo',
] as const;

const valuesOfAnswer = (a: AnswerView): AnswerValues => ({
  resultClass: a.resultClass ?? '',
  done: a.fields.done ?? '',
  planned: a.fields.planned ?? '',
  plannedBy: a.fields.plannedBy ?? '',
  cannot: a.fields.cannot ?? '',
  cannotReason: a.fields.cannotReason ?? '',
  signedBy: a.signedBy ?? '',
  contact: a.contact ?? '',
  docNo: a.docNo ?? '',
});

const valuesOfForm = (form: Form): AnswerValues =>
  Object.fromEntries(ANSWER_FIELDS.map((n) => [n, field(form, n)]));

/** What the organ sent, as text (never markup): the answer's fields, one line each. */
function answerFacts(a: AnswerView, timeZone: string): SafeHtml {
  const rows: [string, string | null][] = [
    ['办理结果分类', a.resultClass ? `${a.resultClass} ${a.resultLabel ?? ''}` : null],
    ['已办理的情况', a.fields.done ?? null],
    ['计划办理的事项', a.fields.planned ?? null],
    ['落实时限', a.fields.plannedBy ? formatDate(a.fields.plannedBy) : null],
    ['不能办理的事项', a.fields.cannot ?? null],
    ['不能办理的原因', a.fields.cannotReason ?? null],
    ['签发人', a.signedBy],
    ['联系人及电话', a.contact],
    ['文号', a.docNo],
    ['附件', a.files.length > 0 ? a.files.map((f) => f.name).join('、') : null],
    ['提交时间', formatDateTime(a.submittedAt, timeZone)],
  ];
  return html`<dl class="facts">${rows
    .filter(([, v]) => v)
    .map(([k, v]) => html`<dt>${k}</dt><dd class="pre">${v}</dd>`)}</dl>`;
}

const formatDateTime = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(new Date(iso));

interface HandleOptions {
  error?: string | null;
  status?: number;
  /** The answer form's values as typed, when it comes back refused. */
  typed?: AnswerValues;
  /** Files were chosen in the refused form (a browser cannot be given them back). */
  hadFiles?: boolean;
  /** The return request's reason as typed, when it comes back refused. */
  reason?: string;
}

/** One item for the organ: sign, ask to return it, answer with the structured fields and a result class. */
async function handlePage(c: PageContext, view: OrganItemView, o: HandleOptions = {}) {
  const l = view.letter;
  const csrf = csrfField(c.viewer);
  const done = typeof c.ctx.query.done === 'string' ? (DONE[c.ctx.query.done] ?? null) : null;
  const base = `/console/organ/items/${l.code}`;
  const open = view.assignmentStatus === 'open';
  const pending = pendingAnswer(view);
  const returned = returnedAnswer(view);
  const mayAct = open && !view.returnRequested && !pending;
  const mayReturn = mayAct && l.returnBy !== null && c.today <= l.returnBy;
  const v: AnswerValues = o.typed ?? (returned ? valuesOfAnswer(returned) : {});
  const last = view.answers.at(-1);

  const waiting = view.returnRequested
    ? html`<section class="box waiting"><h2>退回申请</h2>
<p>本单位已申请退回，理由：</p><p class="pre">${view.returnReason ?? ''}</p>
<p><strong>正等待人大常委会代表工作机构决定。</strong>决定前答复期限不变；如不同意退回，本页会重新显示答复表。</p></section>`
    : pending
      ? html`<section class="box waiting"><h2>已提交的答复</h2>
<p><strong>正等待人大常委会代表工作机构审核</strong>，审核通过后发给代表；如需修改，代表工作机构会退回并说明意见。</p>
${answerFacts(pending, c.deps.config.timezone)}</section>`
      : view.assignmentStatus === 'answered' && last
        ? html`<section class="box"><h2>${last.status === 'to_lead' ? '已送承办单位的协办意见' : '本单位的答复'}</h2>
<p>${last.status === 'to_lead' ? '协办意见已送承办单位，由承办单位统筹答复。' : last.status === 'approved' ? '已经人大常委会代表工作机构审核，并已发给代表。' : ''}</p>
${answerFacts(last, c.deps.config.timezone)}</section>`
        : html``;

  const answerForm = html`<h2>${returned ? '修改后重新提交答复' : '答复'}</h2>
${
  returned
    ? html`<div class="error" role="note">${
        returned.withdrawn
          ? html`<p>上次提交的答复已由本单位撤回（${returned.reviewNote ?? ''}），没有发给代表。</p>`
          : html`<p>代表工作机构退回修改的意见：</p><p class="pre">${returned.reviewNote ?? ''}</p>`
      }<p class="muted">下表已填入上次提交的内容，请修改后重新提交；上次的附件需要重新选择。</p></div>`
    : ''
}<form method="post" action="${base}/answer" class="box" enctype="multipart/form-data">${csrf}
${
  l.role === 'lead'
    ? html`<label for="rc">办理结果分类</label><select id="rc" name="resultClass" required><option value="">请选择</option>${view.resultClasses.map((x) => html`<option value="${x.code}"${v.resultClass === x.code ? html` selected` : ''}>${x.code} ${x.label}</option>`)}</select>`
    : ''
}
<label for="done">已办理的情况</label><textarea id="done" name="done" rows="3" maxlength="5000">${v.done ?? ''}</textarea>
<label for="planned">计划办理的事项</label><textarea id="planned" name="planned" rows="2" maxlength="5000">${v.planned ?? ''}</textarea>
<label for="plannedBy">落实时限</label>${dateInput({ id: 'plannedBy', name: 'plannedBy', value: v.plannedBy ?? '' })}
<label for="cannot">不能办理的事项</label><textarea id="cannot" name="cannot" rows="2" maxlength="5000">${v.cannot ?? ''}</textarea>
<label for="cannotReason">不能办理的原因</label><input type="text" id="cannotReason" name="cannotReason" maxlength="2000" value="${v.cannotReason ?? ''}">
<label for="signedBy">签发人</label><input type="text" id="signedBy" name="signedBy" maxlength="100" value="${v.signedBy ?? ''}"${l.role === 'lead' ? html` required` : ''}>
<label for="contact">联系人及电话</label><input type="text" id="contact" name="contact" maxlength="100" value="${v.contact ?? ''}">
<label for="docNo">文号</label><input type="text" id="docNo" name="docNo" maxlength="60" value="${v.docNo ?? ''}">
${o.hadFiles ? html`<p class="muted">上次选择的附件没有保存，请重新选择。</p>` : ''}
${ATTACHMENT_FIELDS.map((n, i) => html`<label for="${n}">附件${i + 1}（可不选；每个不超过 10 MB，如答复函、现场照片）</label><input type="file" id="${n}" name="${n}">`)}
<button type="submit">${returned ? '重新提交答复' : '提交答复'}</button></form>`;

  sendPage(
    c,
    { title: `${l.code} 办理`, active: 'organ', notice: done, error: o.error ?? null },
    html`<p><a href="${base}">查看和打印交办函</a> · ${l.role === 'lead' ? '承办' : '协办'} · 期限 ${l.dueText}</p>
<p class="state">当前状态：<strong>${organStateText(view)}</strong></p>
<h2>内容</h2>
<p class="pre">${l.secret ? '本事项涉密，请到人大常委会代表工作机构领取材料。' : (l.content ?? '')}</p>
${
  open && !l.signedAt
    ? html`<form method="post" action="${base}/sign">${csrf}<button type="submit">签收</button></form>`
    : html`<p>${l.signedAt ? '已签收。' : ''}</p>`
}
${waiting}
${
  mayReturn
    ? html`<h2>申请退回</h2><form method="post" action="${base}/return-request" class="box">${csrf}
<p class="muted">请于 ${l.returnByText}前提出。</p>
<label for="reason">理由</label><input type="text" id="reason" name="reason" maxlength="500" required value="${o.reason ?? ''}">
<button type="submit">申请退回</button></form>`
    : mayAct && l.returnBy !== null
      ? html`<p class="muted">申请退回的期限（${l.returnByText}）已过，请继续办理；确有困难请与人大常委会代表工作机构联系。</p>`
      : ''
}
${mayAct ? answerForm : ''}`,
    o.status ?? 200,
  );
}

/**
 * Runs an organ's change; refused, the item's page comes back with the reason and what was typed
 * (nothing changed). While the item waits for the office, or once answered, nothing is sent (409).
 */
async function act(
  c: PageContext,
  change: () => Promise<string>,
  again: HandleOptions = {},
  guard = true,
): Promise<void> {
  const code = codeOf(c);
  let done = '';
  const res = await attempt(async () => {
    const why = guard ? waitingReason(await itemForOrgan(c.deps, code, organOf(c))) : null;
    if (why) throw new AppError('conflict', why);
    done = await change();
  });
  if (!res.ok)
    return handlePage(c, await itemForOrgan(c.deps, code, organOf(c)), {
      ...again,
      error: res.message,
      status: res.status,
    });
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
    act(
      c,
      async () => {
        await signForItem(c.deps, { code: codeOf(c), actor: contactOf(c), audit: auditedBy(c) });
        return 'signed';
      },
      {},
      false,
    ),
  );
  r.post('/organ/items/:code/return-request', 'organ', (c, form: Form) =>
    act(
      c,
      async () => {
        await requestReturn(c.deps, {
          code: codeOf(c),
          reason: field(form, 'reason'),
          actor: contactOf(c),
          audit: auditedBy(c),
        });
        return 'returnRequested';
      },
      { reason: field(form, 'reason') },
    ),
  );
  r.post('/organ/items/:code/answer', 'organ', (c, form: Form) =>
    act(
      c,
      async () => {
        const plannedBy = readDateField('落实时限', field(form, 'plannedBy'));
        if (plannedBy.error !== undefined) throw new AppError('bad_request', plannedBy.error);
        const out = await submitOrganAnswer(c.deps, {
          code: codeOf(c),
          actor: contactOf(c),
          audit: auditedBy(c),
          answer: {
            fields: {
              done: orNull(form, 'done'),
              planned: orNull(form, 'planned'),
              plannedBy: plannedBy.date || null,
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
      },
      {
        typed: valuesOfForm(form),
        hadFiles: ATTACHMENT_FIELDS.some((n) => uploadedFile(c.ctx, n) !== undefined),
      },
    ),
  );

  r.get('/organ', 'organ', async (c) => {
    const items = await itemsForOrgan(c.deps, organOf(c));
    sendPage(
      c,
      { title: '本单位事项', active: 'organ' },
      html`<p>点编号签收、申请退回或答复；也可以在企业微信或钉钉中发“签收 编号”“申请退回 编号 理由”“答复 编号 ……”。</p>
${
  items.length === 0
    ? html`<p class="muted">本单位目前没有交办的事项。</p>`
    : listTable(
        [
          { label: '编号' },
          { label: '事项' },
          { label: '分工' },
          { label: '期限' },
          { label: '签收' },
          { label: '状态' },
        ],
        items.map((i) => [
          html`<a class="code" href="/console/organ/items/${i.letter.code}/handle">${i.letter.code}</a>`,
          i.letter.title,
          i.letter.role === 'lead' ? '承办' : '协办',
          html`<span class="due">${i.letter.dueText}</span>`,
          i.letter.signedAt ? '已签收' : '未签收',
          html`<strong class="state">${organStateText(i)}</strong>`,
        ]),
      )
}`,
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
