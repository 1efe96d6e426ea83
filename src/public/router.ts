import Router from '@koa/router';
import type { Context } from 'koa';
import { listLiveCongresses } from '../../db/repositories/congresses.ts';
import type { Congress } from '../../db/schema.ts';
import type { Deps } from '../deps.ts';
import { renderHandlingReport } from '../print/handling-report.ts';
import { escapeHtml as e, PRINT_CSP, PRINT_HEAD_META } from '../print/html.ts';
import { suggestionStatistics } from '../services/statistics/index.ts';
import { type PublicItem, publicResults } from '../services/suggestions/index.ts';
import { todayIn } from '../statute/calendar-date.ts';

// The public pages (no login): the results of the items the office published (山西 第三十七条 网上公示)
// and the yearly handling reports with the statistics by organ (《代表法》第五十一条第三款). Every text is
// escaped; no script; readable on a phone (one column, nothing wider than the screen).

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:12px;line-height:1.6;color:#1a202c;background:#f7fafc}
main{max-width:760px;margin:0 auto}
h1{font-size:1.3rem;margin:.4em 0}
h2{font-size:1.1rem;margin:1.2em 0 .4em}
.item{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:10px 12px;margin:10px 0;overflow-wrap:anywhere}
.item h3{font-size:1rem;margin:0 0 .3em}
.meta{color:#4a5568;font-size:.9rem;margin:.2em 0}
.tag{display:inline-block;background:#ebf8ff;color:#2b6cb0;border-radius:4px;padding:0 6px;font-size:.85rem}
.summary{margin:.4em 0 0}
ul.years{padding-left:1.2em}
footer{color:#718096;font-size:.8rem;margin:2em 0 1em}
table.stats{display:block;overflow-x:auto;max-width:100%}
svg{max-width:100%;height:auto}
@media (max-width:480px){body{font-size:15px}}
`;

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

function headers(ctx: Context, csp: string): void {
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Cache-Control', 'public, max-age=300');
}

function itemHtml(i: PublicItem): string {
  const who = i.deputies === null ? '代表（应本人要求不公开姓名）' : `${i.deputies.join('、')}代表`;
  const result = i.resultClass
    ? `<span class="tag">${e(i.resultClass)}类 ${e(i.resultLabel ?? '')}</span>`
    : '';
  return `<article class="item">
<h3>${e(i.code)} ${e(i.title)}</h3>
<p class="meta">${e(i.kind)} · ${e(who)} · ${e(i.congress)}</p>
<p class="meta">承办：${e(i.organs.join('、') || '—')} · ${e(i.status)} ${result}</p>
${i.summary ? `<p class="summary">答复摘要：${e(i.summary)}${i.answeredOn ? `（${e(i.answeredOn)}）` : ''}</p>` : ''}
</article>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><link rel="stylesheet" href="/public/style.css"></head>
<body><main>${body}
<footer>依照《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第五十一条第三款公开。涉密事项不予公开。</footer>
</main></body></html>`;
}

const reportTitle = (year: number): string => `${year}年代表建议、批评和意见办理情况报告`;

/** The address of one congress's yearly report (several congresses live: one report each). */
const reportHref = (year: number, congress?: Congress): string =>
  congress ? `/public/reports/${year}?congress=${congress.id}` : `/public/reports/${year}`;

function notFound(ctx: Context, message: string, back: string): void {
  headers(ctx, CSP);
  ctx.status = 404;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page('没有找到', `<h1>${e(message)}</h1><p><a href="${e(back)}">返回</a></p>`);
}

export function publicRouter(deps: Deps): Router {
  const r = new Router();
  const thisYear = () => Number(todayIn(deps.clock, deps.config.timezone).slice(0, 4));

  r.get('/public/style.css', (ctx) => {
    headers(ctx, CSP);
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = STYLE;
  });

  r.get('/public', async (ctx) => {
    const items = await publicResults(deps);
    const y = thisYear();
    const live = await listLiveCongresses(deps.db);
    // Several congresses live (a city's and a district's): each has its own report.
    const years = [y, y - 1]
      .flatMap((n) =>
        live.length > 1
          ? live.map((c) => `<li><a href="${e(reportHref(n, c))}">${e(c.name)} ${e(reportTitle(n))}</a></li>`)
          : [`<li><a href="${e(reportHref(n))}">${e(reportTitle(n))}</a></li>`],
      )
      .join('');
    const body = `<h1>代表建议办理结果公开</h1>
<h2>办理情况报告</h2><ul class="years">${years}</ul>
<h2>已公开的建议（${items.length} 件）</h2>
${items.length === 0 ? '<p>暂无公开的建议。</p>' : items.map(itemHtml).join('\n')}`;
    headers(ctx, CSP);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page('代表建议办理结果公开', body);
  });

  r.get('/public/reports/:year', async (ctx) => {
    const year = Number(ctx.params.year);
    const now = thisYear();
    if (!/^\d{4}$/.test(String(ctx.params.year)) || year < 2000 || year > now) {
      notFound(ctx, '没有这一年的报告', '/public');
      return;
    }
    const live = await listLiveCongresses(deps.db);
    const asked = typeof ctx.query.congress === 'string' ? ctx.query.congress.trim() : '';
    // `?congress=` names a live congress by its id or its name.
    const chosen = asked === '' ? undefined : live.find((c) => String(c.id) === asked || c.name === asked);
    if (asked !== '' && !chosen) {
      notFound(ctx, '没有这个人民代表大会的报告', reportHref(year));
      return;
    }
    if (!chosen && live.length > 1) {
      // Several congresses live: no report counts them together; each has its own.
      const list = live.map((c) => `<li><a href="${e(reportHref(year, c))}">${e(c.name)}</a></li>`).join('');
      headers(ctx, CSP);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page(
        reportTitle(year),
        `<h1>${e(reportTitle(year))}</h1>
<p>本地有多个人民代表大会，各自公开办理情况报告，请选择：</p>
<ul class="years">${list}</ul>
<p><a href="/public">返回</a></p>`,
      );
      return;
    }
    const today = todayIn(deps.clock, deps.config.timezone);
    const to = `${year}-12-31` < today ? `${year}-12-31` : today;
    // One congress live: its report, as it always was. Several: only the chosen congress's items.
    const congressIds = chosen && live.length > 1 ? [chosen.id] : null;
    const q = { from: `${year}-01-01`, to, congressIds };
    const byOrgan = await suggestionStatistics(deps, { by: 'organ', ...q }, today);
    const byCategory = await suggestionStatistics(deps, { by: 'category', ...q }, today);
    const congress = chosen?.name ?? (live.length === 1 ? live[0]!.name : '本级人民代表大会');
    // The printable report, made readable on a phone by our own style sheet next to its A4 one.
    // (The printable page already carries the viewport line; the public style sheet goes right after it.)
    const html = renderHandlingReport({ congress, year, byOrgan, byCategory }).replace(
      PRINT_HEAD_META,
      `${PRINT_HEAD_META}<link rel="stylesheet" href="/public/style.css">`,
    );
    headers(ctx, PRINT_CSP.replace('style-src ', "style-src 'self' "));
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  return r;
}
