import type { Reply } from '../../messaging/index.ts';
import { helpAbout, plainHelp } from '../dialog/help.ts';
import { CAPACITY_COMMANDS, congressNamed, deputyCongresses } from '../dialog/mandates.ts';
import type { Attachment } from '../dialog/state.ts';
import { PROXY_EXAMPLE, STAFF_INSTEAD } from '../dialog/wording.ts';
import {
  type ArgValue,
  type CommandId,
  type CompleteArgsOf,
  mayUse,
  type SpecOf,
} from '../language/command-catalog.ts';
import type { CommandContext } from '../types.ts';
import { dutyAnswer } from './duty-questions.ts';
import type { TurnScope } from './scope.ts';

// Running a command: the role and S16 gate, the congress of a deputy with several mandates, and the
// handler it was given.

// 山西 第四十五条、第四十六条 (S16): what a deputy whose mandate is suspended or terminated may still do.
/** Answers that tell nothing of the person: said where they were asked, a group included. */
const SAID_TO_ALL: ReadonlySet<string> = new Set(['help', 'reception.day']);

const ALLOWED_WHEN_BLOCKED: ReadonlySet<string> = new Set([
  'help',
  'item.query',
  'duty.record',
  'dialog.cancel',
]);

/** Role and S16 checks; null when the person may go on. */
export function gate(t: TurnScope, spec: SpecOf): Reply | null {
  // Staff look up any item of their congresses by its code (handlers/item-query.ts).
  if (spec.id === 'item.query' && mayUse('staff', t.standing.roles)) return null;
  if (!mayUse(spec.who, t.standing.heldRoles)) {
    // Staff writing a deputy's 建议 or 请假 most likely mean to enter one for a deputy.
    const proxy = mayUse('staff', t.standing.heldRoles) ? PROXY_EXAMPLE[spec.id] : undefined;
    if (proxy) {
      return {
        text: `“${spec.word}”不在您可以使用的命令中：${spec.word}由代表本人提出。替代表录入请发“代录 代表姓名 ${spec.word} …”，例如：${proxy}`,
      };
    }
    const instead = mayUse('staff', t.standing.heldRoles) ? STAFF_INSTEAD[spec.id] : undefined;
    if (instead) return { text: instead };
    return { text: `“${spec.word}”不在您可以使用的命令中。\n${help(t)}` };
  }
  if (mayUse(spec.who, t.standing.roles) || ALLOWED_WHEN_BLOCKED.has(spec.id)) return null;
  const blocked = t.standing.deputyBlocked;
  if (spec.who === 'deputy' && blocked) {
    const why = blocked.reason ? `（原因：${blocked.reason}）` : '';
    return {
      text:
        blocked.status === 'suspended'
          ? `您在${blocked.congress}的代表职务目前暂停执行${why}。依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十五条，暂停期间不能办理“${spec.word}”等执行代表职务的事项；已提交事项的办理情况仍可发“查询”了解。如有疑问，请联系代表工作机构。`
          : `您在${blocked.congress}的代表资格已经终止${why}，不能再办理“${spec.word}”。已提交事项的办理情况仍可发“查询”了解。如有疑问，请联系代表工作机构。`,
    };
  }
  return {
    text: `您的${spec.who === 'deputy' ? '代表' : '工作人员'}身份目前不可用，不能办理“${spec.word}”。如有疑问，请联系代表工作机构。`,
  };
}

/** Several mandates: the congress named in the message, or chosen earlier; null when it must be asked. */
function congressFor(t: TurnScope, spec: SpecOf): { id: number | undefined; ask: boolean } {
  if (!CAPACITY_COMMANDS.has(spec.id)) return { id: undefined, ask: false };
  const seats = deputyCongresses(t.ctx.sender);
  if (seats.length < 2) return { id: undefined, ask: false };
  const named = congressNamed(t.text, seats);
  if (named) {
    t.conv.congress = t.conversations.keep({ id: named.id, name: named.name });
    return { id: named.id, ask: false };
  }
  const chosen = t.conv.congress?.value;
  if (chosen && seats.some((s) => s.id === chosen.id)) {
    t.conv.congress = t.conversations.keep(chosen);
    return { id: chosen.id, ask: false };
  }
  return { id: undefined, ask: true };
}

export async function execute<Id extends CommandId>(
  t: TurnScope,
  spec: SpecOf<Id>,
  word: string,
  args: Record<string, ArgValue>,
  attachmentsIn: Attachment[],
): Promise<Reply> {
  if (spec.id === 'help') {
    const topic = typeof args.topic === 'string' ? args.topic : null;
    const about =
      topic && !t.standing.deputyBlocked
        ? (dutyAnswer(topic, t.standing.roles) ?? helpAbout(topic, t.standing.roles, t.conv.lastItem))
        : null;
    return about ?? { text: help(t) };
  }
  const handler = t.handlers[spec.id];
  if (!handler) {
    return { text: `“${word}”功能还在建设中，暂时请联系人大常委会代表工作机构办理。` };
  }
  let attachments = attachmentsIn;
  const congress = congressFor(t, spec);
  if (congress.ask) {
    const seats = deputyCongresses(t.ctx.sender);
    if (attachments.length > 0) {
      t.conv.kept = t.conversations.keep([...(t.conv.kept?.value ?? []), ...attachments]);
    }
    t.conv.congressQuestion = {
      commandId: spec.id,
      word,
      args,
      options: seats.map((s) => ({ id: s.id, name: s.name })),
      expiresAt: t.conversations.expiry(),
    };
    return {
      text: `您在${seats.length}个人大担任代表，这件事在哪个人大办理？\n${seats.map((s, i) => `${i + 1}. ${s.name}`).join('\n')}\n回复数字或点选即可，本次对话中不再重复询问。`,
      buttons: seats.map((s) => ({ label: s.name, command: s.name })),
    };
  }
  // Photos and places sent just before go with the suggestion that follows.
  if ((spec.id === 'suggestion.submit' || spec.id === 'suggestion.proxy') && t.conv.kept) {
    attachments = [...t.conv.kept.value, ...attachments];
    delete t.conv.kept;
  }
  if (spec.id === 'suggestion.submit') delete t.conv.said;
  const ctx: CommandContext<Id> = {
    ...t.ctx,
    roles: t.standing.roles,
    // Every value was read against this command's argument specs (by the parser or parseArgAnswer),
    // and startCommand/continueDialog asked for each required one before getting here.
    args: args as CompleteArgsOf<Id>,
    conversation: t.conv,
    keep: (value) => t.conversations.keep(value),
    attachments,
    congressId: congress.id,
  };
  const reply = await handler.run(ctx);
  // 帮助 and 接待日 are the same for everyone; every other answer is the person's own.
  if (!SAID_TO_ALL.has(spec.id)) reply.personal = true;
  // A numbered list with buttons: replying its number does what the button does.
  if (reply.buttons && reply.buttons.length > 0 && /(?:^|\n)1\. /.test(reply.text) && !t.conv.dialog) {
    t.conv.choice = {
      options: reply.buttons.map((b) => ({ commandId: spec.id, word: b.label, send: b.command })),
      expiresAt: t.conversations.expiry(),
    };
  }
  return reply;
}

export function help(t: TurnScope): string {
  const blocked = t.standing.deputyBlocked;
  const text = plainHelp(t.standing.roles.length > 0 ? t.standing.roles : []);
  if (!blocked) return text;
  const status = blocked.status === 'suspended' ? '暂停执行' : '已终止';
  return `${text}\n您的代表职务${status}，目前只能查询已提交事项的办理情况（发“查询”）和履职记录（发“我的履职”）。`;
}

export function withPendingQuestion(t: TurnScope, text: string): string {
  const next = t.conv.dialog?.missing[0];
  return next ? `${text}\n${next.question}` : text;
}
