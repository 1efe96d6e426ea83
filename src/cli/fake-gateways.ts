import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

// Local stand-ins for the two outbound-only gateways, speaking their documented frames: WeCom's
// intelligent robot long connection (aibot_subscribe, aibot_msg_callback, aibot_event_callback,
// aibot_respond_msg, aibot_send_msg, ping) and DingTalk Stream (connections/open → endpoint + ticket,
// SYSTEM ping, CALLBACK frames acknowledged by messageId, replies to the sessionWebhook). `simulate`
// drives them so a newcomer can try either mode without an account; the tests drive them too.

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** What both gateways share: an HTTP server that upgrades to WebSocket, and the sockets it holds. */
abstract class FakeGateway {
  protected abstract readonly server: Server;
  protected readonly wss = new WebSocketServer({ noServer: true });
  protected readonly sockets = new Set<WebSocket>();

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** Polls `check` until it returns something (or throws after `ms`). */
export async function waitFor<T>(check: () => T | undefined | false, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Encrypts as WeCom does for robot downloads: AES-256-CBC, IV = key's first 16 bytes, PKCS#7 to 32. */
export function encryptAibotMedia(plain: Buffer, aeskey: string): Buffer {
  const key = Buffer.from(aeskey, 'base64');
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]);
}

export interface AibotAnswer {
  cmd: string;
  reqId: string;
  body: Record<string, unknown>;
}

export class FakeWecomAibotGateway extends FakeGateway {
  url = '';
  httpUrl = '';
  readonly logins: { botId: string; ok: boolean }[] = [];
  /** Every aibot_respond_msg / aibot_respond_welcome_msg, in order. */
  readonly answers: AibotAnswer[] = [];
  /** Every aibot_send_msg: chatid and content. */
  readonly pushes: { chatid: string; content: string }[] = [];
  pings = 0;
  protected readonly server = createServer((req, res) => this.serveMedia(req, res));
  private readonly authed = new Set<WebSocket>();
  private readonly media = new Map<string, Buffer>();

  readonly botId: string;
  readonly secret: string;

  constructor(botId: string, secret: string) {
    super();
    this.botId = botId;
    this.secret = secret;
    this.server.on('upgrade', (req, socket, head) =>
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws)),
    );
  }

  async start(): Promise<this> {
    const port = await listen(this.server);
    this.url = `ws://127.0.0.1:${port}`;
    this.httpUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** How many logged-in connections are open now. */
  get live(): number {
    return this.authed.size;
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.authed.delete(ws);
    });
    ws.on('message', (data) => {
      let f: { cmd?: string; headers?: { req_id?: string }; body?: Record<string, unknown> };
      try {
        f = JSON.parse(data.toString());
      } catch {
        return;
      }
      const reqId = f.headers?.req_id ?? '';
      const answer = (errcode: number, errmsg = 'ok') =>
        ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));
      if (f.cmd === 'aibot_subscribe') {
        const ok = f.body?.bot_id === this.botId && f.body?.secret === this.secret;
        this.logins.push({ botId: String(f.body?.bot_id ?? ''), ok });
        if (!ok) return answer(40058, 'invalid bot_id or secret');
        // A newer connection displaces the older ones (WeCom's rule).
        for (const other of this.authed) {
          other.send(
            JSON.stringify({
              cmd: 'aibot_event_callback',
              headers: { req_id: `evt_${randomUUID()}` },
              body: this.body('x', { msgtype: 'event', event: { eventtype: 'disconnected_event' } }),
            }),
          );
          this.authed.delete(other);
          setTimeout(() => other.terminate(), 50).unref();
        }
        this.authed.add(ws);
        return answer(0);
      }
      if (!this.authed.has(ws)) return answer(40001, 'not subscribed');
      if (f.cmd === 'ping') {
        this.pings++;
        return answer(0);
      }
      if (f.cmd === 'aibot_respond_msg' || f.cmd === 'aibot_respond_welcome_msg') {
        this.answers.push({ cmd: f.cmd, reqId, body: f.body ?? {} });
        return answer(0);
      }
      if (f.cmd === 'aibot_send_msg') {
        const md = f.body?.markdown as { content?: string } | undefined;
        this.pushes.push({ chatid: String(f.body?.chatid ?? ''), content: md?.content ?? '' });
        return answer(0);
      }
      answer(40004, 'unknown cmd');
    });
  }

  private body(userid: string, extra: Record<string, unknown>, chatid?: string): Record<string, unknown> {
    return {
      msgid: `msg${randomBytes(8).toString('hex')}`,
      aibotid: this.botId,
      ...(chatid ? { chatid, chattype: 'group' } : { chattype: 'single' }),
      from: { userid },
      create_time: Math.floor(Date.now() / 1000),
      ...extra,
    };
  }

  /** Pushes a frame to the logged-in connection; returns its req_id and msgid (undefined when none is up). */
  deliver(
    userid: string,
    extra: Record<string, unknown>,
    opts: { chatid?: string; msgid?: string; reqId?: string; cmd?: string } = {},
  ): { reqId: string; msgid: string } | undefined {
    const ws = [...this.authed][0];
    if (!ws) return undefined;
    const body = this.body(userid, extra, opts.chatid);
    if (opts.msgid) body.msgid = opts.msgid;
    const reqId = opts.reqId ?? `req_${randomUUID()}`;
    ws.send(JSON.stringify({ cmd: opts.cmd ?? 'aibot_msg_callback', headers: { req_id: reqId }, body }));
    return { reqId, msgid: String(body.msgid) };
  }

  text(userid: string, content: string, opts: { chatid?: string; msgid?: string; reqId?: string } = {}) {
    return this.deliver(userid, { msgtype: 'text', text: { content } }, opts);
  }

  /** Serves `plain` encrypted with a fresh key and sends an image frame pointing at it. */
  image(userid: string, plain: Buffer) {
    const aeskey = randomBytes(32).toString('base64');
    const name = randomBytes(8).toString('hex');
    this.media.set(name, encryptAibotMedia(plain, aeskey));
    return this.deliver(userid, {
      msgtype: 'image',
      image: { url: `${this.httpUrl}/media/${name}`, aeskey },
    });
  }

  /**
   * The text of the answer to a frame (stream content, or a welcome's text); when it was not ready in
   * time, what was pushed later to `chatid` (the group, or the person's userid).
   */
  answerTo(reqId: string, chatid?: string): string | undefined {
    const a = this.answers.find((x) => x.reqId === reqId);
    if (!a) return chatid ? this.pushes.find((p) => p.chatid === chatid)?.content : undefined;
    const stream = a.body.stream as { content?: string } | undefined;
    const text = a.body.text as { content?: string } | undefined;
    return stream?.content ?? text?.content ?? '';
  }

  /** Drops every connection (a network cut). */
  drop(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  private serveMedia(req: IncomingMessage, res: ServerResponse): void {
    const name = (req.url ?? '').replace(/^\/media\//, '');
    const content = this.media.get(name);
    if (!content) {
      json(res, 404, { errcode: 404 });
      return;
    }
    res.setHeader('content-type', 'application/octet-stream');
    res.end(content);
  }
}

export class FakeDingtalkStreamGateway extends FakeGateway {
  url = '';
  readonly opens: { clientId: string; ok: boolean }[] = [];
  /** Frames pushed and not yet acknowledged, by messageId. */
  readonly unacked = new Map<string, string>();
  readonly acked: string[] = [];
  /** Answers sent later through the robot's API: to a userid or an openConversationId. */
  readonly later: { to: string; text: string }[] = [];
  /** Answers posted to sessionWebhooks: the session and the message. */
  readonly replies: { session: string; body: Record<string, unknown> }[] = [];
  pongs = 0;
  protected readonly server = createServer((req, res) => {
    this.route(req, res).catch(() => json(res, 500, {}));
  });
  private readonly tickets = new Set<string>();

  readonly clientId: string;
  readonly clientSecret: string;

  constructor(clientId: string, clientSecret: string) {
    super();
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.server.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      if (!this.tickets.delete(ticket)) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  async start(): Promise<this> {
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this;
  }

  get live(): number {
    return this.sockets.size;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname === '/v1.0/gateway/connections/open') {
      const b = (await readJson(req)) as { clientId?: string; clientSecret?: string } | null;
      const ok = b?.clientId === this.clientId && b?.clientSecret === this.clientSecret;
      this.opens.push({ clientId: String(b?.clientId ?? ''), ok });
      if (!ok) return json(res, 401, { code: 'InvalidAuthentication', message: '认证失败' });
      const ticket = randomUUID();
      this.tickets.add(ticket);
      return json(res, 200, { endpoint: `${this.url.replace(/^http/, 'ws')}/connect`, ticket });
    }
    // The robot's API, for answers that go later (oToMessages/batchSend, groupMessages/send).
    if (req.method === 'POST' && url.pathname === '/v1.0/oauth2/accessToken') {
      return json(res, 200, { accessToken: randomUUID(), expireIn: 7200 });
    }
    if (
      req.method === 'POST' &&
      (url.pathname === '/v1.0/robot/oToMessages/batchSend' ||
        url.pathname === '/v1.0/robot/groupMessages/send')
    ) {
      const b = (await readJson(req)) as {
        userIds?: string[];
        openConversationId?: string;
        msgParam?: string;
      } | null;
      const param = JSON.parse(b?.msgParam ?? '{}') as { content?: string; text?: string };
      for (const to of b?.userIds ?? [b?.openConversationId ?? '']) {
        this.later.push({ to, text: param.content ?? param.text ?? '' });
      }
      return json(res, 200, {
        processQueryKey: randomUUID(),
        invalidStaffIdList: [],
        flowControlledStaffIdList: [],
      });
    }
    if (req.method === 'POST' && url.pathname === '/robot/sendBySession') {
      const body = (await readJson(req)) as Record<string, unknown>;
      this.replies.push({ session: url.searchParams.get('session') ?? '', body });
      return json(res, 200, { errcode: 0, errmsg: 'ok' });
    }
    json(res, 404, { code: 'NotFound' });
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let f: { code?: number; headers?: { messageId?: string; topic?: string } };
      try {
        f = JSON.parse(data.toString());
      } catch {
        return;
      }
      const id = f.headers?.messageId;
      if (f.headers?.topic === 'ping') {
        this.pongs++;
        return;
      }
      if (f.code === 200 && id && this.unacked.delete(id)) this.acked.push(id);
    });
  }

  /** A robot message body as the HTTP callback carries it. */
  robotBody(
    staffId: string,
    text: string,
    opts: { group?: string; msgId?: string } = {},
  ): Record<string, unknown> {
    const session = randomBytes(8).toString('hex');
    return {
      conversationId: opts.group ?? `cid${randomBytes(8).toString('hex')}`,
      ...(opts.group ? { conversationTitle: '代表小组' } : {}),
      chatbotUserId: '$:LWCP_v1:$robot',
      msgId: opts.msgId ?? `msg${randomBytes(8).toString('hex')}`,
      senderNick: '代表',
      senderStaffId: staffId,
      senderId: `$:LWCP_v1:$${staffId}`,
      conversationType: opts.group ? '2' : '1',
      sessionWebhook: `${this.url}/robot/sendBySession?session=${session}`,
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      createAt: Date.now(),
      robotCode: this.clientId,
      msgtype: 'text',
      text: { content: opts.group ? `@人大代表助手 ${text}` : text },
    };
  }

  /** Pushes a CALLBACK frame of the robot topic; returns its messageId (undefined when none is connected). */
  push(body: Record<string, unknown>, messageId: string = randomUUID()): string | undefined {
    const ws = [...this.sockets][0];
    if (!ws) return undefined;
    const data = JSON.stringify(body);
    this.unacked.set(messageId, data);
    ws.send(
      JSON.stringify({
        specVersion: '1.0',
        type: 'CALLBACK',
        headers: {
          appId: this.clientId,
          connectionId: 'conn',
          contentType: 'application/json',
          messageId,
          time: String(Date.now()),
          topic: '/v1.0/im/bot/messages/get',
        },
        data,
      }),
    );
    return messageId;
  }

  /** Pushes again every frame not acknowledged (DingTalk does so for about a minute). */
  redeliver(): number {
    const ws = [...this.sockets][0];
    if (!ws) return 0;
    let n = 0;
    for (const [messageId, data] of [...this.unacked]) {
      n++;
      const body = JSON.parse(data) as Record<string, unknown>;
      this.unacked.delete(messageId);
      this.push(body, messageId);
    }
    return n;
  }

  /** A SYSTEM ping; the client must answer it with the same headers. */
  ping(): void {
    for (const ws of this.sockets) {
      ws.send(
        JSON.stringify({
          specVersion: '1.0',
          type: 'SYSTEM',
          headers: { topic: 'ping', messageId: randomUUID(), contentType: 'application/json' },
          data: JSON.stringify({ opaque: randomUUID() }),
        }),
      );
    }
  }

  /**
   * The text of the answer to a message: posted to its session, or (when it was not ready in time) sent
   * later through the API to the group or the person.
   */
  replyFor(body: Record<string, unknown>): string | undefined {
    const session = new URL(String(body.sessionWebhook)).searchParams.get('session');
    const r = this.replies.find((x) => x.session === session);
    if (!r) {
      const to = body.conversationType === '2' ? body.conversationId : body.senderStaffId;
      return this.later.find((x) => x.to === to)?.text;
    }
    const text = r.body.text as { content?: string } | undefined;
    const md = r.body.markdown as { text?: string } | undefined;
    return text?.content ?? md?.text ?? '';
  }

  drop(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}
