import { quote } from '../src/bot/dialog/free-text.ts';
import type { Reply } from '../src/messaging/index.ts';
import type { OrganItemView } from '../src/services/suggestions/index.ts';
import { codeIn, FILES_LATER, withoutCode } from './organ-answer-steps.ts';
import { pendingOf } from './organ-questions.ts';

// What an organ's contact asks of the desk that is no act of its own: how to answer or sign, more time,
// another organ to handle it with, changing an answer already sent, photos to come later, a code that is
// none of the organ's. Each is answered from the organ's items and changes nothing; where the contact may
// act (申请延期, 撤回答复, the right code), the act is offered as a button and done only when tapped or said.

/** "怎么答复", "答复怎么写", "怎么签收": how an act of the desk is done. */
const HOW =
  /^(?:请问|问一下|想问一下)?[，,\s]*(?:这个|这件)?(?:要|该|应该)?(?:怎么|如何|咋|怎样)(?:才能)?(答复|回复|签收|申请退回|退回|申请延期|延期|写答复|写)|^(答复|回复|签收|申请退回|退回|申请延期|延期)(?:要|应该|该)?(?:怎么|如何|咋)(?:写|弄|办|操作|发|填)/;

/** "能不能晚几天答复", "期限能不能延长", "时间不够", "申请延期": more time asked for. */
export const MORE_TIME =
  /延期|延长|推迟|宽限|晚(?:几|一|两)(?:天|周)|晚(?:些|点|一段时间)(?:再)?(?:答复|回复|办)|缓(?:几|一|两)(?:天|周)|多给.{0,4}(?:时间|几天)|时间(?:不够|太紧|紧张)|来不及/;

/** "这个要跟交通局一起办", "需要交通局协办", "应该交通局牵头": another organ to handle it with. */
const JOINT =
  /(?:跟|和|与|同|会同|联合)(.{1,10}?)(?:一起|一块儿?|共同|联合|协同)(?:办|办理|处理|解决|落实)|需要(.{1,10}?)(?:协办|配合|一起办|参与)|(?:应该|应当|应由|得|要)(?:由|让)?(.{1,10}?)牵头/;

/** "把答复改一下", "答复要修改", "我想改一下答复": an answer already sent to be changed. */
const AMEND =
  /(?:改|修改|更正|更改|重写|重新写|订正)(?:一下|下)?(?:刚才|之前|上次)?的?(?:那个|这个|那份|这份)?(?:答复|回复)|(?:答复|回复)(?:要|得|需要|想|能不能|可以|能)?(?:改|修改|更正|更改|重写|重新写)/;

export type DeskAsk = 'how' | 'more_time' | 'joint' | 'amend' | 'files_later';

/** What the words ask of the desk, or null. */
export function deskAskOf(text: string): DeskAsk | null {
  const t = text.replace(/\s+/g, '');
  if (HOW.test(t)) return 'how';
  if (AMEND.test(t)) return 'amend';
  if (FILES_LATER.test(t)) return 'files_later';
  if (/^申请延期/.test(t) || MORE_TIME.test(withoutCode(t))) return 'more_time';
  if (JOINT.test(t)) return 'joint';
  return null;
}

const named = (i: OrganItemView) => `${i.letter.code}「${i.letter.title}」`;

/** "怎么答复": the steps of that act, with the organ's own code in the example. */
export function howTo(text: string, open: OrganItemView[]): Reply {
  const m = HOW.exec(text.replace(/\s+/g, ''));
  const act = m?.[1] ?? m?.[2] ?? '';
  const first = open[0];
  const code = first?.letter.code ?? 'JY-2026-0012';
  if (/签收/.test(act))
    return {
      text: `发“签收 ${code}”即可；只有一项待签收时发“签收”就行，几项一起签收发“都签收”。交办函下面的“签收”按钮也可以直接点。`,
    };
  if (/退回/.test(act))
    return {
      text:
        `不属于本单位职责的，请在交办后 ${first ? `${first.letter.returnByText}前` : '规定的工作日内'}发“申请退回 ${code} 理由”，` +
        '由人大常委会代表工作机构决定改办其他单位或不同意退回；决定前请继续办理。',
    };
  if (/延期/.test(act)) return { text: moreTimeRule(first) };
  const classes = first?.resultClasses.map((c) => `${c.code} ${c.label}`).join('、') ?? '';
  return {
    text:
      '直接告诉我办理情况即可，例如“路灯已经修好了”或“已列入明年计划，3月底前完成”。' +
      `我会接着问办理结果属于哪一类${classes ? `（${classes}）` : ''}和签发人，问完就提交，` +
      '经人大常委会代表工作机构审核后发给代表。现场照片直接发来，会和答复一起提交。\n' +
      `也可以一次发全：答复 ${code} 分类：A；已办理：……；签发人：……`,
  };
}

/** 《代表法》第五十一条第二款 (S8): the deadline and who may extend it, to how late. */
function moreTimeRule(i: OrganItemView | undefined): string {
  const due = i
    ? `${named(i)}的答复期限是 ${i.letter.dueText}（自交办之日起三个月）。`
    : '答复期限是自交办之日起三个月。';
  const cap = i?.letter.extendByText ? `，最迟至 ${i.letter.extendByText}` : '，最迟不超过自交办之日起六个月';
  return `${due}涉及面广、处理难度大的，可以申请延期，由人大常委会代表工作机构决定${cap}（《代表法》第五十一条第二款）。`;
}

/**
 * More time asked for in words: the deadline and the rule said, and the request offered for the item the
 * words point to (the words themselves its reason), or for each open item. Nothing is sent until 是, a
 * number or a tap.
 */
export function moreTime(
  text: string,
  open: OrganItemView[],
  meant: OrganItemView | undefined,
): { reply: Reply; offer?: string[] } {
  if (open.length === 0) return { reply: { text: '本单位目前没有正在办理的事项。' } };
  // The words are the reason, unless they only ask ("延期", "申请延期").
  const said = withoutCode(text.replace(/^申请延期/, '')).replace(/^[：:，,\s]+/, '');
  const reason =
    said.replace(MORE_TIME, '').replace(/[\s，,。.！!？?]/g, '') === '' ? '需要更多时间办理' : said;
  if (meant) {
    const c = meant.letter.code;
    if (pendingOf(meant)) return { reply: { text: `${c} 的答复已提交，正等待审核，不需要延期。` } };
    if (!meant.letter.extendByText)
      return {
        reply: {
          text: `${named(meant)}是视察、调研报告，反馈期限为三个月（山西 第二十七条），不能延期，请于 ${meant.letter.dueText} 前反馈。`,
        },
      };
    const command = `申请延期 ${c} ${reason}`;
    return {
      reply: {
        text:
          `${moreTimeRule(meant)}\n要向人大常委会代表工作机构申请延期吗？回复“是”或点下面的按钮提交（理由：“${quote(reason, 30)}”）；` +
          `要另写理由的话，发：申请延期 ${c} 理由`,
        buttons: [{ label: `申请延期 ${c}`, command }],
      },
      offer: [command],
    };
  }
  const shown = open.filter((i) => !pendingOf(i) && i.letter.extendByText).slice(0, 6);
  if (shown.length === 0) return { reply: { text: moreTimeRule(undefined) } };
  const commands = shown.map((i) => `申请延期 ${i.letter.code} ${reason}`);
  return {
    reply: {
      text: `${moreTimeRule(undefined)}\n要为哪一项申请延期？回复数字或点选：\n${shown.map((i, n) => `${n + 1}. ${named(i)}，期限 ${i.letter.dueText}`).join('\n')}`,
      buttons: shown.map((i, n) => ({ label: `申请延期 ${i.letter.code}`, command: commands[n]! })),
    },
    offer: commands,
  };
}

/** "这个要跟交通局一起办": how another organ comes to handle it, and what this organ does meanwhile. */
export function joint(text: string, open: OrganItemView[], meant: OrganItemView | undefined): Reply {
  const m = JOINT.exec(text.replace(/\s+/g, ''));
  const other = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').replace(/^(?:由|让|跟|和)/, '') || '其他单位';
  const i = meant ?? (open.length === 1 ? open[0] : undefined);
  const code = i?.letter.code ?? open[0]?.letter.code ?? 'JY-2026-0012';
  return {
    text:
      `${i ? `${named(i)}由本单位${i.letter.role === 'lead' ? '承办' : '协办'}。` : ''}需要${other}配合的，可以直接与对方协商办理，答复时写明会同办理的情况。` +
      `如果需要人大常委会代表工作机构把${other}列为协办单位，请与其联系；认为应由${other}牵头的，` +
      `${i ? `请在 ${i.letter.returnByText}前` : '请在交办后规定的工作日内'}发“申请退回 ${code} 应由${other}牵头办理”，由其决定。决定前请继续办理。`,
  };
}

/**
 * "把答复改一下": an answer waiting for review can take more words or be taken back and written again; one
 * the office approved is changed only through the office.
 */
export function amend(text: string, items: OrganItemView[], sent: string | undefined): Reply {
  const code = codeIn(text);
  const waiting = items.filter(pendingOf);
  const one = code
    ? items.find((i) => i.letter.code === code)
    : waiting.length === 1
      ? waiting[0]
      : waiting.find((i) => i.letter.code === sent);
  if (one && pendingOf(one)) {
    const c = one.letter.code;
    return {
      text:
        `${c} 的答复已提交，正等待审核，审核前可以修改：\n` +
        '要补充的，直接发补充的内容（如“另外线路也检修了”）或照片；\n' +
        `要重新写的，点下面的按钮撤回这份答复（撤回后不会发给代表），再重新告诉我办理情况。`,
      buttons: [{ label: `撤回答复 ${c}`, command: `撤回答复 ${c}` }],
    };
  }
  if (!one && waiting.length > 1)
    return {
      text: `有 ${waiting.length} 份答复正等待审核，要修改哪一份？点下面的按钮撤回后重新答复，或发“补充 编号 内容”补充：\n${waiting
        .slice(0, 6)
        .map((i, n) => `${n + 1}. ${named(i)}`)
        .join('\n')}`,
      buttons: waiting.slice(0, 6).map((i) => ({
        label: `撤回答复 ${i.letter.code}`,
        command: `撤回答复 ${i.letter.code}`,
      })),
    };
  const answered = one ?? items.find((i) => i.answers.length > 0);
  if (answered && answered.answers.length > 0)
    return {
      text: `${answered.letter.code} 的答复已经审核通过（或已送承办单位），不能在这里修改；如需更正，请与人大常委会代表工作机构联系。`,
    };
  return { text: '本单位目前没有已提交的答复。要答复的话，直接告诉我办理情况即可，例如“路灯已经修好了”。' };
}

/**
 * "附件稍后发" with no answer being told (the steps take it while one is): photos sent later go with the
 * answer just sent while it waits for review, or with the next answer.
 */
export function filesLater(sent: OrganItemView | undefined): Reply {
  if (sent) return { text: `好的。${sent.letter.code} 的答复审核前，发来的照片或文件会补充到这份答复中。` };
  return {
    text: '好的，照片或文件直接发来即可，会和答复一起提交。还没答复的话，也可以先告诉我办理情况，例如“路灯已经修好了”。',
  };
}

/**
 * A code that is none of the organ's items (mistyped, or another organ's: both are "not found"): said,
 * with the organ's open items, each button the same message with that item's code instead.
 */
export function unknownCode(
  code: string,
  text: string,
  open: OrganItemView[],
  withCode: (text: string, code: string) => string,
): { reply: Reply; offer?: string[] } {
  const head = `没有找到编号为 ${code} 的事项，请核对编号。`;
  if (open.length === 0) return { reply: { text: `${head}本单位目前没有正在办理的事项。` } };
  const shown = open.slice(0, 6);
  const commands = shown.map((i) => withCode(text, i.letter.code));
  const words = withoutCode(text);
  const how = words ? `回复数字或点选，即按该项办理“${quote(words, 20)}”` : '回复数字或点选可查看该项';
  return {
    reply: {
      text: `${head}本单位正在办理的是（${how}）：\n${shown
        .map((i, n) => `${n + 1}. ${named(i)}`)
        .join('\n')}`,
      buttons: shown.map((i, n) => ({ label: `改为 ${i.letter.code}`, command: commands[n]! })),
    },
    offer: commands,
  };
}
