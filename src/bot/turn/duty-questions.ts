import type { Reply } from '../../messaging/index.ts';
import { mayUse, type Role } from '../language/command-catalog.ts';
import { type DutyTopic, isDutyTopic } from '../language/duty-questions.ts';

// A deputy asking about their own duties and rights (language/duty-questions.ts): the articles that state
// them, in plain words with the article named, then what the bot does for them. Where the texts set nothing
// (a number of activities a year), that is said and the office named. Nothing is written.

// 山西 第四条 (一)…(九): the obligations, in the order of the article.
const OBLIGATIONS = [
  '代表应当履行这些义务（山西 第四条）：',
  '· 拥护中国共产党的领导，拥护中国特色社会主义制度，增强“四个意识”、坚定“四个自信”、做到“两个维护”；',
  '· 模范遵守宪法和法律，保守国家秘密，协助宪法和法律的实施；',
  '· 按时出席本级人民代表大会会议，认真审议各项议案、报告，发表意见；',
  '· 积极参加统一组织的视察、专题调研、执法检查等履职活动，加强履职学习和调查研究；',
  '· 同原选区选民或者原选举单位和人民群众保持密切联系，听取和反映他们的意见和要求；',
  '· 遵守社会公德，廉洁自律，公道正派，勤勉尽责；以及法律规定的其他义务。',
].join('\n');

// 山西 第三条 (一)…(七): the rights; 山西 第十八条 and 第二十二条: what a deputy may do between sessions.
const RIGHTS = [
  '代表享有这些权利（山西 第三条）：',
  '· 出席本级人民代表大会会议，审议各项议案、报告和其他议题，发表意见；',
  '· 依法联名提出议案、质询案、罢免案等；',
  '· 提出对各方面工作的建议、批评和意见；',
  '· 参加本级人民代表大会的各项选举和表决；',
  '· 获得依法执行代表职务所需的信息和各项保障；以及法律规定的其他权利。',
  '闭会期间，可以向本级人大常委会（乡镇向人大主席团）提出建议、批评和意见（山西 第十八条），也可以持代表证就地视察（山西 第二十二条）。',
].join('\n');

// The texts set no number of activities a year; those they count: 山西 第二十一条 (S9), 山西 第四十一条 (S14),
// 大同 第六条 (S1, the city deputies' groups), and leave from an activity to its organiser (大同 第十一条, S4).
const ACTIVITIES = [
  '法规没有规定代表一年一共要参加几次活动。写明了次数的有：',
  '· 每年参加代表联络站（点）活动不少于一次（山西 第二十一条）；',
  '· 每届参加集体学习不少于一次（山西 第四十一条）；',
  '· 市人大代表小组每季度、代表大组每半年至少活动一次（大同 第六条）。',
  '其他活动按通知参加，市人大代表去不了的应向组织单位请假（大同 第十一条）。具体怎么安排，可以问代表工作机构。',
].join('\n');

// 山西 第四条(四): attending is a duty; 山西 第八条 (S5): leave in writing, and who decides; 山西 第四十六条(三)
// (S6): twice absent without approval ends the mandate; 大同 第十一条 (S4): leave from an activity.
const ABSENCE = [
  '按时出席本级人民代表大会会议是代表的义务（山西 第四条(四)）。',
  '因健康等特殊原因去不了的，要书面请假：县级以上人大代表会前向本级人大常委会提出，由主任会议决定，开会期间由大会秘书处批准；乡镇人大代表由主席团决定（山西 第八条）。',
  '未经批准两次不出席本级人民代表大会会议的，代表资格终止（山西 第四十六条(三)）。',
  '市人大代表参加活动去不了，也应向组织单位请假（大同 第十一条）。',
].join('\n');

const ANSWERS: Readonly<Record<DutyTopic, { text: string; offer: string; buttons: string[] }>> = {
  'duty.obligations': {
    text: OBLIGATIONS,
    offer: '要请假、提建议、预约接待日，直接跟我说就行。',
    buttons: ['建议', '请假'],
  },
  'duty.rights': {
    text: RIGHTS,
    offer: '要提建议、申请视察、预约接待日，直接跟我说就行。',
    buttons: ['建议', '视察'],
  },
  'duty.both': {
    text: `${OBLIGATIONS}\n\n${RIGHTS}`,
    offer: '要请假、提建议、预约接待日，直接跟我说就行。',
    buttons: ['建议', '请假'],
  },
  'duty.activities': {
    text: ACTIVITIES,
    offer: '发“我的履职”可以看您今年参加了哪些、还差哪些；要请假，直接跟我说就行。',
    buttons: ['我的履职'],
  },
  'duty.absence': {
    text: ABSENCE,
    offer: '要请假，直接跟我说就行，例如“请假 明天的常委会 出差”，我会生成书面请假单。',
    buttons: ['请假'],
  },
};

/** The answer to a question about a deputy's duties or rights; null when the topic is none of these. */
export function dutyAnswer(topic: string, roles: readonly Role[]): Reply | null {
  if (!isDutyTopic(topic)) return null;
  const a = ANSWERS[topic];
  // Staff asking are told the law; what the bot does for a deputy is a deputy's to be told.
  if (!mayUse('deputy', roles)) return { text: a.text };
  return {
    text: `${a.text}\n${a.offer}`,
    buttons: a.buttons.map((word) => ({ label: word, command: word })),
  };
}
