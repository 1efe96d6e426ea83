import type { Reply } from '../../messaging/index.ts';
import { meetingButtonLabel } from '../../services/leave/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import type { ArgValue, SpecOf } from '../language/command-catalog.ts';
import { QUOTE_MARKS, type SmalltalkAct } from '../language/phrasings.ts';
import { quote } from './free-text.ts';
import type { ItemCandidate } from './item-words.ts';

// The bot's own fixed words and the questions built around what a person said: kept apart from the turn
// logic (router.ts), so the wording can be read and changed in one place.

export const VOICE_HINT = '抱歉，我暂时听不懂语音。请直接打字发送，例如“请假 常委会会议 出差”或“帮助”。';
export const OTHER_HINT = '暂不支持这类消息。请发送文字，发“帮助”可查看能办理的事项。';
export const WELCOME = '您好，这里是人大代表联络助手。';
/** What a person sent, as the reply names it. */
export const ATTACHMENT_WORD: Partial<Record<string, string>> = {
  image: '照片',
  video: '视频',
  file: '文件',
};

export const YES_NO = [
  { label: '是', command: '是' },
  { label: '否', command: '否' },
];

/** Deputy commands staff enter for a deputy with 代录 (handlers/staff-proxy.ts), and how. */
export const PROXY_EXAMPLE: Readonly<Record<string, string>> = {
  'suggestion.submit': '代录 张三 建议 小区路灯坏了',
  'leave.request': '代录 张三 请假 第七次会议 出差在外',
};

/**
 * Deputy commands staff ask about ("催一下住建局", "这个月接待日有谁预约了", "本月谁还没履职"): what the office
 * does instead, and where on the console it sees them.
 */
export const STAFF_INSTEAD: Readonly<Record<string, string>> = {
  'suggestion.urge':
    '催办由代表本人对自己的建议发起；承办单位临近或超过答复期限时，系统会自动提醒。逾期的建议可发“待办”查看，需要延长期限请发“延期”，单位的办理情况在「工作平台 → 建议」查看。',
  'reception.book': '接待日由代表本人预约。各月的预约和代表要谈的话题在「工作平台 → 接待日」查看。',
  'reception.day': '各月接待日的日期、接待人和预约情况在「工作平台 → 接待日」查看。',
  'reception.cancel': '接待日的预约由代表本人取消。各月的预约在「工作平台 → 接待日」查看。',
  'duty.record': '代表的履职情况（参加会议活动、提出建议、联系群众等）在「工作平台 → 统计」查看。',
  'inspection.request': '视察由代表提出申请；待安排的视察申请在「工作平台 → 活动 → 视察申请」查看和安排。',
  'activity.attend':
    '参加会议和活动由代表本人回复；谁回复了参加、谁请了假，在「工作平台 → 活动」查看。要决定请假，请发“批准 QJ-…”或“不批准 QJ-… 理由”。',
};

/**
 * 修改 of a leave, or staff writing a deputy's "我不想请假了": a request once made is changed by the office
 * (山西 第八条: leave is asked of and decided by it); the deputy's own 撤回 is leave-take-back.ts.
 */
export function leaveTakeBack(code?: string, verb = '撤回'): string {
  const which = code ? `请假 ${code} ` : '已提交的请假';
  const when = verb === '撤回' ? '如果您又能参加了' : '如果情况有变化';
  return `${which}不能在这里${verb}。${when}，请直接告诉代表工作机构，由他们记录；发“查询”可查看您的请假记录。`;
}

/** The answer to small talk: polite, and a pointer to what the bot can do. */
export function smalltalkReply(act: SmalltalkAct): Reply {
  switch (act) {
    case 'who':
      return {
        text: `${WELCOME}我是自动回复的助手，不是工作人员本人：可以帮您请假、提建议、预约接待日、查办理进度。发“帮助”可查看全部。`,
      };
    case 'human':
      return {
        text: '我是自动回复的助手。需要和工作人员直接说的话，请联系代表工作机构；您也可以把事情直接告诉我，例如“建议 小区路灯坏了”，我会记下并转给工作人员办理。',
      };
    case 'greeting':
      return { text: `${WELCOME}我在，请问有什么可以帮您？例如发“建议 小区路灯坏了”或“请假”。` };
    case 'thanks':
      return { text: '不客气，有事随时找我。' };
    case 'ack':
      return { text: '好的。还有需要随时告诉我，发“帮助”可查看能办理的事项。' };
    case 'voice':
      return {
        text: '可以直接发语音。语音能转成文字的，我按文字给您办；转不出文字的，我会请您再说一遍或打字。不方便的话，也可以请代表工作机构的工作人员替您录入。',
      };
    case 'ask':
      return { text: '您请说，我听着。打字或发语音都行。' };
  }
}

/** The content question of 建议 that quotes words said before: yes files them, anything else is the content. */
export function offeredQuestion(said: string, args: Record<string, ArgValue>): string {
  const kind = typeof args.kind === 'string' ? args.kind : '建议';
  return `您刚才说的“${quote(said)}”，是要作为${kind}提交吗？回复“是”就提交这段话；不是的话，请直接讲讲您的${kind}内容。`;
}

/** The content question of 建议 in the word the deputy used (批评, 意见). */
export function questionFor(
  spec: SpecOf,
  name: string,
  question: string,
  args: Record<string, ArgValue>,
): string {
  const kind = args.kind;
  if (spec.id === 'suggestion.submit' && name === 'content' && (kind === '批评' || kind === '意见')) {
    return `请讲讲您的${kind}内容。`;
  }
  // A staff command on an item (given, or the one just talked about) names it, so nobody acts on the
  // wrong one unawares: "JY-2026-0001：请问承办单位是？".
  const code =
    spec.who !== 'deputy' && name !== 'code' && typeof args.code === 'string' ? args.code : undefined;
  return code ? `${code}：${question}` : question;
}

/** Said when 不公开姓名 comes before the matter ("我想提个建议 不要公开我的名字"): the request is kept. */
export const NAME_WITHHELD_NOTED = '好的，这条建议在网上公开时不写您的姓名。';

/** Asked when a suggestion's first words are too few to file ("我们村"). */
export const askToGoOn = (words: string): string =>
  // Quoted once: "“农村养老”" as the deputy quoted it is shown “农村养老”, not ““农村养老””.
  `“${words.replace(QUOTE_MARKS, '')}”……请再说具体些：哪里、什么问题、希望怎么解决？接着发就行，会和这几个字一起提交。`;

/**
 * "不去了", "请假" alone: which meeting, with what there is to ask leave from listed (a button each, the
 * reason already given kept), so nobody has to type a meeting's name.
 */
export function meetingsAhead(
  question: string,
  ahead: ItemCandidate[],
  args: Record<string, ArgValue>,
): Reply {
  const shown = [...ahead].sort((a, b) => a.on.localeCompare(b.on)).slice(0, 6);
  const reason = typeof args.reason === 'string' ? ` ${args.reason}` : '';
  const lines = shown.map((c, i) => `${i + 1}. ${c.label}（${formatDate(c.on)}）`);
  return {
    text: `${question}近期有：\n${lines.join('\n')}\n回复数字、点选或直接写名称即可（发“取消”可结束）。`,
    buttons: shown.map((c) => ({
      label: c.meeting ? meetingButtonLabel(c.meeting) : c.label,
      command: `请假 ${c.code.startsWith('HD-') ? c.code : c.label}${reason}`,
    })),
  };
}
