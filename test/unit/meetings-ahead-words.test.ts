import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/language/command-parser.ts';
import { asksMeetingsAhead } from '../../src/bot/turn/meetings-ahead.ts';
import { dayRange } from '../../src/services/leave/index.ts';

// Which meetings are ahead, asked as deputies write it: elderly and long, busy and short, careless.

describe('asking which meetings are ahead', () => {
  it.each([
    ['最近有会吗', 'only'],
    ['有会没', 'only'],
    ['最近有会么', 'only'],
    ['最近有会吗？', 'only'],
    ['最近有什么活动', 'only'],
    ['近期有啥会议', 'only'],
    ['小同志你好 俺想问问最近都有些啥会要开啊', 'only'],
    ['人代会啥时候开？我到时候可能去不了', 'also'],
    ['最近开啥会 我看看能不能去', 'also'],
    ['人代会我能不能去', 'only'],
  ] as const)('%s → %s', (text, how) => {
    expect(asksMeetingsAhead(text)).toBe(how);
  });

  it.each(['最近忙不忙', '最近有会 去不了', '我要请假'])('%s → not asked', (text) => {
    expect(asksMeetingsAhead(text)).toBeNull();
  });
});

describe('asking whether one can go', () => {
  // “能不能去” holds “不能去” without saying one cannot go.
  it.each(['人代会我能不能去', '最近开啥会 我看看能不能去'])('%s is no leave request', (text) => {
    const r = parseCommand(text, { now: '2026-12-02', roles: ['deputy'] });
    expect(r.kind === 'command' ? r.id : r.kind).not.toBe('leave.request');
  });
  it.each(['我能不能不去', '那天我不能去'])('%s still asks leave', (text) => {
    const r = parseCommand(text, { now: '2026-12-02', roles: ['deputy'] });
    expect(r.kind === 'command' && r.id).toBe('leave.request');
  });
});

describe('the days a question about meetings asks', () => {
  // Wednesday 2026-12-16: this week is 14日 to 20日, Monday to Sunday.
  it.each([
    ['这周有什么会', '2026-12-14', '2026-12-20', '这周'],
    ['本周有什么会议', '2026-12-14', '2026-12-20', '本周'],
    ['这个礼拜有会吗', '2026-12-14', '2026-12-20', '这个礼拜'],
    ['下周有啥会', '2026-12-21', '2026-12-27', '下周'],
    ['下个星期有会吗', '2026-12-21', '2026-12-27', '下个星期'],
    ['这个月有什么会', '2026-12-01', '2026-12-31', '这个月'],
    ['这周三有会吗', '2026-12-16', '2026-12-16', '这周三'],
  ])('%s → %s to %s', (text, from, to, words) => {
    expect(dayRange(text, '2026-12-16')).toEqual({ from, to, words });
  });
  it('reads no days in "最近有会吗"', () => {
    expect(dayRange('最近有会吗', '2026-12-16')).toBeNull();
  });
});
