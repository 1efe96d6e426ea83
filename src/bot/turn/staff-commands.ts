import type { Reply, ReplyButton } from '../../messaging/index.ts';
import { quote } from '../dialog/free-text.ts';
import { mayUse } from '../language/command-catalog.ts';
import { parseCommand } from '../language/command-parser.ts';
import type { TurnScope } from './scope.ts';

// Staff who write several commands in one message ("批准 QJ-2026-0001 交办 JY-2026-0003 市住建局", or one
// a line): each is done in turn and answered under one reply. A 代录 that ends "另外交办市住建局" is the
// 代录, then the 交办 of the item it files. A command that asks something back stops the run (its question
// is the one left open) and the rest are offered as buttons; so is a 答复, which reaches the deputy at once
// and cannot be taken back.

/** The staff commands that may follow one another in a message, by id. */
const STAFF_COMMANDS: ReadonlySet<string> = new Set([
  'leave.approve',
  'leave.reject',
  'suggestion.assign',
  'suggestion.extend',
  'suggestion.answer',
  'suggestion.proxy',
  'broadcast.notify',
]);

/** Done only when tapped again when not the message's first command: it reaches the deputy at once. */
const OFFERED_ONLY: ReadonlySet<string> = new Set(['suggestion.answer']);

const WORD = '(?:不批准|批准|交办|延期|录入答复|答复|代录|通知)';
const CODE = '[A-Za-zＡ-Ｚａ-ｚ]{2}[-－\\s]?\\d{4}[-－\\s]?\\d{1,6}';
/** A command word with its code, after a space or a stop, inside a line. */
const INLINE = new RegExp(`(?<=[\\s，,。；;、])${WORD}\\s*(?=${CODE})`, 'g');
/** A line that opens with a command word. */
const LINE_START = new RegExp(`^\\s*${WORD}`);
/** "…… 另外交办市住建局" at the end of a 代录: the 交办 of the item it files, organs after it. */
const THEN_ASSIGN =
  /[\s，,。；;]+(?:另外|并且?|然后|同时|再)?(?:请|麻烦)?(?:直接)?交办(?:给|到)?\s*([^\s，,。；;].*?)[。.！!]*$/;
/** What follows that 交办 must read as organs ("市住建局", "市水务局牵头，市住建局协办"). */
const ORGANS_END =
  /(?:局|委|办|厅|院|中心|公司|部|所|站|处|队|会|街道|镇|乡|政府|集团)(?:承办|办理|牵头|主办|协办)?$/;

/** One command of the message: its words, or a 交办 of the item the 代录 before it files. */
export type StaffPart = { text: string } | { assignTo: string };

/** The message's commands, in order, when it holds two or more a staff member may give; else null. */
export function staffCommands(t: TurnScope, text: string): StaffPart[] | null {
  if (!mayUse('staff', t.standing.roles)) return null;
  const pieces: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (pieces.length > 0 && !LINE_START.test(line)) {
      // A line that opens no command goes on with the one before (an answer's next paragraph).
      pieces[pieces.length - 1] += `\n${line}`;
      continue;
    }
    let from = 0;
    for (const m of line.matchAll(INLINE)) {
      pieces.push(line.slice(from, m.index));
      from = m.index;
    }
    pieces.push(line.slice(from));
  }
  const parts: StaffPart[] = [];
  for (const raw of pieces) {
    const piece = raw.trim();
    if (piece === '') continue;
    const parsed = parseCommand(piece, { now: t.ctx.today, roles: t.standing.heldRoles });
    if (parsed.kind !== 'command' || parsed.via !== 'word' || !STAFF_COMMANDS.has(parsed.id)) return null;
    const then = parsed.id === 'suggestion.proxy' ? THEN_ASSIGN.exec(piece) : null;
    if (then && then.index > 0 && ORGANS_END.test(then[1]!)) {
      parts.push({ text: piece.slice(0, then.index) }, { assignTo: then[1]! });
    } else parts.push({ text: piece });
  }
  return parts.length > 1 ? parts : null;
}

/** Whether the part may only be offered (not done) when it is not the message's first. */
function offeredOnly(t: TurnScope, text: string): boolean {
  const parsed = parseCommand(text, { now: t.ctx.today, roles: t.standing.heldRoles });
  return parsed.kind === 'command' && OFFERED_ONLY.has(parsed.id);
}

/** Something now waits for the person's next words (a question, a yes, a choice made by this part). */
const asksBack = (t: TurnScope, choiceBefore: unknown): boolean =>
  Boolean(t.conv.dialog || t.conv.confirm || t.conv.congressQuestion || t.conv.choice !== choiceBefore);

/**
 * Each command of the message answered in turn (`run` answers one), as one reply: a numbered block per
 * command, then what was left and why, with a button for each.
 */
export async function inTurnForStaff(
  t: TurnScope,
  parts: StaffPart[],
  run: (text: string) => Promise<Reply | null>,
): Promise<Reply> {
  const blocks: string[] = [];
  const offered: ReplyButton[] = [];
  const notes: string[] = [];
  let lastButtons: ReplyButton[] | undefined;
  let stopped = false;
  for (const [i, part] of parts.entries()) {
    let text: string;
    if ('assignTo' in part) {
      // The item the 代录 just before filed; nothing filed (refused, or still asking): said, not guessed.
      const filed = t.conv.lastItem;
      if (!filed?.startsWith('JY-') || stopped || !blocks.at(-1)?.includes(filed)) {
        notes.push(`“交办${part.assignTo}”还没有办理：代录完成后请发“交办 编号 ${part.assignTo}”。`);
        continue;
      }
      text = `交办 ${filed} ${part.assignTo}`;
      // The 代录's "下一步请交办…" is done here, not left to do.
      blocks[blocks.length - 1] = blocks
        .at(-1)!
        .replace(/下一步请交办：.*$/s, '')
        .trimEnd();
    } else text = part.text;
    const label = `${blocks.length + 1}. ${quote(text, 30)}`;
    if (stopped) {
      offered.push({ label: quote(text, 20), command: text });
      continue;
    }
    if (i > 0 && offeredOnly(t, text)) {
      offered.push({ label: quote(text, 20), command: text });
      notes.push(`“${quote(text, 30)}”还没有录入：答复会立即发给代表、不能撤回，请核对后点下面的按钮录入。`);
      continue;
    }
    const choiceBefore = t.conv.choice;
    const reply = await run(text);
    blocks.push(`${label}\n${reply?.text ?? '（没有需要办理的内容）'}`);
    lastButtons = reply?.buttons;
    if (asksBack(t, choiceBefore) && i < parts.length - 1) {
      stopped = true;
      notes.push('上面还有一个问题等您回答；其余的命令还没有办理，回答后点下面的按钮逐项办理。');
    }
  }
  const buttons = [...(lastButtons ?? []), ...offered];
  return {
    text: `您这条消息有 ${parts.length} 项命令，依次办理如下：\n\n${blocks.join('\n\n')}${notes.length > 0 ? `\n\n${notes.join('\n')}` : ''}`,
    ...(buttons.length > 0 ? { buttons } : {}),
  };
}
