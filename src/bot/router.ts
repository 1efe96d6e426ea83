import type { Reply } from '../messaging/index.ts';
import { keepMedia } from '../services/media/index.ts';
import { parseArgAnswer } from './dialog/answers.ts';
import { type Attachment, type ConversationState, ConversationStore } from './dialog/state.ts';
import { type SenderStanding, standingOf } from './dispatch/sender-roles.ts';
import {
  type ArgValue,
  type CommandId,
  type CompleteArgsOf,
  commandById,
  mayUse,
  type SpecOf,
} from './language/command-catalog.ts';
import { type CommandParse, parseCommand } from './language/command-parser.ts';
import { helpText } from './language/help-text.ts';
import type { CommandContext, CommandHandlers, MessageRouter, RouteContext } from './types.ts';

// From one message of a known sender to the answer: dialogs in progress first, then the parsed command,
// its role check and S16 gate, missing parts asked one by one, and the handler. The handlers are given
// at start (runtime.ts), so this layer never imports them.

// 山西 第四十五条、第四十六条 (S16): what a deputy whose mandate is suspended or terminated may still do.
const ALLOWED_WHEN_BLOCKED: ReadonlySet<string> = new Set([
  'help',
  'item.query',
  'duty.record',
  'dialog.cancel',
]);

const VOICE_HINT = '抱歉，我暂时听不懂语音。请直接打字发送，例如“请假 常委会会议 出差”或“帮助”。';
const OTHER_HINT = '暂不支持这类消息。请发送文字，发“帮助”可查看能办理的事项。';
const WELCOME = '您好，这里是人大代表联络助手。';

export interface RouterOptions {
  /** Called after something a person sent was recorded for fetching (runtime.ts: fetch it now). */
  onMediaKept?: () => void;
}

export class CommandRouter implements MessageRouter {
  private readonly handlers: CommandHandlers;
  private readonly onMediaKept: () => void;

  constructor(handlers: CommandHandlers, opts: RouterOptions = {}) {
    this.handlers = handlers;
    this.onMediaKept = opts.onMediaKept ?? (() => {});
  }

  async route(ctx: RouteContext): Promise<Reply | null> {
    const conversations = new ConversationStore(ctx.deps.store, ctx.deps.clock);
    const conv = await conversations.load(ctx.sender.personId);
    const notices: string[] = [];
    if (conv.dialog && conversations.isExpired(conv.dialog)) {
      notices.push(`您之前的“${conv.dialog.word}”超过30分钟没有回复，已自动取消。`);
      delete conv.dialog;
    }
    if (conv.choice && conversations.isExpired(conv.choice)) delete conv.choice;

    const stored = await this.keep(ctx);
    const turn = new Turn(ctx, this.handlers, conversations, conv, standingOf(ctx.sender));
    const reply = await turn.answer(stored);
    await conversations.save(ctx.sender.personId, conv);
    if (!reply) return notices.length > 0 ? { text: notices.join('\n') } : null;
    return notices.length > 0 ? { ...reply, text: `${notices.join('\n')}\n${reply.text}` } : reply;
  }

  /**
   * A photo, voice message or file is recorded for fetching before anything else, so it is kept even
   * when the message is not part of a dialog; the fetch runs after (services/media). Its id, or undefined.
   */
  private async keep(ctx: RouteContext): Promise<number | undefined> {
    const { msg } = ctx;
    if (!msg.media?.mediaId) return undefined;
    const kind =
      msg.kind === 'voice' ? 'voice' : msg.kind === 'image' || msg.kind === 'text' ? 'image' : 'file';
    const id = await keepMedia(ctx.deps, {
      channel: msg.channel,
      platformId: msg.media.mediaId,
      kind,
      inboundId: ctx.inboundId,
    });
    this.onMediaKept();
    return id;
  }
}

class Turn {
  private readonly ctx: RouteContext;
  private readonly handlers: CommandHandlers;
  private readonly conversations: ConversationStore;
  private readonly conv: ConversationState;
  private readonly standing: SenderStanding;

  constructor(
    ctx: RouteContext,
    handlers: CommandHandlers,
    conversations: ConversationStore,
    conv: ConversationState,
    standing: SenderStanding,
  ) {
    this.ctx = ctx;
    this.handlers = handlers;
    this.conversations = conversations;
    this.conv = conv;
    this.standing = standing;
  }

  async answer(stored: number | undefined): Promise<Reply | null> {
    const { msg } = this.ctx;
    switch (msg.kind) {
      case 'text':
        return this.onText(msg.text ?? '');
      case 'voice':
        return msg.text ? this.onText(msg.text) : { text: this.withPendingQuestion(VOICE_HINT) };
      case 'image':
      case 'location':
        return this.onAttachment(stored);
      case 'event':
        if (msg.event?.type === 'click' && msg.text) return this.onText(msg.text);
        if (msg.event?.type === 'subscribe') return { text: `${WELCOME}\n${this.help()}` };
        return null;
      default:
        return { text: OTHER_HINT };
    }
  }

  private onAttachment(stored: number | undefined): Reply {
    const { msg } = this.ctx;
    const attachment: Attachment =
      msg.kind === 'image'
        ? {
            kind: 'image',
            ...(msg.media?.mediaId ? { mediaId: msg.media.mediaId } : {}),
            ...(msg.media?.url ? { url: msg.media.url } : {}),
            ...(stored !== undefined ? { stored } : {}),
          }
        : {
            kind: 'location',
            ...(msg.location
              ? {
                  latitude: msg.location.latitude,
                  longitude: msg.location.longitude,
                  ...(msg.location.label ? { label: msg.location.label } : {}),
                }
              : {}),
          };
    const what = msg.kind === 'image' ? '照片' : '位置';
    if (this.conv.dialog) {
      this.conv.dialog.attachments.push(attachment);
      this.conv.dialog.expiresAt = this.conversations.expiry();
      const next = this.conv.dialog.missing[0];
      return {
        text: `已收到${what}，会随“${this.conv.dialog.word}”一并提交。${next ? `\n${next.question}` : ''}`,
      };
    }
    return {
      text: `已收到${what}。如要随建议一起提交，请先发送“建议”，在我询问内容时再发${what}；发“帮助”可查看能办理的事项。`,
    };
  }

  private async onText(text: string): Promise<Reply | null> {
    const parsed = parseCommand(text, { now: this.ctx.today, roles: this.standing.heldRoles });
    const dialog = this.conv.dialog;

    if (dialog) {
      if (parsed.kind === 'command' && parsed.id === 'dialog.cancel') {
        delete this.conv.dialog;
        return { text: `好的，已取消“${dialog.word}”。` };
      }
      const switched =
        parsed.kind === 'command' && parsed.via === 'word' && !['dialog.confirm'].includes(parsed.id);
      if (!switched) return this.continueDialog(text);
      delete this.conv.dialog;
    }

    if (parsed.kind === 'choice') {
      const choice = this.conv.choice;
      delete this.conv.choice;
      const option = choice?.options[parsed.index - 1];
      if (!option) {
        return { text: `请先告诉我您要办什么，例如“请假”“建议”“查询”。发“帮助”可查看全部命令。` };
      }
      return this.startCommand(commandById(option.commandId as CommandId), option.word, {}, []);
    }
    delete this.conv.choice;

    switch (parsed.kind) {
      case 'empty':
        return { text: '请问您要办理什么？发“帮助”可查看能办理的事项。' };
      case 'smalltalk':
        return {
          text:
            parsed.act === 'greeting'
              ? `${WELCOME}请问要办理什么？发“帮助”可查看能办理的事项。`
              : parsed.act === 'thanks'
                ? '不客气，有事随时找我。'
                : '好的。需要时发“帮助”可查看能办理的事项。',
        };
      case 'unclear': {
        const options = parsed.suggestions.map((s) => ({ commandId: s.id, word: s.word }));
        this.conv.choice = { options, expiresAt: this.conversations.expiry() };
        const lines = parsed.suggestions.map((s) => `${s.index}. ${s.word}：${s.summary}`);
        return {
          text: `没太明白您的意思。您是想办理：\n${lines.join('\n')}\n回复数字即可；发“帮助”可查看全部命令。`,
          buttons: parsed.suggestions.map((s) => ({ label: s.word, command: s.word })),
        };
      }
      case 'command':
        return this.onCommand(parsed);
    }
  }

  private async onCommand(parsed: CommandParse): Promise<Reply> {
    // 确认 and 取消 outside a dialog reach their handlers (handlers/confirm.ts): a previewed 通知 waits there.
    const invalid = parsed.invalid.map((i) => `${i.label}：${i.error}`);
    const args = { ...(parsed.args as Record<string, ArgValue>) };
    const missing = [...parsed.invalid, ...parsed.missing].map((m) => ({
      name: m.name,
      question: m.question,
      fromContext: m.fromContext,
    }));
    for (const i of parsed.invalid) delete args[i.name];
    const reply = await this.startCommand(parsed.spec, parsed.word, args, missing);
    return invalid.length > 0 ? { ...reply, text: `${invalid.join('\n')}\n${reply.text}` } : reply;
  }

  private async startCommand(
    spec: SpecOf,
    word: string,
    args: Record<string, ArgValue>,
    missingIn: { name: string; question: string; fromContext?: boolean }[] | [],
  ): Promise<Reply> {
    const refusal = this.gate(spec);
    if (refusal) return refusal;
    let missing = missingIn;
    if (missing.length === 0 && Object.keys(args).length === 0) {
      // Picked from a list or started by its bare word: ask for every required part.
      missing = spec.args
        .filter((a) => !a.optional)
        .map((a) => ({ name: a.name, question: a.question, fromContext: a.fromContext ?? false }));
    }
    // A command that needs an item defaults to the one just talked about (CONTRACT §3).
    const remaining = missing.filter((m) => {
      const argSpec = spec.args.find((a) => a.name === m.name);
      if (
        m.fromContext &&
        this.conv.lastItem &&
        argSpec?.kind.type === 'code' &&
        argSpec.kind.prefixes.some((p) => this.conv.lastItem!.startsWith(`${p}-`))
      ) {
        args[m.name] = this.conv.lastItem;
        return false;
      }
      return true;
    });
    if (remaining.length > 0) {
      this.conv.dialog = {
        commandId: spec.id,
        word,
        args,
        missing: remaining.map(({ name, question }) => ({ name, question })),
        attachments: [],
        expiresAt: this.conversations.expiry(),
      };
      return { text: `${remaining[0]!.question}\n（发“取消”可结束）` };
    }
    return this.execute(spec, word, args, []);
  }

  private async continueDialog(text: string): Promise<Reply> {
    const dialog = this.conv.dialog!;
    const spec = commandById(dialog.commandId);
    const pending = dialog.missing[0];
    if (!spec || !pending) {
      delete this.conv.dialog;
      return { text: '请问您要办理什么？发“帮助”可查看能办理的事项。' };
    }
    const argSpec = spec.args.find((a) => a.name === pending.name);
    if (!argSpec) {
      delete this.conv.dialog;
      return { text: '请问您要办理什么？发“帮助”可查看能办理的事项。' };
    }
    const value = parseArgAnswer(argSpec, text, this.ctx.today);
    if (!value.ok) {
      dialog.expiresAt = this.conversations.expiry();
      return { text: `${value.error}\n${pending.question}\n（发“取消”可结束）` };
    }
    dialog.args[pending.name] = value.value;
    dialog.missing.shift();
    dialog.expiresAt = this.conversations.expiry();
    const next = dialog.missing[0];
    if (next) return { text: next.question };
    delete this.conv.dialog;
    return this.execute(spec, dialog.word, dialog.args as Record<string, ArgValue>, dialog.attachments);
  }

  /** Role and S16 checks; null when the person may go on. */
  private gate(spec: SpecOf): Reply | null {
    if (!mayUse(spec.who, this.standing.heldRoles)) {
      return { text: `“${spec.word}”不在您可以使用的命令中。\n${this.help()}` };
    }
    if (mayUse(spec.who, this.standing.roles) || ALLOWED_WHEN_BLOCKED.has(spec.id)) return null;
    const blocked = this.standing.deputyBlocked;
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

  private async execute<Id extends CommandId>(
    spec: SpecOf<Id>,
    word: string,
    args: Record<string, ArgValue>,
    attachments: Attachment[],
  ): Promise<Reply> {
    if (spec.id === 'help') return { text: this.help() };
    const handler = this.handlers[spec.id];
    if (!handler) {
      return { text: `“${word}”功能还在建设中，暂时请联系人大常委会代表工作机构办理。` };
    }
    const ctx: CommandContext<Id> = {
      ...this.ctx,
      roles: this.standing.roles,
      // Every value was read against this command's argument specs (by the parser or parseArgAnswer),
      // and startCommand/continueDialog asked for each required one before getting here.
      args: args as CompleteArgsOf<Id>,
      conversation: this.conv,
      attachments,
    };
    return handler.run(ctx);
  }

  private help(): string {
    const blocked = this.standing.deputyBlocked;
    const text = helpText(this.standing.roles.length > 0 ? this.standing.roles : []);
    if (!blocked) return text;
    const status = blocked.status === 'suspended' ? '暂停执行' : '已终止';
    return `${text}\n您的代表职务${status}，目前只能查询已提交事项的办理情况（发“查询”）和履职记录（发“我的履职”）。`;
  }

  private withPendingQuestion(text: string): string {
    const next = this.conv.dialog?.missing[0];
    return next ? `${text}\n${next.question}` : text;
  }
}
