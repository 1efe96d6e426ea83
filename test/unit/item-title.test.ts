import { describe, expect, it } from 'vitest';
import { titleOf } from '../../src/services/suggestions/index.ts';

// An item's short title, as lists show it: from where the matter begins, never a 涉密 item's words.

const title = (content: string, secret = false) => titleOf({ secret, title: null, content });

describe('an item’s title', () => {
  it('starts where the matter starts: greetings, "我想反映个问题" and a 还有 / 另外 that carries on are left off', () => {
    expect(title('您好，我想反映个问题：村口路灯坏了半个月了，谢谢！')).toBe('村口路灯坏了半个月了');
    expect(title('还有 垃圾桶也不够')).toBe('垃圾桶也不够');
    expect(title('另外，小区里的路也坑坑洼洼')).toBe('小区里的路也坑坑洼洼');
    expect(title('对了，东门的井盖丢了')).toBe('东门的井盖丢了');
  });

  it('leaves off a caller’s 喂, the greeting of whoever answers, and who is writing', () => {
    expect(title('喂喂 小同志你好 我是城关镇的张大爷 我们那个村口的桥年久失修 桥面都裂了')).toBe(
      '我们那个村口的桥年久失修 桥面都裂了',
    );
    expect(title('您好，我是东街社区的王代表，小区电梯老坏')).toBe('小区电梯老坏');
    // The greeting before whom it greets, whom it greets alone, and 同志们好.
    expect(title('你好小同志 我是张大爷 我们村那个桥年久失修')).toBe('我们村那个桥年久失修');
    expect(title('小同志 我是张大爷 我们村那个桥年久失修')).toBe('我们村那个桥年久失修');
    expect(title('同志们好 停车难')).toBe('停车难');
    expect(title('老师，学校门口太乱')).toBe('学校门口太乱');
    // An address word inside the matter stays.
    expect(title('老师们的宿舍漏雨')).toBe('老师们的宿舍漏雨');
    expect(title('我想说说我们小区停车难的问题 车位太少')).toBe('我们小区停车难的问题 车位太少');
    // "我是…" that is no introduction stays: it is the matter.
    expect(title('我是觉得路灯太暗了，晚上看不清')).toBe('我是觉得路灯太暗了，晚上看不清');
    expect(title('我是想说村里的路该修了')).toBe('我是想说村里的路该修了');
  });

  it('keeps 还有 and 另外 that belong to the matter’s own words', () => {
    expect(title('还有人乱扔垃圾')).toBe('还有人乱扔垃圾');
    expect(title('还有没有人管')).toBe('还有没有人管');
    expect(title('另外一个问题是路灯')).toBe('另外一个问题是路灯');
  });

  it('never shows a 涉密 item’s words', () => {
    expect(title('还有 涉及未公开的规划', true)).toBe('（涉密事项）');
  });
});
