import { describe, expect, it } from 'vitest';
import { CATALOG, type Role } from '../../src/bot/language/command-catalog.ts';
import { helpText } from '../../src/bot/language/help-text.ts';

const usage = (id: string) => CATALOG.find((c) => c.id === id)!.usage;

describe('帮助', () => {
  it('shows a deputy the deputy commands and none of the staff ones', () => {
    const t = helpText(['deputy']);
    for (const id of [
      'leave.request',
      'suggestion.submit',
      'item.query',
      'reception.day',
      'reception.book',
      'duty.record',
    ]) {
      expect(t).toContain(usage(id));
    }
    for (const word of ['批准', '交办', '延期', '答复 <', '通知', '代录']) expect(t).not.toContain(word);
    expect(t).toContain('【代表】');
    expect(t).not.toContain('【工作人员】');
  });

  it('shows staff the staff commands, but not 批准', () => {
    const t = helpText(['staff']);
    for (const id of [
      'suggestion.assign',
      'suggestion.extend',
      'suggestion.answer',
      'broadcast.notify',
      'suggestion.proxy',
    ]) {
      expect(t).toContain(usage(id));
    }
    expect(t).not.toContain('批准');
    expect(t).not.toContain(usage('leave.request'));
    expect(t).not.toContain('【代表】');
  });

  it('shows an approver 批准 and 不批准 as well as the staff commands', () => {
    const t = helpText(['approver']);
    expect(t).toContain(usage('leave.approve'));
    expect(t).toContain(usage('leave.reject'));
    expect(t).toContain(usage('suggestion.assign'));
  });

  it('groups a deputy who is also staff under both headings, deputies first', () => {
    const t = helpText(['deputy', 'staff']);
    expect(t.indexOf('【代表】')).toBeGreaterThan(-1);
    expect(t.indexOf('【工作人员】')).toBeGreaterThan(t.indexOf('【代表】'));
  });

  it('says how to end a dialog', () => {
    expect(helpText(['deputy'])).toContain('取消');
  });

  it('fits a WeCom passive reply for every combination of roles', () => {
    const all: Role[] = ['deputy', 'staff', 'approver', 'admin'];
    expect(Buffer.byteLength(helpText(all), 'utf8')).toBeLessThanOrEqual(2048);
    for (const line of helpText(all).split('\n')) expect([...line].length).toBeLessThanOrEqual(45);
  });
});
