import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { MediaKind, MediaTable, MessageChannel } from '../schema.ts';

// What deputies send, kept in our own storage: `media` is each thing received with its fetch state;
// `media_contents` holds each distinct content once, by its sha256.

export type MediaRow = Selectable<MediaTable>;

export interface NewMedia {
  channel: MessageChannel;
  platformId: string;
  kind: MediaKind;
  inboundId: number | null;
  at: Date;
}

/** Records a thing received, to be fetched now; the same platform id again is the same row. */
export async function insertMedia(db: Db, m: NewMedia): Promise<number> {
  const inserted = await db
    .insertInto('media')
    .values({
      channel: m.channel,
      platform_id: m.platformId,
      kind: m.kind,
      status: 'pending',
      next_attempt_at: m.at,
      last_error: null,
      sha256: null,
      size: null,
      content_type: null,
      inbound_id: m.inboundId,
      received_at: m.at,
      fetched_at: null,
    })
    .onConflict((oc) => oc.columns(['channel', 'platform_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const prior = await db
    .selectFrom('media')
    .select('id')
    .where('channel', '=', m.channel)
    .where('platform_id', '=', m.platformId)
    .executeTakeFirstOrThrow();
  return prior.id;
}

/**
 * Claims up to `limit` rows waiting to be fetched: their next attempt moves to `until`, so another
 * instance (or the next poll) leaves them alone while this one fetches; a crash just delays them.
 */
export async function claimDueMedia(db: Db, now: Date, until: Date, limit: number): Promise<MediaRow[]> {
  const due = await db
    .selectFrom('media')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
  if (due.length === 0) return [];
  return db
    .updateTable('media')
    .set({ next_attempt_at: until, attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .returningAll()
    .execute();
}

/** Keeps a content once: the same bytes received twice are stored once. */
export async function storeMediaContent(
  db: Db,
  c: { sha256: string; size: number; contentType: string; content: Uint8Array },
): Promise<void> {
  await db
    .insertInto('media_contents')
    .values({ sha256: c.sha256, size: c.size, content_type: c.contentType, content: c.content })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export async function markMediaFetched(
  db: Db,
  id: number,
  c: { sha256: string; size: number; contentType: string; at: Date },
): Promise<void> {
  await db
    .updateTable('media')
    .set({
      status: 'fetched',
      sha256: c.sha256,
      size: c.size,
      content_type: c.contentType,
      fetched_at: c.at,
      last_error: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function markMediaTooLarge(
  db: Db,
  id: number,
  c: { size: number | null; contentType: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('media')
    .set({ status: 'too_large', size: c.size, content_type: c.contentType, fetched_at: c.at })
    .where('id', '=', id)
    .execute();
}

export async function markMediaRetry(db: Db, id: number, error: string, next: Date): Promise<void> {
  await db
    .updateTable('media')
    .set({ last_error: error.slice(0, 500), next_attempt_at: next })
    .where('id', '=', id)
    .execute();
}

export async function markMediaMissing(db: Db, id: number, error: string): Promise<void> {
  await db
    .updateTable('media')
    .set({ status: 'missing', last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

/** The rows (without content) of these ids. */
export async function findMediaRows(db: Db, ids: readonly number[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('media')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** The kept content of a fetched row; undefined when it has none. */
export async function findMediaContent(
  db: Db,
  id: number,
): Promise<{ content: Uint8Array; contentType: string; size: number } | undefined> {
  const row = await db
    .selectFrom('media')
    .innerJoin('media_contents', 'media_contents.sha256', 'media.sha256')
    .select(['media_contents.content', 'media_contents.content_type', 'media_contents.size'])
    .where('media.id', '=', id)
    .where('media.status', '=', 'fetched')
    .executeTakeFirst();
  return row ? { content: row.content, contentType: row.content_type, size: row.size } : undefined;
}

/** A kept content by its sha256 (an uploaded file, e.g. an organ's answer attachment). */
export async function findContentBySha256(
  db: Db,
  sha256: string,
): Promise<{ content: Uint8Array; contentType: string; size: number } | undefined> {
  const row = await db
    .selectFrom('media_contents')
    .select(['content', 'content_type', 'size'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row ? { content: row.content, contentType: row.content_type, size: row.size } : undefined;
}
