import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCityRoster } from '../helpers/city-roster.ts';
import { everyRecord } from '../helpers/rows.ts';

// A deputy asking about their own duties and rights — “代表的职责是什么”, “当代表要干啥”, “代表有什么权利”,
// “代表一年要参加几次活动”, “不去开会会怎么样” — is told what the Shanxi and Datong measures say, with the article
// named, then what the bot does for them; where the texts set no number, that is said. Asking changes no row.
// Words that only contain these ("建议明确代表的职责", "代表活动室的灯坏了") are filed as before.

const OBLIGATIONS = [
  '代表应当履行这些义务（山西 第四条）：',
  '· 按时出席本级人民代表大会会议，认真审议各项议案、报告，发表意见；',
  '· 同原选区选民或者原选举单位和人民群众保持密切联系，听取和反映他们的意见和要求；',
  '要请假、提建议、预约接待日，直接跟我说就行。',
];
const RIGHTS = [
  '代表享有这些权利（山西 第三条）：',
  '· 提出对各方面工作的建议、批评和意见；',
  '· 参加本级人民代表大会的各项选举和表决；',
  '闭会期间，可以向本级人大常委会（乡镇向人大主席团）提出建议、批评和意见（山西 第十八条），也可以持代表证就地视察（山西 第二十二条）。',
  '要提建议、申请视察、预约接待日，直接跟我说就行。',
];
const ACTIVITIES = [
  '法规没有规定代表一年一共要参加几次活动。写明了次数的有：',
  '· 每年参加代表联络站（点）活动不少于一次（山西 第二十一条）；',
  '· 每届参加集体学习不少于一次（山西 第四十一条）；',
  '· 市人大代表小组每季度、代表大组每半年至少活动一次（大同 第六条）。',
  '其他活动按通知参加，市人大代表去不了的应向组织单位请假（大同 第十一条）。具体怎么安排，可以问代表工作机构。',
  '发“我的履职”可以看您今年参加了哪些、还差哪些；要请假，直接跟我说就行。',
];
const ABSENCE = [
  '按时出席本级人民代表大会会议是代表的义务（山西 第四条(四)）。',
  '因健康等特殊原因去不了的，要书面请假：县级以上人大代表会前向本级人大常委会提出，由主任会议决定，开会期间由大会秘书处批准；乡镇人大代表由主席团决定（山西 第八条）。',
  '未经批准两次不出席本级人民代表大会会议的，代表资格终止（山西 第四十六条(三)）。',
  '要请假，直接跟我说就行，例如“请假 明天的常委会 出差”，我会生成书面请假单。',
];

/** Each line of `lines` is a whole line of the answer. */
function hasLines(answer: string, lines: readonly string[], asked: string): void {
  const got = answer.split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(got, `${asked}: ${line}`).toContain(line);
  expect(answer, asked).not.toContain('没太明白');
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(
    `a deputy asking about their duties and rights on ${backend.name}`,
    () => {
      let chat: ChatHarness;
      const clock = new FixedClock('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
      const items = async () =>
        (await chat.deps.db.selectFrom('suggestions').select('content').orderBy('id').execute()).map(
          (r) => r.content,
        );

      beforeAll(async () => {
        chat = await createChatHarness(backend.name, { clock });
        await seedCityRoster(chat.deps, {
          deputies: ['ZhangDaYe', 'WangMang', 'LiMaHu', 'QianDaJie'],
          sessionAhead: true,
        });
      });
      afterAll(async () => {
        await chat?.close();
      });

      it('answers each phrasing from the article that states it, and changes no row', async () => {
        const before = await everyRecord(chat.deps.db);
        const asked: [string, string, readonly string[]][] = [
          ['ZhangDaYe', '代表的职责是什么', OBLIGATIONS],
          ['WangMang', '人大代表有哪些义务', OBLIGATIONS],
          ['ZhangDaYe', '当代表要干啥', OBLIGATIONS],
          ['LiMaHu', '俺当代表都要做些啥', OBLIGATIONS],
          ['QianDaJie', '代表有什么权利', RIGHTS],
          ['WangMang', '我作为代表能做什么', RIGHTS],
          ['ZhangDaYe', '代表一年要参加几次活动', ACTIVITIES],
          ['LiMaHu', '不去开会会怎么样', ABSENCE],
          ['QianDaJie', '人代会不参加有什么后果', ABSENCE],
        ];
        for (const [who, text, lines] of asked) hasLines(await chat.say(who, text), lines, text);
        const both = await chat.say('WangMang', '代表的权利和义务有哪些');
        hasLines(both, [...OBLIGATIONS.slice(0, 3), ...RIGHTS.slice(0, 4)], '代表的权利和义务有哪些');
        expect(await everyRecord(chat.deps.db)).toBe(before);
      });

      it('tells staff what the law says, without what the bot does for a deputy', async () => {
        const answer = await chat.say('LiSi', '代表的职责是什么');
        hasLines(answer, OBLIGATIONS.slice(0, 3), '代表的职责是什么');
        expect(answer).not.toContain('直接跟我说就行');
      });

      it('answers while a leave request waits for its reason, which is then asked again', async () => {
        const before = await everyRecord(chat.deps.db);
        expect(await chat.say('QianDaJie', '请假 第七次会议')).toContain('事由');
        const answer = await chat.say('QianDaJie', '不去开会会怎么样');
        hasLines(answer, ABSENCE.slice(0, 3), '不去开会会怎么样');
        expect(answer).toContain('（“请假”还没办完）');
        expect(await chat.say('QianDaJie', '取消')).toContain('已取消');
        expect(await everyRecord(chat.deps.db)).toBe(before);
      });

      it('files a suggestion or a matter that only contains these words, and keeps the resignation answer', async () => {
        expect(await chat.say('ZhangDaYe', '建议明确代表的职责')).toContain('已收到您的建议');
        expect(await items()).toEqual(['明确代表的职责']);
        const matter = await chat.say('WangMang', '代表活动室的灯坏了');
        expect(matter).toContain('要把这段话作为建议提交吗？\n“代表活动室的灯坏了”');
        expect(matter).not.toContain('山西 第四条');
        const resign = await chat.say('LiMaHu', '代表可以辞职吗');
        expect(resign).toContain('（山西 第四十八条）');
        expect(resign).toContain('您的话已原样转告代表工作机构');
        expect(resign).not.toContain('山西 第四条');
        // Neither a station's duties nor the bot's own are a deputy's.
        expect(await chat.say('QianDaJie', '代表联络站的职责是什么')).not.toContain('山西 第四条');
        expect(await chat.say('QianDaJie', '你能做什么')).toContain('直接用平常的话告诉我就行');
        expect(await chat.say('ZhangDaYe', '我今年参加了几次活动')).toContain('履职记录】');
      });
    },
  );
}
