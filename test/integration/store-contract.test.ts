import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import type { KvStore } from '../../src/store/types.ts';
import { backends, createTestStore } from '../helpers/backends.ts';

// One contract, two implementations: Redis (shared by every instance) and the in-process store.
// Expiry is checked against the store's own clock for memory, and by real (short) TTLs for Redis.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`store contract on ${backend.name}`, () => {
    let store: KvStore;
    let clock: FixedClock;
    const realRedis = backend.name === 'postgres+redis';

    beforeEach(() => {
      clock = new FixedClock('2026-11-02T01:00:00Z');
      store = createTestStore(backend.name, clock);
    });
    afterEach(async () => {
      await store.close();
    });

    const letExpire = async (ms: number) => {
      if (realRedis) await new Promise((r) => setTimeout(r, ms + 30));
      else clock.advance(ms + 1);
    };

    it('sets a key only when absent', async () => {
      expect(await store.setIfAbsent('k', 'first', 10_000)).toBe(true);
      expect(await store.setIfAbsent('k', 'second', 10_000)).toBe(false);
      expect(await store.get('k')).toBe('first');
    });

    it('lets a set-if-absent key expire', async () => {
      expect(await store.setIfAbsent('k', 'a', 80)).toBe(true);
      await letExpire(80);
      expect(await store.get('k')).toBeNull();
      expect(await store.setIfAbsent('k', 'b', 80)).toBe(true);
      expect(await store.get('k')).toBe('b');
    });

    it('gets, sets with and without expiry, and deletes', async () => {
      expect(await store.get('missing')).toBeNull();
      await store.set('a', '1');
      await store.set('b', '2', 80);
      expect(await store.get('a')).toBe('1');
      expect(await store.get('b')).toBe('2');
      await letExpire(80);
      expect(await store.get('a')).toBe('1');
      expect(await store.get('b')).toBeNull();
      await store.del('a');
      expect(await store.get('a')).toBeNull();
    });

    it('keeps Chinese text intact', async () => {
      await store.set('dialog', JSON.stringify({ step: '事由', text: '参加全市人大代表培训班' }));
      expect(JSON.parse((await store.get('dialog'))!)).toEqual({
        step: '事由',
        text: '参加全市人大代表培训班',
      });
    });

    it('gives a lock to one owner at a time and only the owner releases it', async () => {
      const owner = await store.acquireLock('lock', 10_000);
      expect(owner).toBeTruthy();
      expect(await store.acquireLock('lock', 10_000)).toBeNull();
      expect(await store.releaseLock('lock', 'someone-else')).toBe(false);
      expect(await store.acquireLock('lock', 10_000)).toBeNull();
      expect(await store.releaseLock('lock', owner!)).toBe(true);
      const next = await store.acquireLock('lock', 10_000);
      expect(next).toBeTruthy();
      expect(next).not.toBe(owner);
    });

    it('extends a lock only for its owner, and frees it when it expires', async () => {
      const owner = (await store.acquireLock('lock', 80))!;
      expect(await store.extendLock('lock', 'intruder', 10_000)).toBe(false);
      await letExpire(80);
      expect(await store.extendLock('lock', owner, 10_000)).toBe(false);
      const second = (await store.acquireLock('lock', 10_000))!;
      expect(second).toBeTruthy();
      expect(await store.extendLock('lock', second, 20_000)).toBe(true);
      expect(await store.releaseLock('lock', owner)).toBe(false);
    });

    it('races for a lock: exactly one of many wins', async () => {
      const owners = await Promise.all(Array.from({ length: 20 }, () => store.acquireLock('race', 10_000)));
      expect(owners.filter(Boolean)).toHaveLength(1);
    });

    it('takes from a token bucket until it is empty, then says when to retry', async () => {
      const spec = { capacity: 3, refillPerSecond: 0.5 };
      for (let i = 0; i < 3; i++) expect((await store.take('bucket', spec)).allowed).toBe(true);
      const refused = await store.take('bucket', spec);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(2000);
      clock.advance(2000);
      expect((await store.take('bucket', spec)).allowed).toBe(true);
      expect((await store.take('bucket', spec)).allowed).toBe(false);
    });

    it('takes several tokens at once or none', async () => {
      const spec = { capacity: 20, refillPerSecond: 20 / 60 };
      expect((await store.take('robot', spec, 15)).allowed).toBe(true);
      const r = await store.take('robot', spec, 10);
      expect(r.allowed).toBe(false);
      expect(r.remaining).toBe(5);
      expect((await store.take('robot', spec, 5)).allowed).toBe(true);
    });

    it('grants a bucket at most its capacity under concurrent takes', async () => {
      const spec = { capacity: 30, refillPerSecond: 0.5 };
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take('member', spec)));
      expect(results.filter((r) => r.allowed)).toHaveLength(30);
    });

    it('allows at most the limit in any sliding window, and says when the oldest leaves it', async () => {
      const spec = { limit: 20, windowMs: 60_000 };
      for (let i = 0; i < 20; i++) expect((await store.takeWindow('robot', spec)).allowed).toBe(true);
      const refused = await store.takeWindow('robot', spec);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBe(60_000);
      clock.advance(59_999);
      expect((await store.takeWindow('robot', spec)).allowed).toBe(false);
      clock.advance(1);
      // The first twenty were taken at one instant: exactly a window later they have all left it.
      for (let i = 0; i < 20; i++) expect((await store.takeWindow('robot', spec)).allowed).toBe(true);
      expect((await store.takeWindow('robot', spec)).allowed).toBe(false);
    });

    it('grants a window at most its limit under concurrent takes', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => store.takeWindow('member', { limit: 30, windowMs: 60_000 })),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(30);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
