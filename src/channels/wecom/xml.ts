import { XMLParser, XMLValidator } from 'fast-xml-parser';

// WeCom speaks small flat XML documents under a root <xml>. Values stay strings: fast-xml-parser's
// defaults would turn a userid `1e5` into 100000, `0012` into 12, and a 64-bit MsgId into a rounded float.

const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Keep what people typed exactly, including leading and trailing spaces inside CDATA.
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses a WeCom XML document and returns the children of its <xml> root, or null when the text is
 * not well-formed XML with that root. A DOCTYPE is refused outright: WeCom never sends one, and
 * entity declarations are how XML bombs start.
 */
export function parseWecomXml(text: string): Record<string, unknown> | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  if (XMLValidator.validate(text) !== true) return null;
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    return null;
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return null;
  return root as Record<string, unknown>;
}

/** Wraps text in CDATA; a "]]>" inside is split across two sections so it cannot end the block early. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The inner passive reply: a text message from the app to the person who wrote. */
export function textReplyXml(toUser: string, fromCorp: string, createTime: number, content: string): string {
  return (
    `<xml><ToUserName>${cdata(toUser)}</ToUserName><FromUserName>${cdata(fromCorp)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(content)}</Content></xml>`
  );
}

/** The encrypted envelope of a passive reply. */
export function replyEnvelopeXml(
  encrypt: string,
  signature: string,
  timestamp: string,
  nonce: string,
): string {
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
