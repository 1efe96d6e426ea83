import type { Clock } from '../clock.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';
import type { KvStore } from './types.ts';

export type { KvStore } from './types.ts';

export function openStore(redisUrl: string | undefined, clock?: Clock, prefix?: string): KvStore {
  if (redisUrl)
    return new RedisStore({ url: redisUrl, ...(clock ? { clock } : {}), ...(prefix ? { prefix } : {}) });
  return new MemoryStore(clock);
}
