import { describe, expect, it } from 'vitest';
import { takesBack, withdrawsLeave } from '../../src/bot/dialog/free-text.ts';

// Mid-dialog, a deputy may take back the command the dialog is for; words that merely contain "错了" are
// content (a reason, a suggestion) and must never be read as taking it back.

describe('taking back the command a dialog is for', () => {
  it('hears "不是请假" and "说错了", and keeps what is wanted instead', () => {
    expect(takesBack('哎呀我说错了，不是请假，是想查一下我的建议', '请假')).toEqual({
      rest: '想查一下我的建议',
    });
    expect(takesBack('不是要请假，查一下', '请假')).toEqual({ rest: '查一下' });
    expect(takesBack('不是建议，是批评', '建议')).toEqual({ rest: '批评' });
    expect(takesBack('说错了', '请假')).toEqual({ rest: '' });
    expect(takesBack('哎，我发错了。查询', '请假')).toEqual({ rest: '查询' });
  });

  it('leaves content that only mentions a mistake alone', () => {
    for (const text of [
      '路牌写错了好几处',
      '单位派我出差',
      '上次通知把时间发错了，所以赶不回来',
      '不是很清楚会议时间',
    ])
      expect(takesBack(text, '请假'), text).toBeNull();
  });
});

describe('taking back leave already asked for', () => {
  it('hears it however it is said', () => {
    for (const text of [
      '我不想请假了',
      '不用请假了',
      '撤销请假',
      '撤回我的请假',
      '请假不用了',
      '我那个请假撤回吧',
      '不请假了',
      '刚才请的假撤了吧 又能去了',
      '撤掉上次请的假',
    ])
      expect(withdrawsLeave(text), text).toBe(true);
  });

  it('leaves a request for leave, even a reluctant one, a request', () => {
    for (const text of ['我要请假', '我不想请假，但实在去不了', '请假 人代会 出差', '不想请假可是家里有事'])
      expect(withdrawsLeave(text), text).toBe(false);
  });
});
