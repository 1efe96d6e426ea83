import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  contactCountsByOrgan,
  contactsOfOrgan,
  deleteOrganContact,
  insertOrganContact,
  type OrganContactRow,
} from '../../../db/repositories/organ-side.ts';
import {
  findOrganByName,
  findOrgansByIds,
  listOrgans,
  type OrganContact,
  type OrganRow,
  upsertOrgan,
} from '../../../db/repositories/organs.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';

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

/** Who made a change, for its audit row. */
export interface ChangedBy {
  actor: string;
  requestId?: string | null;
}

const contactOf = (o: OrganRow) => ({
  name: o.name,
  contactName: o.contact_name,
  contactMobile: o.contact_mobile,
  wecomUserid: o.contact_wecom,
  dingtalkUserid: o.contact_dingtalk,
});

/**
 * Registers the organ or replaces its contact, with an audit row naming the contact before and after;
 * returns it and whether it was new. The register is shared by every congress.
 */
export const registerOrgan = (
  deps: { db: Db; clock: Clock },
  name: string,
  contact: OrganContact,
  by: ChangedBy,
): Promise<{ organ: OrganRow; created: boolean }> =>
  deps.db.transaction().execute(async (trx) => {
    const before = await findOrganByName(trx, name);
    const r = await upsertOrgan(trx, name, contact, deps.clock.now());
    await writeAudit(trx, {
      actor: by.actor,
      action: r.created ? 'organ.create' : 'organ.update',
      subjectType: 'organ',
      subjectId: r.organ.id,
      requestId: by.requestId ?? null,
      before: before ? contactOf(before) : null,
      after: contactOf(r.organ),
    });
    return r;
  });

export const organByName = (db: Db, name: string): Promise<OrganRow | undefined> => findOrganByName(db, name);

/** Whether `short` is `full` with characters left out ("城管局" of "市城管局", "交通局" of "市交通运输局"). */
function abbreviates(short: string, full: string): boolean {
  let i = 0;
  for (const ch of full) if (ch === short[i]) i++;
  return i === short.length;
}

/** A name of four or more characters typed with one of them wrong ("市水物局" for 市水务局). */
function oneCharOff(written: string, full: string): boolean {
  const a = [...written];
  const b = [...full];
  if (a.length < 4 || a.length !== b.length) return false;
  return a.filter((ch, i) => ch !== b[i]).length === 1;
}

/**
 * The registered organs of these names, in order. A name not registered is refused with the registered
 * names it may have meant ("城管局" → 市城管局), or with what to do otherwise.
 */
export async function organsNamed(db: Db, names: readonly string[]): Promise<OrganRow[]> {
  const found: OrganRow[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const o = await findOrganByName(db, n);
    if (o) found.push(o);
    else unknown.push(n);
  }
  if (unknown.length === 0) return found;
  const register = await listOrgans(db);
  const unknownOrgans: UnknownOrgan[] = unknown.map((n) => ({
    written: n,
    meant: register
      .filter((o) => (n.length >= 2 && abbreviates(n, o.name)) || oneCharOff(n, o.name))
      .slice(0, 3)
      .map((o) => o.name),
  }));
  const meant = unknownOrgans.flatMap((u) => u.meant.map((m) => `“${m}”`));
  throw new AppError(
    'bad_request',
    `没有登记的单位：${unknown.join('、')}。${meant.length > 0 ? `您是说${meant.join('或')}吗？请用登记的名称重发。` : '请核对名称，或先在「工作平台 → 承办单位」登记该单位及联系人。'}`,
    { unknownOrgans },
  );
}

/** A name written for an organ that is not registered, with the registered names it may abbreviate. */
export interface UnknownOrgan {
  written: string;
  meant: string[];
}

/**
 * The organs as meant, when every name refused by `organsNamed` abbreviates exactly one registered name
 * ("住建局" → 市住建局); null otherwise (the refusal then stands as it is).
 */
export function organsMeant(
  err: unknown,
  organs: Organs,
): { organs: Organs; replaced: UnknownOrgan[] } | null {
  if (!(err instanceof AppError)) return null;
  const details = err.details as { unknownOrgans?: UnknownOrgan[] } | undefined;
  const unknown = details?.unknownOrgans;
  if (!unknown || unknown.length === 0 || unknown.some((u) => u.meant.length !== 1)) return null;
  const as = (name: string) => unknown.find((u) => u.written === name)?.meant[0] ?? name;
  return { organs: { lead: as(organs.lead), assisting: organs.assisting.map(as) }, replaced: unknown };
}

export const organsByIds = (db: Db, ids: number[]): Promise<OrganRow[]> => findOrgansByIds(db, ids);

export type { OrganContactRow };

/** The further contacts of an organ (beyond the one on its row), in the order they were added. */
export const furtherContacts = (db: Db, organId: number): Promise<OrganContactRow[]> =>
  contactsOfOrgan(db, organId);

/** How many further contacts each organ has, by organ id (none: absent). */
export const furtherContactCounts = (db: Db): Promise<Map<number, number>> => contactCountsByOrgan(db);

/** What a contact's audit row names: who, whether leader, the chat ids (never the phone number). */
const contactAudit = (c: {
  name: string;
  leader: boolean;
  wecom: string | null;
  dingtalk: string | null;
}) => ({ name: c.name, leader: c.leader, wecomUserid: c.wecom, dingtalkUserid: c.dingtalk });

/** One more contact of an organ (one may be marked its leader), with an audit row. */
export const addOrganContact = (
  deps: { db: Db; clock: Clock },
  organName: string,
  c: { name: string; mobile: string | null; wecom: string | null; dingtalk: string | null; leader: boolean },
  by: ChangedBy,
): Promise<OrganContactRow> =>
  deps.db.transaction().execute(async (trx) => {
    const organ = await findOrganByName(trx, organName);
    if (!organ) throw new AppError('not_found', `没有登记的单位：${organName}`);
    const row = await insertOrganContact(trx, { organId: organ.id, ...c }, deps.clock.now());
    await writeAudit(trx, {
      actor: by.actor,
      action: 'organ.contact.add',
      subjectType: 'organ',
      subjectId: organ.id,
      requestId: by.requestId ?? null,
      before: null,
      after: contactAudit(c),
    });
    return row;
  });

/**
 * Removes one further contact of the organ (someone who left it): they are no longer written to, and no
 * longer act for the organ in chat. An audit row names who was removed. Not found: another organ's
 * contact, or one already removed.
 */
export const removeOrganContact = (
  deps: { db: Db },
  organId: number,
  contactId: number,
  by: ChangedBy,
): Promise<OrganContactRow> =>
  deps.db.transaction().execute(async (trx) => {
    // A contact id that is no number (a link typed by hand) names no contact either.
    const row =
      Number.isSafeInteger(contactId) && contactId > 0
        ? await deleteOrganContact(trx, organId, contactId)
        : undefined;
    if (!row) throw new AppError('not_found', '这个单位没有这位联系人，可能已经移除。');
    await writeAudit(trx, {
      actor: by.actor,
      action: 'organ.contact.remove',
      subjectType: 'organ',
      subjectId: organId,
      requestId: by.requestId ?? null,
      before: contactAudit({
        name: row.name,
        leader: row.leader,
        wecom: row.wecom_userid,
        dingtalk: row.dingtalk_userid,
      }),
      after: null,
    });
    return row;
  });
