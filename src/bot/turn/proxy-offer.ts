import { isAppError } from '../../errors.ts';
import type { Reply } from '../../messaging/index.ts';
import { resolveDeputy } from '../../services/suggestions/index.ts';
import { PROXY_EXAMPLE } from '../dialog/wording.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { mayUse, type SpecOf } from '../language/command-catalog.ts';
import { parseCommand } from '../language/command-parser.ts';
import type { TurnScope } from './scope.ts';

// Staff writing down a deputy's 请假 or 建议 as it was told them ("张秀英代表打电话说她下周的会去不了，住院了"):
// the 代录 command it most likely means, with the deputy and the words in place, as a button. Nothing is
// entered unasked.

/** "张秀英代表打电话说她…", "王五反映…": who told it, then what they said. */
const TOLD_BY =
  /^(\p{Script=Han}{2,4}?)(?:代表)?(?:刚才|今天|刚刚)?(?:打电话|来电话?|打来电话|电话里|托人)?(?:说|讲|反映|告诉我|让我|请我)(?:她|他)?(?:说)?[，,：:\s]*/u;

/** "…，帮他录一下", "麻烦登记一下": what staff ask of the bot after the deputy's words, no part of them. */
const RECORD_IT =
  /[，,。.\s]*(?:请|麻烦)?(?:你|您)?(?:帮(?:他|她|忙|我)?|替(?:他|她)|给(?:他|她))?(?:录|录入|登记|记|代录|记录)(?:一下|下)?(?:吧)?[。.！!]*$/u;

/**
 * The 代录 offer for what staff wrote, or null when it names no one deputy or no request of theirs. `spec`
 * is the deputy's command the words were read as; none ("张大爷打电话说村里的桥塌了一半，帮他录一下", read as no
 * command) offers the words as a suggestion.
 */
export async function proxyOffer(t: TurnScope, spec: SpecOf | null): Promise<Reply | null> {
  if (!mayUse('staff', t.standing.roles) || (spec && !PROXY_EXAMPLE[spec.id])) return null;
  const said = t.text.trim().replace(RECORD_IT, '');
  const m = TOLD_BY.exec(said);
  if (!m) return null;
  const name = m[1]!;
  try {
    await resolveDeputy(t.ctx.deps.db, name, staffCongressesOf(t.ctx.sender));
  } catch (e) {
    if (isAppError(e)) return null;
    throw e;
  }
  const rest = said.slice(m[0].length);
  const parsed = parseCommand(rest, { now: t.ctx.today, roles: ['deputy'] });
  let words: string | null = null;
  if (parsed.kind === 'command' && parsed.id === 'leave.request') {
    const { meeting, reason } = parsed.args;
    const named = meeting ? ('code' in meeting ? meeting.code : meeting.name) : undefined;
    if (named && reason) words = `请假 ${named} ${reason}`;
  } else if (parsed.kind === 'command' && parsed.id === 'suggestion.submit' && parsed.args.content) {
    words = `${parsed.args.kind ?? '建议'} ${parsed.args.content}`;
  } else if (
    (!spec || spec.id === 'suggestion.submit') &&
    (rest.match(/\p{Script=Han}/gu)?.length ?? 0) >= 4
  ) {
    words = `建议 ${rest}`;
  }
  if (!words) return null;
  const command = `代录 ${name} ${words}`;
  // A yes ("是", "对") takes the one thing offered, as a tap on the button would.
  t.conv.choice = {
    options: [{ commandId: 'suggestion.proxy', word: '代录', send: command }],
    expiresAt: t.conversations.expiry(),
  };
  return {
    text: `${spec ? `“${spec.word}”由代表本人提出。` : ''}是要替${name}代表录入吗？回复“是”或点下面的按钮录入，也可以发：\n${command}`,
    buttons: [{ label: `代录 ${name}`, command }],
  };
}
