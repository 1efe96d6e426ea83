import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/language/command-parser.ts';
import { receptionAsked } from '../../src/bot/language/reception-questions.ts';

// What deputies ask about the reception day besides its date (大同 第七条(九), S2), read as they write it:
// elderly and long, busy and short, careless with typos and spaces.

const NOW = '2026-12-02';
const deputy = { now: NOW, roles: ['deputy' as const] };

describe('a question about the reception day', () => {
  it.each([
    ['接待日能带别人去吗', '带人'],
    ['接待日可以带群众吗', '带人'],
    ['能不能带个人一起去接待日', '带人'],
    ['接待日我家属能陪我去吗', '带人'],
    ['俺去接待日那天能不能领着俺们村的老王一块去啊', '带人'],
    ['接待日那天俺能不能叫上村支书一块去反映修路的事', '带人'],
    ['主任接待日 俺老伴能跟着不', '带人'],
    ['接待日可带家属否', '带人'],
    ['接待日  能带  家属吗', '带人'],
    ['我下个月接待日能不能换个时间', '改期'],
    ['接待日能改个日子吗', '改期'],
    ['接待日能不能往后推几天', '改期'],
    ['5号我去不了 接待日能不能改到10号', '改期'],
    ['接待日改期', '改期'],
    ['接待日能领着俺孙子去不 他给俺开车', '带人'],
    ['同志你好 俺想问一下这个接待日是干啥的 俺能去不', '用途'],
    ['什么是接待日', '用途'],
    ['接待日有啥用', '用途'],
    // Whether and how early to book: answered, nothing booked.
    ['接待日要提前几天预约吗', '预约'],
    ['接待日需要预约吗', '预约'],
    ['接待日不预约能去吗', '预约'],
    ['接待日最晚哪天能约', '预约'],
    ['俺想去接待日 要不要先预约啊', '预约'],
    // What to bring: answered with the day, nothing booked (never a booking with the topic “要带啥”).
    ['接待日要带什么', '准备'],
    ['去接待日要带啥', '准备'],
    ['接待日需要准备材料吗', '准备'],
    ['俺去接待日得带点啥不', '准备'],
    ['接待日是几点', '准备'],
    ['接待日几点开始', '准备'],
    ['接待日在哪里', '准备'],
  ] as const)('%s → %s', (text, asks) => {
    expect(receptionAsked(text, NOW)).toBe(asks);
  });

  it.each([
    // A topic told, nothing asked: the booking.
    '预约接待日 带村民代表反映修路',
    // Booking in so many words is the booking.
    '我需要预约接待日',
    '我要预约接待日 停车',
    // Moving a booking to a month is the booking's own change (turn/booking-change.ts).
    '接待日能改到下个月吗',
    '接待日话题能换成停车吗',
    '接待日是哪天',
    '下个月接待日我去不了',
    '能带家属吗',
    '接待日是什么时候',
    '预约接待日 说说来不及修的路',
    '预约接待日 问问准备什么时候修桥',
    '预约接待日 说说哪里的路要修',
  ])('%s → no such question', (text) => {
    expect(receptionAsked(text, NOW)).toBeNull();
  });

  it('is the reception day with what was asked, for the month named, and never a booking', () => {
    const r = parseCommand('我下个月接待日能不能换个时间', deputy);
    expect(r.kind === 'command' && { id: r.id, args: r.args }).toEqual({
      id: 'reception.day',
      args: { month: '2027-01', asks: '改期' },
    });
    const along = parseCommand('接待日我家属能陪我去吗', deputy);
    expect(along.kind === 'command' && { id: along.id, args: along.args }).toEqual({
      id: 'reception.day',
      args: { asks: '带人' },
    });
    // The typed slip 接带日 reads as 接待日 first.
    const slip = parseCommand('接带日能带人吗', deputy);
    expect(slip.kind === 'command' && slip.args).toEqual({ asks: '带人' });
  });
});

describe('查询 with the kind of item', () => {
  it.each(['查询 预约', '查询 请假', '查询 建议'])(
    '%s lists those items, never books or asks leave',
    (text) => {
      const r = parseCommand(text, deputy);
      expect(r.kind === 'command' && r.id).toBe('item.query');
    },
  );
});
