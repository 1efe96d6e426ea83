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
  return parseFlatXml(text) ?? parseWithLibrary(text);
}

// What WeCom sends is nearly always one flat shape: <xml>, then elements holding CDATA or plain text,
// then </xml>. That shape is read here directly, giving what the library gives for it; anything else
// (a declaration, nesting, entities, a repeated or empty-tag element) goes through the library.
const CHILD = /([ \t\n]*)<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<&]*))<\/\2>/y;
const CLOSE = /([ \t\n]*)<\/xml>$/y;

/** The children of a flat WeCom document, or null when it is not of that shape. */
export function parseFlatXml(text: string): Record<string, unknown> | null {
  // A carriage return is left to the library (line-end handling).
  if (!text.startsWith('<xml>') || text.includes('\r')) return null;
  const out: Record<string, unknown> = {};
  let between = '';
  let at = 5;
  let children = 0;
  for (;;) {
    CHILD.lastIndex = at;
    const m = CHILD.exec(text);
    if (!m) break;
    const name = m[2]!;
    // A CDATA section that ends and starts again (how "]]>" is written inside one) is left to the library.
    if (Object.hasOwn(out, name) || m[3]?.includes(']]>')) return null;
    between += m[1]!;
    out[name] = m[3] ?? m[4] ?? '';
    children++;
    at = CHILD.lastIndex;
  }
  CLOSE.lastIndex = at;
  const close = CLOSE.exec(text);
  if (!close || children === 0) return null;
  between += close[1]!;
  if (between !== '') out['#text'] = between;
  return out;
}

/** The library's reading: validated first, then parsed. */
export function parseWithLibrary(text: string): Record<string, unknown> | null {
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
