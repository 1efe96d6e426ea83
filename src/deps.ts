import type { Db, DbHandle } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { KvStore } from './store/types.ts';

// The contracts by which one domain serves another without importing it. They live here, below the
// services, so that Deps can carry the wiring and no domain depends on the ones that plug into it.

/** A reception day that moved (calendar → whoever must hear of it). */
export interface ReceptionDayChange {
  receptionDayId: number;
  congressId: number;
  month: string;
  oldDate: string;
  newDate: string;
  provisional: boolean;
}

/** Who must hear that a reception day moved (e.g. the deputies who booked it). Returns person ids. */
export type ReceptionDayAudience = (db: Db, change: ReceptionDayChange) => Promise<number[]>;

/** One line of 查询's list of a deputy's items. */
export interface ItemSummary {
  code: string;
  /** e.g. 建议, 请假, 接待日预约 */
  kindLabel: string;
  /** A short title (the first words of the content, the meeting's name …). */
  title: string;
  /** The status as the deputy reads it, e.g. 已交办（市交通局，2027-02-24（星期三）前答复） */
  statusLabel: string;
  /** Whether the item still needs something (open items are listed first). */
  open: boolean;
  updatedAt: Date;
  /** The congress the item belongs to (staff see only their congresses' items). */
  congressId: number;
}

/** One kind of item 查询 can show (suggestions, leave, bookings); never another person's item. */
export interface ItemSource {
  /** The code prefixes of this kind (see src/services/items/codes.ts), e.g. ['JY']. */
  prefixes: readonly string[];
  /** The person's items of this kind, newest first. */
  listForPerson(deps: Deps, personId: number, today: string): Promise<ItemSummary[]>;
  /** The full answer for one item (multi-line Chinese), or null when it is not this person's or does not exist. */
  detailForPerson(deps: Deps, personId: number, code: string, today: string): Promise<string | null>;
  /** The answer for staff (查询 in chat): any item of these congresses; null outside them. */
  detailForStaff?(
    deps: Deps,
    congressIds: readonly number[],
    code: string,
    today: string,
  ): Promise<string | null>;
}

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
