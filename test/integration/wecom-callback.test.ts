import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, HandleOptions, HandleOutcome, InboundHandler } from '../../src/channels/types.ts';
import { createWecomRouter } from '../../src/channels/wecom/route.ts';
import { FixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { errorBoundary, requestContext } from '../../src/http/request-context.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics, type Metrics } from '../../src/metrics.ts';
import { LogCapture } from '../helpers/backends.ts';
import {
  encryptForTest,
  encryptWithRawPadding,
  innerXml,
  openReply,
  plaintextLayout,
  queryString,
  sign,
  signedCallback,
  TEST_WECOM,
  textXml,
  wecomEnv,
} from '../helpers/wecom-envelope.ts';

// The callback edge touches neither the database nor the store, so it runs once, not per backend.

class RecordingHandler implements InboundHandler {
  calls: { msg: ChatMessage; opts: HandleOptions }[] = [];
  outcome: HandleOutcome | 'throw' = { kind: 'none' };
  async handle(msg: ChatMessage, opts: HandleOptions): Promise<HandleOutcome> {
    this.calls.push({ msg, opts });
    if (this.outcome === 'throw') throw new Error('database unavailable');
    return this.outcome;
  }
}

const NOW = new Date('2026-10-08T02:00:00Z');

describe('WeCom callback routes', () => {
  const clock = new FixedClock(NOW);
  const handler = new RecordingHandler();
  const logs = new LogCapture();
  let metrics: Metrics;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    metrics = createMetrics();
    const config = loadConfig(wecomEnv());
    const log = createLogger('debug', logs);
    const app = new Koa();
    app.silent = true;
    app.use(requestContext(log, metrics));
    app.use(errorBoundary());
    const router = createWecomRouter({ config, clock, log, metrics }, handler);
    app.use(router.routes()).use(router.allowedMethods());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    handler.calls = [];
    handler.outcome = { kind: 'none' };
    clock.set(NOW);
    logs.lines.length = 0;
  });

  const post = (query: string, body: string) =>
    fetch(`${base}/wecom/callback?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });

  const outcomeCount = async (outcome: string) => {
    const m = await metrics.inboundCallbacks.get();
    return m.values.find((v) => v.labels.outcome === outcome && v.labels.channel === 'wecom')?.value ?? 0;
  };

  /** A refusal: the status, the handler never called, one log line naming the outcome, one metric. */
  const expectRefused = async (send: () => Promise<Response>, status: number, outcome: string) => {
    const before = await outcomeCount(outcome);
    const res = await send();
    expect(res.status).toBe(status);
    expect(handler.calls).toHaveLength(0);
    const refusals = logs.lines.filter((l) => l.includes('wecom callback refused'));
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!).outcome).toBe(outcome);
    expect(await outcomeCount(outcome)).toBe(before + 1);
  };

  describe('URL verification (GET)', () => {
    const verifyQuery = (echo: string, o: { timestamp?: string; echostrInQuery?: string } = {}) => {
      const timestamp = o.timestamp ?? String(Math.floor(NOW.getTime() / 1000));
      const nonce = 'n0nce';
      const encrypted = encryptForTest(echo);
      return {
        encrypted,
        query: queryString({
          msg_signature: sign(timestamp, nonce, encrypted),
          timestamp,
          nonce,
          echostr: o.echostrInQuery ?? encrypted,
        }),
      };
    };

    it('answers the decrypted echostr as plain text', async () => {
      const { query } = verifyQuery('5927782489442352469');
      const res = await fetch(`${base}/wecom/callback?${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('5927782489442352469');
      expect(handler.calls).toHaveLength(0);
    });

    it('reads a literal + in the echostr as +, not as a space', async () => {
      // Find an echostr whose ciphertext holds a '+', and send it unescaped.
      let found: { encrypted: string; query: string } | undefined;
      for (let i = 0; i < 200 && !found; i++) {
        const q = verifyQuery(`echo-${i}`);
        if (q.encrypted.includes('+')) found = q;
      }
      expect(found).toBeDefined();
      const literal = found!.query.replace(encodeURIComponent(found!.encrypted), found!.encrypted);
      expect(literal).toContain('+');
      const res = await fetch(`${base}/wecom/callback?${literal}`);
      expect(res.status).toBe(200);
    });

    it('refuses an echostr whose + turned into a space (401)', async () => {
      let found: { encrypted: string; query: string } | undefined;
      for (let i = 0; i < 200 && !found; i++) {
        const q = verifyQuery(`echo-${i}`);
        if (q.encrypted.includes('+')) found = q;
      }
      const spaced = found!.query.replace(
        encodeURIComponent(found!.encrypted),
        encodeURIComponent(found!.encrypted.replaceAll('+', ' ')),
      );
      await expectRefused(() => fetch(`${base}/wecom/callback?${spaced}`), 401, 'bad_signature');
    });

    it('refuses a wrong signature and a stale timestamp (401)', async () => {
      const { encrypted } = verifyQuery('x');
      const timestamp = String(Math.floor(NOW.getTime() / 1000));
      const forged = queryString({
        msg_signature: sign(timestamp, 'n', encrypted, 'wrong-token'),
        timestamp,
        nonce: 'n',
        echostr: encrypted,
      });
      await expectRefused(() => fetch(`${base}/wecom/callback?${forged}`), 401, 'bad_signature');
      logs.lines.length = 0;
      const old = String(Math.floor(NOW.getTime() / 1000) - 301);
      const stale = verifyQuery('x', { timestamp: old }).query;
      await expectRefused(() => fetch(`${base}/wecom/callback?${stale}`), 401, 'stale_timestamp');
    });
  });

  describe('messages (POST)', () => {
    it('passes the message to the handler and answers its reply, encrypted, to the sender', async () => {
      handler.outcome = { kind: 'reply', reply: { text: '您的请假申请已提交，编号 QJ-2026-0001。' } };
      const cb = signedCallback(
        textXml('请假 第一次会议 出差', { from: '1e5', msgId: '18446744073709551615' }),
        NOW,
      );
      const res = await post(cb.query, cb.body);
      expect(res.status).toBe(200);
      expect(handler.calls).toHaveLength(1);
      const { msg, opts } = handler.calls[0]!;
      expect(msg).toMatchObject({
        senderId: '1e5',
        messageKey: '18446744073709551615',
        text: '请假 第一次会议 出差',
      });
      expect(opts.maxReplyBytes).toBe(2048);
      expect(opts.budgetMs).toBeGreaterThan(0);
      expect(opts.budgetMs).toBeLessThanOrEqual(4000);
      const reply = openReply(await res.text());
      expect(reply.signatureValid).toBe(true);
      expect(reply.receiveId).toBe(TEST_WECOM.corpId);
      expect(reply).toMatchObject({ toUser: '1e5', fromUser: TEST_WECOM.corpId, msgType: 'text' });
      expect(reply.content).toBe('您的请假申请已提交，编号 QJ-2026-0001。');
    });

    it('carries reply text with markup and "]]>" intact', async () => {
      handler.outcome = { kind: 'reply', reply: { text: '1 < 2 & 3 ]]> <xml>' } };
      const cb = signedCallback(textXml('帮助'), NOW);
      const reply = openReply(await (await post(cb.query, cb.body)).text());
      expect(reply.content).toBe('1 < 2 & 3 ]]> <xml>');
    });

    it('cuts a reply longer than 2048 bytes on a character boundary', async () => {
      handler.outcome = { kind: 'reply', reply: { text: '代'.repeat(1000) } };
      const cb = signedCallback(textXml('帮助'), NOW);
      const reply = openReply(await (await post(cb.query, cb.body)).text());
      expect(reply.content).toBe('代'.repeat(682));
    });

    it('answers an empty 200 when the answer goes out later', async () => {
      for (const kind of ['deferred', 'none'] as const) {
        handler.outcome = { kind };
        const cb = signedCallback(textXml('查询'), NOW);
        const res = await post(cb.query, cb.body);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('');
      }
      expect(handler.calls).toHaveLength(2);
    });

    it('answers 500 when the handler fails, so that WeCom sends the message again', async () => {
      handler.outcome = 'throw';
      const cb = signedCallback(textXml('帮助'), NOW);
      const before = await outcomeCount('error');
      const res = await post(cb.query, cb.body);
      expect(res.status).toBe(500);
      expect(await outcomeCount('error')).toBe(before + 1);
    });

    it('passes a menu click on as its command word', async () => {
      const cb = signedCallback(
        innerXml({ from: 'ZhaoLiu', fields: { MsgType: 'event', Event: 'click', EventKey: 'CMD_SUGGEST' } }),
        NOW,
      );
      expect((await post(cb.query, cb.body)).status).toBe(200);
      expect(handler.calls[0]!.msg).toMatchObject({ kind: 'event', text: '建议', senderId: 'ZhaoLiu' });
    });

    it('accepts a timestamp up to 300 s away', async () => {
      const ts = String(Math.floor(NOW.getTime() / 1000) + 300);
      const cb = signedCallback(textXml('帮助'), NOW, { timestamp: ts });
      expect((await post(cb.query, cb.body)).status).toBe(200);
      expect(handler.calls).toHaveLength(1);
    });

    it('refuses a wrong signature (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW, { signature: 'f'.repeat(40) });
      await expectRefused(() => post(cb.query, cb.body), 401, 'bad_signature');
    });

    it('refuses a body altered after signing (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      const other = encryptForTest(textXml('通知 全体 …'));
      await expectRefused(() => post(cb.query, cb.body.replace(cb.encrypt, other)), 401, 'bad_signature');
    });

    it('refuses a request without signature parameters (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      await expectRefused(() => post('', cb.body), 401, 'bad_signature');
    });

    it('refuses a message for another corp (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW, { receiveId: 'wwAnotherCorp0001' });
      await expectRefused(() => post(cb.query, cb.body), 401, 'wrong_receiver');
    });

    it('refuses a message for another app of the corp (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW, { agentId: '1000099' });
      await expectRefused(() => post(cb.query, cb.body), 401, 'wrong_receiver');
    });

    it('refuses timestamps more than 300 s from now, either way (401)', async () => {
      for (const offset of [-301, 301]) {
        logs.lines.length = 0;
        const ts = String(Math.floor(NOW.getTime() / 1000) + offset);
        const cb = signedCallback(textXml('帮助'), NOW, { timestamp: ts });
        await expectRefused(() => post(cb.query, cb.body), 401, 'stale_timestamp');
      }
    });

    it('refuses a replay once the clock has moved on (401)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      clock.advance(10 * 60_000);
      await expectRefused(() => post(cb.query, cb.body), 401, 'stale_timestamp');
    });

    it('refuses an envelope that is not XML (400)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      await expectRefused(() => post(cb.query, '{"Encrypt":"x"}'), 400, 'malformed');
    });

    it('refuses an envelope without Encrypt (400)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      const body = '<xml><ToUserName>x</ToUserName></xml>';
      await expectRefused(() => post(cb.query, body), 400, 'malformed');
    });

    it('refuses signed Encrypt that is not base64 or is truncated (400)', async () => {
      const good = encryptForTest(textXml('帮助'));
      for (const encrypt of ['%%%not-base64%%%', good.slice(0, good.length - 24)]) {
        logs.lines.length = 0;
        const cb = signedCallback(textXml('帮助'), NOW, { encrypt });
        await expectRefused(() => post(cb.query, cb.body), 400, 'malformed');
      }
    });

    it('refuses signed Encrypt with bad padding (400)', async () => {
      const body = plaintextLayout(textXml('帮助'));
      const fill = 32 - (body.length % 32);
      for (const last of [0, 33]) {
        logs.lines.length = 0;
        const pad = Buffer.alloc(fill, fill);
        pad[pad.length - 1] = last;
        const cb = signedCallback(textXml('帮助'), NOW, { encrypt: encryptWithRawPadding(body, pad) });
        await expectRefused(() => post(cb.query, cb.body), 400, 'malformed');
      }
    });

    it('refuses a decrypted message that is not a WeCom message (400)', async () => {
      for (const inner of ['not xml', '<xml><MsgType>text</MsgType></xml>']) {
        logs.lines.length = 0;
        const cb = signedCallback(inner, NOW);
        await expectRefused(() => post(cb.query, cb.body), 400, 'malformed');
      }
    });

    it('refuses a body over 1 MiB (413)', async () => {
      const cb = signedCallback(textXml('帮助'), NOW);
      const huge = cb.body.replace('</xml>', `<Pad>${'x'.repeat(1024 * 1024)}</Pad></xml>`);
      await expectRefused(() => post(cb.query, huge), 413, 'too_large');
    });

    it('never logs the message, the signature or the secrets', async () => {
      handler.outcome = { kind: 'reply', reply: { text: '回复内容-秘' } };
      const cb = signedCallback(textXml('我的秘密建议内容'), NOW);
      await post(cb.query, cb.body);
      const bad = signedCallback(textXml('另一条秘密内容'), NOW, { signature: 'a'.repeat(40) });
      await post(bad.query, bad.body);
      const all = logs.text;
      for (const secret of [
        '我的秘密建议内容',
        '另一条秘密内容',
        '回复内容-秘',
        cb.encrypt.slice(0, 40),
        sign(cb.timestamp, cb.nonce, cb.encrypt),
        TEST_WECOM.token,
        TEST_WECOM.encodingAesKey,
        TEST_WECOM.secret,
      ]) {
        expect(all).not.toContain(secret);
      }
    });
  });
});
