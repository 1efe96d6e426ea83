import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../../src/clock.ts';
import { FakeServer, readBody } from './fake-server.ts';

// A local stand-in for qyapi.weixin.qq.com, speaking the documented formats of gettoken, message/send,
// menu/create, appchat/send and the group robot webhook, with their errcodes. It records what was delivered, so a test
// asserts what a person would see. Tests can expire or invalidate tokens and inject failures.

export interface FakeWecomOptions {
  corpId: string;
  secret: string;
  agentId: number;
  /** The fake's own clock (token expiry, duplicate checks, robot limits). */
  clock?: Clock;
  /** Robot webhook keys that exist. */
  robotKeys?: string[];
  /** Chat ids of group chats the app created (appchat/create), which appchat/send reaches. */
  appchats?: string[];
  tokenLifetimeSec?: number;
}

export interface Delivery {
  touser: string;
  msgtype: string;
  /** text: the content; template_card: the card's title. */
  text: string;
  buttons?: { text: string; key: string }[];
  at: Date;
}

export interface RobotDelivery {
  key: string;
  text: string;
  mentioned: string[];
  at: Date;
}

export interface AppchatDelivery {
  chatid: string;
  text: string;
  at: Date;
}

export type Injected =
  | { kind: 'status'; status: number }
  | { kind: 'errcode'; errcode: number; errmsg?: string }
  /** Never answers (until the server closes): for timeout tests. */
  | { kind: 'hang' };

interface TokenState {
  expiresAt: number;
  revoked: boolean;
}

const TEXT_LIMIT = 2048;
const ROBOT_PER_MINUTE = 20;

export class FakeWecom extends FakeServer<Injected> {
  readonly opts: FakeWecomOptions;
  private readonly clock: Clock;

  readonly delivered: Delivery[] = [];
  readonly robotDelivered: RobotDelivery[] = [];
  readonly appchatDelivered: AppchatDelivery[] = [];
  readonly menus: { agentid: string; button: unknown }[] = [];
  /** Calls per path, including refused ones. */
  readonly calls = new Map<string, number>();
  /** Paths answered only after this many ms (a slow platform). */
  readonly slowMs = new Map<string, number>();
  /** Every request URL as received (tests check what travels where). */
  readonly requestLog: string[] = [];

  private readonly tokens = new Map<string, TokenState>();
  /** What media/get serves, by media_id (a member's photo, voice message or file). */
  private readonly media = new Map<string, { content: Buffer; contentType: string }>();
  private readonly duplicates = new Map<string, number>();
  private readonly robotSends = new Map<string, number[]>();

  constructor(opts: FakeWecomOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  /** Forgets deliveries, calls, duplicate checks, robot limits and pending injections (tokens stay). */
  reset(): void {
    this.delivered.length = 0;
    this.robotDelivered.length = 0;
    this.appchatDelivered.length = 0;
    this.menus.length = 0;
    this.calls.clear();
    this.requestLog.length = 0;
    this.duplicates.clear();
    this.robotSends.clear();
    this.clearInjected();
  }

  /** Every access token handed out (tests check none reaches a log line). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  count(path: string): number {
    return this.calls.get(path) ?? 0;
  }

  /** Every issued token runs out now (errcode 42001 from then on). */
  expireTokens(): void {
    const now = this.clock.now().getTime();
    for (const t of this.tokens.values()) t.expiresAt = now - 1;
  }

  /** Every issued token becomes invalid now (errcode 40014), as when the secret is reset. */
  invalidateTokens(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  /** Serves `content` as the media a member sent, under `mediaId`, until `stopServing`. */
  serveMedia(mediaId: string, content: Buffer, contentType = 'image/jpeg'): void {
    this.media.set(mediaId, { content, contentType });
  }

  /** The media_id expires (after three days WeCom answers errcode 40007). */
  stopServing(mediaId: string): void {
    this.media.delete(mediaId);
  }

  /** One-time sign-in codes (OAuth2 and web login) handed out, by code: the member and when it runs out. */
  private readonly loginCodes = new Map<string, { userid: string | null; expiresAt: number }>();

  /**
   * The code WeCom puts on the redirect after a member signs in (OAuth2 inside the client, or the web QR
   * login): single use, five minutes. `null`: someone outside the corp (getuserinfo answers an openid).
   */
  issueLoginCode(userid: string | null): string {
    const code = randomBytes(16).toString('hex');
    this.loginCodes.set(code, { userid, expiresAt: this.clock.now().getTime() + 300_000 });
    return code;
  }

  /** Messages a member received, in order. */
  inbox(userid: string): Delivery[] {
    return this.delivered.filter((d) => d.touser.toLowerCase() === userid.toLowerCase());
  }

  protected async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requestLog.push(req.url ?? '');
    const path = url.pathname;
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
    const body = await readBody(req);
    const slow = this.slowMs.get(path);
    if (slow) await new Promise((r) => setTimeout(r, slow));

    const failure = this.nextFailure(path);
    if (failure) {
      if (this.answerTransportFailure(res, failure)) return;
      return json(res, { errcode: failure.errcode, errmsg: failure.errmsg ?? 'injected failure' });
    }

    switch (path) {
      case '/cgi-bin/gettoken':
        return json(res, this.gettoken(url));
      case '/cgi-bin/message/send': {
        const denied = this.checkToken(url);
        return json(res, denied ?? this.messageSend(body));
      }
      case '/cgi-bin/appchat/send': {
        const denied = this.checkToken(url);
        return json(res, denied ?? this.appchatSend(body));
      }
      case '/cgi-bin/menu/create': {
        const denied = this.checkToken(url);
        return json(res, denied ?? this.menuCreate(url, body));
      }
      case '/cgi-bin/auth/getuserinfo': {
        const denied = this.checkToken(url);
        if (denied) return json(res, denied);
        const code = url.searchParams.get('code') ?? '';
        const issued = this.loginCodes.get(code);
        this.loginCodes.delete(code);
        if (!issued || issued.expiresAt <= this.clock.now().getTime())
          return json(res, err(40029, 'invalid code'));
        return json(
          res,
          issued.userid === null
            ? { errcode: 0, errmsg: 'ok', openid: `o${code.slice(0, 12)}`, external_userid: '' }
            : { errcode: 0, errmsg: 'ok', userid: issued.userid, user_ticket: '' },
        );
      }
      case '/cgi-bin/webhook/send':
        return json(res, this.webhookSend(url, body));
      case '/cgi-bin/media/get': {
        const denied = this.checkToken(url);
        if (denied) return json(res, denied);
        const m = this.media.get(url.searchParams.get('media_id') ?? '');
        if (!m) return json(res, err(40007, 'invalid media_id'));
        res.statusCode = 200;
        res.setHeader('content-type', m.contentType);
        res.setHeader('content-disposition', 'attachment; filename="media"');
        res.setHeader('content-length', String(m.content.length));
        res.end(m.content);
        return;
      }
      default:
        res.statusCode = 404;
        res.end('not found');
    }
  }

  private gettoken(url: URL): Record<string, unknown> {
    if (url.searchParams.get('corpid') !== this.opts.corpId) return err(40013, 'invalid corpid');
    if (url.searchParams.get('corpsecret') !== this.opts.secret) return err(40001, 'invalid credential');
    const token = randomBytes(24).toString('hex');
    const lifetime = this.opts.tokenLifetimeSec ?? 7200;
    this.tokens.set(token, { expiresAt: this.clock.now().getTime() + lifetime * 1000, revoked: false });
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: lifetime };
  }

  private checkToken(url: URL): Record<string, unknown> | undefined {
    const token = url.searchParams.get('access_token');
    if (!token) return err(41001, 'access_token missing');
    const state = this.tokens.get(token);
    if (!state || state.revoked) return err(40014, 'invalid access_token');
    if (state.expiresAt <= this.clock.now().getTime()) return err(42001, 'access_token expired');
    return undefined;
  }

  private messageSend(raw: string): Record<string, unknown> {
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return err(40035, 'invalid json');
    }
    if (Number(b.agentid) !== this.opts.agentId) return err(40056, 'invalid agentid');
    const touser = typeof b.touser === 'string' ? b.touser : '';
    if (touser === '') return err(40031, 'invalid userid list');
    let delivery: Omit<Delivery, 'touser' | 'at'>;
    if (b.msgtype === 'text') {
      const content = (b.text as { content?: unknown } | undefined)?.content;
      if (typeof content !== 'string' || content === '') return err(44004, 'empty content');
      // Refused loudly rather than cut, so an over-long message shows in tests.
      if (Buffer.byteLength(content, 'utf8') > TEXT_LIMIT) return err(45002, 'content size out of limit');
      delivery = { msgtype: 'text', text: content };
    } else if (b.msgtype === 'template_card') {
      const card = b.template_card as
        | { card_type?: string; main_title?: { title?: string }; task_id?: string; button_list?: unknown }
        | undefined;
      const buttons = Array.isArray(card?.button_list)
        ? (card.button_list as { text?: unknown; key?: unknown }[])
        : [];
      if (
        card?.card_type !== 'button_interaction' ||
        !card.task_id ||
        !/^[A-Za-z0-9_\-@]{1,128}$/.test(card.task_id) ||
        buttons.length < 1 ||
        buttons.length > 6 ||
        buttons.some((x) => typeof x.text !== 'string' || typeof x.key !== 'string')
      ) {
        return err(40058, 'invalid template_card');
      }
      delivery = {
        msgtype: 'template_card',
        text: card.main_title?.title ?? '',
        buttons: buttons.map((x) => ({ text: String(x.text), key: String(x.key) })),
      };
    } else {
      return err(40008, 'invalid message type');
    }

    // enable_duplicate_check: the same request within the interval is accepted but not delivered again.
    if (b.enable_duplicate_check === 1) {
      const interval = Number(b.duplicate_check_interval ?? 1800) * 1000;
      const key = raw;
      const seen = this.duplicates.get(key);
      const now = this.clock.now().getTime();
      if (seen !== undefined && now - seen < interval) return { errcode: 0, errmsg: 'ok', msgid: '' };
      this.duplicates.set(key, now);
    }
    for (const user of touser.split('|'))
      this.delivered.push({ touser: user, ...delivery, at: this.clock.now() });
    return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: randomBytes(8).toString('hex') };
  }

  private menuCreate(url: URL, raw: string): Record<string, unknown> {
    if (url.searchParams.get('agentid') !== String(this.opts.agentId)) return err(40056, 'invalid agentid');
    let b: { button?: unknown };
    try {
      b = JSON.parse(raw) as { button?: unknown };
    } catch {
      return err(40035, 'invalid json');
    }
    const buttons = Array.isArray(b.button) ? (b.button as Record<string, unknown>[]) : [];
    if (buttons.length < 1 || buttons.length > 3) return err(40016, 'invalid button size');
    for (const top of buttons) {
      if (Buffer.byteLength(String(top.name ?? ''), 'utf8') > 16 || !top.name)
        return err(40018, 'invalid button name');
      if (Array.isArray(top.sub_button)) {
        const subs = top.sub_button as Record<string, unknown>[];
        if (subs.length < 1 || subs.length > 5) return err(40023, 'invalid sub button size');
        for (const s of subs) {
          if (!s.name || Buffer.byteLength(String(s.name), 'utf8') > 40)
            return err(40025, 'invalid sub button name');
          if (s.type !== 'click' || !s.key || Buffer.byteLength(String(s.key), 'utf8') > 128) {
            return err(40026, 'invalid sub button key');
          }
        }
      } else if (top.type !== 'click' || !top.key || Buffer.byteLength(String(top.key), 'utf8') > 128) {
        return err(40019, 'invalid button key');
      }
    }
    this.menus.push({ agentid: String(this.opts.agentId), button: b.button });
    return { errcode: 0, errmsg: 'ok' };
  }

  private appchatSend(raw: string): Record<string, unknown> {
    let b: { chatid?: unknown; msgtype?: unknown; text?: { content?: unknown } };
    try {
      b = JSON.parse(raw) as typeof b;
    } catch {
      return err(40035, 'invalid json');
    }
    const chatid = typeof b.chatid === 'string' ? b.chatid : '';
    if (!(this.opts.appchats ?? []).includes(chatid)) return err(86003, 'invalid chatid');
    if (b.msgtype !== 'text') return err(40008, 'invalid message type');
    const content = b.text?.content;
    if (typeof content !== 'string' || content === '') return err(44004, 'empty content');
    if (Buffer.byteLength(content, 'utf8') > TEXT_LIMIT) return err(45002, 'content size out of limit');
    this.appchatDelivered.push({ chatid, text: content, at: this.clock.now() });
    return { errcode: 0, errmsg: 'ok' };
  }

  private webhookSend(url: URL, raw: string): Record<string, unknown> {
    const key = url.searchParams.get('key') ?? '';
    if (!(this.opts.robotKeys ?? []).includes(key)) return err(93000, 'invalid webhook url');
    const now = this.clock.now().getTime();
    const recent = (this.robotSends.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= ROBOT_PER_MINUTE) {
      this.robotSends.set(key, recent);
      return err(45009, 'api freq out of limit');
    }
    let b: { msgtype?: unknown; text?: { content?: unknown; mentioned_list?: unknown } };
    try {
      b = JSON.parse(raw) as typeof b;
    } catch {
      return err(40035, 'invalid json');
    }
    if (b.msgtype !== 'text') return err(40008, 'invalid message type');
    const content = b.text?.content;
    if (typeof content !== 'string' || content === '') return err(44004, 'empty content');
    if (Buffer.byteLength(content, 'utf8') > TEXT_LIMIT) return err(45002, 'content size out of limit');
    recent.push(now);
    this.robotSends.set(key, recent);
    const mentioned = Array.isArray(b.text?.mentioned_list) ? (b.text.mentioned_list as string[]) : [];
    this.robotDelivered.push({ key, text: content, mentioned, at: this.clock.now() });
    return { errcode: 0, errmsg: 'ok' };
  }
}

const err = (errcode: number, errmsg: string) => ({ errcode, errmsg: `${errmsg}, hint: [fake]` });

function json(res: ServerResponse, body: unknown): void {
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json; charset=UTF-8');
  res.end(JSON.stringify(body));
}

export async function startFakeWecom(opts: FakeWecomOptions): Promise<FakeWecom> {
  return new FakeWecom(opts).start();
}
