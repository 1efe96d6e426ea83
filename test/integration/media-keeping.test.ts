import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import type { ChatHarness } from '../helpers/chat.ts';
import type { FakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import { openMediaChat } from '../helpers/media-chat.ts';
import { seedCongress } from '../helpers/seed.ts';
import { issueToken } from '../helpers/seed-api.ts';
import type { RunningServer } from '../helpers/server.ts';

// What deputies send is kept: photos fetched from WeCom (media/get) and DingTalk (downloadCode) into our
// own storage right after they arrive, shown in the console after the platform stopped serving them,
// stored once when the same bytes come twice; failures retried and shown as missing; a location sent in
// a suggestion dialog kept with the item and told to the organ.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
/** A small JPEG-looking payload (the bytes only need to come back identical). */
const picture = (tag: string) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(tag), randomBytes(64)]);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`keeping what deputies send on ${backend.name}`, () => {
    const clock = new FixedClock(at('2026-07-06T10:00:00')); // Monday
    // A photo sent outside a dialog waits 30 minutes for the suggestion that follows; a test that sends
    // loose photos lets that time pass so the next test's item carries only its own.
    const forgetLoosePhotos = () => clock.advance(31 * 60_000);
    let chat: ChatHarness;
    let dingtalk: FakeDingtalkApi;
    let server: RunningServer;
    let staffToken: string;
    let otherToken: string;
    const api = createApi(() => server.url);

    beforeAll(async () => {
      ({ chat, dingtalk, server } = await openMediaChat(backend.name, clock));
      await seedCongress(chat.deps.db, '晋中市第五届人民代表大会');
      staffToken = await issueToken(api, { name: '代表工委', role: 'staff' });
      otherToken = await issueToken(api, {
        name: '晋中代表工委',
        role: 'staff',
        congress: '晋中市第五届人民代表大会',
      });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
      await dingtalk.close();
    });

    const consoleGet = (path: string, token = staffToken) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const mediaRows = () => chat.deps.db.selectFrom('media').selectAll().orderBy('id').execute();
    const contentCount = async () =>
      (await chat.deps.db.selectFrom('media_contents').select('sha256').execute()).length;
    const item = (code: string) =>
      chat.deps.db.selectFrom('suggestions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    const fromDingtalk = (kind: 'text' | 'image', value: string) =>
      chat.send('zhangsan01', {
        channel: 'dingtalk',
        senderId: 'zhangsan01',
        kind,
        ...(kind === 'text' ? { text: value } : { media: { mediaId: value } }),
      });

    it('keeps a WeCom photo and a location sent with a suggestion, shown after WeCom stopped serving it', async () => {
      const bytes = picture('wecom-1');
      chat.wecom.serveMedia('MEDIA-W1', bytes, 'image/jpeg');
      expect(await chat.say('ZhangSan', '建议')).toContain('请讲讲您的建议内容');
      expect(
        (await chat.send('ZhangSan', { kind: 'image', media: { mediaId: 'MEDIA-W1' } }))?.text,
      ).toContain('已收到照片');
      const where = await chat.send('ZhangSan', {
        kind: 'location',
        location: { latitude: 40.0768, longitude: 113.3001, label: '大同市平城区新建北路' },
      });
      expect(where?.text).toContain('已收到位置，会随“建议”一并提交');
      const answer = await chat.say('ZhangSan', '新建北路的路灯坏了很久');
      expect(answer).toContain('JY-2026-0001');
      expect(answer).toContain('附照片 1 张');
      expect(answer).toContain('大同市平城区新建北路');

      // Recorded as waiting before anything was fetched; the fetch runs after.
      expect((await mediaRows()).map((r) => r.status)).toEqual(['pending']);
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, fetched: 1 });
      chat.wecom.stopServing('MEDIA-W1');

      const s = await item('JY-2026-0001');
      expect(s.location).toEqual({ latitude: 40.0768, longitude: 113.3001, label: '大同市平城区新建北路' });
      const [row] = await mediaRows();
      expect(row).toMatchObject({
        status: 'fetched',
        size: bytes.length,
        content_type: 'image/jpeg',
        channel: 'wecom',
      });
      expect(s.photos).toEqual([{ mediaId: 'MEDIA-W1', stored: row!.id }]);

      const page = await (await consoleGet('/console/suggestions/JY-2026-0001')).text();
      expect(page).toContain('<img src="/console/suggestions/JY-2026-0001/photos/1"');
      expect(page).toContain('大同市平城区新建北路（纬度 40.076800，经度 113.300100）');
      const photo = await consoleGet('/console/suggestions/JY-2026-0001/photos/1');
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/jpeg');
      expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
      expect(photo.headers.get('content-disposition')).toBe('inline; filename="JY-2026-0001-1.jpg"');
      expect(Buffer.from(await photo.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('tells the organ how many photos came with the item and where', async () => {
      expect(await chat.say('LiSi', '交办 JY-2026-0001 市交通局')).toContain('市交通局（承办）');
      const notice = (await chat.inbox('JiaotongLiu')).join('\n');
      expect(notice).toContain('【建议交办】JY-2026-0001');
      expect(notice).toContain('代表附照片 1 张');
      expect(notice).toContain('代表所在位置：大同市平城区新建北路（纬度 40.076800，经度 113.300100）');
    });

    it('answers a photo address that is not one clearly, and never across congresses', async () => {
      for (const path of ['/photos/0', '/photos/2', '/photos/abc', '/photos/1x']) {
        const r = await consoleGet(`/console/suggestions/JY-2026-0001${path}`);
        expect(r.status, path).toBe(404);
        expect(r.headers.get('content-type'), path).toContain('text/html');
      }
      const elsewhere = await consoleGet('/console/suggestions/JY-2026-0001/photos/1', otherToken);
      expect(elsewhere.status).toBe(404);
      expect((await consoleGet('/console/suggestions/JY-2026-0001/photos/1', 'not-a-token')).status).toBe(
        401,
      );
    });

    it('stores the same image received twice once', async () => {
      const bytes = picture('twice');
      chat.wecom.serveMedia('MEDIA-A', bytes);
      chat.wecom.serveMedia('MEDIA-B', bytes);
      const before = await contentCount();
      await chat.send('ZhangSan', { kind: 'image', media: { mediaId: 'MEDIA-A' } });
      await chat.send('ZhangSan', { kind: 'image', media: { mediaId: 'MEDIA-B' } });
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 2, fetched: 2 });
      const rows = (await mediaRows()).filter((r) => ['MEDIA-A', 'MEDIA-B'].includes(r.platform_id));
      expect(rows.map((r) => r.status)).toEqual(['fetched', 'fetched']);
      expect(rows[0]!.sha256).toBe(rows[1]!.sha256);
      expect(await contentCount()).toBe(before + 1);
      forgetLoosePhotos();
    });

    it('fetches a DingTalk picture by its downloadCode at once, kept after DingTalk stopped serving it', async () => {
      const bytes = picture('dingtalk-1');
      dingtalk.serveFile('DLCODE-1', bytes, 'image/png');
      expect((await fromDingtalk('text', '建议'))?.text).toContain('请讲讲您的建议内容');
      expect((await fromDingtalk('image', 'DLCODE-1'))?.text).toContain('已收到照片');
      expect((await fromDingtalk('text', '府西街的井盖松动'))?.text).toContain('JY-2026-0002');
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, fetched: 1 });
      expect(dingtalk.count('/v1.0/robot/messageFiles/download')).toBe(1);
      dingtalk.stopServing('DLCODE-1');

      const row = (await mediaRows()).find((r) => r.platform_id === 'DLCODE-1');
      expect(row).toMatchObject({ channel: 'dingtalk', status: 'fetched', content_type: 'image/png' });
      const photo = await consoleGet('/console/suggestions/JY-2026-0002/photos/1');
      expect(photo.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await photo.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('retries a fetch that failed with a 5xx and fetches it when the platform answers again', async () => {
      const bytes = picture('dingtalk-2');
      dingtalk.serveFile('DLCODE-2', bytes);
      dingtalk.inject('/v1.0/robot/messageFiles/download', { kind: 'status', status: 503 });
      await fromDingtalk('image', 'DLCODE-2');
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const waiting = (await mediaRows()).find((r) => r.platform_id === 'DLCODE-2')!;
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
      expect(waiting.last_error).toContain('钉钉服务器错误');
      // Not due again before its backoff.
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 0 });
      clock.advance(60_000);
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, fetched: 1 });
      forgetLoosePhotos();
    });

    it('shows a photo the platform no longer has as missing, never drops it', async () => {
      chat.wecom.serveMedia('MEDIA-GONE', picture('gone'));
      chat.wecom.inject('/cgi-bin/media/get', { kind: 'status', status: 502 });
      await chat.say('ZhangSan', '建议');
      await chat.send('ZhangSan', { kind: 'image', media: { mediaId: 'MEDIA-GONE' } });
      expect(await chat.say('ZhangSan', '东关小学门口缺少斑马线')).toContain('JY-2026-0003');
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, retried: 1 });

      const pending = await (await consoleGet('/console/suggestions/JY-2026-0003')).text();
      expect(pending).toContain('照片 1：<span class="tag warn">正在从平台取回</span>');

      chat.wecom.stopServing('MEDIA-GONE');
      clock.advance(60_000);
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 1, missing: 1 });
      const row = (await mediaRows()).find((r) => r.platform_id === 'MEDIA-GONE')!;
      expect(row.status).toBe('missing');
      expect(row.last_error).toContain('40007');
      expect((await item('JY-2026-0003')).photos).toEqual([{ mediaId: 'MEDIA-GONE', stored: row.id }]);
      const page = await (await consoleGet('/console/suggestions/JY-2026-0003')).text();
      expect(page).toContain('照片 1：<span class="tag bad">未能取回（平台已不再提供）</span>');
      expect((await consoleGet('/console/suggestions/JY-2026-0003/photos/1')).status).toBe(404);
    });

    it('fetches as soon as a photo arrives when the fetcher runs (no waiting for a poll)', async () => {
      dingtalk.serveFile('DLCODE-NOW', picture('now'));
      chat.runtime.media.start(3_600_000);
      try {
        await fromDingtalk('image', 'DLCODE-NOW');
        let row: { status: string } | undefined;
        for (let i = 0; i < 100 && row?.status !== 'fetched'; i++) {
          await new Promise((r) => setTimeout(r, 20));
          row = (await mediaRows()).find((r) => r.platform_id === 'DLCODE-NOW');
        }
        expect(row?.status).toBe('fetched');
      } finally {
        await chat.runtime.media.stop();
      }
    });

    it('keeps a photo over the size cap as too large, shown so', async () => {
      chat.wecom.serveMedia('MEDIA-BIG', Buffer.alloc(21 * 1024 * 1024, 1));
      await chat.send('ZhangSan', { kind: 'image', media: { mediaId: 'MEDIA-BIG' } });
      const before = await contentCount();
      await chat.runtime.media.runOnce();
      const row = (await mediaRows()).find((r) => r.platform_id === 'MEDIA-BIG')!;
      expect(row).toMatchObject({ status: 'too_large', size: 21 * 1024 * 1024, sha256: null });
      expect(await contentCount()).toBe(before);
    });
  });
}
