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

/** The 代录 offer for what staff wrote, or null when it names no one deputy or no request of theirs. */
export async function proxyOffer(t: TurnScope, spec: SpecOf): Promise<Reply | null> {
  if (!mayUse('staff', t.standing.roles) || !PROXY_EXAMPLE[spec.id]) return null;
  const said = t.text.trim();
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
  } else if (spec.id === 'suggestion.submit' && (rest.match(/\p{Script=Han}/gu)?.length ?? 0) >= 4) {
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
    text: `“${spec.word}”由代表本人提出。是要替${name}代表录入吗？回复“是”或点下面的按钮录入，也可以发：\n${command}`,
    buttons: [{ label: `代录 ${name}`, command }],
  };
}
