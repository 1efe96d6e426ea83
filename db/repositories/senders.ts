import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../client.ts';
import { normalizeExternalId } from '../external-id.ts';
import type { Channel, CongressLevel, MandateRole, MandateStatus } from '../schema.ts';

export interface SenderMandate {
  mandateId: number;
  congressId: number;
  congressName: string;
  congressLevel: CongressLevel;
  congressArchived: boolean;
  role: MandateRole;
  status: MandateStatus;
  statusReason: string | null;
}

export interface KnownSender {
  personId: number;
  name: string;
  mandates: SenderMandate[];
}

/** The mandates of the person `p` (with their congresses) as a JSON array of SenderMandate, in order. */
const MANDATES_OF_P = sql<SenderMandate[]>`coalesce((
        select json_agg(json_build_object(
          'mandateId', m.id, 'congressId', c.id, 'congressName', c.name, 'congressLevel', c.level,
          'congressArchived', c.archived_at is not null, 'role', m.role, 'status', m.status,
          'statusReason', m.status_reason) order by m.id)
        from mandates m join congresses c on c.id = m.congress_id
        where m.person_id = p.id), '[]')`;

/**
 * The people behind chat senders: for each row of `from`, a relation `q` with columns ord (the row's
 * number), channel and norm (the normalized external id), the row `(ord, "personId", name, mandates)` of
 * the person it names; rows naming no one are absent. An identity is one person's; should two match, the
 * first recorded wins.
 */
export function sendersOf(from: RawBuilder<unknown>): RawBuilder<SenderRow> {
  return sql<SenderRow>`select distinct on (q.ord) q.ord, p.id as "personId", p.name, ${MANDATES_OF_P} as mandates
    from ${from}
    join person_identities i on i.channel = q.channel and i.external_id_norm = q.norm
    join people p on p.id = i.person_id
    order by q.ord, i.id`;
}

export interface SenderRow {
  ord: number;
  personId: number;
  name: string;
  mandates: SenderMandate[] | string;
}

/** A sender as found by `sendersOf`. */
export function knownSender(r: Omit<SenderRow, 'ord'>): KnownSender {
  // PostgreSQL's json comes back parsed; a driver that leaves it as text is read here.
  const mandates = typeof r.mandates === 'string' ? (JSON.parse(r.mandates) as SenderMandate[]) : r.mandates;
  return { personId: r.personId, name: r.name, mandates };
}

/** The person behind a chat sender, with their mandates; null for someone not on the roster. One query. */
export async function findSender(db: Db, channel: Channel, senderId: string): Promise<KnownSender | null> {
  const [found] = await findSenders(db, [{ channel, senderId }]);
  return found ?? null;
}

/** The people behind several chat senders (null for one not on the roster), in order, in one query. */
export async function findSenders(
  db: Db,
  asked: readonly { channel: Channel; senderId: string }[],
): Promise<(KnownSender | null)[]> {
  if (asked.length === 0) return [];
  const wanted = asked.map(
    (a, i) => sql`(${i}::integer, ${a.channel}::text, ${normalizeExternalId(a.channel, a.senderId)}::text)`,
  );
  const { rows } = await sendersOf(sql`(values ${sql.join(wanted)}) as q(ord, channel, norm)`).execute(db);
  const byOrd = new Map(rows.map((r) => [r.ord, knownSender(r)]));
  return asked.map((_, i) => byOrd.get(i) ?? null);
}
