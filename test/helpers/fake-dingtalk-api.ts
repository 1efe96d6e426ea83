import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../../src/clock.ts';
import { FakeServer, readBody } from './fake-server.ts';

// A local stand-in for api.dingtalk.com (new-version API), speaking the documented formats of
// POST /v1.0/oauth2/accessToken, /v1.0/robot/oToMessages/batchSend and /v1.0/robot/groupMessages/send:
// JSON in and out, errors as HTTP 4xx/5xx with {code, requestid, message}. It records what was delivered,
// so tests assert what a person or a group would see. Tests can expire tokens and inject failures.

export interface FakeDingtalkOptions {
  appKey: string;
  appSecret: string;
  robotCode: string;
  clock?: Clock;
  tokenLifetimeSec?: number;
  /** userids in the organisation; others come back in invalidStaffIdList. Unset: everyone exists. */
  staff?: string[];
  /** openConversationIds of groups the robot is in. Unset: any id starting with "cid". */
  conversations?: string[];
}

export interface DingtalkDelivery {
  /** userId for one-to-one messages, openConversationId for groups. */
  to: string;
  msgKey: string;
  /** sampleText content, or sampleMarkdown text. */
  text: string;
  title?: string;
  /** For markdown: the commands behind the tappable lines (dtmd sendMessage links). */
  commands?: string[];
  at: Date;
}

export type DingtalkInjected =
  /** An HTTP status with an HTML page (a gateway error). */
  | { kind: 'status'; status: number }
  /** A DingTalk error answer. */
  | { kind: 'error'; status: number; code: string; message?: string }
  /** Never answers (until the server closes). */
  | { kind: 'hang' };

export const TOKEN_PATH = '/v1.0/oauth2/accessToken';
export const BATCH_SEND_PATH = '/v1.0/robot/oToMessages/batchSend';
export const GROUP_SEND_PATH = '/v1.0/robot/groupMessages/send';
export const DOWNLOAD_PATH = '/v1.0/robot/messageFiles/download';
/** Where the fake's short-lived download addresses live (DingTalk's are on its file storage). */
const FILE_PATH_PREFIX = '/fake-files/';

/** msgKeys of the robot message templates (消息模板) the fake knows. */
const MSG_KEYS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'picUrl', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
};

export class FakeDingtalkApi extends FakeServer<DingtalkInjected> {
  readonly opts: FakeDingtalkOptions;
  private readonly clock: Clock;

  readonly delivered: DingtalkDelivery[] = [];
  readonly groupDelivered: DingtalkDelivery[] = [];
  readonly calls = new Map<string, number>();
  /** Every batchSend's userIds (tests check how lists were split). */
  readonly batches: string[][] = [];
  /** userIds DingTalk holds back (flowControlledStaffIdList) from now on. */
  readonly flowControlled = new Set<string>();

  private readonly tokens = new Map<string, { expiresAt: number }>();
  /** What messageFiles/download serves, by downloadCode (a picture, voice message or file sent to the robot). */
  private readonly files = new Map<string, { content: Buffer; contentType: string }>();
  /** Short-lived download addresses handed out: their path → downloadCode. */
  private readonly downloads = new Map<string, string>();

  constructor(opts: FakeDingtalkOptions) {
    super();
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  /** Forgets deliveries, calls and injections (issued tokens stay valid). */
  reset(): void {
    this.delivered.length = 0;
    this.groupDelivered.length = 0;
    this.batches.length = 0;
    this.calls.clear();
    this.clearInjected();
    this.flowControlled.clear();
  }

  count(path: string): number {
    return this.calls.get(path) ?? 0;
  }

  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Every issued token runs out now. */
  expireTokens(): void {
    const now = this.clock.now().getTime();
    for (const t of this.tokens.values()) t.expiresAt = now - 1;
  }

  /** Serves `content` as a file sent to the robot, under `downloadCode`, until `stopServing`. */
  serveFile(downloadCode: string, content: Buffer, contentType = 'image/png'): void {
    this.files.set(downloadCode, { content, contentType });
  }

  /** The downloadCode (and every address handed out for it) no longer works. */
  stopServing(downloadCode: string): void {
    this.files.delete(downloadCode);
  }

  /** Sign-in: authCodes handed out (single use, five minutes) and the user tokens they became. */
  private readonly authCodes = new Map<string, { userid: string; expiresAt: number }>();
  private readonly userTokens = new Map<string, string>();

  /** The authCode DingTalk puts on the redirect after a member signs in (免登 in the client, or the QR). */
  issueAuthCode(userid: string): string {
    const code = randomBytes(16).toString('hex');
    this.authCodes.set(code, { userid, expiresAt: this.clock.now().getTime() + 300_000 });
    return code;
  }

  private static unionIdOf(userid: string): string {
    return `union-${Buffer.from(userid).toString('hex')}`;
  }

  /**
   * POST /v1.0/oauth2/userAccessToken, GET /v1.0/contact/users/me, and on the oapi origin
   * POST /topapi/user/getbyunionid (with the app's token). True when it answered.
   */
  private signInRoute(req: IncomingMessage, res: ServerResponse, path: string, raw: string): boolean {
    if (path === '/v1.0/oauth2/userAccessToken' && req.method === 'POST') {
      const b = JSON.parse(raw || '{}') as Record<string, unknown>;
      if (b.clientId !== this.opts.appKey || b.clientSecret !== this.opts.appSecret) {
        error(res, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
        return true;
      }
      const issued = this.authCodes.get(String(b.code ?? ''));
      this.authCodes.delete(String(b.code ?? ''));
      if (b.grantType !== 'authorization_code' || !issued || issued.expiresAt <= this.clock.now().getTime()) {
        error(res, 400, 'invalidAuthCode', '临时授权码无效或已过期');
        return true;
      }
      const token = randomBytes(16).toString('hex');
      this.userTokens.set(token, issued.userid);
      json(res, 200, { accessToken: token, refreshToken: randomBytes(8).toString('hex'), expireIn: 7200 });
      return true;
    }
    if (path === '/v1.0/contact/users/me' && req.method === 'GET') {
      const token = req.headers['x-acs-dingtalk-access-token'];
      const userid = typeof token === 'string' ? this.userTokens.get(token) : undefined;
      if (!userid) {
        error(res, 401, 'InvalidAuthentication', '不合法的access_token');
        return true;
      }
      json(res, 200, { nick: userid, unionId: FakeDingtalkApi.unionIdOf(userid), openId: `open-${userid}` });
      return true;
    }
    if (path === '/topapi/user/getbyunionid' && req.method === 'POST') {
      const url = new URL(req.url ?? '/', 'http://fake');
      const state = this.tokens.get(url.searchParams.get('access_token') ?? '');
      if (!state || state.expiresAt <= this.clock.now().getTime()) {
        json(res, 200, { errcode: 40014, errmsg: '不合法的access_token' });
        return true;
      }
      const b = JSON.parse(raw || '{}') as Record<string, unknown>;
      const userid = [...this.userTokens.values()].find((u) => FakeDingtalkApi.unionIdOf(u) === b.unionid);
      json(
        res,
        200,
        userid === undefined
          ? { errcode: 60121, errmsg: '找不到该用户' }
          : { errcode: 0, errmsg: 'ok', result: { contact_type: 0, userid } },
      );
      return true;
    }
    return false;
  }

  /** What reached a person's one-to-one chat with the robot, in order. */
  inbox(userId: string): DingtalkDelivery[] {
    return this.delivered.filter((d) => d.to === userId);
  }

  /** What reached a group through the robot, in order. */
  groupInbox(openConversationId: string): DingtalkDelivery[] {
    return this.groupDelivered.filter((d) => d.to === openConversationId);
  }

  protected async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
    const raw = await readBody(req);

    const failure = this.nextFailure(path);
    if (failure) {
      if (this.answerTransportFailure(res, failure)) return;
      return error(res, failure.status, failure.code, failure.message ?? 'injected failure');
    }
    if (this.signInRoute(req, res, path, raw)) return;
    if (req.method === 'GET' && path.startsWith(FILE_PATH_PREFIX)) return this.fileBytes(res, path);
    if (req.method !== 'POST') return error(res, 404, 'NotFound', 'not found');

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return error(res, 400, 'MissingBody', 'body is mandatory for this action.');
    }

    switch (path) {
      case TOKEN_PATH:
        return this.accessToken(res, body);
      case BATCH_SEND_PATH:
      case GROUP_SEND_PATH:
      case DOWNLOAD_PATH: {
        const token = req.headers['x-acs-dingtalk-access-token'];
        const state = typeof token === 'string' ? this.tokens.get(token) : undefined;
        if (!state || state.expiresAt <= this.clock.now().getTime()) {
          return error(res, 400, 'InvalidAuthentication', '不合法的access_token');
        }
        if (path === DOWNLOAD_PATH) return this.download(res, body);
        return path === BATCH_SEND_PATH ? this.batchSend(res, body) : this.groupSend(res, body);
      }
      default:
        return error(res, 404, 'NotFound', 'not found');
    }
  }

  /** messageFiles/download: a downloadUrl for a downloadCode the robot received. */
  private download(res: ServerResponse, b: Record<string, unknown>) {
    if (b.robotCode !== this.opts.robotCode) return error(res, 400, 'robot.not.exist', '机器人不存在');
    const code = typeof b.downloadCode === 'string' ? b.downloadCode : '';
    if (!this.files.has(code)) {
      return error(res, 400, 'invalidParameter.downloadCode.invalid', 'downloadCode 无效或已过期');
    }
    const path = `${FILE_PATH_PREFIX}${randomBytes(12).toString('hex')}`;
    this.downloads.set(path, code);
    return json(res, 200, { downloadUrl: `${this.url}${path}` });
  }

  private fileBytes(res: ServerResponse, path: string) {
    const file = this.files.get(this.downloads.get(path) ?? '');
    if (!file) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-length', String(file.content.length));
    res.end(file.content);
  }

  private accessToken(res: ServerResponse, b: Record<string, unknown>) {
    if (b.appKey !== this.opts.appKey || b.appSecret !== this.opts.appSecret) {
      return error(res, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    }
    const token = randomBytes(16).toString('hex');
    const lifetime = this.opts.tokenLifetimeSec ?? 7200;
    this.tokens.set(token, { expiresAt: this.clock.now().getTime() + lifetime * 1000 });
    return json(res, 200, { accessToken: token, expireIn: lifetime });
  }

  /** Checks robotCode, msgKey and msgParam; returns the delivery's content or sends the error. */
  private message(
    res: ServerResponse,
    b: Record<string, unknown>,
  ): Omit<DingtalkDelivery, 'to' | 'at'> | null {
    if (b.robotCode !== this.opts.robotCode) {
      error(res, 400, 'robot.not.exist', '机器人不存在');
      return null;
    }
    const msgKey = typeof b.msgKey === 'string' ? b.msgKey : '';
    const fields = MSG_KEYS[msgKey];
    if (!fields) {
      error(res, 400, 'invalidParameter.msgKey.invalid', 'msgKey 不合法');
      return null;
    }
    let param: Record<string, unknown>;
    try {
      param = JSON.parse(String(b.msgParam)) as Record<string, unknown>;
    } catch {
      error(res, 400, 'invalidParameter.msgParam.invalid', 'msgParam 不是合法的 JSON');
      return null;
    }
    if (fields.some((f) => typeof param[f] !== 'string' || param[f] === '')) {
      error(res, 400, 'invalidParameter.msgParam.invalid', 'msgParam 缺少必填字段');
      return null;
    }
    if (msgKey === 'sampleText') return { msgKey, text: String(param.content) };
    const text = String(param.text ?? '');
    const commands = [...text.matchAll(/\(dtmd:\/\/dingtalkclient\/sendMessage\?content=([^)]*)\)/g)].map(
      (m) => decodeURIComponent(m[1]!),
    );
    return { msgKey, text, title: String(param.title ?? ''), ...(commands.length > 0 ? { commands } : {}) };
  }

  private batchSend(res: ServerResponse, b: Record<string, unknown>) {
    const userIds = Array.isArray(b.userIds) ? (b.userIds as unknown[]) : [];
    if (userIds.length === 0 || userIds.some((u) => typeof u !== 'string' || u === '')) {
      return error(res, 400, 'invalidParameter.userIds.empty', 'userIds 不能为空');
    }
    if (userIds.length > 20) return error(res, 400, 'invalidParameter.userIds.invalid', 'userIds 最多 20 个');
    const content = this.message(res, b);
    if (!content) return;
    const ids = userIds as string[];
    this.batches.push(ids);
    const invalid = this.opts.staff ? ids.filter((u) => !this.opts.staff!.includes(u)) : [];
    const held = ids.filter((u) => this.flowControlled.has(u) && !invalid.includes(u));
    for (const u of ids) {
      if (!invalid.includes(u) && !held.includes(u))
        this.delivered.push({ to: u, ...content, at: this.clock.now() });
    }
    return json(res, 200, {
      processQueryKey: randomBytes(12).toString('base64'),
      invalidStaffIdList: invalid,
      flowControlledStaffIdList: held,
    });
  }

  private groupSend(res: ServerResponse, b: Record<string, unknown>) {
    const id = typeof b.openConversationId === 'string' ? b.openConversationId : '';
    const known = this.opts.conversations ? this.opts.conversations.includes(id) : id.startsWith('cid');
    if (!known)
      return error(res, 400, 'invalidParameter.openConversationId.invalid', '群会话不存在或机器人不在群中');
    const content = this.message(res, b);
    if (!content) return;
    this.groupDelivered.push({ to: id, ...content, at: this.clock.now() });
    return json(res, 200, { processQueryKey: randomBytes(12).toString('base64') });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json;charset=utf-8');
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { code, requestid: randomBytes(8).toString('hex').toUpperCase(), message });
}

export async function startFakeDingtalkApi(opts: FakeDingtalkOptions): Promise<FakeDingtalkApi> {
  return new FakeDingtalkApi(opts).start();
}
