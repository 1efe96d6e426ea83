import { describe, expect, it } from 'vitest';
import { takeMemberBudget, takeRobotBudget } from '../../src/channels/wecom/budgets.ts';
import { failureForErrcode } from '../../src/channels/wecom/errors.ts';
import { cardTitle } from '../../src/channels/wecom/outbound-sender.ts';
import { parseQuery, truncateUtf8 } from '../../src/channels/wecom/route.ts';
import { cdata } from '../../src/channels/wecom/xml.ts';
import { FixedClock } from '../../src/clock.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

describe('WeCom callback query', () => {
  it('keeps a literal + and decodes percent escapes', () => {
    const q = parseQuery('echostr=ab+cd%2Bef%3D%3D&nonce=1&timestamp=2');
    expect(q.get('echostr')).toBe('ab+cd+ef==');
    expect(q.get('nonce')).toBe('1');
  });

  it('lets the first of a repeated parameter stand', () => {
    expect(parseQuery('msg_signature=aaa&msg_signature=bbb').get('msg_signature')).toBe('aaa');
  });

  it('leaves out a parameter with a broken escape', () => {
    expect(parseQuery('nonce=%E0%A4%A&timestamp=1').has('nonce')).toBe(false);
  });
});

describe('passive reply size', () => {
  it('cuts at 2048 bytes without splitting a character', () => {
    expect(truncateUtf8('a'.repeat(3000), 2048)).toHaveLength(2048);
    const cut = truncateUtf8(`a${'代'.repeat(1000)}`, 2048);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2048);
    expect(cut).toBe(`a${'代'.repeat(682)}`);
    expect(truncateUtf8('短', 2048)).toBe('短');
    const emoji = truncateUtf8('😀'.repeat(600), 2048);
    expect(emoji).toBe('😀'.repeat(512));
  });

  it('keeps "]]>" inside CDATA from closing it', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });
});

describe('WeCom errcodes', () => {
  it('turns configuration errors into non-retryable results that name the setting', () => {
    expect(failureForErrcode(40001, 'invalid credential')).toMatchObject({
      code: 'configuration',
      retryable: false,
    });
    expect(failureForErrcode(40001, '').message).toContain('WECOM_SECRET');
    expect(failureForErrcode(40013, '').message).toContain('WECOM_CORP_ID');
    expect(failureForErrcode(60020, '').message).toContain('可信 IP');
  });

  it('marks rate limits and busy as retryable, bad content as not', () => {
    expect(failureForErrcode(45009, '')).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(failureForErrcode(-1, '')).toMatchObject({ code: 'server_error', retryable: true });
    expect(failureForErrcode(45002, '')).toMatchObject({ code: 'content_too_long', retryable: false });
    expect(failureForErrcode(81013, '')).toMatchObject({ code: 'invalid_recipient', retryable: false });
    expect(failureForErrcode(12345, 'something')).toMatchObject({ code: 'platform_error', errcode: 12345 });
  });
});

describe('sending budgets', () => {
  /** Sends as often as the budget allows, every `stepMs`, and returns the send times. */
  const drain = async (
    take: () => Promise<{ allowed: boolean }>,
    clock: FixedClock,
    ms: number,
    stepMs: number,
  ) => {
    const times: number[] = [];
    const start = clock.now().getTime();
    while (clock.now().getTime() - start < ms) {
      while ((await take()).allowed) times.push(clock.now().getTime());
      clock.advance(stepMs);
    }
    return times;
  };
  const maxInWindow = (times: number[], windowMs: number) => {
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  };

  it('never lets a member get more than 30 a minute or 1,000 an hour', async () => {
    const clock = new FixedClock('2026-10-08T01:00:00Z');
    const store = new MemoryStore(clock);
    const times = await drain(() => takeMemberBudget(store, 'corp:1', 'LiSi'), clock, 2 * 3600_000, 1000);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(30);
    expect(maxInWindow(times, 3600_000)).toBeLessThanOrEqual(1000);
    // And it is not needlessly strict: a steady sender gets most of the hourly allowance.
    expect(maxInWindow(times, 3600_000)).toBeGreaterThan(800);
  });

  it('shares one budget between the spellings of a userid, not between members', async () => {
    const clock = new FixedClock('2026-10-08T01:00:00Z');
    const store = new MemoryStore(clock);
    let n = 0;
    while ((await takeMemberBudget(store, 'corp:1', n % 2 ? 'LiSi' : 'lisi')).allowed) n++;
    expect(n).toBeGreaterThan(0);
    expect((await takeMemberBudget(store, 'corp:1', 'LISI')).allowed).toBe(false);
    expect((await takeMemberBudget(store, 'corp:1', 'WangWu')).allowed).toBe(true);
  });

  it('never lets a group robot send more than 20 a minute', async () => {
    const clock = new FixedClock('2026-10-08T01:00:00Z');
    const store = new MemoryStore(clock);
    const times = await drain(() => takeRobotBudget(store, 'robot-key'), clock, 600_000, 500);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
    expect(times.length).toBeGreaterThan(90);
  });
});

describe('button card title', () => {
  it('repeats the question the text ends with', () => {
    expect(
      cardTitle('JY-2026-0001 还在办理中。\n确定撤回 JY-2026-0001 吗？撤回后不再交办。回复“是”撤回。'),
    ).toBe('确定撤回 JY-2026-0001 吗？');
  });

  it('says what to do when the text asks nothing or its question is too long for a title', () => {
    expect(cardTitle('请评价：回复“满意”“基本满意”或“不满意”（可附说明）。')).toBe('请点下面的按钮选择');
    expect(cardTitle(`您说的是${'很长的一段话'.repeat(6)}吗？`)).toBe('请点下面的按钮选择');
  });
});
