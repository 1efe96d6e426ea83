import { randomBytes } from 'node:crypto';
import { markAudited } from '../api/audit-trail.ts';
import { actorOf, type Principal } from '../api/auth.ts';
import { type ImportSummary, importRosterFile, type LineChange } from '../services/roster/index.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './layout.ts';
import { attempt, type ConsoleModule, field, type PageContext } from './page-context.ts';
import { uploadedFile } from './upload.ts';
import { formError, wbNotice, wbPage } from './workbench-kit.ts';

// 名册导入 (CONTRACT §5): staff choose the roster file (CSV in UTF-8 or GBK, or .xlsx), see what every line
// would do (new, changed and how, unchanged, refused and why, people no longer listed) and then apply it.
// The file waits in the shared store between the preview and the apply (30 minutes, for the same
// sign-in only). As POST /api/roster?preview=true and POST /api/roster, through the same service.

const HOLD_MS = 30 * 60_000;
const keyOf = (id: string) => `console:roster-upload:${id}`;
const ID_RE = /^[A-Za-z0-9_-]{22}$/;

const ENCODING_LABEL: Record<string, string> = {
  'utf-8': 'CSV（UTF-8）',
  gb18030: 'CSV（GBK/GB18030，Excel 中文版“另存为 CSV”）',
  xlsx: 'Excel 工作簿（.xlsx，第一个工作表）',
};

const KIND_LABEL: Record<LineChange['kind'], string> = {
  created: '新增',
  updated: '修改',
  unchanged: '不变',
};

interface Held {
  tokenId: string;
  name: string;
  b64: string;
}

const holderOf = (p: Principal) => String(p.tokenId);

function uploadForm(c: PageContext, error?: string | null): SafeHtml {
  return html`<form method="post" action="/console/roster" enctype="multipart/form-data" class="box">${csrfField(c.viewer)}${formError(error)}
<label for="roster-file">名册文件</label>
<input type="file" id="roster-file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
<p class="muted">可以是 Excel 工作簿（.xlsx），或 Excel“另存为 CSV”的文件。第一行是列名，可用：人大、层级、姓名、选举单位、代表大组、代表小组、联络站、企业微信账号、钉钉账号、手机、角色、状态（也可用英文列名，如 name、mobile）。姓名必填，企业微信账号、钉钉账号、手机至少填一项；手机为 11 位手机号码。</p>
<p class="muted">先预览：列出每一行将新增、修改还是不变，不能导入的行写明原因；确认后才写入。</p>
<button type="submit">预览</button>
</form>`;
}

function uploadPage(c: PageContext, error?: string | null, status = 200): void {
  wbPage(c, { title: '名册导入', active: 'roster', notice: wbNotice(c.ctx) }, uploadForm(c, error), status);
}

function summaryBody(s: ImportSummary): SafeHtml {
  return html`<p class="wb-item">新增 <strong>${s.created}</strong> 行 · 修改 <strong>${s.updated}</strong> 行 · 不变 <strong>${s.unchanged}</strong> 行 · 不能导入 <strong${s.rejected.length > 0 ? html` class="wb-bad"` : ''}>${s.rejected.length}</strong> 行${s.encoding ? html`<br><span class="muted">${ENCODING_LABEL[s.encoding] ?? s.encoding}</span>` : ''}</p>
${s.ignoredColumns.length > 0 ? html`<p class="muted">未识别的列（已忽略）：${s.ignoredColumns.join('、')}</p>` : ''}
${s.rejected.length > 0 ? html`<h2>不能导入的行</h2><ul class="wb-list">${s.rejected.map((r) => html`<li class="wb-item"><strong>第 ${r.line} 行</strong>：${r.reason}</li>`)}</ul>` : ''}
${s.renamed.length > 0 ? html`<h2>改名</h2><ul class="wb-list">${s.renamed.map((r) => html`<li class="wb-item">第 ${r.line} 行：${r.from} → ${r.to}</li>`)}</ul>` : ''}
${s.missing.length > 0 ? html`<h2>名册中没有、系统里仍在任的人（${s.missing.length} 人，不会删除）</h2><ul class="wb-list">${s.missing.map((m) => html`<li class="wb-item">${m.name} <span class="muted">${m.congress}</span></li>`)}</ul>` : ''}`;
}

function previewPage(c: PageContext, id: string, fileName: string, s: ImportSummary): void {
  const lines = s.lines ?? [];
  const changed = lines.filter((l) => l.kind !== 'unchanged');
  const same = lines.filter((l) => l.kind === 'unchanged');
  wbPage(
    c,
    { title: '预览：名册导入', active: 'roster' },
    html`<p>文件「${fileName}」。以下尚未写入，确认后才生效。</p>
${summaryBody(s)}
<h2>将新增或修改的行（${changed.length}）</h2>
${changed.length === 0 ? html`<p class="muted">没有要新增或修改的行。</p>` : ''}
<ul class="wb-list">${changed.map(
      (
        l,
      ) => html`<li class="wb-item"><h3>第 ${l.line} 行 · ${l.name} <span class="tag${l.kind === 'created' ? '' : ' warn'}">${KIND_LABEL[l.kind]}</span></h3>
<p class="muted">${l.congress}</p>${l.changes.length > 0 ? html`<ul>${l.changes.map((x) => html`<li>${x}</li>`)}</ul>` : ''}</li>`,
    )}</ul>
${same.length > 0 ? html`<p class="muted">不变的行（${same.length}）：${same.map((l) => `第 ${l.line} 行 ${l.name}`).join('、')}</p>` : ''}
<form method="post" action="/console/roster/apply" class="box">${csrfField(c.viewer)}
<input type="hidden" name="upload" value="${id}">
<p class="muted">确认后按上面的预览写入；不能导入的行不会写入，其他行照常导入。职务状态变化会通知代表本人。</p>
<button type="submit">确认导入</button>
</form>
<p><a href="/console/roster">重新选择文件</a></p>`,
  );
}

const options = (c: PageContext, preview: boolean) => {
  const p = c.viewer.principal;
  return {
    actor: actorOf(p),
    requestId: c.ctx.state.requestId ?? null,
    congressId: p.congressId,
    // People-level fields (name, ids, mobile) belong to no single congress.
    peopleWide: p.role === 'admin' || p.congressId === null,
    timeZone: c.deps.config.timezone,
    preview,
  };
};

export const rosterPages: ConsoleModule = (r) => {
  r.get('/roster', 'staff', async (c) => uploadPage(c));

  r.post('/roster', 'staff', async (c) => {
    const file = uploadedFile(c.ctx, 'file');
    if (!file || file.bytes.length === 0) return uploadPage(c, '请选择要导入的名册文件。', 400);
    const out: { s?: ImportSummary } = {};
    const res = await attempt(async () => {
      out.s = await importRosterFile(c.deps, file.bytes, options(c, true));
    });
    // A preview changes nothing (its transaction is rolled back): no audit row.
    markAudited(c.ctx);
    if (!res.ok) return uploadPage(c, res.message, res.status);
    const id = randomBytes(16).toString('base64url');
    const held: Held = {
      tokenId: holderOf(c.viewer.principal),
      name: file.name,
      b64: file.bytes.toString('base64'),
    };
    await c.deps.store.set(keyOf(id), JSON.stringify(held), HOLD_MS);
    previewPage(c, id, file.name, out.s!);
  });

  r.post('/roster/apply', 'staff', async (c, form) => {
    const id = field(form, 'upload');
    const raw = ID_RE.test(id) ? await c.deps.store.get(keyOf(id)) : null;
    const held = raw ? (JSON.parse(raw) as Held) : null;
    if (!held || held.tokenId !== holderOf(c.viewer.principal))
      return uploadPage(c, '预览已过期（30 分钟内有效），请重新选择文件并预览。', 409);
    const out: { s?: ImportSummary } = {};
    const res = await attempt(async () => {
      out.s = await importRosterFile(c.deps, Buffer.from(held.b64, 'base64'), options(c, false));
    });
    if (!res.ok) return uploadPage(c, res.message, res.status);
    await c.deps.store.del(keyOf(id));
    markAudited(c.ctx);
    wbPage(
      c,
      { title: '名册已导入', active: 'roster', notice: '名册已导入。' },
      html`<p>文件「${held.name}」。</p>${summaryBody(out.s!)}<p><a href="/console/deputies">查看代表名册</a> · <a href="/console/roster">再导入一个文件</a></p>`,
    );
  });
};
