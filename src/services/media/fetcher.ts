import { createHash } from 'node:crypto';
import {
  claimDueMedia,
  type MediaRow,
  markMediaFetched,
  markMediaMissing,
  markMediaRetry,
  markMediaTooLarge,
  storeMediaContent,
} from '../../../db/repositories/media.ts';
import type { MessageChannel } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { MAX_MEDIA_BYTES } from './keep.ts';

// Fetches what was received into our own storage. A row waits as 'pending' until fetched; a failure
// (a timeout, a 5xx) is tried again with backoff; when the platform says it no longer has it, or the
// tries run out, the row becomes 'missing' — shown as such, never dropped. Rows are claimed before they
// are fetched, so several instances never fetch one at once.

/** What a download comes to (the channel clients answer this; wired in runtime.ts). */
export type MediaDownload =
  | { ok: true; content: Uint8Array; contentType: string }
  | { ok: false; outcome: 'too_large'; size: number | null; contentType: string | null }
  | { ok: false; outcome: 'gone' | 'retry'; message: string };

/** One platform's download, by its id for the thing (WeCom media_id, DingTalk downloadCode). */
export type MediaSource = (platformId: string, maxBytes: number) => Promise<MediaDownload>;
export type MediaSources = Partial<Record<MessageChannel, MediaSource>>;

const CLAIM_MS = 2 * 60_000;
const BASE_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 30 * 60_000;
export const MAX_MEDIA_ATTEMPTS = 12;
/** WeCom keeps a media_id for three days: past that, a retry cannot succeed. */
const PLATFORM_KEEPS_MS: Partial<Record<MessageChannel, number>> = { wecom: 3 * 24 * 3600_000 };

export const mediaBackoffMs = (attempt: number): number =>
  Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));

export interface MediaFetchSummary {
  claimed: number;
  fetched: number;
  retried: number;
  missing: number;
}

export class MediaFetcher {
  private readonly deps: Deps;
  private readonly sources: MediaSources;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = true;

  constructor(deps: Deps, sources: MediaSources) {
    this.deps = deps;
    this.sources = sources;
  }

  /** Claims up to `limit` rows due and fetches them. */
  async runOnce(limit = 20): Promise<MediaFetchSummary> {
    const now = this.deps.clock.now();
    const rows = await claimDueMedia(this.deps.db, now, new Date(now.getTime() + CLAIM_MS), limit);
    const summary: MediaFetchSummary = { claimed: rows.length, fetched: 0, retried: 0, missing: 0 };
    for (const row of rows) summary[await this.fetchOne(row)]++;
    return summary;
  }

  private async fetchOne(row: MediaRow): Promise<'fetched' | 'retried' | 'missing'> {
    const { db, clock, log } = this.deps;
    const source = this.sources[row.channel];
    let result: MediaDownload;
    try {
      result = source
        ? await source(row.platform_id, MAX_MEDIA_BYTES)
        : { ok: false, outcome: 'retry', message: `${row.channel} 未配置，无法取回` };
    } catch (err) {
      log.error({ err, mediaId: row.id }, 'media download threw');
      result = { ok: false, outcome: 'retry', message: '取回时出错' };
    }
    const now = clock.now();
    if (result.ok) {
      const sha256 = createHash('sha256').update(result.content).digest('hex');
      const size = result.content.byteLength;
      await db.transaction().execute(async (trx) => {
        await storeMediaContent(trx, {
          sha256,
          size,
          contentType: result.contentType,
          content: result.content,
        });
        await markMediaFetched(trx, row.id, { sha256, size, contentType: result.contentType, at: now });
      });
      return 'fetched';
    }
    if (result.outcome === 'too_large') {
      await markMediaTooLarge(db, row.id, { size: result.size, contentType: result.contentType, at: now });
      return 'fetched';
    }
    const keeps = PLATFORM_KEEPS_MS[row.channel];
    const expired = keeps !== undefined && now.getTime() - new Date(row.received_at).getTime() >= keeps;
    if (result.outcome === 'gone' || row.attempts >= MAX_MEDIA_ATTEMPTS || expired) {
      log.warn({ mediaId: row.id, channel: row.channel, attempts: row.attempts }, 'media could not be kept');
      await markMediaMissing(db, row.id, result.message);
      return 'missing';
    }
    await markMediaRetry(db, row.id, result.message, new Date(now.getTime() + mediaBackoffMs(row.attempts)));
    return 'retried';
  }

  /** Polls for due rows every `intervalMs` until stopped. */
  start(intervalMs = 5000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Fetches now (after something was received); a kick during a run makes one more run after it. */
  kick(): void {
    if (this.stopped) return;
    this.wanted = true;
    this.running ??= this.runWhileWanted().finally(() => {
      this.running = undefined;
    });
  }

  private async runWhileWanted(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      await this.runOnce().catch((err: unknown) => this.deps.log.error({ err }, 'media fetch run failed'));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
