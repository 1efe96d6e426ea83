import { describe, expect, it } from 'vitest';
import {
  CORP_MINUTE,
  takeCorpBudget,
  takeMemberBudget,
  takeRobotBudget,
} from '../../src/channels/wecom/budgets.ts';
import { FixedClock } from '../../src/clock.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

// The budgets act before WeCom would drop or refuse: the limits of its 访问频率限制 page.

describe('WeCom budgets', () => {
  it('lets a member receive 30 in a minute and 1,000 in an hour, and no more', async () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    const store = new MemoryStore(clock);
    let sent = 0;
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 40; i++) if ((await takeMemberBudget(store, 'app', 'ZhangSan')).allowed) sent++;
      clock.advance(60_000);
    }
    // 30 a minute for 33 minutes reaches the hourly 1,000; the rest of the hour is refused.
    expect(sent).toBe(1000);
  });

  it('lets a robot take 20 in any minute', async () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    const store = new MemoryStore(clock);
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await takeRobotBudget(store, 'robot-key'));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    const refused = results.find((r) => !r.allowed);
    expect(refused && !refused.allowed ? refused.retryAfterMs : 0).toBe(60_000);
  });

  it('shares the corp budget across members, per API path', async () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z');
    const store = new MemoryStore(clock);
    for (let i = 0; i < CORP_MINUTE.limit; i++) await takeCorpBudget(store, 'ww1', 'message/send');
    expect((await takeCorpBudget(store, 'ww1', 'message/send')).allowed).toBe(false);
    expect((await takeCorpBudget(store, 'ww1', 'menu/create')).allowed).toBe(true);
    expect((await takeCorpBudget(store, 'ww2', 'message/send')).allowed).toBe(true);
  });
});
