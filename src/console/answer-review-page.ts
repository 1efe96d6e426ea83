import type { Context } from 'koa';
import { actorOf, type Principal } from '../api/auth.ts';
import { AppError } from '../errors.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import {
  type Actor,
  answerFile,
  decideReturnRequest,
  officeQueue,
  reviewOrganAnswer,
  type Scope,
  setItemPublication,
} from '../services/suggestions/index.ts';
import type { Form } from './csrf.ts';
import { html } from './html.ts';
import { csrfField } from './layout.ts';
import { attempt, type ConsoleModule, field, type PageContext, sendPage } from './page-context.ts';
import { refusedFormAlert } from './phone-kit.ts';

// 答复审核: the office's side of the organs' answers — review each answer an organ sent (通过 delivers it to
// the deputies with the rating buttons; 退回修改 sends the note back to the organ), decide return requests
// (改办 or kept), and choose what the public pages show (never a 涉密 item). As the API routes
// …/answers/{id}/review, …/return-request/decision and …/publication.

const CODE_RE = wholeCodeOf('JY');
const DONE: Record<string, string> = {
  approved: '答复已审核通过，已发给代表并请其评价。',
  returned: '答复已退回承办单位修改。',
  kept: '已不同意退回，承办单位会收到通知。',
  transferred: '已改办，新的承办单位会收到交办函。',
  published: '已设置网上公开。',
  unpublished: '已撤下网上公开。',
};

/** Where staff download an answer's attachment (the review page and the item's page link here). */
export const fileHref = (code: string, answerId: number, n: number): string =>
  `/console/reviews/${code}/${answerId}/files/${n}`;
export const sizeText = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

const scopeOf = (p: Principal): Scope => (p.congressId === null ? null : [p.congressId]);
const actor = (p: Principal): Actor => ({ id: actorOf(p), name: p.name });

function codeOf(ctx: Context): string {
  const code = String(ctx.params.code ?? '').toUpperCase();
  if (!CODE_RE.test(code)) throw new AppError('not_found', `没有找到编号为 ${code} 的事项`);
  return code;
}

/** What was typed in the 网上公开 form, shown again when it was refused. */
interface PublicationValues {
  code: string;
  withholdName: boolean;
  confirm: boolean;
}

async function queuePage(
  c: PageContext,
  error: string | null = null,
  status = 200,
  pub: PublicationValues | null = null,
): Promise<void> {
  const q = await officeQueue(c.deps, scopeOf(c.viewer.principal));
  const done = typeof c.ctx.query.done === 'string' ? (DONE[c.ctx.query.done] ?? null) : null;
  const csrf = csrfField(c.viewer);
  const answers = q.answers.map(
    (a) => html`<section class="box">
<h3><a href="/console/suggestions/${a.code}">${a.code}</a> ${a.title}</h3>
<p>${a.organ}提交 · 办理结果：${a.resultClass ?? '—'}类 ${a.resultLabel ?? ''}${a.docNo ? html` · 文号：${a.docNo}` : ''}${a.signedBy ? html` · 签发人：${a.signedBy}` : ''}${a.contact ? html` · 联系人：${a.contact}` : ''}</p>
<pre class="answer">${a.text}</pre>
${a.files.length > 0 ? html`<p>附件：${a.files.map((f) => html`<a href="${fileHref(a.code, a.answerId, f.index)}" download>${f.name}</a>（${sizeText(f.size)}） `)}</p>` : ''}
<form method="post" action="/console/reviews/${a.code}/${a.answerId}">${csrf}
<label for="note-${a.answerId}">审核意见（退回修改时必填）</label>
<textarea id="note-${a.answerId}" name="note" maxlength="1000" rows="2"></textarea>
<button type="submit" name="decision" value="approve">通过，发给代表</button>
<button type="submit" name="decision" value="return">退回修改</button>
</form></section>`,
  );
  const returns = q.returnRequests.map(
    (r) => html`<section class="box">
<h3><a href="/console/suggestions/${r.code}">${r.code}</a> ${r.title}</h3>
<p>${r.organ}申请退回，理由：${r.reason}</p>
<form method="post" action="/console/return-requests/${r.code}">${csrf}
<input type="hidden" name="organ" value="${r.organ}">
<label for="to-${r.code}">改由哪个单位办理（改办时填写）</label>
<input type="text" id="to-${r.code}" name="to" maxlength="100" placeholder="例如：市城管局">
<label for="rnote-${r.code}">说明（可不填）</label>
<input type="text" id="rnote-${r.code}" name="note" maxlength="500">
<button type="submit" name="decision" value="transfer">同意，改办</button>
<button type="submit" name="decision" value="keep">不同意退回</button>
</form></section>`,
  );
  sendPage(
    c,
    { title: '答复审核', active: 'reviews', notice: done, error: pub ? null : error },
    html`${pub && error ? refusedFormAlert({ label: '网上公开', anchor: 'publication', message: error }) : ''}<h2>待审核的答复（${q.answers.length}）</h2>
${answers.length > 0 ? answers : html`<p class="muted">没有待审核的答复。</p>`}
<h2>待决定的退回申请（${q.returnRequests.length}）</h2>
${returns.length > 0 ? returns : html`<p class="muted">没有待决定的退回申请。</p>`}
<h2 id="publication">网上公开</h2>
<form method="post" action="/console/publication" class="box">${csrf}
${pub && error ? html`<p class="error">${error}</p>` : ''}
<label for="pub-code">事项编号</label><input type="text" id="pub-code" name="code" maxlength="20" required placeholder="例如：JY-2026-0012" value="${pub?.code ?? ''}">
<label class="check"><input type="checkbox" name="withholdName" value="1"${pub?.withholdName ? html` checked` : ''}> 应代表要求不公开姓名</label>
<label class="check"><input type="checkbox" name="confirm" value="1"${pub?.confirm ? html` checked` : ''}> 确认公开到网上（公开时必须勾选）</label>
<button type="submit" name="publish" value="1">公开</button>
<button type="submit" name="publish" value="0" class="secondary">撤下</button>
<p class="muted">涉密事项不能公开。公开后，任何人都能在<a href="/public">公开页面</a>看到该件的标题、承办单位、办理状态和答复摘要。也可以在事项自己的页面公开或撤下。</p>
</form>`,
    status,
  );
}

async function run(c: PageContext, change: () => Promise<string>): Promise<void> {
  let done = '';
  const res = await attempt(async () => {
    done = await change();
  });
  if (!res.ok) return queuePage(c, res.message, res.status);
  c.ctx.redirect(`/console/reviews?done=${done}`);
  c.ctx.status = 303;
}

export const answerReviewPages: ConsoleModule = (r) => {
  r.get('/reviews', 'staff', (c) => queuePage(c));

  r.get('/reviews/:code/:id/files/:n', 'staff', async (c) => {
    const id = Number(c.ctx.params.id);
    const n = Number(c.ctx.params.n);
    const missing = () => new AppError('not_found', '没有这个附件');
    if (!Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(n) || n < 1) throw missing();
    const f = await answerFile(c.deps, {
      code: codeOf(c.ctx),
      answerId: id,
      index: n,
      scope: scopeOf(c.viewer.principal),
    });
    if (!f) throw missing();
    // Always a download: an organ's file is never shown inline in the console.
    c.ctx.status = 200;
    c.ctx.set('Content-Type', 'application/octet-stream');
    c.ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    c.ctx.set('X-Content-Type-Options', 'nosniff');
    c.ctx.set('Cache-Control', 'private, no-store');
    c.ctx.body = Buffer.from(f.content);
  });

  r.post('/reviews/:code/:id', 'staff', (c, form: Form) =>
    run(c, async () => {
      const id = Number(c.ctx.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', '没有这份答复');
      const decision = field(form, 'decision') === 'approve' ? 'approve' : 'return';
      const out = await reviewOrganAnswer(c.deps, {
        code: codeOf(c.ctx),
        answerId: id,
        decision,
        note: field(form, 'note'),
        actor: actor(c.viewer.principal),
        scope: scopeOf(c.viewer.principal),
      });
      return out.status;
    }),
  );

  r.post('/return-requests/:code', 'staff', (c, form: Form) =>
    run(c, async () => {
      const decision = field(form, 'decision') === 'transfer' ? 'transfer' : 'keep';
      const out = await decideReturnRequest(c.deps, {
        code: codeOf(c.ctx),
        organ: field(form, 'organ'),
        decision,
        to: field(form, 'to') || undefined,
        note: field(form, 'note') || undefined,
        actor: actor(c.viewer.principal),
        scope: scopeOf(c.viewer.principal),
      });
      return out.decision;
    }),
  );

  // 网上公开: publishing needs 确认公开到网上 ticked; a refusal shows the form again as it was filled in.
  r.post('/publication', 'staff', async (c, form: Form) => {
    const pub: PublicationValues = {
      code: field(form, 'code').toUpperCase(),
      withholdName: field(form, 'withholdName') === '1',
      confirm: field(form, 'confirm') === '1',
    };
    const publish = field(form, 'publish') === '1';
    const res = await attempt(async () => {
      if (!CODE_RE.test(pub.code))
        throw new AppError('bad_request', `“${pub.code}”不是有效的建议编号（如 JY-2026-0012）`);
      if (publish && !pub.confirm)
        throw new AppError('bad_request', '请先勾选「确认公开到网上」，再点「公开」。');
      await setItemPublication(c.deps, {
        code: pub.code,
        publish,
        // 撤下 keeps what was chosen about the names (a deputy may have asked in chat).
        withholdName: publish ? pub.withholdName : undefined,
        actor: actor(c.viewer.principal),
        scope: scopeOf(c.viewer.principal),
      });
    });
    if (!res.ok) return queuePage(c, res.message, res.status, pub);
    c.ctx.redirect(`/console/reviews?done=${publish ? 'published' : 'unpublished'}`);
    c.ctx.status = 303;
  });
};
