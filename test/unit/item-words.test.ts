import { describe, expect, it } from 'vitest';
import { fitByWords, type ItemCandidate } from '../../src/bot/dialog/item-words.ts';

// Which of a deputy's items their words point at, when the words come among fillers and reasons.

const item = (code: string, words: string, on: string): ItemCandidate => ({ code, label: code, words, on });
const ELEVATOR = item(
  'JY-2026-0001',
  '关于老旧小区加装电梯补贴的建议：建议市政府研究出台补贴办法',
  '2026-11-10',
);
const LAMP = item('JY-2026-0002', '建议修复和平街小区门口的路灯，方便居民夜间出行', '2026-09-08');
const SCHOOL = item('JY-2026-0003', '建议学校门口上下学时段安排交警疏导交通', '2026-08-05');
const ALL = [ELEVATOR, LAMP, SCHOOL];
const codes = (text: string, pool = ALL) => fitByWords(text, pool, '2026-12-01').map((c) => c.code);

describe('items found by their words', () => {
  it('finds the item among fillers, dialect and a typo of the command', () => {
    for (const text of [
      '崔办 路灯那个建议',
      '路灯那个事儿催催',
      '那个，就是说，我那个路灯的建议，能不能催催',
      '嗯那个，催办，就是那个路灯的',
    ])
      expect(codes(text), text).toEqual([LAMP.code]);
  });

  it('finds the item named before a reason, by the words it shares with it alone', () => {
    expect(codes('我对路灯那个事很不满意，两个月了还没修')).toEqual([LAMP.code]);
  });

  it('takes words that do not point at an item for it only when they are mostly its words', () => {
    expect(codes('催催路灯')).toEqual([LAMP.code]);
    // A rating's reason: no item of the three, so none is ruled out.
    expect(codes('交警疏导就早上有，下午没人管，不太满意').sort()).toEqual(ALL.map((c) => c.code).sort());
  });

  it('takes words any complaint uses for no item', () => {
    expect(codes('这个答复我不太满意，光说研究研究，没有时间表')).toEqual([]);
  });

  it('gives both, to be asked about, when two items share the words equally', () => {
    const twin = item('JY-2026-0004', '建议在和平街小区门口增设路灯', '2026-10-01');
    expect(codes('我对路灯那个事很不满意', [LAMP, twin]).sort()).toEqual([LAMP.code, twin.code].sort());
  });
});
