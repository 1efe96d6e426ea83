import type { Selectable } from 'kysely';
import type { Db } from '../client.ts';
import type { OrgansTable } from '../schema.ts';

// The organs that handle deputies' items (S8 有关机关、组织), with the contact 催办 reaches.

export type OrganRow = Selectable<OrgansTable>;

export interface OrganContact {
  contactName: string | null;
  contactMobile: string | null;
  contactWecom: string | null;
  contactDingtalk: string | null;
}

export async function findOrganByName(db: Db, name: string): Promise<OrganRow | undefined> {
  return db.selectFrom('organs').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findOrgansByIds(db: Db, ids: number[]): Promise<OrganRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('organs').selectAll().where('id', 'in', ids).execute();
}

export async function listOrgans(db: Db): Promise<OrganRow[]> {
  return db.selectFrom('organs').selectAll().orderBy('name').execute();
}

/** Creates the organ or replaces its contact; returns it and whether it was new. */
export async function upsertOrgan(
  db: Db,
  name: string,
  c: OrganContact,
  at: Date,
): Promise<{ organ: OrganRow; created: boolean }> {
  const existing = await findOrganByName(db, name);
  const values = {
    contact_name: c.contactName,
    contact_mobile: c.contactMobile,
    contact_wecom: c.contactWecom,
    contact_dingtalk: c.contactDingtalk,
  };
  if (existing) {
    const organ = await db
      .updateTable('organs')
      .set({ ...values, updated_at: at })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { organ, created: false };
  }
  const organ = await db
    .insertInto('organs')
    .values({ name, ...values, created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { organ, created: true };
}

/** The chat ids recorded for an organ's contact (S8 催办 reaches them); undefined for an unknown organ. */
export async function findOrganChatIds(
  db: Db,
  organId: number,
): Promise<{ contact_wecom: string | null; contact_dingtalk: string | null } | undefined> {
  return db
    .selectFrom('organs')
    .select(['contact_wecom', 'contact_dingtalk'])
    .where('id', '=', organId)
    .executeTakeFirst();
}
