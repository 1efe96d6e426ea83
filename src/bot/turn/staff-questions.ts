import { AppError } from '../../errors.ts';
import type { Reply } from '../../messaging/index.ts';
import {
  listForStaff,
  officeQueue,
  organWritten,
  type SuggestionJson,
  titleOf,
} from '../../services/suggestions/index.ts';
import { formatStatutoryDate } from '../../statute/date-text.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { mayUse } from '../language/command-catalog.ts';
import { organItemsAsked } from '../language/staff-questions.ts';
import type { TurnScope } from './scope.ts';

// Staff asking as colleagues ask, answered from what stands and never changing it: an organ's items not
// yet answered (《代表法》第五十一条第二款, S8: three months from 交办). Only the congresses they work for.

/** The answer to a staff member's question about the office's work; null when the words ask none. */
export async function staffQuestion(t: TurnScope, text: string): Promise<Reply | null> {
  if (!mayUse('staff', t.standing.roles) || staffCongressesOf(t.ctx.sender).length === 0) return null;
  const organ = organItemsAsked(text);
  return organ ? organOpenItems(t, organ) : null;
}

// ---- an organ's open items ------------------------------------------------------------------------

interface OpenPart {
  item: SuggestionJson;
  assignment: SuggestionJson['assignments'][number];
}

/** `期限 2027-03-02（星期二），还有 90 天` or `…，已超期 2 天`. */
function dueLine(a: OpenPart['assignment']): string {
  if (!a.dueOn) return '期限未定';
  const left = a.daysLeft ?? 0;
  const when = left < 0 ? `已超期 ${-left} 天` : left === 0 ? '今天到期' : `还有 ${left} 天`;
  return `期限 ${formatStatutoryDate(a.dueOn, a.dueProvisional)}，${when}`;
}

async function organOpenItems(t: TurnScope, written: string): Promise<Reply> {
  const { deps, today } = t.ctx;
  let name: string;
  try {
    name = (await organWritten(deps.db, written)).name;
  } catch (err) {
    if (err instanceof AppError) return { text: err.message };
    throw err;
  }
  const scope = staffCongressesOf(t.ctx.sender);
  const items = await listForStaff(deps, { scope, statuses: ['assigned', 'answered', 'rehandling'] }, today);
  const queue = await officeQueue(deps, scope);
  const inReview = new Set(queue.answers.filter((a) => a.organ === name).map((a) => a.code));
  const returning = new Set(queue.returnRequests.filter((r) => r.organ === name).map((r) => r.code));
  const parts = items.flatMap((item) =>
    item.assignments
      .filter((a) => a.organ === name && a.status === 'open')
      .map((assignment) => ({ item, assignment })),
  );
  const open = parts
    .filter((p) => !inReview.has(p.item.code))
    .sort(
      (a, b) =>
        (a.assignment.dueOn ?? '9999').localeCompare(b.assignment.dueOn ?? '9999') ||
        a.item.code.localeCompare(b.item.code),
    );
  const reviewed = [...new Set(parts.filter((p) => inReview.has(p.item.code)).map((p) => p.item.code))];
  const review =
    reviewed.length > 0
      ? `另有 ${reviewed.length} 件${name}已答复、等待审核：${reviewed.join('、')}（在「工作平台 → 答复审核」处理）。`
      : '';
  if (open.length === 0) return { text: `${name}目前没有未答复的建议。${review}` };
  const overdue = open.filter((p) => p.assignment.urgency === 'overdue').length;
  const shown = open.slice(0, 10);
  const lines = shown.map(
    ({ item, assignment: a }, n) =>
      `${n + 1}. ${item.code}「${titleOf({ secret: item.secret, title: item.title, content: item.content ?? '' }, 16)}」` +
      `${a.role === 'lead' ? '承办' : '协办'}，${a.signedAt ? '已签收' : '未签收'}，${dueLine(a)}` +
      `${returning.has(item.code) ? '，已申请退回' : ''}`,
  );
  const more = open.length > shown.length ? `\n（另有 ${open.length - shown.length} 件未列出）` : '';
  // "第一个": that line looked up, as 查询 would.
  t.conv.choice = {
    options: shown.map(({ item }) => ({ commandId: 'item.query', word: '查询', send: `查询 ${item.code}` })),
    expiresAt: t.conversations.expiry(),
  };
  return {
    text:
      `${name}还有 ${open.length} 件建议没有答复${overdue > 0 ? `（其中 ${overdue} 件已超期）` : ''}：\n` +
      `${lines.join('\n')}${more}${review ? `\n${review}` : ''}\n回复序号或发“查询 编号”可查看详情。`,
  };
}
