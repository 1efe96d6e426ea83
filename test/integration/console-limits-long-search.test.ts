import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, serveApp } from '../../src/app.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { seedCongress } from '../helpers/seed.ts';

// Long searches: every search or filter box of the console caps what can be typed, and an address too
// long for the server (3,000 Chinese characters pasted into the address bar: 27 KB once encoded) gets a
// short page in Chinese, not Node's bare 431. The server is the one main.ts starts (serveApp), spoken to
// in raw HTTP, since no client library sends a request the server cannot parse.

interface RawAnswer {
  head: string;
  body: string;
  /** Whether the server closed the connection after answering. */
  closed: boolean;
}

/** Sends `request` as is and reads everything the server answers until it closes (or 3 s pass). */
function raw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const done = (closed: boolean) => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, split), body: text.slice(split + 4), closed });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done(false);
    }, 3000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => done(true));
    socket.on('error', reject);
  });
}

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`long searches on ${backend.name}`, () => {
    let deps: TestDeps;
    let runtime: Runtime;
    let server: Server;
    let port = 0;
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: auth });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      await seedCongress(deps.db);
      runtime = createRuntime(deps);
      server = await new Promise<Server>((resolve) => {
        const s = serveApp(createApp(deps, runtime), 0, '127.0.0.1', () => resolve(s));
      });
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await runtime.outbox.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await deps.cleanup();
    });

    it('a search too long for the address is answered 431 with a short page in Chinese', async () => {
      const q = encodeURIComponent('路灯'.repeat(1500));
      expect(q.length).toBeGreaterThan(26_000);
      const a = await raw(port, `GET /console/suggestions?q=${q} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expect(a.head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(a.head).toMatch(/^Content-Type: text\/html; charset=utf-8$/im);
      expect(a.head).toMatch(/^Connection: close$/im);
      const length = Number(/^Content-Length: (\d+)$/im.exec(a.head)?.[1]);
      expect(Buffer.byteLength(a.body)).toBe(length);
      expect(a.body).toContain('搜索的内容太长了，请缩短后再试。');
      expect(a.body).toContain('lang="zh-CN"');
      expect(a.closed).toBe(true);
    });

    it('a request the server cannot read for another reason keeps Node’s bare 400 and a closed connection', async () => {
      const a = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nNot a header line\r\n\r\n');
      expect(a.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(a.body).toBe('');
      expect(a.body).not.toContain('搜索');
      expect(a.closed).toBe(true);
      // The server still answers everyone else.
      expect((await get('/healthz')).status).toBe(200);
    });

    it('every search and filter box caps what is typed, and the longest search it allows is answered', async () => {
      const box = (page: string, name: string) =>
        new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(page)?.[0] ?? `no ${name} box`;
      for (const path of ['/console/suggestions', '/console/leave', '/console/deputies']) {
        const page = await get(path);
        expect(page.status).toBe(200);
        expect(box(page.text, 'q'), path).toContain('maxlength="100"');
      }
      // 提醒记录's rule is chosen from a list: nothing to type.
      expect((await get('/console/reminders')).text).toMatch(/<select id="reminder-rule" name="rule">/);
      expect(box((await get('/console/calendar')).text, 'year')).toContain('maxlength="4"');
      // 100 Chinese characters (900 bytes encoded) pass, and the page shows what was searched.
      const longest = '路'.repeat(100);
      const page = await get(`/console/suggestions?q=${encodeURIComponent(longest)}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`value="${longest}"`);
    });
  });
}
