import { describe, expect, it } from 'vitest';
import { appMenu, commandForMenuKey, MENU_ITEMS } from '../../src/channels/wecom/menu.ts';
import { normalizeWecomMessage } from '../../src/channels/wecom/normalize.ts';
import { parseWecomXml } from '../../src/channels/wecom/xml.ts';
import { innerXml, textXml } from '../helpers/wecom-envelope.ts';

const normalize = (xml: string) => {
  const doc = parseWecomXml(xml);
  if (!doc) throw new Error('test XML did not parse');
  return normalizeWecomMessage(doc);
};
const message = (xml: string) => {
  const r = normalize(xml);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
};

describe('WeCom message normalisation', () => {
  it('reads a text message', () => {
    const m = message(
      textXml(' 请假 第一次会议 出差 ', {
        from: 'LiSi',
        msgId: '7300000000000000123',
        createTime: 1_790_000_000,
      }),
    );
    expect(m).toEqual({
      channel: 'wecom',
      messageKey: '7300000000000000123',
      senderId: 'LiSi',
      kind: 'text',
      text: ' 请假 第一次会议 出差 ',
      platformType: 'text',
      createdAt: new Date(1_790_000_000_000),
      conversation: { kind: 'private' },
    });
  });

  it('keeps userids that look like numbers exactly as sent', () => {
    expect(message(textXml('帮助', { from: '1e5' })).senderId).toBe('1e5');
    expect(message(textXml('帮助', { from: '0012' })).senderId).toBe('0012');
    expect(message(textXml('帮助', { from: 'ZhangSan' })).senderId).toBe('ZhangSan');
  });

  it('keeps a 20-digit MsgId exact', () => {
    expect(message(textXml('帮助', { msgId: '18446744073709551615' })).messageKey).toBe(
      '18446744073709551615',
    );
    expect(message(textXml('帮助', { msgId: '00012345678901234567' })).messageKey).toBe(
      '00012345678901234567',
    );
  });

  it('keeps text that looks like a number as text', () => {
    expect(message(textXml('0012')).text).toBe('0012');
    expect(message(textXml('1e5')).text).toBe('1e5');
  });

  it('reads a voice message with its transcript', () => {
    const m = message(
      innerXml({
        fields: { MsgType: 'voice', MediaId: 'media-1', Format: 'amr', Recognition: '我要请假', MsgId: '42' },
      }),
    );
    expect(m).toMatchObject({
      kind: 'voice',
      text: '我要请假',
      media: { mediaId: 'media-1', format: 'amr' },
      messageKey: '42',
    });
  });

  it('reads a voice message without a transcript as having no text', () => {
    const m = message(
      innerXml({ fields: { MsgType: 'voice', MediaId: 'media-2', Format: 'amr', MsgId: '43' } }),
    );
    expect(m.kind).toBe('voice');
    expect(m.text).toBeUndefined();
    const blank = message(
      innerXml({ fields: { MsgType: 'voice', MediaId: 'm', Format: 'amr', Recognition: '', MsgId: '44' } }),
    );
    expect(blank.text).toBeUndefined();
  });

  it('reads an image message', () => {
    const m = message(
      innerXml({
        fields: { MsgType: 'image', PicUrl: 'https://wework.qpic.cn/x.jpg', MediaId: 'img-1', MsgId: '45' },
      }),
    );
    expect(m).toMatchObject({
      kind: 'image',
      media: { mediaId: 'img-1', url: 'https://wework.qpic.cn/x.jpg' },
    });
    expect(m.text).toBeUndefined();
  });

  it('reads a location message (X is latitude, Y longitude)', () => {
    const m = message(
      innerXml({
        fields: {
          MsgType: 'location',
          Location_X: '40.0768',
          Location_Y: '113.3001',
          Scale: '15',
          Label: '大同市人大常委会',
          MsgId: '46',
        },
      }),
    );
    expect(m).toMatchObject({
      kind: 'location',
      location: { latitude: 40.0768, longitude: 113.3001, label: '大同市人大常委会' },
    });
  });

  it('reads enter_agent, subscribe and unsubscribe events, keyed by sender and time', () => {
    for (const ev of ['enter_agent', 'subscribe', 'unsubscribe'] as const) {
      const m = message(
        innerXml({
          from: 'WangWu',
          createTime: 1_790_000_123,
          fields: { MsgType: 'event', Event: ev, EventKey: '' },
        }),
      );
      expect(m).toMatchObject({ kind: 'event', event: { type: ev }, messageKey: 'WangWu:1790000123' });
      expect(m.text).toBeUndefined();
    }
  });

  it('turns each menu click into its command word', () => {
    const expected: Record<string, string> = {
      [MENU_ITEMS.leave.key]: '请假',
      [MENU_ITEMS.suggest.key]: '建议',
      [MENU_ITEMS.progress.key]: '查询',
      [MENU_ITEMS.reception.key]: '接待日',
      [MENU_ITEMS.duty.key]: '我的履职',
    };
    for (const [key, word] of Object.entries(expected)) {
      const m = message(innerXml({ fields: { MsgType: 'event', Event: 'click', EventKey: key } }));
      expect(m).toMatchObject({ kind: 'event', event: { type: 'click', key }, text: word });
    }
  });

  it('reads a click on a key the menu never had as a click without text', () => {
    const m = message(innerXml({ fields: { MsgType: 'event', Event: 'click', EventKey: 'OLD_KEY' } }));
    expect(m).toMatchObject({ kind: 'event', event: { type: 'click', key: 'OLD_KEY' } });
    expect(m.text).toBeUndefined();
  });

  it('reads a card button as the command it carries', () => {
    const m = message(
      innerXml({
        fields: {
          MsgType: 'event',
          Event: 'template_card_event',
          EventKey: '批准 QJ-2026-0001',
          TaskId: 't1',
          CardType: 'button_interaction',
        },
      }),
    );
    expect(m).toMatchObject({ kind: 'event', event: { type: 'click' }, text: '批准 QJ-2026-0001' });
  });

  it('reads any other event or message type as "other"', () => {
    const ev = message(
      innerXml({ fields: { MsgType: 'event', Event: 'LOCATION', Latitude: '1', Longitude: '2' } }),
    );
    expect(ev).toMatchObject({ kind: 'other', event: { type: 'other' } });
    const link = message(
      innerXml({ fields: { MsgType: 'link', Title: 't', Url: 'https://example.com', MsgId: '98' } }),
    );
    expect(link).toMatchObject({ kind: 'other', platformType: 'link', messageKey: '98' });
    // A video is kept like a photo: fetched by its media_id.
    const video = message(
      innerXml({ fields: { MsgType: 'video', MediaId: 'v', ThumbMediaId: 't', MsgId: '99' } }),
    );
    expect(video).toMatchObject({
      kind: 'video',
      platformType: 'video',
      messageKey: '99',
      media: { mediaId: 'v' },
    });
  });

  it('refuses a message missing what it must carry', () => {
    expect(normalize('<xml><MsgType>text</MsgType></xml>').ok).toBe(false);
    expect(normalize(innerXml({ fields: { MsgType: 'text', Content: 'x' } })).ok).toBe(false); // no MsgId
    expect(normalize(innerXml({ fields: { MsgType: 'text', Content: 'x', MsgId: '12a' } })).ok).toBe(false);
    expect(
      normalize(
        innerXml({ fields: { MsgType: 'location', Location_X: 'north', Location_Y: '1', MsgId: '1' } }),
      ).ok,
    ).toBe(false);
    expect(normalize(innerXml({ fields: { MsgType: 'event' } })).ok).toBe(false); // no Event
    // A field sent twice arrives as a list, not a string.
    expect(normalize(textXml('a').replace('</xml>', '<Content>b</Content></xml>')).ok).toBe(false);
  });
});

describe('WeCom XML', () => {
  it('refuses what is not well-formed XML under <xml>', () => {
    expect(parseWecomXml('not xml')).toBeNull();
    expect(parseWecomXml('<xml><a>1</b></xml>')).toBeNull();
    expect(parseWecomXml('<root><a>1</a></root>')).toBeNull();
    expect(parseWecomXml('<xml><a>1</a>')).toBeNull();
    expect(parseWecomXml('')).toBeNull();
  });

  it('refuses a DOCTYPE (entity expansion)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>';
    expect(parseWecomXml(bomb)).toBeNull();
  });

  it('reads CDATA with markup inside as text', () => {
    expect(parseWecomXml('<xml><Content><![CDATA[a < b & <c>]]></Content></xml>')).toMatchObject({
      Content: 'a < b & <c>',
    });
  });
});

describe('WeCom menu', () => {
  it('publishes every command once, within WeCom limits, and maps each click back', () => {
    const menu = appMenu();
    expect(menu.length).toBeLessThanOrEqual(3);
    const leaves = menu.flatMap((b) => ('sub_button' in b ? b.sub_button : [b]));
    expect(leaves.map((b) => b.name).sort()).toEqual(
      ['请假', '提建议', '查进度', '接待日', '我的履职'].sort(),
    );
    for (const b of menu) expect(Buffer.byteLength(b.name)).toBeLessThanOrEqual(16);
    for (const b of menu) if ('sub_button' in b) expect(b.sub_button.length).toBeLessThanOrEqual(5);
    expect(new Set(leaves.map((b) => b.key)).size).toBe(leaves.length);
    expect(leaves.map((b) => commandForMenuKey(b.key))).toEqual(
      leaves.map((b) => Object.values(MENU_ITEMS).find((i) => i.label === b.name)?.word),
    );
    expect(commandForMenuKey('提建议')).toBeUndefined();
  });
});
