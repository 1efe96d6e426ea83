import {
  type CommandSpec,
  commandById,
  commandsFor,
  mayUse,
  type Role,
} from '../language/command-catalog.ts';
import { ANSWER_TIME_TOPIC, LEAVE_FORM_TOPIC, LEAVE_RULES_TOPIC } from '../language/phrasings.ts';

// 帮助 in plain words: what each command does and an example to copy, never notation (no <>, [], YYYY-MM,
// JY编号). One short line each so it reads on a phone and fits a WeCom passive reply (2048 bytes).

const EXAMPLE: Readonly<Record<string, string>> = {
  'suggestion.submit': '建议 小区路灯坏了，希望尽快修',
  'leave.request': '请假 明天的常委会 出差',
  'item.query': '查询（或 查询 加装电梯的建议）',
  'reception.day': '接待日（或 下个月的接待日）',
  'reception.book': '预约接待日 下个月 加装电梯',
  'suggestion.urge': '催办 加装电梯的那个建议',
  'suggestion.withhold_name': '不公开姓名 加装电梯的那个建议',
  'activity.attend': '参加（收到活动邀请后直接回复）',
  'reception.cancel': '取消预约',
  'inspection.request': '视察 城区供暖情况',
  'duty.record': '我的履职（或 我的履职 2025）',
  'suggestion.rate': '满意 / 不满意，下午没人管',
  'suggestion.proxy': '代录 张三 建议 路灯坏了',
  'leave.approve': '批准 QJ-2026-0001',
  'leave.reject': '不批准 QJ-2026-0001 会议必须出席',
  'suggestion.assign': '交办 JY-2026-0012 市交通局',
  'suggestion.extend': '延期 JY-2026-0012 2027年3月1日 需要协调',
  'suggestion.answer': '答复 JY-2026-0012 已修复',
  'broadcast.notify': '通知 全体 明天上午九点开会',
};

const line = (c: CommandSpec) => `· ${c.summary}：${EXAMPLE[c.id] ?? c.word}`;

// The catalog is fixed: one text per set of roles, built once.
const built = new Map<string, string>();

/** The commands this person may use, each with an example; deputies' first. */
export function plainHelp(roles: readonly Role[]): string {
  const key = [...roles].sort().join(',');
  let text = built.get(key);
  if (text === undefined) {
    text = buildHelp(roles);
    built.set(key, text);
  }
  return text;
}

const LEAVE_DECISIONS = new Set(['leave.approve', 'leave.reject']);

function buildHelp(roles: readonly Role[]): string {
  const usable = commandsFor(roles).filter((c) => !c.dialogControl && !c.notSuggested && c.id !== 'help');
  const deputy = usable.filter((c) => c.who === 'deputy').sort((a, b) => a.rank - b.rank);
  // 批准 / 不批准 are listed to approvers: other staff decide only leave from an activity they organise,
  // which their notice of it tells them how to answer.
  const approver = roles.includes('approver');
  const staff = usable
    .filter((c) => c.who === 'staff' && (approver || !LEAVE_DECISIONS.has(c.id)))
    .sort((a, b) => a.rank - b.rank);
  const parts: string[] = ['直接用平常的话告诉我就行，例如：'];
  if (deputy.length > 0) parts.push('【代表】', ...deputy.map(line));
  if (staff.length > 0) parts.push('【工作人员】', ...staff.map(line));
  parts.push('缺少的内容我会逐项询问；对话中发“取消”可随时结束。');
  return parts.join('\n');
}

/**
 * “怎么预约接待日”: what that one command does and an example to copy, with a button that starts it; null
 * when this person may not use it (the whole 帮助 is shown then).
 */
export function helpAbout(
  id: string,
  roles: readonly Role[],
  lastItem?: string,
): { text: string; buttons: { label: string; command: string }[] } | null {
  // 《代表法》第五十一条第二款 (S8): 自交办之日起三个月内答复；涉及面广、处理难度大的，六个月内答复.
  if (id === ANSWER_TIME_TOPIC)
    return {
      text: '建议、批评和意见交办后，承办单位一般在三个月内答复；涉及面广、处理难度大的，最长六个月（《代表法》第五十一条）。交办时我会告诉您承办单位和答复期限，之后随时发“查询”就能看到办到哪一步了。',
      buttons: [{ label: '查询', command: '查询' }],
    };
  // 山西 第八条: leave is asked for in writing; the service writes the 请假单 from what the deputy said.
  if (id === LEAVE_FORM_TOPIC) {
    if (!mayUse('deputy', roles)) return null;
    if (lastItem?.startsWith('QJ-'))
      return {
        text: `不用另写请假条：您的请假 ${lastItem} 已经生成了书面请假单，交给决定的机构；决定后第一时间通知您。`,
        buttons: [{ label: '查询', command: `查询 ${lastItem}` }],
      };
    return {
      text: `不用另写请假条。在这里请假，我会按您说的会议和事由生成书面请假单，交给决定的机构；决定后第一时间通知您。请假直接发“${EXAMPLE['leave.request']}”这样的话就行。`,
      buttons: [{ label: '请假', command: '请假' }],
    };
  }
  // 山西 第八条: asked before a session of the standing committee's 主任会议, during it of the 秘书处; a
  // township congress's of its 主席团. 山西 第四十六条(三): absence without approval counts against a deputy.
  if (id === LEAVE_RULES_TOPIC) {
    if (!mayUse('deputy', roles)) return null;
    const mine = lastItem?.startsWith('QJ-') ? lastItem : undefined;
    return {
      text:
        '请假要在会前书面提出：在这里说明哪个会、什么事由就行，我会生成书面请假单。开会前由本级人大常委会主任会议决定是否批准，' +
        '开会期间向大会秘书处请假；乡镇人大由主席团决定（山西 第八条）。没有规定提前几天，越早越好。批没批准会第一时间通知您；' +
        `批准了就不用去，还没批准的，请先按通知准备参会。${mine ? `发“查询 ${mine}”可以看您这次请假现在的情况。` : '发“查询”可以看您请假的情况。'}`,
      buttons: [{ label: '查询', command: mine ? `查询 ${mine}` : '查询' }],
    };
  }
  const c = commandById(id);
  if (!c || !mayUse(c.who, roles)) return null;
  return {
    text: `${c.summary}：直接发“${EXAMPLE[c.id] ?? c.word}”这样的话就行，缺少的内容我会逐项询问。现在就办，点下面的按钮或发“${c.word}”。`,
    buttons: [{ label: c.word, command: c.word }],
  };
}
