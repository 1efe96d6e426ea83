import type { Reply } from '../../messaging/index.ts';
import { addRatingReason, withdrawSuggestion } from '../../services/suggestions/index.ts';
import { bareMonth } from '../dialog/answers.ts';
import {
  asksToWait,
  asksWhenAnswered,
  correctionOf,
  correctsEarlierWords,
  goingToReception,
  quote,
  takesBack,
  usableWords,
  withdrawsLeave,
  yesNo,
} from '../dialog/free-text.ts';
import { readItemAction, startsWithItemAction } from '../dialog/item-actions.ts';
import { candidatesFor } from '../dialog/item-words.ts';
import { deputyCongresses, pickCongress } from '../dialog/mandates.ts';
import type { ChoiceState, ConversationState, ConversationStore } from '../dialog/state.ts';
import { OTHER_HINT, smalltalkReply, VOICE_HINT, WELCOME } from '../dialog/wording.ts';
import type { SenderStanding } from '../dispatch/sender-roles.ts';
import { type ArgValue, type CommandId, commandById, mayUse } from '../language/command-catalog.ts';
import { parseCommand, requestAfterAnswer, twoRequests } from '../language/command-parser.ts';
import { leaveDecisionSaid } from '../language/phrasings.ts';
import { figuresAsked } from '../language/staff-questions.ts';
import type { CommandHandlers, RouteContext } from '../types.ts';
import { onAttachment } from './attachments.ts';
import { BOOKING_MOVE, changeTopic, confirmBookingMove, moveBooking } from './booking-change.ts';
import { onCommand, startCommand } from './command-start.ts';
import { amendWithCorrection, correctLastItem } from './correction.ts';
import { onDenial } from './denial.ts';
import { continueDialog } from './dialog-answer.ts';
import { execute, help, withPendingQuestion } from './execution.ts';
import { undoLastExtension } from './extension-undo.ts';
import { invitationOfWords } from './invitation-words.ts';
import { choiceByWords, staffItemChoice } from './item-choice.ts';
import { askLeaveTakeBack, confirmLeaveTakeBack, LEAVE_TAKE_BACK } from './leave-take-back.ts';
import { correctPick, rememberPick } from './list-correction.ts';
import { offerWayNamed } from './matter-of-item.ts';
import { askedOfShownMeeting, meetingDetails, meetingPicked } from './meetings-ahead.ts';
import { confirmOrganCorrection, ORGAN_CORRECTION, offerOrganCorrection } from './organ-correction.ts';
import { act, addPhotos, addWords, onItemAction, own } from './own-items.ts';
import type { TurnScope } from './scope.ts';
import { inTurnForStaff, staffCommands } from './staff-commands.ts';
import { staffQuestion } from './staff-questions.ts';
import { offerSuggestion, onUnclear } from './unclear.ts';
import { undoLastUrge } from './urge-undo.ts';

// One message of a known sender, answered: what the conversation waits for first (a yes, a congress, an
// item's words, a dialog's answer, a reason, a number), then the message read on its own. The parts live
// beside this file, each taking the turn as its scope.

/** A message that starts by pointing at one of the person's items: "这个建议…", "我上次那个意见…". */
const NAMES_OWN_ITEM =
  /^(?:这个|那个|这条|那条|我的|我那个|我上次的?|刚才的?|刚刚的?|上次的?|之前的?)(?:建议|意见|批评)/;

/** Words that only say one will come after all ("我又能去了", "那天我可以参加"). */
const WILL_COME =
  /^(?:那天|到时候)?(?:我|俺)?(?:又|还|也|现在)?(?:能|可以|会|肯定|一定|准时)(?:去|参加|到)(?:了|的)?[。.！!]*$/;

/** "那就…", "那么就…": what follows is decided on. */
const DECIDED = /^(?:那么?|好)?[，,\s]*就/;

/** Commands that only read: asked while a dialog waits, they are answered and the dialog goes on. */
const ASKED_ASIDE: ReadonlySet<string> = new Set(['reception.day', 'item.query', 'duty.record', 'help']);

/** Staff steps that, asked about and then passed over, are said to be still undone. */
const LAPSE_TOLD: ReadonlySet<string> = new Set([
  'leave.approve',
  'leave.reject',
  'suggestion.assign',
  'suggestion.extend',
  'suggestion.answer',
]);

export class Turn implements TurnScope {
  readonly ctx: RouteContext;
  readonly handlers: CommandHandlers;
  readonly conversations: ConversationStore;
  readonly conv: ConversationState;
  readonly standing: SenderStanding;
  /** The text of the message being answered (a button's command included). */
  text = '';
  /** The numbered list offered just before this message, for “第一个催一下”. */
  readonly shown: ChoiceState | undefined;
  /** Answering one of two requests of the same message. */
  private splitting = false;

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
    this.shown = conv.choice;
  }

  async answer(stored: number | undefined): Promise<Reply | null> {
    const { msg } = this.ctx;
    switch (msg.kind) {
      case 'text':
        return this.onText(msg.text ?? '');
      case 'voice':
        return msg.text ? this.onText(msg.text) : { text: withPendingQuestion(this, VOICE_HINT) };
      case 'image':
      case 'video':
      case 'file':
      case 'location':
        return onAttachment(this, stored);
      case 'event':
        if (msg.event?.type === 'click' && msg.text) return this.onText(msg.text);
        if (msg.event?.type === 'subscribe') return { text: `${WELCOME}\n${help(this)}` };
        return null;
      default:
        return { text: OTHER_HINT };
    }
  }

  /** Two parts of one message answered one after the other, as one reply. */
  private async inTurn(
    text: string,
    first: () => Promise<Reply | null>,
    second: () => Promise<Reply | null>,
  ): Promise<Reply | null> {
    this.splitting = true;
    const a = await first();
    const b = await second();
    this.splitting = false;
    this.text = text;
    return joinReplies(a, b);
  }

  /** An answer given while a dialog waits: the dialog goes on, its question asked again after the answer. */
  private asideOfDialog(answer: Reply): Reply {
    const dialog = this.conv.dialog;
    const question = dialog?.missing[0]?.question;
    if (!dialog || !question) return answer;
    dialog.expiresAt = this.conversations.expiry();
    return { ...answer, text: `${answer.text}\n\n（“${dialog.word}”还没办完）${question}（发“取消”可结束）` };
  }

  async onText(text: string): Promise<Reply | null> {
    const opts = { now: this.ctx.today, roles: this.standing.heldRoles };
    // "…去不了要出差，另外我想提个建议，…": each request answered in turn, when nothing waits for an answer.
    const waiting =
      this.conv.dialog || this.conv.confirm || this.conv.congressQuestion || this.conv.itemAction;
    const two =
      waiting || this.splitting ? null : twoRequests(text, opts, (part) => readItemAction(part) !== null);
    // "…要住院观察 另外俺有个建议…" while a dialog asks: the other request first, then the answer, whose
    // dialog waits meanwhile (its question, if it asks another, is the one left open).
    const asking = this.conv.dialog;
    const aside =
      asking && !this.splitting && !this.conv.confirm && !this.conv.congressQuestion && !this.conv.itemAction
        ? requestAfterAnswer(text, opts, asking.commandId)
        : null;
    // Staff writing several commands ("批准 QJ-… 交办 JY-… 市住建局", or one a line): each in turn.
    const staffParts = waiting || this.splitting ? null : staffCommands(this, text);
    if (staffParts) {
      this.splitting = true;
      const reply = await inTurnForStaff(this, staffParts, (part) => this.onText(part));
      this.splitting = false;
      this.text = text;
      return reply;
    }
    if (aside && asking)
      return this.inTurn(
        text,
        async () => {
          delete this.conv.dialog;
          const other = await this.onText(aside[1]);
          this.conv.dialog = asking;
          return other;
        },
        () => this.onText(aside[0]),
      );
    if (two)
      return this.inTurn(
        text,
        () => this.onText(two[0]),
        () => this.onText(two[1]),
      );
    this.text = text;
    const parsed = parseCommand(text, opts);
    // "不对 是2" just after a line of a numbered list was acted on: the line meant.
    const pick = this.conv.picked?.value;
    delete this.conv.picked;
    const repicked = pick ? await correctPick(this, text, pick) : null;
    if (repicked) return repicked;

    const confirm = this.conv.confirm;
    if (confirm) {
      delete this.conv.confirm;
      // A photo's item question also takes the numbers of the choice before it.
      const yn =
        confirm.commandId === 'item.photo' && parsed.kind === 'choice' ? null : yesNo(text, confirm.word);
      if (yn === 'yes' && confirm.send) return this.onText(confirm.send);
      if (yn === 'yes' && confirm.commandId === 'item.withdraw') {
        const code = String(confirm.args.code);
        return act(
          this,
          () => withdrawSuggestion(this.ctx.deps, own(this, code)),
          (item) => `已撤回 ${item.code}，不再交办；记录仍保留，发“查询 ${item.code}”可查看。`,
        );
      }
      if (yn === 'yes' && confirm.commandId === LEAVE_TAKE_BACK)
        return confirmLeaveTakeBack(this, confirm.args);
      if (yn === 'yes' && confirm.commandId === BOOKING_MOVE) {
        const moved = await confirmBookingMove(this, confirm.args);
        if (moved) return moved;
        return { text: `预约 ${String(confirm.args.code)} 已不在，没有改约。发“查询”可查看您的预约。` };
      }
      if (yn === 'yes' && confirm.commandId === ORGAN_CORRECTION)
        return confirmOrganCorrection(this, confirm.args);
      if (yn === 'yes' && confirm.commandId === 'item.photo') {
        delete this.conv.choice;
        const kept = this.conv.kept?.value.filter((a) => a.kind === 'image') ?? [];
        delete this.conv.kept;
        return addPhotos(this, String(confirm.args.code), kept);
      }
      if (yn === 'no' && confirm.commandId === 'item.photo') {
        if (confirm.args.justFiled)
          return { text: '好的，照片先为您保存30分钟。请接着说说要反映的问题，照片会随新的建议一起提交。' };
        return { text: '好的。请回复数字选择要补充到哪一项，照片先为您保存30分钟。' };
      }
      if (yn === 'yes' && Array.isArray(confirm.args.codes)) {
        // Several at once ("都批准"): each recorded and answered on its own line.
        const spec = commandById(confirm.commandId as CommandId);
        const lines: string[] = [];
        for (const code of confirm.args.codes as string[])
          if (spec) lines.push((await execute(this, spec, confirm.word, { code }, [])).text);
        return { text: lines.join('\n') };
      }
      if (yn === 'yes') {
        const spec = commandById(confirm.commandId as CommandId);
        if (spec) return execute(this, spec, confirm.word, confirm.args as Record<string, ArgValue>, []);
      }
      // "刚才说错了是东街不是西街" to "要把这段话作为建议提交吗？": the offer stands, with the correction in it.
      const offered = confirm.commandId === 'suggestion.submit' ? confirm.args.content : undefined;
      // After a bare "说错了", the next words that are neither yes nor no are the correction.
      const fix =
        typeof offered !== 'string' || yn !== null
          ? null
          : confirm.args.fixing
            ? { rest: text.trim() }
            : correctsEarlierWords(text);
      if (fix && typeof offered === 'string') {
        if (usableWords(fix.rest))
          return offerSuggestion(
            this,
            `${offered}（更正：${fix.rest}）`,
            `“${quote(offered, 30)}”\n更正：“${quote(fix.rest)}”`,
          );
        this.conv.confirm = { ...confirm, args: { ...confirm.args, fixing: true } };
        return {
          text: '好的，请直接说要更正的地方，例如“是东街不是西街”；或者回复“否”不提交，再重新说一遍。',
        };
      }
      // "不是，是市水务局" to "是要交办给市住建局吗？": the organ said again is the one meant.
      const corrected = yn === null && confirm.commandId === 'suggestion.assign' ? correctionOf(text) : null;
      if (corrected && typeof confirm.args.code === 'string')
        return this.onText(`${confirm.word} ${confirm.args.code} ${corrected}`);
      // "不是这个 是路灯那个" to "确定撤回 JY-… 吗？": nothing withdrawn; the item the words name is asked about.
      const meant =
        yn === null && confirm.commandId === 'item.withdraw'
          ? correctionOf(text)
              ?.replace(/^(?:这个|这条|这项|这一项|那个)?[，,\s]*(?:应该)?(?:是|要撤的是)?[，,\s]*/, '')
              .trim()
          : null;
      if (meant && typeof confirm.args.code === 'string') {
        const next = await this.onText(`撤回 ${meant}`);
        return next && { ...next, text: `好的，${confirm.args.code} 没有撤回。\n${next.text}` };
      }
      if (yn === 'no') {
        return {
          text:
            confirm.commandId === 'suggestion.submit'
              ? '好的，没有提交。这段话我先记着，30分钟内发“建议”即可提交；也可以告诉我您要办什么。'
              : `好的，没有${confirm.word}。`,
        };
      }
      // Anything else: the question lapses and the message is read on its own. A staff step asked about
      // ("张大爷的假批了吧", then "王忙那个请假也同意") is said to be still undone, never thought done.
      if (LAPSE_TOLD.has(confirm.commandId) && typeof confirm.question === 'string') {
        const next = await this.onText(text);
        return (
          next && {
            ...next,
            text: `（刚才问您“${confirm.question}”，没有收到“是”，所以还没有办理。）\n${next.text}`,
          }
        );
      }
    }

    const asked = this.conv.congressQuestion;
    if (asked) {
      delete this.conv.congressQuestion;
      const seat = pickCongress(text, deputyCongresses(this.ctx.sender));
      const spec = commandById(asked.commandId as CommandId);
      if (seat && spec) {
        this.conv.congress = this.conversations.keep({ id: seat.id, name: seat.name });
        return execute(this, spec, asked.word, asked.args as Record<string, ArgValue>, []);
      }
    }

    const pendingAction = this.conv.itemAction?.value;
    delete this.conv.itemAction;
    const wordCommand = parsed.kind === 'command' && parsed.via === 'word';
    if (pendingAction && parsed.kind === 'command' && parsed.id === 'dialog.cancel') {
      return { text: '好的，已取消。' };
    }
    if (pendingAction?.action === 'amend' && !wordCommand && parsed.kind !== 'choice') {
      if (pendingAction.correction) return amendWithCorrection(this, pendingAction.code, text);
      return addWords(this, pendingAction.code, text);
    }
    // "撤销延期", "不对，不延期了" from staff just after a 延期: that extension taken back.
    // "不对，我不是要催办" from a deputy just after a 催办: that 催办 taken back.
    if (!this.conv.dialog) {
      // "我不是要催办，是想查一下进度": the word denied is never acted on; what was meant is.
      const undone =
        (await undoLastExtension(this, text)) ??
        (await undoLastUrge(this, text)) ??
        (await onDenial(this, text));
      if (undone) return undone;
    }
    // "改成这个月", "话题改成…" just after booking: the booking changed, never words added to a suggestion.
    // "刚才说错了，是东关街" just after filing: into that item, never a suggestion of its own.
    if (!this.conv.dialog && !wordCommand) {
      const changed =
        (await moveBooking(this, text)) ??
        (await changeTopic(this, text)) ??
        (await offerOrganCorrection(this, text)) ??
        (await correctLastItem(this, text));
      if (changed) return changed;
    }
    const action = readItemAction(text);
    // "这个建议我不提了 撤了吧": 建议 names the item, it is no command word.
    const aboutOwn = wordCommand && NAMES_OWN_ITEM.test(text);
    if (action && (startsWithItemAction(text) || ((!wordCommand || aboutOwn) && !this.conv.dialog))) {
      delete this.conv.dialog;
      delete this.conv.choice;
      return onItemAction(this, action);
    }

    // "住建局有几件没答复的", "下周的会有几个人请假": staff asking after the office's work, answered from what
    // stands; a dialog that waits goes on after the answer (its question asked again). "建议办结了多少" opens
    // with a command word and still asks the office's figures.
    const colleague =
      wordCommand && !parsed.loose && !figuresAsked(text) ? null : await staffQuestion(this, text);
    if (colleague) return this.asideOfDialog(colleague);

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
      const reply = await continueDialog(this, text, parsed);
      if (reply) return reply;
      // "建议 村口路灯坏了" just after "我想提个建议 不要公开我的名字": that suggestion, the name withheld.
      if (dialog.nameWithheld && parsed.kind === 'command' && parsed.id === 'suggestion.submit') {
        delete this.conv.dialog;
        return onCommand(this, { ...parsed, nameWithheld: dialog.nameWithheld });
      }
      // "接待日是哪天", "查询" while the reason is asked: answered, and the question stays open (the
      // deputy's next words are its answer, never an unclear message).
      if (parsed.kind === 'command' && ASKED_ASIDE.has(parsed.id)) {
        const answer = await onCommand(this, parsed);
        if (this.conv.dialog !== dialog) return answer;
        return this.asideOfDialog(answer);
      }
      delete this.conv.dialog;
    }

    // 不满意 just now without why: words that are no command are the reason (kept, passed to the organs).
    const awaitingReason = this.conv.ratingReason?.value;
    delete this.conv.ratingReason;
    if (awaitingReason && parsed.kind !== 'command' && parsed.kind !== 'choice' && asksWhenAnswered(text)) {
      // "那要多长时间才能重新给我答复呀": a question, not why they are dissatisfied; the reason is still asked.
      this.conv.ratingReason = this.conversations.keep(awaitingReason);
      return {
        text: `${awaitingReason} 重新答复的期限就是上一条消息里写的日期，承办单位答复后会第一时间告诉您。\n您对原来的答复哪里不满意？直接说就行，我会转给重新办理的单位。`,
      };
    }
    // "等一下我找找照片": no reason yet; the question stays open.
    if (awaitingReason && parsed.kind !== 'command' && asksToWait(text)) {
      this.conv.ratingReason = this.conversations.keep(awaitingReason);
      return { text: '好的，不着急。找好后直接发过来就行，说明的话我会转给重新办理的单位。' };
    }
    // "俺对那个答复不太满意 红绿灯…老是不亮": 不满意 said again, with why, is the reason asked for.
    const saysWhy =
      parsed.kind === 'command' &&
      parsed.id === 'suggestion.rate' &&
      parsed.args.rating === '不满意' &&
      typeof parsed.args.comment === 'string' &&
      (parsed.args.code === undefined || parsed.args.code === awaitingReason);
    const why = saysWhy ? String(parsed.args.comment) : text;
    if (
      awaitingReason &&
      ((parsed.kind !== 'command' && parsed.kind !== 'choice') || saysWhy) &&
      usableWords(why)
    ) {
      return act(
        this,
        () => addRatingReason(this.ctx.deps, { ...own(this, awaitingReason), reason: why }),
        (item) => `已把您说的原因记在 ${item.code} 上，并转给重新办理的单位。`,
      );
    }

    // "好的 俺准时到" names no activity: just after a booking it acknowledges that, never an invitation.
    const vagueAttend = parsed.kind === 'command' && parsed.id === 'activity.attend' && parsed.loose === true;
    const last = vagueAttend && this.conv.lastItem?.startsWith('JD-') ? this.conv.lastItem : undefined;
    const booked =
      last && !this.conv.receptionAsked
        ? (
            await candidatesFor(this.ctx.deps, 'reception.cancel', this.ctx.sender.personId, this.ctx.today)
          ).find((c) => c.code === last)?.code
        : undefined;
    if (booked)
      return {
        text: `好的。您的接待日预约 ${booked} 已经约上了，前一天会提醒您；发“查询 ${booked}”可查看。`,
      };
    // "预约接待日" booked this month, then "下下个月": the month meant; the booking moves there.
    if (parsed.kind === 'unclear' && this.conv.lastItem?.startsWith('JD-') && !this.conv.receptionAsked) {
      const month = bareMonth(text, this.ctx.today);
      const moved = month ? await moveBooking(this, `接待日改到${month}`) : null;
      if (moved) return moved;
    }
    // "接待日", then "下个月": that month's reception day, remembered for the 预约接待日 that may follow.
    if ((parsed.kind !== 'command' || vagueAttend) && parsed.kind !== 'choice' && this.conv.receptionAsked) {
      // "那就下个月吧": that month decided on: the booking just made moves there, else it is booked.
      const decided = DECIDED.test(text.trim())
        ? bareMonth(text.trim().replace(DECIDED, ''), this.ctx.today)
        : null;
      if (decided)
        return (await moveBooking(this, `接待日改到${decided}`)) ?? this.onText(`预约接待日 ${decided}`);
      const month = bareMonth(text, this.ctx.today);
      if (month) return this.onText(`接待日 ${month}`);
      // "那天我去，想说说停车难": booking the day just given (the month named, if any, is remembered).
      const going = goingToReception(text);
      if (going) return this.onText(`预约接待日 ${going.topic}`.trim());
    }

    // One thing offered ("近期您可以请假的有：1. …"): "对", "好的" take it.
    const onlyOne =
      this.conv.choice?.options.length === 1 &&
      (parsed.kind !== 'command' || parsed.id === 'dialog.confirm') &&
      yesNo(text) === 'yes';
    if (parsed.kind === 'choice' || onlyOne) {
      const choice = this.conv.choice;
      delete this.conv.choice;
      const option = choice?.options[parsed.kind === 'choice' ? parsed.index - 1 : 0];
      if (!option) {
        // "第三个" to a list of two, or "第二个" with no list to pick from: said so, never another line.
        if (choice && choice.options.length > 0) {
          this.conv.choice = { ...choice, expiresAt: this.conversations.expiry() };
          const n = choice.options.length;
          return { text: `刚才的列表只有 ${n} 项，请回复${n === 1 ? '“1”' : ` 1–${n} 中的数字`}。` };
        }
        return { text: '现在没有可以按序号选的列表。请直接告诉我您要办什么，发“帮助”可查看能办理的事项。' };
      }
      if (option.meeting) return meetingDetails(this, option.meeting);
      if (option.send) {
        const reply = await this.onText(option.send);
        rememberPick(this, choice, option.send);
        return reply;
      }
      // 建议 picked after "路灯": the words the menu held start the suggestion, however few.
      if (choice?.held && option.commandId === 'suggestion.submit' && !this.conv.said)
        this.conv.said = this.conversations.keep(choice.held);
      return startCommand(this, commandById(option.commandId as CommandId), option.word, {}, [], {
        picked: true,
      });
    }
    // "好", "对" to a numbered list: which one is still the question; it stays open.
    const open = this.conv.choice;
    if (open && open.options.length > 1 && parsed.kind !== 'command' && yesNo(text) === 'yes') {
      open.expiresAt = this.conversations.expiry();
      return { text: `请回复数字（1–${open.options.length}）告诉我是哪一项，也可以点选上面的按钮。` };
    }
    // "算了不请了" to what was offered: 取消 ends it and says so (handlers/confirm.ts).
    if (parsed.kind !== 'command' || parsed.id !== 'dialog.cancel') delete this.conv.choice;
    // "新的" to "补充到这条，还是另提一条？": the way named.
    const way = open && parsed.kind === 'unclear' ? offerWayNamed(open, text) : null;
    if (way?.send) return this.onText(way.send);
    // "路灯那个" to a numbered list of one's suggestions: the line the words point at.
    if (open && parsed.kind === 'unclear') {
      const byWords = await choiceByWords(this, open);
      if (byWords) return byWords;
    }
    // "第七次会议", "第一个请假" to the list of meetings ahead: that meeting.
    const meeting = open ? await meetingPicked(this, open, parsed) : null;
    if (meeting) return meeting;
    // "要带啥" after one meeting was shown: of that meeting.
    const ofShown = parsed.kind === 'unclear' ? await askedOfShownMeeting(this) : null;
    if (ofShown) return ofShown;

    // "第二个也批了", "这个不同意" from an approver: what waits for the decision, to choose from (never
    // decided from these words, nor read as a deputy's rating).
    // "请假的那个批了吧", "老张的请假批了吧": the leave named, then approved; never leave of the approver's own,
    // even when they are a deputy too.
    const notTheirs =
      parsed.kind === 'unclear' ||
      (parsed.kind === 'command' && parsed.via === 'phrase' && !mayUse(parsed.spec.who, this.standing.roles));
    const said = mayUse('approver', this.standing.roles) ? leaveDecisionSaid(text) : null;
    const decision = said && (notTheirs || 'pointed' in said) ? said : null;
    if (decision) {
      const spec = commandById(decision.id);
      const reason = 'reason' in decision ? decision.reason : undefined;
      const named = 'pointed' in decision ? { pointed: true, whose: decision.whose } : {};
      return staffItemChoice(this, spec, spec.word, reason ? { reason } : {}, 'code', named);
    }

    // "视察我又能去了": the inspection they were invited to, never a request for one of their own (S17).
    if (
      parsed.kind === 'command' &&
      parsed.id === 'inspection.request' &&
      typeof parsed.args.content === 'string' &&
      WILL_COME.test(parsed.args.content)
    )
      return this.onText('参加 视察');

    // "下礼拜二的视察": a day and 视察 only, the invited one (asked what to answer), never a request of a day.
    if (parsed.kind === 'command' && parsed.id === 'inspection.request') {
      const invited = await invitationOfWords(this, text);
      if (invited) return invited;
    }

    switch (parsed.kind) {
      case 'empty':
        return { text: '请问您要办理什么？发“帮助”可查看能办理的事项。' };
      case 'smalltalk':
        // "在吗" between "路灯" and the rest of it: the menu stays open with the words it holds.
        if (this.shown?.held) this.conv.choice = this.shown;
        return smalltalkReply(parsed.act);
      case 'unclear':
        if (withdrawsLeave(text)) return askLeaveTakeBack(this, text);
        return onUnclear(this, text, parsed.suggestions, parsed.intent.kind);
      case 'command':
        return onCommand(this, parsed);
    }
  }
}

/** Two answers of one message, as one: the later's buttons, since its question is the one left open. */
function joinReplies(first: Reply | null, second: Reply | null): Reply | null {
  if (!first || !second) return first ?? second;
  const buttons = second.buttons ?? first.buttons;
  return {
    ...second,
    text: `${first.text}\n\n${second.text}`,
    ...(buttons ? { buttons } : {}),
    ...(first.personal || second.personal ? { personal: true } : {}),
  };
}
