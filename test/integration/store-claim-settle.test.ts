import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import type { KvStore } from '../../src/store/types.ts';
import { backends, countRedisCommands, createTestStore } from '../helpers/backends.ts';

// The store's two-step round trips of a message, the same on Redis and in process: `claim` (dedupe mark,
// lock, read), `lockAndRead`, and `settle` (writes, then the lock released only by its owner).

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`claim and settle on ${backend.name}`, () => {
    let store: KvStore;

    beforeEach(() => {
      store = createTestStore(backend.name, new FixedClock('2026-11-02T01:00:00Z'));
    });
    afterEach(async () => {
      await store.close();
    });

    const claim = () =>
      store.claim({
        key: 'd',
        value: 'inflight',
        ttlMs: 10_000,
        lock: { key: 'l', ttlMs: 10_000 },
        read: 'c',
      });

    it('sets the mark, takes the lock and reads, all at once', async () => {
      await store.set('c', 'state');
      const first = await claim();
      expect(first).toMatchObject({ set: true, current: null, read: 'state' });
      expect(first.owner).toEqual(expect.any(String));
      expect(await store.get('d')).toBe('inflight');
      expect(await store.acquireLock('l', 1000)).toBeNull();
    });

    it('says what the mark holds when it was set before, and takes nothing', async () => {
      await store.set('d', 'done');
      expect(await claim()).toEqual({ set: false, current: 'done', owner: null, read: null });
      expect(await store.acquireLock('l', 1000)).not.toBeNull();
    });

    it('sets the mark but neither locks nor reads while another holds the lock', async () => {
      await store.set('c', 'state');
      const other = await store.acquireLock('l', 10_000);
      expect(await claim()).toEqual({ set: true, current: null, owner: null, read: null });
      expect(await store.lockAndRead('l', 10_000, 'c')).toEqual({ owner: null, read: null });
      await store.releaseLock('l', other!);
      const got = await store.lockAndRead('l', 10_000, 'c');
      expect(got.read).toBe('state');
      expect(got.owner).toEqual(expect.any(String));
    });

    it('claims with no lock asked, reading or not', async () => {
      expect(await store.claim({ key: 'd2', value: 'x', ttlMs: 10_000 })).toEqual({
        set: true,
        current: null,
        owner: null,
        read: null,
      });
    });

    it('writes, deletes, and releases the lock only for its owner', async () => {
      const { owner } = await claim();
      await store.set('gone', 'x');
      await store.settle(
        [
          { key: 'c', value: 'new', ttlMs: 10_000 },
          { key: 'gone', value: null },
          { key: 'd', value: 'done', ttlMs: 10_000 },
          { key: 'plain', value: 'kept' },
        ],
        { key: 'l', owner: owner! },
      );
      expect(await store.get('c')).toBe('new');
      expect(await store.get('gone')).toBeNull();
      expect(await store.get('d')).toBe('done');
      expect(await store.get('plain')).toBe('kept');
      const next = await store.acquireLock('l', 10_000);
      expect(next).not.toBeNull();
      // A stale owner releases nothing.
      await store.settle([], { key: 'l', owner: owner! });
      expect(await store.acquireLock('l', 1000)).toBeNull();
    });

    it('answers claims and settles asked together each as if asked alone, in the order asked', async () => {
      const commands = countRedisCommands(store);
      await store.set('c1', 'one');
      await store.set('done', 'done');
      const lockHeld = await store.acquireLock('l3', 10_000);
      commands?.reset();
      const claims = await Promise.all([
        store.claim({
          key: 'm1',
          value: 'inflight',
          ttlMs: 10_000,
          lock: { key: 'l1', ttlMs: 10_000 },
          read: 'c1',
        }),
        // The same message twice at once: the first sets the mark, the second finds it.
        store.claim({ key: 'm2', value: 'inflight', ttlMs: 10_000 }),
        store.claim({ key: 'm2', value: 'inflight', ttlMs: 10_000 }),
        store.claim({ key: 'done', value: 'inflight', ttlMs: 10_000, lock: { key: 'l2', ttlMs: 10_000 } }),
        store.claim({
          key: 'm3',
          value: 'inflight',
          ttlMs: 10_000,
          lock: { key: 'l3', ttlMs: 10_000 },
          read: 'c1',
        }),
      ]);
      expect(claims.map((c) => [c.set, c.current, c.read])).toEqual([
        [true, null, 'one'],
        [true, null, null],
        [false, 'inflight', null],
        [false, 'done', null],
        [true, null, null],
      ]);
      // On Redis the five went as one command.
      if (commands) expect(commands.n).toBe(1);
      expect(claims[0]!.owner).toEqual(expect.any(String));
      expect(claims.slice(1).map((c) => c.owner)).toEqual([null, null, null, null]);
      // Not taken by the refused claim: l2 is free; l3 stays its holder's.
      expect(await store.acquireLock('l2', 1000)).not.toBeNull();

      commands?.reset();
      await Promise.all([
        store.settle([{ key: 'c1', value: 'two' }], { key: 'l1', owner: claims[0]!.owner! }),
        store.settle([{ key: 'm2', value: null }]),
        // A stale owner releases nothing, and a later write of the same key wins.
        store.settle([{ key: 'c1', value: 'three', ttlMs: 10_000 }], { key: 'l3', owner: 'stale' }),
      ]);
      if (commands) expect(commands.n).toBe(1);
      expect(await store.get('c1')).toBe('three');
      expect(await store.get('m2')).toBeNull();
      expect(await store.acquireLock('l1', 1000)).not.toBeNull();
      expect(await store.acquireLock('l3', 1000)).toBeNull();
      await store.releaseLock('l3', lockHeld!);
    });
  });
}
