import { describe, expect, it } from 'vitest';
import { PersonQueue } from '../../src/bot/dispatch/person-queue.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

// Places in a person's line, as the dispatcher takes them: in the order of arrival, and a message that
// leaves early (answered without being routed) never lets a later one overtake those before it.

describe('places in a person’s line', () => {
  it('lets each message go on only when those before it left', async () => {
    const queue = new PersonQueue(new MemoryStore());
    const a = queue.enter('7');
    const b = queue.enter('7');
    const c = queue.enter('7');
    expect([a.first, b.first, c.first]).toEqual([true, false, false]);
    const went: string[] = [];
    void b.ready.then(() => went.push('b'));
    void c.ready.then(() => went.push('c'));
    // b leaves before a: c still waits for a.
    b.leave();
    await new Promise((r) => setTimeout(r, 10));
    expect(went).toEqual([]);
    a.leave();
    await new Promise((r) => setTimeout(r, 10));
    expect(went).toEqual(['b', 'c']);
    expect(queue.enter('7').first).toBe(false);
  });

  it('starts a new line once everyone left', async () => {
    const queue = new PersonQueue(new MemoryStore());
    const a = queue.enter('8');
    expect(queue.enter('9').first).toBe(true);
    a.leave();
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.enter('8').first).toBe(true);
  });

  it('takes the store lock with the conversation, and waits while another instance holds it', async () => {
    const store = new MemoryStore();
    const queue = new PersonQueue(store);
    await store.set('conv:5', '{"lastItem":"JY-2026-0001"}');
    const other = await store.acquireLock('lock:person:5', 30_000);
    const locked = queue.lock('5', 'conv:5');
    await new Promise((r) => setTimeout(r, 60));
    await store.releaseLock('lock:person:5', other!);
    const got = await locked;
    expect(got.owner).not.toBeNull();
    expect(got.read).toBe('{"lastItem":"JY-2026-0001"}');
  });
});
