import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDingtalkMessage } from '../../src/channels/dingtalk/normalize.ts';
import { normalizeWecomMessage } from '../../src/channels/wecom/normalize.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import type { ChatHarness } from '../helpers/chat.ts';
import type { FakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import { openMediaChat } from '../helpers/media-chat.ts';
import { issueToken } from '../helpers/seed-api.ts';
import type { RunningServer } from '../helpers/server.ts';

// Videos, files and voice messages are kept like photos: fetched from the platform (WeCom media/get,
// DingTalk downloadCode) into our own storage, attached to the item when sent in its dialog, named as what
// they are, and still offered in the console after the platform stopped serving them.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
const bytesOf = (tag: string) => Buffer.concat([Buffer.from(tag), randomBytes(48)]);

describe('video and file messages as the platforms send them', () => {
  it('reads a WeCom video as a video to fetch by its media_id', () => {
    const r = normalizeWecomMessage({
      ToUserName: 'ww-corp',
      FromUserName: 'ZhangSan',
      CreateTime: '1764554400',
      MsgType: 'video',
      MediaId: 'MEDIA-VIDEO-1',
      ThumbMediaId: 'MEDIA-THUMB-1',
      MsgId: '7300000000000000001',
      AgentID: '1000002',
    });
    expect(r).toMatchObject({ ok: true, message: { kind: 'video', media: { mediaId: 'MEDIA-VIDEO-1' } } });
  });

  it('reads DingTalk video and file messages by their downloadCode, with the file name', () => {
    const base = {
      msgId: 'msg-file-1',
      conversationId: 'cid-1',
      conversationType: '1',
      senderId: '$:LWCP_v1:$abc',
      senderStaffId: 'zhangsan01',
      createAt: 1764554400000,
    };
    const file = normalizeDingtalkMessage(
      { ...base, msgtype: 'file', content: { downloadCode: 'DL-F', fileName: '调研报告.pdf', fileId: 'f1' } },
      new Date(),
    );
    expect(file).toMatchObject({
      ok: true,
      message: { kind: 'file', media: { mediaId: 'DL-F', fileName: '调研报告.pdf' } },
    });
    const video = normalizeDingtalkMessage(
      { ...base, msgId: 'msg-video-1', msgtype: 'video', content: { downloadCode: 'DL-V', duration: '12' } },
      new Date(),
    );
    expect(video).toMatchObject({ ok: true, message: { kind: 'video', media: { mediaId: 'DL-V' } } });
    const bad = normalizeDingtalkMessage({ ...base, msgtype: 'file', content: {} }, new Date());
    expect(bad.ok).toBe(false);
  });
});

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`keeping videos, files and voice on ${backend.name}`, () => {
    const clock = new FixedClock(at('2026-07-06T10:00:00')); // Monday
    let chat: ChatHarness;
    let dingtalk: FakeDingtalkApi;
    let server: RunningServer;
    let staffToken: string;
    const api = createApi(() => server.url);

    beforeAll(async () => {
      ({ chat, dingtalk, server } = await openMediaChat(backend.name, clock));
      staffToken = await issueToken(api, { name: '代表工委', role: 'staff' });
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
      await dingtalk.close();
    });

    const consoleGet = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${staffToken}` } });
    const mediaRows = () => chat.deps.db.selectFrom('media').selectAll().orderBy('id').execute();
    const fromDingtalk = (msg: Parameters<ChatHarness['send']>[1]) =>
      chat.send('zhangsan01', { channel: 'dingtalk', senderId: 'zhangsan01', ...msg });

    it('keeps a DingTalk video and file sent with a suggestion, offered after DingTalk stopped serving them', async () => {
      const video = bytesOf('video');
      const file = bytesOf('%PDF-1.4 report');
      dingtalk.serveFile('DL-VIDEO', video, 'video/mp4');
      dingtalk.serveFile('DL-FILE', file, 'application/pdf');
      expect((await fromDingtalk({ kind: 'text', text: '建议' }))?.text).toContain('请讲讲您的建议内容');
      expect((await fromDingtalk({ kind: 'video', media: { mediaId: 'DL-VIDEO' } }))?.text).toContain(
        '已收到视频，会随“建议”一并提交',
      );
      expect(
        (await fromDingtalk({ kind: 'file', media: { mediaId: 'DL-FILE', fileName: '路况调研.pdf' } }))?.text,
      ).toContain('已收到文件，会随“建议”一并提交');
      const answer = (await fromDingtalk({ kind: 'text', text: '御河桥东侧路面塌陷' }))?.text ?? '';
      expect(answer).toContain('JY-2026-0001');
      expect(answer).toContain('附视频 1 段、文件 1 个');

      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 2, fetched: 2 });
      dingtalk.stopServing('DL-VIDEO');
      dingtalk.stopServing('DL-FILE');
      const rows = (await mediaRows()).filter((r) => r.platform_id.startsWith('DL-'));
      expect(rows.map((r) => [r.kind, r.status, r.content_type])).toEqual([
        ['video', 'fetched', 'video/mp4'],
        ['file', 'fetched', 'application/pdf'],
      ]);
      const s = await chat.deps.db
        .selectFrom('suggestions')
        .select('photos')
        .where('code', '=', 'JY-2026-0001')
        .executeTakeFirstOrThrow();
      expect(s.photos).toEqual([
        { kind: 'video', mediaId: 'DL-VIDEO', stored: rows[0]!.id },
        { kind: 'file', mediaId: 'DL-FILE', fileName: '路况调研.pdf', stored: rows[1]!.id },
      ]);

      const page = await (await consoleGet('/console/suggestions/JY-2026-0001')).text();
      expect(page).toContain('视频 1 段、文件 1 个');
      expect(page).toContain('视频 1：<a href="/console/suggestions/JY-2026-0001/photos/1">下载</a>');
      expect(page).toContain(
        '文件 2（路况调研.pdf）：<a href="/console/suggestions/JY-2026-0001/photos/2">下载</a>',
      );
      const got = await consoleGet('/console/suggestions/JY-2026-0001/photos/2');
      expect(got.status).toBe(200);
      // Never rendered by the browser: offered as a download only.
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toContain('attachment');
      expect(Buffer.from(await got.arrayBuffer()).equals(file)).toBe(true);
    });

    it('tells the organ what came with the item', async () => {
      expect(await chat.say('LiSi', '交办 JY-2026-0001 市交通局')).toContain('市交通局（承办）');
      const notice = (await chat.inbox('JiaotongLiu')).join('\n');
      expect(notice).toContain('代表附视频 1 段、文件 1 个');
    });

    it('keeps a WeCom video and a voice message like photos', async () => {
      chat.wecom.serveMedia('MEDIA-V', bytesOf('wecom-video'), 'video/mp4');
      chat.wecom.serveMedia('MEDIA-VOICE', bytesOf('amr'), 'audio/amr');
      expect((await chat.send('ZhangSan', { kind: 'video', media: { mediaId: 'MEDIA-V' } }))?.text).toContain(
        '已收到视频',
      );
      await chat.send('ZhangSan', { kind: 'voice', media: { mediaId: 'MEDIA-VOICE', format: 'amr' } });
      expect(await chat.runtime.media.runOnce()).toMatchObject({ claimed: 2, fetched: 2 });
      chat.wecom.stopServing('MEDIA-V');
      chat.wecom.stopServing('MEDIA-VOICE');
      const rows = (await mediaRows()).filter((r) => r.channel === 'wecom');
      expect(rows.map((r) => [r.platform_id, r.kind, r.status])).toEqual([
        ['MEDIA-V', 'video', 'fetched'],
        ['MEDIA-VOICE', 'voice', 'fetched'],
      ]);
      const kept = await chat.deps.db
        .selectFrom('media_contents')
        .select('content_type')
        .where(
          'sha256',
          'in',
          rows.map((r) => r.sha256!),
        )
        .orderBy('content_type')
        .execute();
      expect(kept.map((k) => k.content_type)).toEqual(['audio/amr', 'video/mp4']);
    });
  });
}
