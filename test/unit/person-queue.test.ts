import { describe, expect, it } from 'vitest';
import { PersonQueue } from '../../src/bot/dispatch/person-queue.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

describe('handling serialised per person', () => {
  it('runs one person’s messages one after another, in arrival order', async () => {
    const queue = new PersonQueue(new MemoryStore());
    const events: string[] = [];
    const work = (name: string, ms: number) => async () => {
      events.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`${name}:end`);
    };
    await Promise.all([
      queue.run('7', work('a', 30)),
      queue.run('7', work('b', 1)),
      queue.run('7', work('c', 1)),
    ]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('lets two people’s messages run side by side', async () => {
    const queue = new PersonQueue(new MemoryStore());
    let release!: () => void;
    const yRan = new Promise<void>((r) => {
      release = r;
    });
    // x can only finish once y has run: were two people serialised, x would wait forever.
    const x = queue.run('1', async () => {
      await yRan;
      return 'x';
    });
    const y = queue.run('2', async () => {
      release();
      return 'y';
    });
    const stuck = new Promise<string>((r) => setTimeout(() => r('serialised'), 5000));
    expect(await Promise.race([Promise.all([x, y]).then(() => 'parallel'), stuck])).toBe('parallel');
  });

  it('goes on with the next message when one fails', async () => {
    const queue = new PersonQueue(new MemoryStore());
    const failing = queue.run('9', async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(queue.run('9', async () => 'next')).resolves.toBe('next');
  });
});
