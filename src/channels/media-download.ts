// Fetching what a person sent (a photo, a voice message, a file) from a platform, the same for both:
// the bytes with their content type, or why not. A body over the cap is not read to its end.

export type MediaDownload =
  | { ok: true; content: Uint8Array; contentType: string }
  /** Larger than the cap: not kept (its size when the platform said it). */
  | { ok: false; outcome: 'too_large'; size: number | null; contentType: string | null }
  /** 'gone': the platform no longer has it (or refuses for good); 'retry': try again later. */
  | { ok: false; outcome: 'gone' | 'retry'; message: string };

/** How long one download may take. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

export const retryLater = (message: string): MediaDownload => ({ ok: false, outcome: 'retry', message });
export const goneFor = (message: string): MediaDownload => ({ ok: false, outcome: 'gone', message });

/** Reads a successful download's body, stopping past `maxBytes`. */
export async function readCapped(res: Response, maxBytes: number): Promise<MediaDownload> {
  const contentType = (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    return { ok: false, outcome: 'too_large', size: declared, contentType };
  }
  if (!res.body) return { ok: true, content: new Uint8Array(0), contentType };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, outcome: 'too_large', size: null, contentType };
      }
      chunks.push(value);
    }
  } catch {
    return retryLater('下载中断，稍后重试');
  }
  return { ok: true, content: Buffer.concat(chunks), contentType };
}

/** One GET of a download; network trouble and server errors are worth another try. */
export async function getDownload(
  url: string,
  maxBytes: number,
  goneStatuses: readonly number[] = [403, 404, 410],
): Promise<MediaDownload> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (err) {
    return retryLater(`无法下载（${(err as { name?: string }).name ?? 'unknown'}），稍后重试`);
  }
  if (res.ok) return readCapped(res, maxBytes);
  await res.body?.cancel().catch(() => {});
  if (goneStatuses.includes(res.status)) return goneFor(`平台已不再提供（HTTP ${res.status}）`);
  return retryLater(`平台暂时无法提供（HTTP ${res.status}），稍后重试`);
}
