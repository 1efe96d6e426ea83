import type { Db, DbHandle } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { KvStore } from './store/types.ts';

/** Everything a request, a job or a command needs, built once at start and passed down. */
export interface Deps {
  config: Config;
  db: Db;
  dbHandle: DbHandle;
  store: KvStore;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
}
