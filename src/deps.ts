import type { Db, DbHandle } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { ReceptionDayAudience } from './services/calendar/index.ts';
import type { ItemSource } from './services/items/index.ts';
import type { KvStore } from './store/types.ts';

/**
 * What one domain hands another, wired once at start by runtime.ts (domainWiring), never registered at
 * import time: a forgotten piece is a type error where Deps is built, not a message silently not sent.
 */
export interface DomainWiring {
  /** Who else hears that a reception day moved, besides its hosts (the deputies who booked it). */
  receptionDayAudiences: readonly ReceptionDayAudience[];
  /** 查询's sources, one per kind of item (suggestions, leave, bookings). */
  itemSources: readonly ItemSource[];
}

/** Everything a request, a job or a command needs, built once at start and passed down. */
export interface Deps {
  config: Config;
  db: Db;
  dbHandle: DbHandle;
  store: KvStore;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
  wiring: DomainWiring;
}
