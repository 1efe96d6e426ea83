import { describe, expect, it } from 'vitest';
import {
  cdata,
  parseFlatXml,
  parseWecomXml,
  parseWithLibrary,
  replyEnvelopeXml,
} from '../../src/channels/wecom/xml.ts';
import { innerXml, textXml } from '../helpers/wecom-envelope.ts';

// The direct reading of WeCom's flat documents must give exactly what the XML library gives, and leave
// everything else to it.

const FLAT = [
  textXml('帮助'),
  textXml('  有空格  \n换行 '),
  textXml('a < b & c > d'),
  textXml(''),
  innerXml({ fields: { MsgType: 'event', Event: 'enter_agent', EventKey: '' } }),
  innerXml({ fields: { MsgType: 'image', PicUrl: 'http://x/y?a=1&b=2', MediaId: 'm1', MsgId: '9' } }),
  replyEnvelopeXml('QUJD', 'sig', '1790000000', 'nonce'),
  '<xml><A><![CDATA[x y ]]></A>\n<B>123</B>\n</xml>',
  '<xml>\n  <A><![CDATA[x]]></A>\n  <B>1</B>\n</xml>',
  '<xml><A></A><B>plain > text</B></xml>',
  `<xml><A>${cdata('</A> inside')}</A></xml>`,
  '<xml><ToUserName>1e5</ToUserName><MsgId>7400000000000000001</MsgId><Id>0012</Id></xml>',
];

const OTHER = [
  textXml('含 ]]> 的文字'),
  `<xml><A>${cdata('含 ]]> 的文字')}</A></xml>`,
  'not xml',
  '<xml></xml>',
  '<xml><a>1</b></xml>',
  '<xml><A>1</A><A>2</A></xml>',
  '<xml><A>a&amp;b</A></xml>',
  '<?xml version="1.0"?><xml><A>1</A></xml>',
  '<xml><A>1</A></xml>\n',
  '<xml><A><B>1</B></A></xml>',
  '<xml><A/></xml>',
  '<xml>\r\n<A>1</A></xml>',
  '<xml><A>x<![CDATA[y]]></A></xml>',
  '<!DOCTYPE xml><xml><A>1</A></xml>',
  '<xml><A>1</A>text</xml>',
];

describe('reading WeCom’s flat XML directly', () => {
  it.each(FLAT)('reads %j as the library does', (doc) => {
    const direct = parseFlatXml(doc);
    expect(direct).not.toBeNull();
    expect(direct).toEqual(parseWithLibrary(doc));
  });

  it.each(OTHER)('leaves %j to the library', (doc) => {
    expect(parseFlatXml(doc)).toBeNull();
    expect(parseWecomXml(doc)).toEqual(parseWithLibrary(doc));
  });
});
