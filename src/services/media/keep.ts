import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.ts';
import {
  findContentBySha256,
  findMediaContent,
  findMediaRows,
  insertMedia,
  type MediaRow,
  storeMediaContent,
} from '../../../db/repositories/media.ts';
import type { MediaKind, MediaStatus, MessageChannel } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';

// What deputies send is kept: a thing received is recorded at once as waiting to be fetched (the fetch
// itself runs after, in fetcher.ts), and is read back from our own storage, never from the platform.

/** The largest content kept; a bigger one is recorded as too large and shown so. */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

/** Records something a person sent, to be fetched from the platform while it still serves it. */
export async function keepMedia(
  deps: Pick<Deps, 'db' | 'clock'>,
  m: { channel: MessageChannel; platformId: string; kind: MediaKind; inboundId: number | null },
): Promise<number> {
  return insertMedia(deps.db, { ...m, at: deps.clock.now() });
}

export interface MediaView {
  id: number;
  kind: MediaKind;
  status: MediaStatus;
  size: number | null;
  contentType: string | null;
}

const viewOf = (r: MediaRow): MediaView => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  size: r.size,
  contentType: r.content_type,
});

/** The state of each kept thing, by id (an id with no row is left out). */
export async function mediaViews(
  deps: Pick<Deps, 'db'>,
  ids: readonly number[],
): Promise<Map<number, MediaView>> {
  const rows = await findMediaRows(deps.db, ids);
  return new Map(rows.map((r) => [r.id, viewOf(r)]));
}

/** The kept bytes of a fetched thing; undefined when there are none (pending, missing, too large). */
export async function mediaContent(
  deps: Pick<Deps, 'db'>,
  id: number,
): Promise<{ content: Uint8Array; contentType: string; size: number } | undefined> {
  return findMediaContent(deps.db, id);
}

/** How a kept thing reads for staff and organs: 已保存 / 正在取回 / 未能取回 / 文件过大. */
export function mediaStatusText(v: Pick<MediaView, 'status' | 'size'>): string {
  switch (v.status) {
    case 'fetched':
      return '已保存';
    case 'pending':
      return '正在从平台取回';
    case 'missing':
      return '未能取回（平台已不再提供）';
    case 'too_large':
      return `文件过大${v.size ? `（${(v.size / 1024 / 1024).toFixed(1)} MB）` : ''}，超过 ${MAX_MEDIA_BYTES / 1024 / 1024} MB，未保存`;
  }
}

/**
 * Keeps an uploaded file's bytes (an organ's answer attachment) in our own storage, once per content;
 * `db` may be the caller's transaction, so a refused answer keeps nothing.
 */
export async function keepUploadedContent(
  db: Db,
  f: { content: Uint8Array; contentType: string },
): Promise<{ sha256: string; size: number }> {
  const sha256 = createHash('sha256').update(f.content).digest('hex');
  await storeMediaContent(db, {
    sha256,
    size: f.content.length,
    contentType: f.contentType,
    content: f.content,
  });
  return { sha256, size: f.content.length };
}

/** An uploaded file's kept bytes by its sha256. */
export async function uploadedContent(
  deps: Pick<Deps, 'db'>,
  sha256: string,
): Promise<{ content: Uint8Array; contentType: string; size: number } | undefined> {
  return findContentBySha256(deps.db, sha256);
}
