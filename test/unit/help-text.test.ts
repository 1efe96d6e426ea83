import { describe, expect, it } from 'vitest';
import { plainHelp } from '../../src/bot/dialog/help.ts';
import { CATALOG, type Role } from '../../src/bot/language/command-catalog.ts';

const summary = (id: string) => CATALOG.find((c) => c.id === id)!.summary;

describe('帮助', () => {
  it('shows a deputy the deputy commands, each with an example, and none of the staff ones', () => {
    const t = plainHelp(['deputy']);
    for (const id of [
      'leave.request',
      'suggestion.submit',
      'item.query',
      'reception.day',
      'reception.book',
    ]) {
      expect(t).toContain(summary(id));
    }
    expect(t).toContain('例如');
    expect(t).toContain('建议 小区路灯坏了');
    for (const id of ['leave.approve', 'suggestion.assign', 'suggestion.extend', 'broadcast.notify']) {
      expect(t).not.toContain(summary(id));
    }
    expect(t).toContain('【代表】');
    expect(t).not.toContain('【工作人员】');
  });

  it('shows staff the staff commands, but not 批准', () => {
    const t = plainHelp(['staff']);
    for (const id of ['suggestion.assign', 'suggestion.extend', 'suggestion.answer', 'broadcast.notify']) {
      expect(t).toContain(summary(id));
    }
    expect(t).not.toContain(summary('leave.approve'));
    expect(t).not.toContain('【代表】');
  });

  it('shows an approver 批准 and 不批准 as well as the staff commands', () => {
    const t = plainHelp(['approver']);
    expect(t).toContain(summary('leave.approve'));
    expect(t).toContain(summary('leave.reject'));
    expect(t).toContain(summary('suggestion.assign'));
  });

  it('groups a deputy who is also staff under both headings, deputies first', () => {
    const t = plainHelp(['deputy', 'staff']);
    expect(t.indexOf('【代表】')).toBeGreaterThan(-1);
    expect(t.indexOf('【工作人员】')).toBeGreaterThan(t.indexOf('【代表】'));
  });

  it('writes examples, never notation, and says how to end a dialog', () => {
    const all: Role[] = ['deputy', 'staff', 'approver', 'admin'];
    const t = plainHelp(all);
    for (const notation of ['<', '>', '[', ']', 'YYYY', 'JY编号', '必填']) expect(t).not.toContain(notation);
    expect(plainHelp(['deputy'])).toContain('取消');
  });

  it('reads each command as one description and one example, never the command word twice', () => {
    const all: Role[] = ['deputy', 'staff', 'approver', 'admin'];
    const lines = plainHelp(all)
      .split('\n')
      .filter((l) => l.startsWith('· '));
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      // "· 确认参加受邀的活动：参加（…）", not "· 答复活动邀请：参加：参加（…）".
      expect(l.split('：'), l).toHaveLength(2);
    }
    expect(plainHelp(['deputy'])).toContain('· 确认参加受邀的活动：参加');
  });

  it('fits a WeCom passive reply for every combination of roles', () => {
    const all: Role[] = ['deputy', 'staff', 'approver', 'admin'];
    expect(Buffer.byteLength(plainHelp(all), 'utf8')).toBeLessThanOrEqual(2048);
  });
});
