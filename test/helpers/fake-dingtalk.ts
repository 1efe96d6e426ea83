import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../../src/clock.ts';
import { FakeServer, readBody } from './fake-server.ts';

// A local stand-in for oapi.dingtalk.com's custom group robots: POST /robot/send?access_token=…
// [&timestamp=…&sign=…], checking the signature and its age (one hour), dropping a repeated msgUuid,
// and enforcing 20 messages a minute per robot, after which the robot is blocked for ten minutes
// (errcode 130101). The signature is computed here on its own, not with the app's code. Tests can inject
// failures.

export interface FakeRobot {
  token: string;
  /** The signing secret (加签), or none. */
  secret?: string;
}

export interface RobotMessage {
  token: string;
  text: string;
  msgUuid: string | undefined;
  at: Date;
}

type Injected =
  | { kind: 'status'; status: number }
  | { kind: 'errcode'; errcode: number }
  /** Delivers, then never answers (a send whose outcome the caller cannot know). */
  | { kind: 'late' };

const PER_MINUTE = 20;
const BLOCK_MS = 10 * 60_000;

export class FakeDingtalk extends FakeServer<Injected> {
  private readonly clock: Clock;
  private readonly robots: Map<string, FakeRobot>;
  readonly delivered: RobotMessage[] = [];
  /** Replies posted to a conversation's sessionWebhook (/robot/sendBySession?session=…). */
  readonly sessionDelivered: { session: string; text: string }[] = [];
  /** Every answer given, by errcode (0 for success). */
  readonly answers: { token: string; errcode: number }[] = [];
  private readonly sends = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(robots: FakeRobot[], clock: Clock = systemClock) {
    super();
    this.robots = new Map(robots.map((r) => [r.token, r]));
    this.clock = clock;
  }

  received(token: string): RobotMessage[] {
    return this.delivered.filter((m) => m.token === token);
  }

  protected async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    if (url.pathname === '/robot/sendBySession' && req.method === 'POST') {
      // A reply through a conversation's sessionWebhook: kept for tests to read.
      const body = JSON.parse(raw) as { text?: { content?: string } };
      this.sessionDelivered.push({
        session: url.searchParams.get('session') ?? '',
        text: body.text?.content ?? '',
      });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      return;
    }
    if (url.pathname !== '/robot/send' || req.method !== 'POST') {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const token = url.searchParams.get('access_token') ?? '';
    const answer = (errcode: number, errmsg = 'ok') => {
      this.answers.push({ token, errcode });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode, errmsg }));
    };
    const failure = this.nextFailure(token);
    if (failure?.kind === 'status') {
      this.answers.push({ token, errcode: -failure.status });
      res.statusCode = failure.status;
      res.end('<html>Bad Gateway</html>');
      return;
    }
    if (failure?.kind === 'errcode') {
      if (failure.errcode === 130101) this.blockedUntil.set(token, this.clock.now().getTime() + BLOCK_MS);
      return answer(failure.errcode, 'injected');
    }
    const robot = this.robots.get(token);
    if (!robot) return answer(300001, 'token is not exist');
    if (failure?.kind === 'late') {
      const body = JSON.parse(raw) as { text?: { content?: string } };
      this.delivered.push({
        token,
        text: body.text?.content ?? '',
        msgUuid: undefined,
        at: this.clock.now(),
      });
      this.hang(res);
      return;
    }
    const now = this.clock.now().getTime();
    if (robot.secret) {
      const ts = Number(url.searchParams.get('timestamp'));
      const sign = url.searchParams.get('sign') ?? '';
      if (
        !Number.isFinite(ts) ||
        Math.abs(now - ts) > 3600_000 ||
        sign !== createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64')
      ) {
        return answer(310000, 'sign not match');
      }
    }
    if ((this.blockedUntil.get(token) ?? 0) > now)
      return answer(130101, 'send too fast, exceed 20 times per minute');
    const recent = (this.sends.get(token) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= PER_MINUTE) {
      this.blockedUntil.set(token, now + BLOCK_MS);
      return answer(130101, 'send too fast, exceed 20 times per minute');
    }
    let body: { msgtype?: string; text?: { content?: string }; msgUuid?: string };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return answer(40035, 'invalid json');
    }
    if (body.msgtype !== 'text' || !body.text?.content) return answer(400105, 'invalid msgtype');
    recent.push(now);
    this.sends.set(token, recent);
    if (body.msgUuid && this.seen.has(`${token}:${body.msgUuid}`)) return answer(0);
    if (body.msgUuid) this.seen.add(`${token}:${body.msgUuid}`);
    this.delivered.push({ token, text: body.text.content, msgUuid: body.msgUuid, at: this.clock.now() });
    return answer(0);
  }
}

export async function startFakeDingtalk(robots: FakeRobot[], clock?: Clock): Promise<FakeDingtalk> {
  return new FakeDingtalk(robots, clock).start();
}

/** The DINGTALK_* variables that point the app at a fake. */
export const dingtalkEnv = (url: string): Record<string, string> => ({
  DINGTALK_APP_KEY: 'ding-test-app-key',
  DINGTALK_APP_SECRET: 'ding-test-app-secret-0123456789',
  DINGTALK_ROBOT_CODE: 'ding-test-robot-code',
  DINGTALK_API_BASE: url,
  DINGTALK_OAPI_BASE: url,
});
