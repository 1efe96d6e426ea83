import type { Db } from '../../../db/client.ts';
import {
  findOrganByName,
  findOrgansByIds,
  listOrgans,
  type OrganContact,
  type OrganRow,
  upsertOrgan,
} from '../../../db/repositories/organs.ts';
import type { Clock } from '../../clock.ts';

// The register of organs that handle deputies' items (S8 有关机关、组织) and how their contact is reached.

export type { OrganContact, OrganRow };

/** The organs an item is assigned to. */
export interface Organs {
  /** 承办单位 */
  lead: string;
  /** 协办单位, in the order given. */
  assisting: string[];
}

/** Every registered organ, by name. */
export const organRegister = (db: Db): Promise<OrganRow[]> => listOrgans(db);

/** Registers the organ or replaces its contact; returns it and whether it was new. */
export const registerOrgan = (
  deps: { db: Db; clock: Clock },
  name: string,
  contact: OrganContact,
): Promise<{ organ: OrganRow; created: boolean }> => upsertOrgan(deps.db, name, contact, deps.clock.now());

export const organByName = (db: Db, name: string): Promise<OrganRow | undefined> => findOrganByName(db, name);

export const organsByIds = (db: Db, ids: number[]): Promise<OrganRow[]> => findOrgansByIds(db, ids);
