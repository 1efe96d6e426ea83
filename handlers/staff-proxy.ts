import { isLiveMandate } from '../db/repositories/mandates.ts';
import { findDeputiesOfCongresses } from '../db/repositories/people.ts';
import { parseCommand } from '../src/bot/language/command-parser.ts';
import type { Outcome } from '../src/services/leave/index.ts';
import { type LeaveFor, leaveForActivity, leaveFromNamed } from './leave-request.ts';
import { replyOf } from './reply-of.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `代录 <代表> 请假 <会议或活动> <事由>`: staff enter leave for a deputy who phoned or handed in paper; the
// request is marked as entered by staff. `代录 … 建议 …` belongs to the suggestions feature: this handler
// wraps theirs (withLeaveProxy(theirs)) and passes everything that is not leave on to it.

const LEAVE_START = /^\s*(?:请假|请个假|申请请假)/;

async function deputyFor(ctx: CommandContext, who: string) {
  const staffCongresses = ctx.sender.mandates
    .filter((m) => m.role !== 'deputy' && isLiveMandate(m))
    .map((m) => m.congressId);
  if (staffCongresses.length === 0) return [];
  return findDeputiesOfCongresses(ctx.deps.db, staffCongresses, who.trim().replace(/代表$/, ''));
}

async function proxyLeave(
  ctx: CommandContext<'suggestion.proxy'>,
): Promise<{ text: string; buttons?: { label: string; command: string }[] }> {
  const { deputy: who, content } = ctx.args;
  const found = await deputyFor(ctx, who);
  const people = [...new Map(found.map((f) => [f.id, f])).values()];
  if (people.length === 0)
    return { text: `您所在人大的代表中没有找到“${who}”，未录入。请发代表姓名或企业微信账号。` };
  if (people.length > 1) {
    const options = people.slice(0, 6);
    return {
      text: `有 ${people.length} 位代表符合“${who}”，请用账号指明：\n${options.map((p, i) => `${i + 1}. ${p.name}（${p.userid ?? '无账号'}）`).join('\n')}`,
      buttons: options
        .filter((p) => p.userid)
        .map((p) => ({ label: `${p.name}（${p.userid}）`, command: `代录 ${p.userid} ${content}` })),
    };
  }
  const deputy = people[0]!;
  const parsed = parseCommand(content, { now: ctx.today, roles: ['deputy'] });
  const usage = '请按“代录 代表 请假 会议或活动 事由”录入，例如：代录 张三 请假 第二次会议 出差在外。';
  if (parsed.kind !== 'command' || (parsed.id !== 'leave.request' && parsed.id !== 'activity.decline')) {
    return { text: usage };
  }
  const leaveOf: LeaveFor = {
    personId: deputy.id,
    enteredBy: `person:${ctx.sender.personId}`,
    prefix: `代录 ${deputy.userid ?? deputy.name} `,
  };
  // However the meeting was named — a code, words, or a number picked from the list offered (whose
  // button sends the code) — staff are answered about the deputy, and the deputy is told (【代您请假】).
  const done = (o: Outcome) =>
    replyOf(ctx, { ...o, text: o.ok ? `已为${deputy.name}代录。\n${o.text}` : o.text });
  // The meeting named but not why: the reason is asked for, and the answer completes this very entry
  // (never filed as a suggestion of those words).
  const askReason = () => {
    ctx.conversation.dialog = {
      commandId: 'suggestion.proxy',
      word: '代录',
      args: { deputy: deputy.userid ?? deputy.name },
      missing: [{ name: 'content', question: `请问${deputy.name}请假的事由是什么？` }],
      attachments: [],
      expiresAt: ctx.keep(null).expiresAt,
      prefix: content.trim(),
    };
    return {
      text: `请问${deputy.name}请假的事由是什么？例如：出差在外、住院治疗。\n（发“取消”可结束）`,
    };
  };
  if (parsed.id === 'activity.decline') {
    if (!parsed.args.code) return { text: usage };
    if (!parsed.args.reason) return askReason();
    return done(await leaveForActivity(ctx, leaveOf, parsed.args.code, parsed.args.reason));
  }
  const meeting = parsed.args.meeting;
  const reason = parsed.args.reason;
  if (!meeting) return { text: usage };
  if (!reason) return askReason();
  if ('code' in meeting) return done(await leaveForActivity(ctx, leaveOf, meeting.code, reason));
  // The meeting as the deputy would name it (人代会, 十号的常委会), found the way their own 请假 finds it.
  return done(await leaveFromNamed(ctx, leaveOf, meeting.name, reason));
}

/** The `代录` handler: leave here, everything else to the suggestions feature's handler. */
export function withLeaveProxy(
  inner?: CommandHandler<'suggestion.proxy'>,
): CommandHandler<'suggestion.proxy'> {
  return {
    id: 'suggestion.proxy',
    async run(ctx) {
      if (LEAVE_START.test(ctx.args.content) && ctx.args.kind === undefined) return proxyLeave(ctx);
      if (inner) return inner.run(ctx);
      return { text: '“代录建议”功能还在建设中，暂时请联系人大常委会代表工作机构办理。' };
    },
  };
}
