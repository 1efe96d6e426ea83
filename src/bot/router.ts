import { isAppError } from '../errors.ts';
import type { Reply } from '../messaging/index.ts';
import { codeOfPrefix } from '../services/items/index.ts';
import { decisionRefusal, namesNoMeeting } from '../services/leave/index.ts';
import { keepMedia } from '../services/media/index.ts';
import {
  addRatingReason,
  addSuggestionPhotos,
  amendSuggestionContent,
  extensionRefusal,
  withdrawSuggestion,
} from '../services/suggestions/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { bareMonth, parseArgAnswer } from './dialog/answers.ts';
import {
  neverMind,
  quote,
  readFreeText,
  smalltalkOf,
  takesBack,
  usableWords,
  withdrawsLeave,
  worthKeeping,
  yesNo,
} from './dialog/free-text.ts';
import { plainHelp } from './dialog/help.ts';
import { type ItemActionRequest, readItemAction, startsWithItemAction } from './dialog/item-actions.ts';
import {
  candidatesFor,
  fitByMeeting,
  fitByWords,
  ITEM_COMMANDS,
  type ItemCandidate,
} from './dialog/item-words.ts';
import { CAPACITY_COMMANDS, congressNamed, deputyCongresses, pickCongress } from './dialog/mandates.ts';
import { argsAfterCode, NOTHING_WAITING, STAFF_ITEM_COMMANDS, staffItemsFor } from './dialog/staff-items.ts';
import { type Attachment, type ConversationState, ConversationStore } from './dialog/state.ts';
import {
  ATTACHMENT_WORD,
  leaveTakeBack,
  OTHER_HINT,
  offeredQuestion,
  PROXY_EXAMPLE,
  questionFor,
  smalltalkReply,
  VOICE_HINT,
  WELCOME,
  YES_NO,
} from './dialog/wording.ts';
import { type SenderStanding, staffCongressesOf, standingOf } from './dispatch/sender-roles.ts';
import {
  type ArgValue,
  type CommandId,
  type CompleteArgsOf,
  commandById,
  mayUse,
  type SpecOf,
} from './language/command-catalog.ts';
import { type CommandParse, parseCommand } from './language/command-parser.ts';
import { normalize } from './language/normalize.ts';
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
    const conversations = new ConversationStore(ctx.deps.store, ctx.deps.clock, ctx.turn);
    const conv = await conversations.load(ctx.sender.personId);
    const notices: string[] = [];
    if (conv.dialog && conversations.isExpired(conv.dialog)) {
      notices.push(`您之前的“${conv.dialog.word}”超过30分钟没有回复，已自动取消。`);
      delete conv.dialog;
    }
    conversations.dropExpired(conv);

    const stored = await this.keep(ctx);
    const turn = new Turn(ctx, this.handlers, conversations, conv, ctx.standing ?? standingOf(ctx.sender));
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
      msg.kind === 'voice'
        ? 'voice'
        : msg.kind === 'video'
          ? 'video'
          : msg.kind === 'image' || msg.kind === 'text'
            ? 'image'
            : 'file';
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

/** Commands a phrase of which may well be the words a dialog asks for (a reason, a suggestion's content). */
const CONTENT_LIKE: ReadonlySet<string> = new Set([
  'suggestion.submit',
  'inspection.request',
  'suggestion.rate',
  'leave.request',
  'activity.decline',
  'activity.attend',
]);

/** Commands whose free text (content, reason, topic) an earlier unclear message may fill. */
const FILLS_TEXT: ReadonlySet<string> = new Set([
  'suggestion.submit',
  'leave.request',
  'reception.book',
  'inspection.request',
]);

/** 取消下个月的预约: a booking named by its month. */
function bookingMonth<T extends { month?: string }>(id: string, text: string, today: string, all: T[]): T[] {
  if (id !== 'reception.cancel') return all;
  const [y, m] = today.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const month = /下个?月/.test(text) ? next : /这个?月|本月/.test(text) ? today.slice(0, 7) : null;
  const fit = month ? all.filter((c) => c.month === month) : all;
  return fit.length > 0 ? fit : all;
}

/** A booking's topic from the same message, when the parser left it: what follows the 接待日. */
function topicOf(text: string): string | undefined {
  const m = [...text.matchAll(/接待(?:代表)?日|接待/g)].at(-1);
  if (!m) return undefined;
  const t = text
    .slice(m.index + m[0].length)
    .replace(/^[\s，,。.:：、]*(?:的?预约)?[\s，,。.:：、]*(?:话题|主题|谈|说)?[是为:：\s]*/, '')
    // "下个月的接待日我想去": wanting to go is the booking itself, not its topic.
    .replace(/^我?(?:想|要|准备|打算|希望)?(?:去|参加|预约|约|报名)(?:一下|下)?[\s，,。.:：、]*/, '')
    .replace(/[\s，,。.！!？?~]+$/, '');
  return (t.match(/\p{Script=Han}/gu)?.length ?? 0) >= 2 ? t : undefined;
}

class Turn {
  private readonly ctx: RouteContext;
  private readonly handlers: CommandHandlers;
  private readonly conversations: ConversationStore;
  private readonly conv: ConversationState;
  private readonly standing: SenderStanding;
  /** The text of the message being answered (a button's command included). */
  private text = '';

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
      case 'video':
      case 'file':
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

  private async onAttachment(stored: number | undefined): Promise<Reply> {
    const { msg } = this.ctx;
    const attachment: Attachment =
      msg.kind === 'image' || msg.kind === 'video' || msg.kind === 'file'
        ? {
            kind: msg.kind,
            ...(msg.media?.mediaId ? { mediaId: msg.media.mediaId } : {}),
            ...(msg.media?.url ? { url: msg.media.url } : {}),
            ...(msg.media?.fileName ? { fileName: msg.media.fileName } : {}),
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
    const what = ATTACHMENT_WORD[msg.kind] ?? '位置';
    if (this.conv.dialog) {
      this.conv.dialog.attachments.push(attachment);
      this.conv.dialog.expiresAt = this.conversations.expiry();
      const next = this.conv.dialog.missing[0];
      return {
        text: `已收到${what}，会随“${this.conv.dialog.word}”一并提交。${next ? `\n${next.question}` : ''}`,
      };
    }
    // 补充照片 asked for just before: the photo goes to that item.
    const waiting = this.conv.itemAction?.value;
    if (waiting?.action === 'photo' && attachment.kind === 'image') {
      this.conv.itemAction = this.conversations.keep(waiting);
      return this.addPhotos(waiting.code, [attachment]);
    }
    // Photos and places first: kept 30 minutes for the suggestion that follows.
    this.conv.kept = this.conversations.keep([...(this.conv.kept?.value ?? []), attachment]);
    // 补充照片 was asked "to which item?" and a photo came instead of a number.
    const photoChoice = this.conv.choice?.options.filter((o) => o.word === '补充照片') ?? [];
    if (attachment.kind === 'image' && photoChoice.length > 0) return this.askPhotoItem(photoChoice);
    if (this.conv.confirm?.commandId === 'suggestion.submit') {
      this.conv.confirm.expiresAt = this.conversations.expiry();
      return { text: `已收到${what}，提交时一并附上。要把刚才那段话作为建议提交吗？`, buttons: YES_NO };
    }
    return {
      text: `已收到${what}，先为您保存30分钟。请接着说说要反映的问题，例如“建议 路口积水严重，希望疏通”，${what}会随建议一起提交。`,
    };
  }

  private async onText(text: string): Promise<Reply | null> {
    this.text = text;
    const parsed = parseCommand(text, { now: this.ctx.today, roles: this.standing.heldRoles });

    const confirm = this.conv.confirm;
    if (confirm) {
      delete this.conv.confirm;
      // A photo's item question also takes the numbers of the choice before it.
      const yn = confirm.commandId === 'item.photo' && parsed.kind === 'choice' ? null : yesNo(text);
      if (yn === 'yes' && confirm.commandId === 'item.withdraw') {
        const code = String(confirm.args.code);
        return this.act(
          () => withdrawSuggestion(this.ctx.deps, this.own(code)),
          (item) => `已撤回 ${item.code}，不再交办；记录仍保留，发“查询 ${item.code}”可查看。`,
        );
      }
      if (yn === 'yes' && confirm.commandId === 'item.photo') {
        delete this.conv.choice;
        const kept = this.conv.kept?.value.filter((a) => a.kind === 'image') ?? [];
        delete this.conv.kept;
        return this.addPhotos(String(confirm.args.code), kept);
      }
      if (yn === 'no' && confirm.commandId === 'item.photo') {
        return { text: '好的。请回复数字选择要补充到哪一项，照片先为您保存30分钟。' };
      }
      if (yn === 'yes') {
        const spec = commandById(confirm.commandId as CommandId);
        if (spec) return this.execute(spec, confirm.word, confirm.args as Record<string, ArgValue>, []);
      }
      if (yn === 'no') {
        return {
          text:
            confirm.commandId === 'suggestion.submit'
              ? '好的，没有提交。这段话我先记着，30分钟内发“建议”即可提交；也可以告诉我您要办什么。'
              : `好的，没有${confirm.word}。`,
        };
      }
      // Anything else: the question lapses and the message is read on its own.
    }

    const asked = this.conv.congressQuestion;
    if (asked) {
      delete this.conv.congressQuestion;
      const seat = pickCongress(text, deputyCongresses(this.ctx.sender));
      const spec = commandById(asked.commandId as CommandId);
      if (seat && spec) {
        this.conv.congress = this.conversations.keep({ id: seat.id, name: seat.name });
        return this.execute(spec, asked.word, asked.args as Record<string, ArgValue>, []);
      }
    }

    const pendingAction = this.conv.itemAction?.value;
    delete this.conv.itemAction;
    const wordCommand = parsed.kind === 'command' && parsed.via === 'word';
    if (pendingAction && parsed.kind === 'command' && parsed.id === 'dialog.cancel') {
      return { text: '好的，已取消。' };
    }
    if (pendingAction?.action === 'amend' && !wordCommand && parsed.kind !== 'choice') {
      return this.act(
        () => amendSuggestionContent(this.ctx.deps, { ...this.own(pendingAction.code), addition: text }),
        (item) => `已把您补充的内容加到 ${item.code}，交办时一并转交。`,
      );
    }
    const action = readItemAction(text);
    if (action && (startsWithItemAction(text) || (!wordCommand && !this.conv.dialog))) {
      delete this.conv.dialog;
      delete this.conv.choice;
      return this.onItemAction(action);
    }

    const dialog = this.conv.dialog;
    if (dialog) {
      if (parsed.kind === 'command' && parsed.id === 'dialog.cancel') {
        delete this.conv.dialog;
        return { text: `好的，已取消“${dialog.word}”。` };
      }
      // "说错了，不是请假，是想查一下我的建议": nothing is filed; what they want instead is read on its own.
      const takenBack = takesBack(text, dialog.word);
      if (takenBack) {
        delete this.conv.dialog;
        if (usableWords(takenBack.rest)) return this.onText(takenBack.rest);
        return { text: `好的，没有${dialog.word}。请问您要办什么？发“帮助”可查看能办理的事项。` };
      }
      const reply = await this.continueDialog(text, parsed);
      if (reply) return reply;
      delete this.conv.dialog;
    }

    // 不满意 just now without why: words that are no command are the reason (kept, passed to the organs).
    const awaitingReason = this.conv.ratingReason?.value;
    delete this.conv.ratingReason;
    if (awaitingReason && parsed.kind !== 'command' && parsed.kind !== 'choice' && usableWords(text)) {
      return this.act(
        () => addRatingReason(this.ctx.deps, { ...this.own(awaitingReason), reason: text }),
        (item) => `已把您说的原因记在 ${item.code} 上，并转给重新办理的单位。`,
      );
    }

    // "接待日", then "下个月": that month's reception day, remembered for the 预约接待日 that may follow.
    if (parsed.kind !== 'command' && parsed.kind !== 'choice' && this.conv.receptionAsked) {
      const month = bareMonth(text, this.ctx.today);
      if (month) return this.onText(`接待日 ${month}`);
    }

    if (parsed.kind === 'choice') {
      const choice = this.conv.choice;
      delete this.conv.choice;
      const option = choice?.options[parsed.index - 1];
      if (!option) {
        return { text: `请先告诉我您要办什么，例如“请假”“建议”“查询”。发“帮助”可查看全部命令。` };
      }
      if (option.send) return this.onText(option.send);
      return this.startCommand(commandById(option.commandId as CommandId), option.word, {}, [], {
        picked: true,
      });
    }
    delete this.conv.choice;

    switch (parsed.kind) {
      case 'empty':
        return { text: '请问您要办理什么？发“帮助”可查看能办理的事项。' };
      case 'smalltalk':
        return smalltalkReply(parsed.act);
      case 'unclear':
        return this.onUnclear(text, parsed.suggestions, parsed.intent.kind);
      case 'command':
        return this.onCommand(parsed);
    }
  }

  private own(code: string) {
    const { personId, name } = this.ctx.sender;
    return { personId, code, actor: { id: `person:${personId}`, name, personId } };
  }

  /** Runs one of the deputy's own changes; a refusal is the answer. */
  private async act<T extends { code: string }>(
    run: () => Promise<T>,
    said: (item: T) => string,
  ): Promise<Reply> {
    try {
      const item = await run();
      this.conv.lastItem = item.code;
      return { text: said(item) };
    } catch (e) {
      if (isAppError(e)) return { text: `${e.message}。` };
      throw e;
    }
  }

  /**
   * A photo sent while 补充照片 waits for its item: kept, and the item filed last proposed (a yes adds it
   * there); a number picks another, as before.
   */
  private async askPhotoItem(options: { send?: string }[]): Promise<Reply> {
    const open = await candidatesFor(this.ctx.deps, 'photo', this.ctx.sender.personId, this.ctx.today);
    // In the order of the choice, whose numbers they keep.
    const items = options.flatMap((o, i) =>
      open.filter((c) => o.send === `补充照片 ${c.code}`).map((c) => ({ ...c, n: i + 1 })),
    );
    const latest = [...items].sort((a, b) => b.on.localeCompare(a.on))[0];
    if (!latest || !this.conv.choice)
      return { text: '已收到照片，先为您保存30分钟。请回复数字选择要补充到哪一项。' };
    this.conv.choice.expiresAt = this.conversations.expiry();
    this.conv.confirm = {
      commandId: 'item.photo',
      word: '补充照片',
      args: { code: latest.code },
      question: `补充到 ${latest.label} 吗？`,
      expiresAt: this.conversations.expiry(),
    };
    const list = items.map((c) => `${c.n}. ${c.label}`).join('\n');
    return {
      text: `已收到照片。是补充到您最近提的 ${latest.label} 吗？回复“是”加到这一项；要加到别的项，回复数字：\n${list}`,
      buttons: YES_NO,
    };
  }

  private addPhotos(code: string, attachments: Attachment[]): Promise<Reply> {
    const photos = attachments
      .filter((a) => a.kind === 'image')
      .map((a) => ({
        ...(a.mediaId ? { mediaId: a.mediaId } : {}),
        ...(a.url ? { url: a.url } : {}),
        ...(a.stored !== undefined ? { stored: a.stored } : {}),
      }));
    return this.act(
      () => addSuggestionPhotos(this.ctx.deps, { ...this.own(code), photos }),
      (item) =>
        `已把照片（${photos.length} 张）加到 ${item.code}，现共有照片 ${Array.isArray(item.photos) ? item.photos.length : photos.length} 张。`,
    );
  }

  /** 撤回 QJ-…, 修改 JD-…: what the code is, and what to do instead; no other item is offered in its place. */
  private notAnItem(code: string, verb: string): Promise<Reply | null> | Reply {
    if (verb === '撤回' && code.startsWith('JD')) return this.onText(`取消预约 ${code}`);
    if (code.startsWith('QJ')) return { text: leaveTakeBack(code, verb) };
    const what = code.startsWith('HD')
      ? `${code} 是活动邀请。不能参加请发“请假 ${code} 事由”。`
      : `${code} 是接待日预约。要取消请发“取消预约 ${code}”。`;
    return { text: `只有建议、批评和意见可以${verb}。${what}` };
  }

  /** 撤回, 修改, 补充照片 of the deputy's own item, found by its code or its words. */
  private async onItemAction(req: ItemActionRequest): Promise<Reply | null> {
    if (!mayUse('deputy', this.standing.roles)) {
      return { text: '只有代表本人可以撤回、修改自己的建议或补充照片。发“帮助”可查看能办理的事项。' };
    }
    const verb = req.action === 'withdraw' ? '撤回' : req.action === 'amend' ? '修改' : '补充照片';
    if (req.otherCode) return this.notAnItem(req.otherCode, verb);
    let code = req.code;
    const all = await candidatesFor(this.ctx.deps, req.action, this.ctx.sender.personId, this.ctx.today);
    if (code && !all.some((c) => c.code === code) && req.action === 'withdraw') {
      // Not one that can be withdrawn: the suggestions domain says why (handed over, not theirs…).
      const given = code;
      return this.act(
        () => withdrawSuggestion(this.ctx.deps, this.own(given)),
        (item) => `已撤回 ${item.code}。`,
      );
    }
    if (!code) {
      if (all.length === 0) {
        return {
          text:
            req.action === 'photo'
              ? '您目前没有还在办理的建议可以补充照片。发“查询”可查看您的事项。'
              : `您目前没有尚未交办的建议可以${verb}；已交办的不能再${verb}，如有需要请联系代表工作机构。`,
        };
      }
      // The words added are not words about the item.
      const about = req.addition ? this.text.replace(req.addition, '') : this.text;
      // Several fit: asked, whichever was talked about last (a change of one's item is never guessed).
      const fit = fitByWords(about, all, this.ctx.today);
      code = fit.length === 1 ? fit[0]!.code : undefined;
      if (!code) {
        const offered = (fit.length > 0 ? fit : all).slice(0, 6);
        const send = (c: string) =>
          req.action === 'amend' && req.addition ? `修改 ${c}：${req.addition}` : `${verb} ${c}`;
        this.conv.choice = {
          options: offered.map((c) => ({ commandId: '', word: verb, send: send(c.code) })),
          expiresAt: this.conversations.expiry(),
        };
        return {
          text: `请问要${verb}哪一项？\n${offered.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n回复数字或点选即可。`,
          buttons: offered.map((c) => ({ label: c.label, command: send(c.code) })),
        };
      }
    }
    switch (req.action) {
      case 'withdraw':
        this.conv.confirm = {
          commandId: 'item.withdraw',
          word: '撤回',
          args: { code },
          question: `确定撤回 ${code} 吗？`,
          expiresAt: this.conversations.expiry(),
        };
        return { text: `确定撤回 ${code} 吗？撤回后不再交办。回复“是”撤回，回复“否”保留。`, buttons: YES_NO };
      case 'amend': {
        const target = code;
        if (req.addition) {
          const addition = req.addition;
          return this.act(
            () => amendSuggestionContent(this.ctx.deps, { ...this.own(target), addition }),
            (item) => `已把您补充的内容加到 ${item.code}：“${quote(addition)}”。交办时一并转交。`,
          );
        }
        this.conv.itemAction = this.conversations.keep({ action: 'amend', code: target });
        return { text: `请发要补充或修改的内容，会加到 ${target} 里。\n（发“取消”可结束）` };
      }
      case 'photo': {
        const kept = this.conv.kept?.value.filter((a) => a.kind === 'image') ?? [];
        if (kept.length > 0) {
          delete this.conv.kept;
          return this.addPhotos(code, kept);
        }
        this.conv.itemAction = this.conversations.keep({ action: 'photo', code });
        return { text: `请发送照片，会加到 ${code} 里。` };
      }
    }
  }

  /** Never lose a word: a problem or wish is offered back as a suggestion; anything else is kept a while. */
  private onUnclear(
    text: string,
    suggestions: { index: number; id: CommandId; word: string; summary: string }[],
    intent: 'matter' | 'question' | 'other',
  ): Reply {
    const small = smalltalkOf(text);
    if (small) return smalltalkReply(small);
    // The language layer's reading of the words decides; pointing back at what was said is the dialog's.
    const own = readFreeText(text);
    const reading =
      own === 'back_reference' ? own : intent === 'matter' ? 'matter' : intent === 'question' ? 'other' : own;
    const deputy = mayUse('deputy', this.standing.roles);
    const earlier = this.conv.said?.value;
    if (reading === 'back_reference' && earlier && deputy) return this.offerSuggestion(earlier);
    if (reading === 'matter' && deputy) {
      this.conv.said = this.conversations.keep(text);
      return this.offerSuggestion(text);
    }
    const options = suggestions.map((s) => ({ commandId: s.id, word: s.word }));
    this.conv.choice = { options, expiresAt: this.conversations.expiry() };
    const lines = suggestions.map((s) => `${s.index}. ${s.word}：${s.summary}`);
    const buttons = suggestions.map((s) => ({ label: s.word, command: s.word }));
    if (intent === 'question') {
      // A question is answered as far as it can be, never called unclear; whatever else it says is kept.
      const kept = (text.match(/\p{Script=Han}/gu)?.length ?? 0) >= 10;
      if (kept) this.conv.said = this.conversations.keep(text);
      return {
        text: `${kept ? `您说的“${quote(text)}”我先记着。` : ''}这个问题我暂时答不上来，会议和活动的时间以通知为准，也可以问代表工作机构。您可能想办理：\n${lines.join('\n')}\n发对应的数字即可。`,
        buttons,
      };
    }
    if (worthKeeping(text)) this.conv.said = this.conversations.keep(text);
    return {
      text: `没太明白您的意思。您是想办理：\n${lines.join('\n')}\n回复数字即可，您刚才的话不用再打一遍；发“帮助”可查看全部命令。`,
      buttons,
    };
  }

  private offerSuggestion(text: string): Reply {
    this.conv.confirm = {
      commandId: 'suggestion.submit',
      word: '建议',
      args: { kind: '建议', content: text },
      question: '要把这段话作为建议提交吗？',
      expiresAt: this.conversations.expiry(),
    };
    return {
      text: `要把这段话作为建议提交吗？\n“${quote(text)}”\n回复“是”提交，回复“否”不提交；也可以直接告诉我您要办的其他事。`,
      buttons: YES_NO,
    };
  }

  private async onCommand(parsed: CommandParse): Promise<Reply> {
    if (parsed.id === 'leave.request' && withdrawsLeave(this.text)) {
      const code = codeOfPrefix('QJ').exec(normalize(this.text).text)?.[0];
      return { text: leaveTakeBack(code) };
    }
    // 确认 and 取消 outside a dialog reach their handlers (handlers/confirm.ts): a previewed 通知 waits there.
    const invalid = parsed.invalid.map((i) => `${i.label}：${i.error}`);
    const args = { ...(parsed.args as Record<string, ArgValue>) };
    const missing = [...parsed.invalid, ...parsed.missing].map((m) => ({
      name: m.name,
      question: m.question,
      fromContext: m.fromContext,
    }));
    for (const i of parsed.invalid) delete args[i.name];
    if (parsed.id === 'reception.book' && args.topic === undefined) {
      // "预约下个月接待日 加装电梯补贴": the topic is what is left once the booking words are gone.
      const topic = topicOf(this.text);
      if (topic) args.topic = topic;
    }
    const reply = await this.startCommand(parsed.spec, parsed.word, args, missing, {
      invalid: parsed.invalid.map((i) => i.name),
    });
    return invalid.length > 0 ? { ...reply, text: `${invalid.join('\n')}\n${reply.text}` } : reply;
  }

  /**
   * The words kept from an unclear message, read as this command's content, reason or topic. Returns the
   * words instead when they are only offered: words that do not read as a matter ("我今天在开会") become a
   * suggestion's content only when the person picked 建议 from the list that promised to keep them, or says
   * yes to the question that quotes them; "我想提个意见" typed afresh announces new words.
   */
  private fillFromSaid(
    spec: SpecOf,
    word: string,
    args: Record<string, ArgValue>,
    missing: string[],
    picked: boolean,
  ): string | null {
    // Only the command that follows the unclear message takes its words.
    const said = this.conv.said?.value;
    delete this.conv.said;
    if (!said || !FILLS_TEXT.has(spec.id)) return null;
    const wants = spec.args.filter(
      (a) => (a.kind.type === 'text' || a.kind.type === 'meeting') && !(a.name in args),
    );
    if (wants.length === 0 || !wants.some((a) => missing.includes(a.name) || a.optional)) return null;
    if (
      spec.id === 'suggestion.submit' &&
      !picked &&
      readFreeText(said) !== 'matter' &&
      wants.some((a) => a.kind.type === 'text' && missing.includes(a.name))
    ) {
      this.conv.said = this.conversations.keep(said);
      return said;
    }
    const again = parseCommand(`${word} ${said}`, { now: this.ctx.today, roles: this.standing.heldRoles });
    if (again.kind !== 'command' || again.id !== spec.id) {
      const content = wants.find((a) => a.kind.type === 'text');
      if (!content || spec.id !== 'suggestion.submit') return null;
      args[content.name] = said;
    } else {
      for (const [k, v] of Object.entries(again.args as Record<string, ArgValue>))
        if (!(k in args)) args[k] = v;
    }
    return null;
  }

  private async startCommand(
    spec: SpecOf,
    word: string,
    args: Record<string, ArgValue>,
    missingIn: { name: string; question: string; fromContext?: boolean }[] | [],
    how: { picked?: boolean; invalid?: readonly string[] } = {},
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
    const offered = this.fillFromSaid(
      spec,
      word,
      args,
      missing.map((m) => m.name),
      how.picked ?? false,
    );
    // A month written wrongly (2026-02-30) is asked for again, not taken from earlier in the conversation.
    if (!how.invalid?.includes('month')) this.rememberMonth(spec, args);

    // 请假 with nothing ahead to ask leave from: said at once, rather than asking which meeting.
    let ahead: ItemCandidate[] = [];
    if (spec.id === 'leave.request' && args.meeting === undefined) {
      ahead = await candidatesFor(this.ctx.deps, spec.id, this.ctx.sender.personId, this.ctx.today);
      if (ahead.length === 0) {
        return {
          text: '您近期没有可以请假的会议或受邀活动（人代会、列席常委会、代表活动等）。收到会议通知或活动邀请后，再发“请假 会议名称 事由”即可。',
        };
      }
    }

    // Items found by their words: the one that fits the command needs no code.
    const codeArg = spec.args.find((a) => a.kind.type === 'code');
    if (spec.id === 'item.query' && codeArg && args[codeArg.name] === undefined) {
      // "那个路灯的事怎么样了": the one suggestion the words single out, else the whole list.
      const own = await candidatesFor(this.ctx.deps, 'item.query', this.ctx.sender.personId, this.ctx.today);
      const fit = own.length > 1 ? fitByWords(this.text, own, this.ctx.today) : [];
      if (fit.length === 1) args[codeArg.name] = fit[0]!.code;
    }
    if (ITEM_COMMANDS[spec.id] && codeArg && args[codeArg.name] === undefined) {
      const found = await this.itemByWords(spec, word, args, codeArg.name);
      if (found) return found;
    }

    // A command that needs an item defaults to the one just talked about (CONTRACT §3).
    const remaining = missing.filter((m) => {
      if (args[m.name] !== undefined) return false;
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
    if (codeArg && remaining[0]?.name === codeArg.name && STAFF_ITEM_COMMANDS.has(spec.id))
      return this.staffItemChoice(spec, word, args, codeArg.name);
    if (remaining.length > 0) {
      const refused = await this.refusedBeforeAsking(spec, args, remaining[0]!.name);
      if (refused) return refused;
      this.conv.dialog = {
        commandId: spec.id,
        word,
        args,
        missing: remaining.map(({ name, question }) => ({
          name,
          question:
            offered !== null && name === 'content'
              ? offeredQuestion(offered, args)
              : questionFor(spec, name, question, args),
        })),
        attachments: [],
        expiresAt: this.conversations.expiry(),
      };
      const asked = this.conv.dialog.missing[0]!;
      if (asked.name === 'meeting' && ahead.length > 0)
        return this.meetingsAhead(asked.question, ahead, args);
      return { text: `${asked.question}\n（发“取消”可结束）` };
    }
    return this.execute(spec, word, args, []);
  }

  /**
   * "不去了", "请假" alone: which meeting, with what there is to ask leave from listed (a button each, the
   * reason already given kept), so nobody has to type a meeting's name.
   */
  private meetingsAhead(question: string, ahead: ItemCandidate[], args: Record<string, ArgValue>): Reply {
    const shown = [...ahead].sort((a, b) => a.on.localeCompare(b.on)).slice(0, 6);
    const reason = typeof args.reason === 'string' ? ` ${args.reason}` : '';
    const lines = shown.map((c) => `· ${c.label}（${formatDate(c.on)}）`);
    return {
      text: `${question}近期有：\n${lines.join('\n')}\n点选或直接写名称即可（发“取消”可结束）。`,
      buttons: shown.map((c) => ({
        label: c.label,
        command: `请假 ${c.code.startsWith('HD-') ? c.code : c.label}${reason}`,
      })),
    };
  }

  /** 不批准 of a request already decided (or not the approver's) is refused before its reason is asked for. */
  private async refusedBeforeAsking(
    spec: SpecOf,
    args: Record<string, ArgValue>,
    asking: string,
  ): Promise<Reply | null> {
    if (typeof args.code !== 'string') return null;
    let refused: string | null = null;
    if (spec.id === 'leave.reject' && asking === 'reason')
      refused = await decisionRefusal(this.ctx.deps, args.code, { personId: this.ctx.sender.personId });
    // 延期 of an item not being handled: said before a date is asked for.
    if (spec.id === 'suggestion.extend')
      refused = await extensionRefusal(this.ctx.deps, args.code, staffCongressesOf(this.ctx.sender));
    return refused === null ? null : { text: refused };
  }

  /** 批准, 不批准 or 交办 without a code: what waits for it, numbered, each choice the whole command. */
  private async staffItemChoice(
    spec: SpecOf,
    word: string,
    args: Record<string, ArgValue>,
    codeName: string,
  ): Promise<Reply> {
    const waiting = await staffItemsFor(this.ctx.deps, spec.id, this.ctx.sender, this.ctx.today);
    if (waiting.length === 0) return { text: NOTHING_WAITING[spec.id] ?? `目前没有可以${word}的事项。` };
    const shown = waiting.slice(0, 6);
    const send = (code: string) => `${word} ${code}${argsAfterCode(spec, args, codeName)}`;
    this.conv.choice = {
      options: shown.map((c) => ({ commandId: spec.id, word, send: send(c.code) })),
      expiresAt: this.conversations.expiry(),
    };
    const more =
      waiting.length > shown.length ? `\n另有 ${waiting.length - shown.length} 项未列出，可直接发编号。` : '';
    return {
      text: `请问${word}哪一项？待${word === '交办' ? '交办' : '决定'}的有：\n${shown.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}${more}\n回复数字或点选即可。`,
      buttons: shown.map((c) => ({ label: c.code, command: send(c.code) })),
    };
  }

  /** "下个月" named for the reception day is remembered for the next 预约接待日 of the conversation. */
  private rememberMonth(spec: SpecOf, args: Record<string, ArgValue>): void {
    if (spec.id !== 'reception.day' && spec.id !== 'reception.book') return;
    if (spec.id === 'reception.day') this.conv.receptionAsked = this.conversations.keep(true);
    if (typeof args.month === 'string') this.conv.month = this.conversations.keep(args.month);
    // A later month asked about is the one to book; this month's (or an earlier one, whose day may be past)
    // is left to the booking's default: this month's day, or next month's once it has passed.
    else if (
      spec.id === 'reception.book' &&
      this.conv.month &&
      this.conv.month.value > this.ctx.today.slice(0, 7)
    )
      args.month = this.conv.month.value;
  }

  /**
   * 催办, 满意, 取消预约 without a code: the items the command can act on, narrowed by the message's words
   * (“加装电梯的那个建议”, “上个月提的”). One: it is used (取消预约 after a yes); several: a numbered choice;
   * none: said so, and no dialog is started. Null when the command should go on as it is.
   */
  private async itemByWords(
    spec: SpecOf,
    word: string,
    args: Record<string, ArgValue>,
    codeName: string,
  ): Promise<Reply | null> {
    const all = await candidatesFor(this.ctx.deps, spec.id, this.ctx.sender.personId, this.ctx.today);
    if (all.length === 0) {
      if (spec.id === 'activity.attend')
        return { text: '您目前没有待答复的活动邀请。收到邀请后点“参加”或回复“参加”即可。' };
      if (spec.id === 'reception.cancel')
        return { text: '您目前没有可以取消的接待日预约。发“查询”可查看您的事项。' };
      if (spec.id === 'suggestion.urge')
        return { text: '您目前没有正在办理中的建议可以催办（交办后才能催办）。发“查询”可查看您的事项。' };
      return null; // 满意 with nothing waiting: the service says so.
    }
    const named = args.meeting;
    const fit: typeof all =
      spec.id === 'activity.attend'
        ? named && typeof named === 'object' && 'name' in named && !namesNoMeeting(named.name)
          ? fitByMeeting(named.name, all, this.ctx.today)
          : all
        : fitByWords(this.text, bookingMonth(spec.id, this.text, this.ctx.today, all), this.ctx.today);
    if (fit.length === 0 && (spec.id === 'suggestion.rate' || spec.id === 'suggestion.urge')) {
      // The words name one of the deputy's items that this cannot act on yet: say so, keep the words.
      const open = await candidatesFor(this.ctx.deps, 'photo', this.ctx.sender.personId, this.ctx.today);
      const other = fitByWords(
        this.text,
        open.filter((c) => !all.some((a) => a.code === c.code)),
        this.ctx.today,
      );
      if (other.length === 1) {
        this.conv.said = this.conversations.keep(this.text);
        return {
          text:
            spec.id === 'suggestion.urge'
              ? `${other[0]!.label} 还没有交办，交办后才能催办。`
              : `${other[0]!.label} 还没有答复，答复后才能评价。您说的情况我先记着，需要时发“建议”即可补充提出。`,
        };
      }
      // A rating's words are mostly its reason ("那个答复不满意，下午还是没人管"): they never rule an item out.
      if (spec.id === 'suggestion.rate') fit.push(...all);
    }
    // "两个都催一下", "都催催": every item being handled, each answered on its own line.
    if (spec.id === 'suggestion.urge' && fit.length > 1 && /都|全部|所有|每[一个]|统统/.test(this.text)) {
      const lines: string[] = [];
      for (const c of fit.slice(0, 6))
        lines.push((await this.execute(spec, word, { ...args, [codeName]: c.code }, [])).text);
      return { text: lines.join('\n') };
    }
    const last = this.conv.lastItem;
    const preferLast = ITEM_COMMANDS[spec.id]?.preferLast === true;
    const chosen =
      fit.length === 1 ? fit[0] : preferLast && fit.length > 1 ? fit.find((c) => c.code === last) : undefined;
    if (chosen) {
      args[codeName] = chosen.code;
      if (ITEM_COMMANDS[spec.id]?.confirm) {
        this.conv.confirm = {
          commandId: spec.id,
          word,
          args,
          question: `确定${word} ${chosen.label} 吗？`,
          expiresAt: this.conversations.expiry(),
        };
        return {
          text: `您的预约：${chosen.label}。确定取消吗？回复“是”取消，回复“否”保留。`,
          buttons: YES_NO,
        };
      }
      return this.execute(spec, word, args, []);
    }
    const offered = (fit.length > 0 ? fit : all).slice(0, 6);
    const send = (code: string) => {
      if (spec.id === 'suggestion.rate') {
        const comment = typeof args.comment === 'string' ? ` ${args.comment}` : '';
        return `${String(args.rating ?? word)} ${code}${comment}`;
      }
      return `${word} ${code}`;
    };
    this.conv.choice = {
      options: offered.map((c) => ({ commandId: spec.id, word, send: send(c.code) })),
      expiresAt: this.conversations.expiry(),
    };
    const head =
      fit.length === 0 ? '没有找到与您说的相符的一项。您可以选择：' : '有几项都相符，请问是哪一项？';
    return {
      text: `${head}\n${offered.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n回复数字或点选即可。`,
      buttons: offered.map((c) => ({ label: c.label, command: send(c.code) })),
    };
  }

  /**
   * The answer to a dialog's question. Null when the message leaves the dialog: it is clearly another
   * request, or the second answer that could not be read (then the caller handles it afresh or helps).
   */
  private async continueDialog(text: string, parsed: ReturnType<typeof parseCommand>): Promise<Reply | null> {
    const dialog = this.conv.dialog!;
    const spec = commandById(dialog.commandId as CommandId);
    const pending = dialog.missing[0];
    const argSpec = pending ? spec?.args.find((a) => a.name === pending.name) : undefined;
    if (!spec || !pending || !argSpec) return null;
    const freeText = argSpec.kind.type === 'text' || argSpec.kind.type === 'meeting';

    // "我刚才不是说了吗": what was said before is the answer, never these words.
    let answerText = text;
    const quoted = this.conv.said?.value;
    const yn = freeText && quoted !== undefined ? yesNo(text) : null;
    if (quoted !== undefined && yn !== null) {
      // The question quoted words said before (offeredQuestion): yes files them, no asks for the content.
      delete this.conv.said;
      if (yn === 'yes') answerText = quoted;
      else {
        pending.question = questionFor(
          spec,
          pending.name,
          argSpec.question,
          dialog.args as Record<string, ArgValue>,
        );
        dialog.expiresAt = this.conversations.expiry();
        return { text: `好的，这段话不提交。${pending.question}\n（发“取消”可结束）` };
      }
    } else if (freeText && readFreeText(text) === 'back_reference') {
      const earlier = this.conv.said?.value;
      if (!earlier) {
        dialog.expiresAt = this.conversations.expiry();
        return { text: `抱歉，我这里没有保存到您之前说的内容，麻烦再说一次。\n${pending.question}` };
      }
      answerText = earlier;
      delete this.conv.said;
    }
    if (neverMind(text)) {
      delete this.conv.dialog;
      return { text: `好的，已取消“${dialog.word}”。需要时随时告诉我。` };
    }
    // The same request said again ("视察我去不了，单位有事" answering which meeting): what it holds fills what
    // is asked; said again with none of it ("不去了"), it answers nothing and the question stands.
    if (
      parsed.kind === 'command' &&
      parsed.id === spec.id &&
      parsed.via === 'phrase' &&
      answerText === text
    ) {
      const given = dialog.missing.filter((m) => m.name in parsed.args);
      for (const m of given) dialog.args[m.name] = parsed.args[m.name as keyof typeof parsed.args];
      dialog.missing = dialog.missing.filter((m) => !given.includes(m));
      if (given.some((m) => m.name === pending.name)) return this.askNextOrRun(spec);
      dialog.expiresAt = this.conversations.expiry();
      return { text: `${pending.question}\n（发“取消”可结束）` };
    }
    const parsedValue = parseArgAnswer(argSpec, answerText, this.ctx.today);
    // Words asked for: "啊？", "谢谢" or "不知道" are not words for anything.
    const value =
      freeText && parsedValue.ok && answerText === text && !usableWords(text)
        ? { ok: false as const, error: `没看懂，请写出${argSpec.label}。` }
        : parsedValue;
    // "视察" answering "哪个会议或活动" names the invited inspection, not a request for one.
    // Nor is the name of a meeting ahead that holds a command's word ("代表履职集体学习" is no 我的履职).
    const namesMeeting =
      argSpec.kind.type === 'meeting' &&
      (/^(?:视察|调研|学习|培训|常委会|人代会)/.test(text.trim()) ||
        (parsed.kind === 'command' &&
          fitByMeeting(
            text,
            await candidatesFor(this.ctx.deps, spec.id, this.ctx.sender.personId, this.ctx.today),
            this.ctx.today,
          ).length === 1));
    const another =
      !namesMeeting &&
      parsed.kind === 'command' &&
      parsed.id !== 'dialog.confirm' &&
      (parsed.via === 'word' ||
        (!freeText && !value.ok) ||
        // A question or request of another kind ("接待日是哪天", "查一下我的建议") is not these words.
        (freeText && parsed.id !== spec.id && !CONTENT_LIKE.has(parsed.id)));
    if (another) return null;
    if (!value.ok) {
      if (parsed.kind === 'smalltalk') {
        dialog.expiresAt = this.conversations.expiry();
        return { text: `${smalltalkReply(parsed.act).text}\n${pending.question}（发“取消”可结束）` };
      }
      dialog.misses = (dialog.misses ?? 0) + 1;
      if (dialog.misses >= 2) {
        delete this.conv.dialog;
        return {
          text: `抱歉，还是没能看懂，“${dialog.word}”先结束了。需要时直接说就行，例如“${dialog.word}”后面写上要办的内容；发“帮助”可查看能办理的事项。`,
        };
      }
      dialog.expiresAt = this.conversations.expiry();
      return { text: `${value.error}\n${pending.question}\n（发“取消”可结束）` };
    }
    dialog.args[pending.name] = value.value;
    dialog.missing.shift();
    return this.askNextOrRun(spec);
  }

  /** After an answer: the dialog's next question, or, with nothing left to ask, the command itself. */
  private async askNextOrRun(spec: SpecOf): Promise<Reply> {
    const dialog = this.conv.dialog!;
    dialog.misses = 0;
    dialog.expiresAt = this.conversations.expiry();
    const next = dialog.missing[0];
    if (next) {
      const refused = await this.refusedBeforeAsking(
        spec,
        dialog.args as Record<string, ArgValue>,
        next.name,
      );
      if (refused) {
        delete this.conv.dialog;
        return refused;
      }
      return { text: next.question };
    }
    delete this.conv.dialog;
    return this.execute(spec, dialog.word, dialog.args as Record<string, ArgValue>, dialog.attachments);
  }

  /** Role and S16 checks; null when the person may go on. */
  private gate(spec: SpecOf): Reply | null {
    // Staff look up any item of their congresses by its code (handlers/item-query.ts).
    if (spec.id === 'item.query' && mayUse('staff', this.standing.roles)) return null;
    if (!mayUse(spec.who, this.standing.heldRoles)) {
      // Staff writing a deputy's 建议 or 请假 most likely mean to enter one for a deputy.
      const proxy = mayUse('staff', this.standing.heldRoles) ? PROXY_EXAMPLE[spec.id] : undefined;
      if (proxy) {
        return {
          text: `“${spec.word}”不在您可以使用的命令中：${spec.word}由代表本人提出。替代表录入请发“代录 代表姓名 ${spec.word} …”，例如：${proxy}`,
        };
      }
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

  /** Several mandates: the congress named in the message, or chosen earlier; null when it must be asked. */
  private congressFor(spec: SpecOf): { id: number | undefined; ask: boolean } {
    if (!CAPACITY_COMMANDS.has(spec.id)) return { id: undefined, ask: false };
    const seats = deputyCongresses(this.ctx.sender);
    if (seats.length < 2) return { id: undefined, ask: false };
    const named = congressNamed(this.text, seats);
    if (named) {
      this.conv.congress = this.conversations.keep({ id: named.id, name: named.name });
      return { id: named.id, ask: false };
    }
    const chosen = this.conv.congress?.value;
    if (chosen && seats.some((s) => s.id === chosen.id)) {
      this.conv.congress = this.conversations.keep(chosen);
      return { id: chosen.id, ask: false };
    }
    return { id: undefined, ask: true };
  }

  private async execute<Id extends CommandId>(
    spec: SpecOf<Id>,
    word: string,
    args: Record<string, ArgValue>,
    attachmentsIn: Attachment[],
  ): Promise<Reply> {
    if (spec.id === 'help') return { text: this.help() };
    const handler = this.handlers[spec.id];
    if (!handler) {
      return { text: `“${word}”功能还在建设中，暂时请联系人大常委会代表工作机构办理。` };
    }
    let attachments = attachmentsIn;
    const congress = this.congressFor(spec);
    if (congress.ask) {
      const seats = deputyCongresses(this.ctx.sender);
      if (attachments.length > 0) {
        this.conv.kept = this.conversations.keep([...(this.conv.kept?.value ?? []), ...attachments]);
      }
      this.conv.congressQuestion = {
        commandId: spec.id,
        word,
        args,
        options: seats.map((s) => ({ id: s.id, name: s.name })),
        expiresAt: this.conversations.expiry(),
      };
      return {
        text: `您在${seats.length}个人大担任代表，这件事在哪个人大办理？\n${seats.map((s, i) => `${i + 1}. ${s.name}`).join('\n')}\n回复数字或点选即可，本次对话中不再重复询问。`,
        buttons: seats.map((s) => ({ label: s.name, command: s.name })),
      };
    }
    // Photos and places sent just before go with the suggestion that follows.
    if ((spec.id === 'suggestion.submit' || spec.id === 'suggestion.proxy') && this.conv.kept) {
      attachments = [...this.conv.kept.value, ...attachments];
      delete this.conv.kept;
    }
    if (spec.id === 'suggestion.submit') delete this.conv.said;
    const ctx: CommandContext<Id> = {
      ...this.ctx,
      roles: this.standing.roles,
      // Every value was read against this command's argument specs (by the parser or parseArgAnswer),
      // and startCommand/continueDialog asked for each required one before getting here.
      args: args as CompleteArgsOf<Id>,
      conversation: this.conv,
      keep: (value) => this.conversations.keep(value),
      attachments,
      congressId: congress.id,
    };
    const reply = await handler.run(ctx);
    // A numbered list with buttons: replying its number does what the button does.
    if (reply.buttons && reply.buttons.length > 0 && /(?:^|\n)1\. /.test(reply.text) && !this.conv.dialog) {
      this.conv.choice = {
        options: reply.buttons.map((b) => ({ commandId: spec.id, word: b.label, send: b.command })),
        expiresAt: this.conversations.expiry(),
      };
    }
    return reply;
  }

  private help(): string {
    const blocked = this.standing.deputyBlocked;
    const text = plainHelp(this.standing.roles.length > 0 ? this.standing.roles : []);
    if (!blocked) return text;
    const status = blocked.status === 'suspended' ? '暂停执行' : '已终止';
    return `${text}\n您的代表职务${status}，目前只能查询已提交事项的办理情况（发“查询”）和履职记录（发“我的履职”）。`;
  }

  private withPendingQuestion(text: string): string {
    const next = this.conv.dialog?.missing[0];
    return next ? `${text}\n${next.question}` : text;
  }
}
