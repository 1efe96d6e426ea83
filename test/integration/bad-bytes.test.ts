import { Agent, request } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHAT_CHARS } from '../../src/bot/dispatch/chat-text.ts';
import { NOT_ON_ROSTER, SYSTEM_ERROR } from '../../src/bot/dispatch/fixed-replies.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends, TEST_ADMIN_TOKEN } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// Bad bytes get clear answers and change nothing: a NUL or another code point no text may hold, a chat
// text far over the limit, a chunked body over the limit, and a message from someone not on the roster.

const TABLES = ['audit_log', 'congresses', 'groups', 'api_tokens', 'suggestions', 'people'] as const;

/** Sends `total` bytes chunked (no Content-Length); answers the status and whether the server closed. */
function postChunked(url: string, path: string, total: number) {
  return new Promise<{ status: number; connection: string | undefined; closed: boolean; body: string }>(
    (resolve, reject) => {
      const started = Date.now();
      const req = request(`${url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
        // A keep-alive client leaves the connection open: only the server can close it.
        agent: new Agent({ keepAlive: true }),
      });
      let status = 0;
      let connection: string | undefined;
      let body = '';
      const timer = setTimeout(() => reject(new Error('no answer within 5 s: the connection hangs')), 5000);
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        connection = res.headers.connection;
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
      });
      req.on('socket', (socket) => {
        socket.on('close', () => {
          clearTimeout(timer);
          // Give the answer's last bytes, already received, their turn.
          setImmediate(() => resolve({ status, connection, closed: Date.now() - started < 5000, body }));
        });
      });
      req.on('error', () => {});
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const write = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    },
  );
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`bad bytes on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    const api = createApi(() => server.url);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(chat.deps.db);
      await seedPerson(chat.deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
    }, 240_000);
    afterAll(async () => {
      await server?.close();
      await chat?.close();
    });

    const counts = async () => {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        const r = await chat.deps.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[t] = Number(r.n);
      }
      return out;
    };

    describe('the API', () => {
      it('refuses a NUL or another invalid code point in a JSON body with 400 invalid_text, storing nothing', async () => {
        const before = await counts();
        const cases: [string, string, unknown][] = [
          ['POST', '/tokens', { name: '值班\u0000人员', role: 'staff' }],
          ['PUT', '/congresses/某县人民代表大会', { level: 'county', name: 'x\u0000' }],
          ['PUT', '/groups/第一组', { leader: '\ud800' }],
          ['POST', '/suggestions', { deputy: 1, text: '修路\ufffe' }],
          ['PATCH', '/deputies/1', { status: 'suspended', reason: ['原因\u0000'] }],
          ['PUT', '/organs/交通局', { note: { inner: '\udc00' } }],
          ['POST', '/broadcasts', { '键\u0000': 1 }],
        ];
        for (const [method, path, body] of cases) {
          const res = await api(method, path, body);
          expect(res.status, `${method} ${path}`).toBe(400);
          expect(res.json.error.code, `${method} ${path}`).toBe('invalid_text');
          expect(res.json.error.message).toContain('无法保存的字符');
        }
        expect(await counts()).toEqual(before);
      });

      it('refuses a body whose bytes are not UTF-8, and a NUL in the address', async () => {
        const before = await counts();
        const res = await fetch(`${server.url}/api/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: Buffer.concat([
            Buffer.from('{"name":"'),
            Buffer.from([0xd6, 0x5b, 0xff]),
            Buffer.from('","role":"staff"}'),
          ]),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_text');
        const path = await api('PUT', '/groups/%00', { leader: null });
        expect(path.status).toBe(400);
        expect(path.json.error.code).toBe('invalid_text');
        expect(await counts()).toEqual(before);
      });

      it('answers a chunked body over 1 MiB with 413 and closes the connection', async () => {
        const before = await counts();
        const res = await postChunked(server.url, '/api/tokens', 2 * 1024 * 1024);
        expect(res.status).toBe(413);
        expect(res.connection).toBe('close');
        expect(res.closed).toBe(true);
        expect(JSON.parse(res.body).error.message).toContain('1 MiB');
        expect(await counts()).toEqual(before);
        // The same on a chat platform's callback.
        const callback = await postChunked(server.url, '/wecom/callback', 2 * 1024 * 1024);
        expect(callback).toMatchObject({ status: 413, connection: 'close', closed: true });
        // The server still answers.
        expect((await api('GET', '/congresses')).status).toBe(200);
      });
    });

    describe('chat', () => {
      const inbound = (key: string) =>
        chat.deps.db
          .selectFrom('inbound_messages')
          .selectAll()
          .where('message_key', '=', key)
          .executeTakeFirstOrThrow();

      it('drops a NUL and other invalid code points, and answers as if they were not there', async () => {
        const reply = await chat.send('ZhangSan', { messageKey: 'nul-1', text: '帮\u0000助\ud800' });
        expect(reply?.text).toContain('请假');
        expect(reply?.text).not.toBe(SYSTEM_ERROR);
        const row = await inbound('nul-1');
        expect(row.status).toBe('handled');
        expect((row.content as { text: string }).text).toBe('帮助');
      });

      it('answers a 200,000-character text politely and at once, acting on none of it', async () => {
        const before = await counts();
        const logLines = chat.deps.logs.lines.length;
        const text = `建议 ${'修一修新建北路的路灯'.repeat(20_000)}`;
        const started = performance.now();
        const reply = await chat.send('ZhangSan', { messageKey: 'long-1', text });
        expect(performance.now() - started).toBeLessThan(3000);
        expect(reply?.text).toContain(`超过了每条消息 ${MAX_CHAT_CHARS} 字的上限`);
        expect(reply?.text).toContain(`${text.length} 字`);
        expect(reply?.text).toContain('没有办理');
        expect(await counts()).toEqual(before);
        const row = await inbound('long-1');
        const content = row.content as { text: string; textCut: boolean; textLength: number };
        expect(content.text).toHaveLength(MAX_CHAT_CHARS);
        expect(content).toMatchObject({ textCut: true, textLength: text.length });
        expect(chat.deps.logs.lines.slice(logLines).join('\n')).not.toContain('新建北路');
        // The person can go on at once.
        expect(await chat.say('ZhangSan', '帮助')).toContain('请假');
      });

      it('logs a database error without the values it echoes', async () => {
        const secret = '关于新建北路路灯的机密意见';
        const failures = [
          sql`select ${`${secret}\u0000`}::text`.execute(chat.deps.db),
          sql`select ${secret}::integer`.execute(chat.deps.db),
        ];
        for (const failing of failures) {
          const err = await failing.then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).not.toBeNull();
          chat.deps.log.error({ err }, 'query failed');
        }
        const lines = chat.deps.logs.lines.filter((l) => l.includes('query failed'));
        expect(lines).toHaveLength(2);
        expect(lines.join('\n')).not.toContain('机密意见');
      });

      it('keeps only the channel and message id of a message from someone not on the roster', async () => {
        const reply = await chat.send('Stranger', { messageKey: 'stranger-1', text: '我要请假 家里有事' });
        expect(reply?.text).toBe(NOT_ON_ROSTER);
        const row = await inbound('stranger-1');
        expect(row).toMatchObject({
          channel: 'wecom',
          message_key: 'stranger-1',
          sender_id: null,
          person_id: null,
          msg_type: null,
          content: null,
          reply: null,
          status: 'refused',
        });
        expect(chat.deps.logs.text).not.toContain('Stranger');
        // The same message again gets the same answer.
        const again = await chat.send('Stranger', { messageKey: 'stranger-1', text: '我要请假 家里有事' });
        expect(again?.text).toBe(NOT_ON_ROSTER);
      });
    });
  });
}
