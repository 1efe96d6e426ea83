import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/language/command-parser.ts';
import { takesBackUrge } from '../../src/bot/turn/urge-undo.ts';

// The words with which a deputy takes back the 催办 just pressed, and those that only sound close.

describe('taking back a 催办 in words', () => {
  it('reads the ways deputies take one back, with the item when they name it', () => {
    const said = [
      '撤销催办',
      '撤回刚才的催办',
      '取消催办',
      '不催了',
      '先不用催了',
      '催错了',
      '催办按错了',
      '我没想催办',
      '不对，我不是要催办',
      '哎呀 按错了 不催了',
      '不是催办！',
      '不用催办',
      '不要再催了',
      '不必催',
    ];
    for (const text of said) expect(takesBackUrge(text), text).toEqual({ code: null });
    expect(takesBackUrge('撤回催办 jy-2026-0003')).toEqual({ code: 'JY-2026-0003' });
  });

  it('leaves a 催办 itself, and sentences that go on about something else', () => {
    for (const text of ['催办', '催办 JY-2026-0003', '不催办的话要等多久', '我不是要催办，是想查一下进度'])
      expect(takesBackUrge(text), text).toBeNull();
  });

  it('never reads a 催办 from words that say not to urge', () => {
    const urges = (text: string) => {
      const r = parseCommand(text, { now: '2026-12-02', roles: ['deputy'] });
      return r.kind === 'command' && r.id === 'suggestion.urge';
    };
    expect(urges('帮我催一下那个路灯的事')).toBe(true);
    for (const text of ['我觉得不用催办', '别催了', '不用催办 JY-2026-0001', '我没想催他们'])
      expect(urges(text), text).toBe(false);
  });
});
