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

/** The person behind a chat sender, with their mandates; null for someone not on the roster. */
export async function findSender(db: Db, channel: Channel, senderId: string): Promise<KnownSender | null> {
  const identity = await db
    .selectFrom('person_identities')
    .innerJoin('people', 'people.id', 'person_identities.person_id')
    .select(['people.id as personId', 'people.name'])
    .where('person_identities.channel', '=', channel)
    .where('person_identities.external_id_norm', '=', normalizeExternalId(channel, senderId))
    .executeTakeFirst();
  if (!identity) return null;
  const mandates = await db
    .selectFrom('mandates')
    .innerJoin('congresses', 'congresses.id', 'mandates.congress_id')
    .select([
      'mandates.id as mandateId',
      'congresses.id as congressId',
      'congresses.name as congressName',
      'congresses.level as congressLevel',
      'congresses.archived_at',
      'mandates.role',
      'mandates.status',
      'mandates.status_reason as statusReason',
    ])
    .where('mandates.person_id', '=', identity.personId)
    .orderBy('mandates.id')
    .execute();
  return {
    personId: identity.personId,
    name: identity.name,
    mandates: mandates.map(({ archived_at, ...m }) => ({ ...m, congressArchived: archived_at !== null })),
  };
}
