import { describe, expect, it } from 'vitest';
import { SenderCache } from '../../src/bot/dispatch/sender-cache.ts';

const sender = (personId: number, name: string) => ({ personId, name, mandates: [] });

describe('the senders an instance keeps', () => {
  it('keeps the newest reading of a sender, never an older one over it', () => {
    const c = new SenderCache();
    c.put('wecom', 'a', sender(1, '新'), 5);
    c.put('wecom', 'a', sender(1, '旧'), 4);
    expect(c.get('wecom', 'a')).toMatchObject({ version: 5, sender: { name: '新' } });
    c.put('wecom', 'a', null, 6);
    expect(c.get('wecom', 'a')).toEqual({ sender: null, version: 6 });
    // The same id on another platform is another sender.
    expect(c.get('dingtalk', 'a')).toBeUndefined();
  });

  it('forgets the sender read longest ago when full', () => {
    const c = new SenderCache(2);
    c.put('wecom', 'a', sender(1, 'A'), 1);
    c.put('wecom', 'b', sender(2, 'B'), 1);
    c.put('wecom', 'a', sender(1, 'A'), 2); // read again: now the newest
    c.put('wecom', 'c', sender(3, 'C'), 2);
    expect(c.size).toBe(2);
    expect(c.get('wecom', 'b')).toBeUndefined();
    expect(c.get('wecom', 'a')?.sender?.name).toBe('A');
    expect(c.get('wecom', 'c')?.sender?.name).toBe('C');
  });

  it('hands out a sender nothing can change on the way', () => {
    const c = new SenderCache();
    c.put('wecom', 'a', { personId: 1, name: 'A', mandates: [{ mandateId: 1 } as never] }, 1);
    const kept = c.get('wecom', 'a')!.sender!;
    expect(() => {
      (kept as { name: string }).name = 'B';
    }).toThrow(TypeError);
    expect(() => kept.mandates.push({ mandateId: 2 } as never)).toThrow(TypeError);
  });
});
