import { sql } from 'kysely';
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
    (a) => sql`(${a.channel}::text, ${normalizeExternalId(a.channel, a.senderId)}::text)`,
  );
  const { rows } = await sql<{
    channel: string;
    norm: string;
    personId: number;
    name: string;
    mandates: SenderMandate[] | string;
  }>`
    select distinct on (q.channel, q.norm) q.channel, q.norm, p.id as "personId", p.name,
      coalesce((
        select json_agg(json_build_object(
          'mandateId', m.id, 'congressId', c.id, 'congressName', c.name, 'congressLevel', c.level,
          'congressArchived', c.archived_at is not null, 'role', m.role, 'status', m.status,
          'statusReason', m.status_reason) order by m.id)
        from mandates m join congresses c on c.id = m.congress_id
        where m.person_id = p.id), '[]') as mandates
    from (values ${sql.join(wanted)}) as q(channel, norm)
    join person_identities i on i.channel = q.channel and i.external_id_norm = q.norm
    join people p on p.id = i.person_id
    order by q.channel, q.norm, i.id`.execute(db);
  const byKey = new Map(
    rows.map((r) => [
      `${r.channel}\u0000${r.norm}`,
      {
        personId: r.personId,
        name: r.name,
        // PostgreSQL's json comes back parsed; a driver that leaves it as text is read here.
        mandates: typeof r.mandates === 'string' ? (JSON.parse(r.mandates) as SenderMandate[]) : r.mandates,
      },
    ]),
  );
  return asked.map(
    (a) => byKey.get(`${a.channel}\u0000${normalizeExternalId(a.channel, a.senderId)}`) ?? null,
  );
}
