import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/language/command-parser.ts';
import { dutyAsked } from '../../src/bot/language/duty-questions.ts';

// What deputies ask about their own duties and rights (山西 第三条, 第四条; the activities the measures count;
// not attending), read as they write it; and what only contains these words, read as before.

const deputy = { now: '2026-12-02', roles: ['deputy' as const] };

describe('a question about a deputy’s duties and rights', () => {
  it.each([
    ['代表的职责是什么', 'duty.obligations'],
    ['人大代表有哪些义务', 'duty.obligations'],
    ['当代表要干啥', 'duty.obligations'],
    ['俺当代表都要做些啥', 'duty.obligations'],
    ['作为一名人大代表 我该做些什么', 'duty.obligations'],
    ['代表职责', 'duty.obligations'],
    ['代表有什么权利', 'duty.rights'],
    ['我作为代表能做什么', 'duty.rights'],
    ['人大代表享有哪些权利？', 'duty.rights'],
    ['代表的权利和义务有哪些', 'duty.both'],
    ['代表一年要参加几次活动', 'duty.activities'],
    ['每年至少参加多少次活动', 'duty.activities'],
    ['不去开会会怎么样', 'duty.absence'],
    ['人代会不参加有什么后果', 'duty.absence'],
    ['缺席会议会被取消代表资格吗', 'duty.absence'],
  ])('%s → %s', (text, topic) => {
    expect(dutyAsked(text)).toBe(topic);
    const r = parseCommand(text, deputy);
    expect(r.kind === 'command' && r.id === 'help' ? r.args.topic : r.kind).toBe(topic);
  });

  it.each([
    '建议明确代表的职责',
    '希望进一步明确代表的权利',
    '代表活动室的灯坏了',
    '代表可以辞职吗',
    '代表联络站的职责是什么',
    '住建局的职责是什么',
    '代表证丢了怎么办',
    '你能做什么',
    '我今年参加了几次活动',
    '明天的会我去不了',
    '不去开会 住院了 会怎么样',
    '通知 全体 代表的职责是什么',
  ])('%s is no such question', (text) => {
    expect(dutyAsked(text)).toBeNull();
    const r = parseCommand(text, deputy);
    const topic = r.kind === 'command' && r.id === 'help' ? r.args.topic : undefined;
    expect(String(topic)).not.toMatch(/^duty\./);
  });
});
