import { approverCongressesOf, staffCongressesOf } from '../src/bot/dispatch/sender-roles.ts';
import { inspectionsToArrange } from '../src/services/activities/index.ts';
import { pendingLeaveAndOthers } from '../src/services/leave/index.ts';
import { staffQueues } from '../src/services/suggestions/index.ts';
import type { CommandHandler } from './types.ts';

// `待办` (staff): what waits for them in the congresses they work for, each with where to do it — in chat
// (批准, 交办 list what they mean) or on the console. Counts only: the lists are a word or a page away.

export const staffQueueHandler: CommandHandler<'staff.queue'> = {
  id: 'staff.queue',
  async run(ctx) {
    const congresses = staffCongressesOf(ctx.sender);
    const approverOf = approverCongressesOf(ctx.sender);
    // Leave awaiting their decision: as an approver, and as the organiser of activities (大同 第十一条, S4).
    // "有几个请假的" from staff who record no decisions: the requests others decide are counted, not hidden.
    const { theirs: pending, others } = await pendingLeaveAndOthers(ctx.deps, {
      personId: ctx.sender.personId,
      approverOf,
      staffOf: congresses,
    });
    const leave = pending.length;
    // One who records decisions only for the activities they organise is given each request's own words.
    const ownOnly = approverOf.length === 0 ? pending.slice(0, 3) : [];
    const q = await staffQueues(ctx.deps, congresses, ctx.today);
    const inspections = await inspectionsToArrange(ctx.deps, congresses);
    // What can be done in chat is numbered: "第一个" (or 1) next lists the items that line waits for.
    const inChat = [
      leave > 0 && ownOnly.length === 0
        ? {
            line: `待决定的请假 ${leave} 件：发“批准”或“不批准”逐件处理。`,
            commandId: 'leave.approve',
            word: '批准',
            button: '批准请假',
          }
        : null,
      q.toAssign > 0
        ? {
            line: `待交办的建议 ${q.toAssign} 件：发“交办 承办单位”选择要交办的一件。`,
            commandId: 'suggestion.assign',
            word: '交办',
            button: '交办建议',
          }
        : null,
    ].filter((l) => l !== null);
    const lines = [
      ownOnly.length > 0
        ? `您组织的活动有待您决定的请假 ${leave} 件：${ownOnly
            .map((r) => `${r.code}（${r.deputy_name}，${r.activity_title ?? ''}）`)
            .join('、')}。决定后发“批准 ${ownOnly[0]!.code}”或“不批准 ${ownOnly[0]!.code} 理由”。`
        : '',
      others > 0
        ? `由别人记录决定的请假 ${others} 件（主任会议或活动组织单位决定）：在「工作平台 → 请假」查看。`
        : '',
      q.answersToReview > 0 ? `待审核的答复 ${q.answersToReview} 件：在「工作平台 → 答复审核」处理。` : '',
      q.returnsToDecide > 0
        ? `承办单位的退回申请 ${q.returnsToDecide} 件：在「工作平台 → 答复审核」决定。`
        : '',
      q.overdue > 0 ? `已超过答复期限的建议 ${q.overdue} 件：在「工作平台 → 建议」查看，可发“延期”。` : '',
      inspections > 0 ? `待安排的视察申请 ${inspections} 件：在「工作平台 → 活动 → 视察申请」安排。` : '',
    ].filter((l) => l !== '');
    if (lines.length === 0 && inChat.length === 0) return { text: '目前没有等您处理的事项。' };
    if (inChat.length > 0)
      ctx.conversation.choice = {
        options: inChat.map(({ commandId, word }) => ({ commandId, word, send: word })),
        expiresAt: ctx.keep(true).expiresAt,
      };
    const numbered = inChat.map((l, i) => `${i + 1}. ${l.line}`);
    const pick =
      inChat.length > 0 ? `\n回复序号（如“第${inChat.length > 1 ? '二' : '一'}个”）可逐件处理。` : '';
    // What can be done in chat is a tap away: each button lists the items it waits for.
    const buttons = [
      ...ownOnly.map((r) => ({ label: `批准 ${r.code}`, command: `批准 ${r.code}` })),
      ...inChat.map((l) => ({ label: l.button, command: l.word })),
    ];
    return {
      text: `等您处理的事项：\n${[...numbered, ...lines.map((l) => `· ${l}`)].join('\n')}${pick}`,
      ...(buttons.length > 0 ? { buttons } : {}),
    };
  },
};
