import { describe, expect, it } from 'vitest';
import { parseAnswerText } from '../../handlers/answer-text.ts';

// An answer written in chat: labelled parts as labelled; words with no label are what was done, unless
// they say it is only planned or cannot be done and why.

const fieldsOf = (text: string) => {
  const r = parseAnswerText(text, [], '2026-12-02');
  if ('error' in r) throw new Error(r.error);
  return r.fields;
};

describe('an answer in chat', () => {
  it('reads words with no label as what was done', () => {
    expect(fieldsOf('已更换路灯12盏，恢复照明')).toMatchObject({
      done: '已更换路灯12盏，恢复照明',
      planned: null,
    });
  });

  it('never calls a plan done', () => {
    expect(fieldsOf('经研究，列入明年计划')).toMatchObject({ done: null, planned: '经研究，列入明年计划' });
  });

  it('reads what cannot be done and why, when the words give the why', () => {
    expect(fieldsOf('因资金原因今年暂时无法解决')).toMatchObject({
      done: null,
      cannot: '今年暂时无法解决',
      cannotReason: '资金原因',
    });
    expect(fieldsOf('由于不属于规划范围，目前无法调整')).toMatchObject({
      cannot: '目前无法调整',
      cannotReason: '不属于规划范围',
    });
  });

  it('keeps labelled parts as labelled, with no separator left at the end of what was done', () => {
    expect(fieldsOf('已修好路灯；计划：明年再查一遍；签发人：张局长')).toMatchObject({
      done: '已修好路灯',
      planned: '明年再查一遍',
      signedBy: '张局长',
    });
  });
});
