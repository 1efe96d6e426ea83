import type { Reply } from '../src/messaging/index.ts';
import { DUE_SOON_DAYS, type OrganItemView } from '../src/services/suggestions/index.ts';
import { dayNumber } from '../src/statute/calendar-date.ts';
import { codeIn, DONE_WORDS, itemByWords, withoutCode } from './organ-answer-steps.ts';

// An organ's contact asking about the organ's own items in plain words: "那件路灯的事我们还没签收吧",
// "我们是不是还有没签收的", "交给我们的还有几件没答复", "有没有快到期的". Answered from the items as they
// stand — what waits for 签收, what waits for an answer and by when (《代表法》第五十一条第二款, S8) — and
// nothing is done: a 签收 it offers waits for a "是" or a tap.

/** The organ's answer on the item waiting for the office's review. */
export const pendingOf = (i: OrganItemView): boolean =>
  i.assignmentStatus === 'open' && i.answers.at(-1)?.status === 'pending_review';

/** Where an item stands for the organ, in a few words. */
export function stateOf(i: OrganItemView): string {
  if (i.assignmentStatus !== 'open') return '本单位已答复。';
  if (i.returnRequested) return '已申请退回，正等待人大常委会代表工作机构决定。';
  if (pendingOf(i)) return '答复已提交，正等待人大常委会代表工作机构审核。';
  if (i.answers.at(-1)?.status === 'returned') return '答复已退回修改，请重新答复。';
  return i.letter.signedAt ? '正在办理。' : '还没有签收。';
}

/** Asked, not told: a question word, or a guess put as a question ("…还没签收吧", "签了没有"). */
const ASKED =
  /[?？]|[吗吧呢么]$|没有?$|了没|是不是|有没有|哪些|哪几|哪个|哪件|哪一|几[件个项条天]|多少|啥|什么|哪天|几号|还有没|多久|怎么样/;

/** 签收 asked about: "还没签收吧", "签了没有", "有没有没签收的". */
const ABOUT_SIGNING = /签收|签了|签没签|签过/;
/** What waits for an answer: "还有几件没答复", "哪些还没回复". */
const ABOUT_ANSWERING =
  /(?:没|未|还没有?|还未)(?:答复|回复|办|处理|回)|(?:答复|回复)了?(?:没有|没)|(?:几|多少)(?:件|个|项|条)/;
/** By when: "啥时候到期", "期限是哪天", "还有几天", "啥时候之前要答复". */
const ABOUT_DUE =
  /到期|期限|截止|还剩几天|还有几天|还有多久|(?:什么时候|啥时候|哪天|几号|何时)(?:之前|以前|前)?(?:要|得|必须|需要)?(?:答复|回复|办完|办好)/;
/** Past the deadline: "超期了没有", "有没有逾期的". */
const ABOUT_OVERDUE = /超期|逾期|过期|超时|晚了/;
/** The one to do first: "最急的是哪个", "先办哪个", "哪件最早到期". */
const ABOUT_URGENT =
  /最急|最紧|最要紧|最着急|最早到期|最先到期|先办哪|先答复哪|哪[个件项](?:先办|先答复|最先)|优先办?哪/;
/** Near it: "有没有快到期的", "哪个快到期了". */
const ABOUT_SOON = /快(?:要)?到期|快到|要到期|临近|马上到期|快超期/;

type Asked = 'sign' | 'answer' | 'due' | 'soon' | 'overdue' | 'urgent';

/** A desk command written out: "答复 JY-… 已列入计划，落实期限…，有什么问题请联系" is an answer, not a question. */
const COMMAND_FIRST = /^(?:签收|申请退回|答复|补充|撤回)/;

function askedAbout(said: string): Asked | null {
  // "jy2026 3 答复了没" reads as "答复 JY-2026-0003 了没": the words around the code are what is asked.
  const text = withoutCode(said).replace(/\s+/g, '');
  if (COMMAND_FIRST.test(text) && (text.match(/\p{Script=Han}/gu)?.length ?? 0) > 8) return null;
  if (!ASKED.test(text) || DONE_WORDS.test(text)) return null;
  if (ABOUT_URGENT.test(text)) return 'urgent';
  if (ABOUT_SOON.test(text)) return 'soon';
  if (ABOUT_OVERDUE.test(text)) return 'overdue';
  if (ABOUT_DUE.test(text)) return 'due';
  if (ABOUT_SIGNING.test(text)) return 'sign';
  if (ABOUT_ANSWERING.test(text)) return 'answer';
  return null;
}

const daysLeft = (i: OrganItemView, today: string): number | null =>
  i.letter.dueOn ? dayNumber(i.letter.dueOn) - dayNumber(today) : null;

/** `期限 2027-03-02（星期二），还有 90 天`. */
function dueLine(i: OrganItemView, today: string): string {
  const left = daysLeft(i, today);
  if (left === null) return '期限未定';
  const when = left < 0 ? `已超期 ${-left} 天` : left === 0 ? '今天到期' : `还有 ${left} 天`;
  return `期限 ${i.letter.dueText}，${when}`;
}

/** One line of a numbered list of the organ's items: its role, its deadline, what is still to do. */
export const itemLine = (i: OrganItemView, n: number, today: string): string =>
  `${n + 1}. ${i.letter.code}「${i.letter.title}」${i.letter.role === 'lead' ? '承办' : '协办'}，${dueLine(i, today)}` +
  `${i.letter.signedAt ? '' : '，未签收'}${pendingOf(i) ? '，答复待审核' : ''}${i.returnRequested ? '，已申请退回' : ''}`;

const named = (i: OrganItemView) => `${i.letter.code}「${i.letter.title}」`;

const signButton = (i: OrganItemView) => ({
  label: `签收 ${i.letter.code}`,
  command: `签收 ${i.letter.code}`,
});

/** A question and its answer: the reply, and the commands a number (or "是") then stands for. */
export interface OrganQuestionAnswer {
  reply: Reply;
  offer?: string[];
}

/** Whether the words ask about the organ's items (a half-told answer waits meanwhile). */
export const asksAboutItems = (text: string): boolean => askedAbout(text) !== null;

/** The answer to a question about the organ's items; null when the words ask no such question. */
export async function organQuestion(
  text: string,
  openNow: () => Promise<OrganItemView[]>,
  today: string,
): Promise<OrganQuestionAnswer | null> {
  const asked = askedAbout(text);
  if (!asked) return null;
  const open = await openNow();
  if (open.length === 0) return { reply: { text: '本单位目前没有正在办理的事项。' } };
  const code = codeIn(text);
  const item = code ? open.find((i) => i.letter.code === code) : itemByWords(text, open, today);
  if (code && !item) return { reply: { text: `本单位正在办理的事项中没有 ${code}。` } };
  if (item) return aboutOne(item, today, asked);
  if (asked === 'urgent') return mostUrgent(open, today);
  if (asked === 'sign') return unsigned(open, today);
  if (asked === 'soon' || asked === 'overdue') return nearDue(open, today, asked);
  return waiting(open, today, asked === 'due');
}

/** What waits for an answer, soonest due first. */
const toAnswer = (open: OrganItemView[]) =>
  open
    .filter((i) => !pendingOf(i))
    .sort((a, b) => (a.letter.dueOn ?? '9999').localeCompare(b.letter.dueOn ?? '9999'));

/**
 * "有没有快到期的" (within DUE_SOON_DAYS, as 查询 marks them), "超期了没有": only those, a number each; when
 * there are none, said so with the nearest deadline.
 */
function nearDue(open: OrganItemView[], today: string, asked: 'soon' | 'overdue'): OrganQuestionAnswer {
  const list = toAnswer(open);
  const fits = list.filter((i) => {
    const left = daysLeft(i, today);
    return left !== null && (asked === 'overdue' ? left < 0 : left <= DUE_SOON_DAYS);
  });
  const what = asked === 'overdue' ? '超过答复期限' : `${DUE_SOON_DAYS}天内到期`;
  if (fits.length === 0) {
    const next = list.find((i) => i.letter.dueOn);
    return {
      reply: {
        text: `本单位目前没有${what}的事项。${next ? `最近的是 ${named(next)}，${dueLine(next, today)}。` : ''}`,
      },
    };
  }
  const shown = fits.slice(0, 6);
  return {
    reply: {
      text: `本单位${what}的有 ${fits.length} 项：\n${shown.map((i, n) => itemLine(i, n, today)).join('\n')}\n回复序号可查看该项。`,
    },
    offer: shown.map((i) => i.letter.code),
  };
}

/**
 * "最急的是哪个": the item waiting for an answer that is due soonest (《代表法》第五十一条第二款, S8), where it
 * stands, with any due the same day named beside it; 签收 offered when it is not signed for.
 */
function mostUrgent(open: OrganItemView[], today: string): OrganQuestionAnswer {
  const list = toAnswer(open);
  const first = list[0];
  if (!first) return { reply: { text: '本单位正在办理的事项都已答复，正等待审核。' } };
  const same = list.slice(1).filter((i) => i.letter.dueOn === first.letter.dueOn);
  const r = aboutOne(first, today, 'urgent');
  const beside = same.length > 0 ? `\n同一天到期的还有：${same.map(named).join('、')}。` : '';
  const rest = list.length > 1 ? `\n本单位待答复的共 ${list.length} 项，发“查询”可查看全部。` : '';
  const [head, ...tail] = r.reply.text.split('\n');
  return {
    ...r,
    reply: { ...r.reply, text: [`期限最近的是 ${head}${beside}${rest}`, ...tail].join('\n') },
  };
}

/** One item named by its words: where it stands and by when; one not signed for is offered for signing. */
function aboutOne(i: OrganItemView, today: string, asked: Asked): OrganQuestionAnswer {
  const due = pendingOf(i) || i.assignmentStatus !== 'open' ? '' : `${dueLine(i, today)}。`;
  const open = i.assignmentStatus === 'open' && !pendingOf(i) && !i.returnRequested;
  const lead =
    asked === 'sign' && i.letter.signedAt ? '已签收，' : asked === 'answer' && open ? '还没有答复，' : '';
  const head = `${named(i)}：${lead}${stateOf(i)}${due}`;
  if (i.letter.signedAt || i.returnRequested) return { reply: { text: head } };
  return {
    reply: { text: `${head}\n要现在签收吗？回复“是”或点下面的按钮。`, buttons: [signButton(i)] },
    offer: [`签收 ${i.letter.code}`],
  };
}

/** What waits for 签收, a button each ("都签收" signs them all). */
function unsigned(open: OrganItemView[], today: string): OrganQuestionAnswer {
  const list = open.filter((i) => !i.letter.signedAt);
  if (list.length === 0) return { reply: { text: `本单位正在办理的 ${open.length} 项都已签收。` } };
  const shown = list.slice(0, 6);
  const lines = shown.map((i, n) => itemLine(i, n, today));
  const how =
    list.length > 1 ? '回复数字或点选签收，发“都签收”可一起签收。' : '要现在签收吗？回复“是”或点下面的按钮。';
  return {
    reply: {
      text: `本单位还有 ${list.length} 项没有签收：\n${lines.join('\n')}\n${how}`,
      buttons: shown.map(signButton),
    },
    offer: shown.map((i) => `签收 ${i.letter.code}`),
  };
}

/**
 * What waits for the organ's answer, soonest due first; answers already sent and waiting for the office's
 * review are counted apart. A number next shows that item.
 */
function waiting(open: OrganItemView[], today: string, byDue: boolean): OrganQuestionAnswer {
  const list = toAnswer(open);
  const inReview = open.length - list.length;
  const review = inReview > 0 ? `另有 ${inReview} 项答复已提交，正等待审核。` : '';
  if (list.length === 0) return { reply: { text: `本单位正在办理的事项都已答复。${review}` } };
  const shown = list.slice(0, 6);
  const lines = shown.map((i, n) => itemLine(i, n, today));
  const head = byDue
    ? `本单位待答复的 ${list.length} 项，按期限先后：`
    : `本单位还有 ${list.length} 项没有答复：`;
  return {
    reply: {
      text: `${head}\n${lines.join('\n')}${review ? `\n${review}` : ''}\n回复序号（如“第一个”）可查看该项。`,
    },
    offer: shown.map((i) => i.letter.code),
  };
}
