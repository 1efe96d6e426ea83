import { describe, expect, it } from 'vitest';
import { failureOf, markdownOf, messageOf } from '../../src/channels/dingtalk/api-client.ts';
import { callbackSign, verifyCallbackSign } from '../../src/channels/dingtalk/callback-signature.ts';
import { dropLeadingMentions, normalizeDingtalkMessage } from '../../src/channels/dingtalk/normalize.ts';
import { replyMessage } from '../../src/channels/dingtalk/route.ts';
import { callbackBody, signFor, TEST_DINGTALK } from '../helpers/dingtalk-callback.ts';

const NOW = new Date('2026-11-23T02:00:00Z');

describe('DingTalk callback sign', () => {
  it('matches an independent computation and verifies its own output', () => {
    const ts = '1774080994334';
    expect(callbackSign(TEST_DINGTALK.appSecret, ts)).toBe(signFor(Number(ts)));
    expect(verifyCallbackSign(TEST_DINGTALK.appSecret, ts, signFor(Number(ts)))).toBe(true);
  });

  it('refuses another secret, another timestamp, a cut or empty sign', () => {
    const ts = '1774080994334';
    const good = signFor(Number(ts));
    expect(verifyCallbackSign('another-secret', ts, good)).toBe(false);
    expect(verifyCallbackSign(TEST_DINGTALK.appSecret, '1774080994335', good)).toBe(false);
    expect(verifyCallbackSign(TEST_DINGTALK.appSecret, ts, good.slice(0, -2))).toBe(false);
    expect(verifyCallbackSign(TEST_DINGTALK.appSecret, ts, '')).toBe(false);
  });
});

describe('DingTalk message normalisation', () => {
  it('takes the enterprise userid as the sender and keeps the conversation', () => {
    const r = normalizeDingtalkMessage(
      callbackBody({ staffId: 'zhangsan01', text: '帮助', msgId: 'msgA==' }),
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message).toMatchObject({
      channel: 'dingtalk',
      messageKey: 'msgA==',
      senderId: 'zhangsan01',
      kind: 'text',
      text: '帮助',
      platformType: 'text',
      conversation: { kind: 'private' },
    });
    expect(r.message.conversation?.sessionWebhook).toMatch(/^https:\/\/oapi\.dingtalk\.com\//);
  });

  it('falls back to senderId for someone without an enterprise userid', () => {
    const body = callbackBody({ staffId: null, text: '帮助' });
    const r = normalizeDingtalkMessage(body, NOW);
    expect(r.ok && r.message.senderId).toBe(body.senderId);
  });

  it('drops the leading @mention of a group message and names the group', () => {
    const r = normalizeDingtalkMessage(
      callbackBody({ text: '@人大代表助手 帮助', group: { id: 'cidGROUP1', title: '第一代表小组' } }),
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.text).toBe('帮助');
    expect(r.message.conversation).toMatchObject({ kind: 'group', id: 'cidGROUP1', title: '第一代表小组' });
  });

  it.each([
    [' 帮助', '帮助'],
    ['@机器人　@张三 请假 去北京', '请假 去北京'],
    ['@人大代表助手请假', '@人大代表助手请假'],
    ['邮箱 a@b.cn', '邮箱 a@b.cn'],
  ])('dropLeadingMentions(%j) → %j', (raw, want) => {
    expect(dropLeadingMentions(raw)).toBe(want);
  });

  it('maps pictures, rich text and audio as the WeCom side does', () => {
    const pic = normalizeDingtalkMessage(
      callbackBody({ msgtype: 'picture', content: { downloadCode: 'dlPIC', pictureDownloadCode: 'p' } }),
      NOW,
    );
    expect(pic.ok && pic.message).toMatchObject({ kind: 'image', media: { mediaId: 'dlPIC' } });

    const rich = normalizeDingtalkMessage(
      callbackBody({
        msgtype: 'richText',
        content: {
          richText: [{ text: '建议 修一下' }, { type: 'picture', downloadCode: 'dlR' }, { text: '村口的路' }],
        },
      }),
      NOW,
    );
    expect(rich.ok && rich.message).toMatchObject({
      kind: 'text',
      text: '建议 修一下村口的路',
      media: { mediaId: 'dlR' },
    });

    const onlyPictures = normalizeDingtalkMessage(
      callbackBody({
        msgtype: 'richText',
        content: { richText: [{ type: 'picture', downloadCode: 'dlP2' }] },
      }),
      NOW,
    );
    expect(onlyPictures.ok && onlyPictures.message).toMatchObject({
      kind: 'image',
      media: { mediaId: 'dlP2' },
    });

    const heard = normalizeDingtalkMessage(
      callbackBody({
        msgtype: 'audio',
        content: { downloadCode: 'dlA', duration: 3000, recognition: '我要请假' },
      }),
      NOW,
    );
    expect(heard.ok && heard.message).toMatchObject({
      kind: 'voice',
      text: '我要请假',
      media: { mediaId: 'dlA' },
    });

    const unheard = normalizeDingtalkMessage(
      callbackBody({ msgtype: 'audio', content: { downloadCode: 'dlB' } }),
      NOW,
    );
    expect(unheard.ok && unheard.message.text).toBeUndefined();

    const video = normalizeDingtalkMessage(
      callbackBody({ msgtype: 'video', content: { downloadCode: 'v' } }),
      NOW,
    );
    // A video is kept like a photo: fetched by its downloadCode.
    expect(video.ok && video.message).toMatchObject({ kind: 'video', media: { mediaId: 'v' } });
    const card = normalizeDingtalkMessage(callbackBody({ msgtype: 'interactiveCard', content: {} }), NOW);
    expect(card.ok && card.message.kind).toBe('other');
  });

  it.each([
    ['no msgId', { msgId: undefined }],
    ['no senderId', { senderId: undefined }],
    ['an unknown conversationType', { conversationType: '3' }],
    ['a text message without text', { text: undefined }],
    ['a picture without a downloadCode', { msgtype: 'picture', content: {} }],
  ])('refuses a body with %s', (_name, change: Record<string, unknown>) => {
    const body = { ...callbackBody({ text: '帮助' }), ...change };
    expect(normalizeDingtalkMessage(JSON.parse(JSON.stringify(body)), NOW).ok).toBe(false);
  });
});

describe('DingTalk reply messages', () => {
  it('answers plain text as a text message', () => {
    expect(replyMessage({ text: '好的' })).toEqual({ msgtype: 'text', text: { content: '好的' } });
    expect(messageOf({ text: '好的' })).toEqual({ msgKey: 'sampleText', msgParam: { content: '好的' } });
  });

  it('answers choices as markdown whose lines send the command back', () => {
    const reply = {
      text: '没太明白您的意思。您是想办理：\n1. 请假\n2. 建议',
      buttons: [
        { label: '请假', command: '请假' },
        { label: '批准', command: '批准 QJ-2026-0001' },
      ],
    };
    const msg = replyMessage(reply) as { msgtype: string; markdown: { title: string; text: string } };
    expect(msg.msgtype).toBe('markdown');
    expect(msg.markdown.title).toBe('没太明白您的意思。您是想办理：');
    expect(msg.markdown.text).toContain('1. 请假  \n2. 建议');
    const commands = [...msg.markdown.text.matchAll(/sendMessage\?content=([^)]*)\)/g)].map((m) =>
      decodeURIComponent(m[1]!),
    );
    expect(commands).toEqual(['请假', '批准 QJ-2026-0001']);
    expect(markdownOf(reply)).toEqual(msg.markdown);
  });
});

describe('DingTalk API error answers', () => {
  it.each([
    [500, 'ServiceUnavailable', 'server_error', true],
    [403, 'Forbidden.AccessDenied.QpsLimitForApi', 'rate_limited', true],
    [429, 'Throttling', 'rate_limited', true],
    [400, 'InvalidAuthentication', 'token_rejected', true],
    [403, 'Forbidden.AccessDenied.IpNotInWhiteList', 'configuration', false],
    [403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'configuration', false],
    [403, 'Forbidden.AccessDenied.ApiQuotaExceeded', 'quota_exhausted', true],
    [400, 'staffId.notExisted', 'invalid_recipient', false],
    [400, 'robot.not.exist', 'configuration', false],
    [400, 'invalidParameter.msgKey.invalid', 'platform_error', false],
  ])('HTTP %i %s → %s (retryable %s)', (status, code, want, retryable) => {
    const f = failureOf(status, code, 'x');
    expect(f.code).toBe(want);
    expect(f.retryable).toBe(retryable);
    expect(f.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
