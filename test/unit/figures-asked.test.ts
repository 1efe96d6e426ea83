import { describe, expect, it } from 'vitest';
import { figuresAsked } from '../../src/bot/language/staff-questions.ts';

// The office's figures asked as colleagues ask: the period said and what is asked, read without touching
// anything; words that ask no figure (a matter, an organ's items, a deputy's own) are left alone.

describe('the office figures staff ask for', () => {
  it('reads the period and what is asked', () => {
    const cases: [string, ReturnType<typeof figuresAsked>][] = [
      ['这周的统计', { period: 'week', asked: 'figures' }],
      ['这个礼拜的统计', { period: 'week', asked: 'figures' }],
      ['本月统计', { period: 'month', asked: 'figures' }],
      ['上个月的统计数据', { period: 'lastMonth', asked: 'figures' }],
      ['今年收到多少建议', { period: 'year', asked: 'received' }],
      ['今年提了多少建议？', { period: 'year', asked: 'received' }],
      ['建议办结了多少', { period: null, asked: 'figures' }],
      ['去年答复了几件', { period: 'lastYear', asked: 'figures' }],
      ['办结率多少', { period: null, asked: 'closeRate' }],
      ['今年的按期答复率是多少', { period: 'year', asked: 'onTimeRate' }],
      ['不满意率', { period: null, asked: 'dissatisfiedRate' }],
      ['哪个单位超期最多', { period: null, asked: 'overdue' }],
      ['超期的有几件', { period: null, asked: 'overdue' }],
      ['本周有几件超期', { period: 'week', asked: 'overdue' }],
      ['超期最多的是哪个单位', { period: null, asked: 'overdue' }],
    ];
    for (const [text, expected] of cases) expect(figuresAsked(text), text).toEqual(expected);
  });

  it('leaves other words alone', () => {
    for (const text of [
      '住建局有几件没答复的',
      '住建局有没有超期的',
      '我今年提了多少建议',
      '王二提过几条建议',
      '这周有什么会',
      '下周有几个人请假',
      '建议 小区路灯坏了',
      '查询 JY-2026-0001',
      '超期了',
      '统计局的路灯坏了几个月了没人修',
    ])
      expect(figuresAsked(text), text).toBeNull();
  });
});
