import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { enqueue } from '../../src/messaging/index.ts';
import { backends, createTestDeps, TEST_ADMIN_TOKEN, type TestDeps } from '../helpers/backends.ts';
import { ConsoleBrowser } from '../helpers/console-browser.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// 全部重新发送 on 消息发送 asks first: the list's button opens a page saying how many messages it would send
// again, whose form sends them only with 「我确认」 ticked (a plain form, no script). Sent without the tick, or
// straight from a stale form, it sends nothing and writes no audit row.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`confirming 全部重新发送 on ${backend.name}`, () => {
    const clock = new FixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
    let deps: TestDeps;
    let server: RunningServer;
    let dead: number[] = [];

    const statuses = async () =>
      (
        await deps.db.selectFrom('outbox').select('status').where('id', 'in', dead).orderBy('id').execute()
      ).map((r) => r.status);
    const requeueAudits = async () =>
      (await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'outbox.requeue').execute())
        .length;

    beforeAll(async () => {
      deps = await createTestDeps(backend.name, { clock });
      server = await startServer(deps);
      for (const key of ['a', 'b']) {
        const id = (await enqueue(deps.db, {
          channel: 'wecom',
          targetKind: 'user',
          targetAddress: 'DeputyA',
          payload: { text: `消息 ${key}` },
          idempotencyKey: `confirm-test:${key}`,
        }))!;
        await deps.db
          .updateTable('outbox')
          .set({
            status: 'dead',
            attempts: 3,
            first_tried_at: clock.now(),
            last_error: 'server_error: HTTP 502',
          })
          .where('id', '=', id)
          .execute();
        dead.push(id);
      }
      dead = dead.sort((x, y) => x - y);
    });
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
    });

    it('leads from the list to a confirm page that names the count, and sends nothing yet', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const list = await b.get('/console/outbox?status=dead');
      expect(list.text).toContain('<form method="get" action="/console/outbox/requeue-dead"');
      expect(list.text).not.toContain('<form method="post" action="/console/outbox/requeue-dead"');
      const page = await b.get('/console/outbox/requeue-dead');
      expect(page.status).toBe(200);
      expect(page.text).toContain('将把 <strong>2</strong> 条发送失败的消息重新排队发送');
      expect(page.text).toContain('name="confirm" value="yes" required');
      expect(page.text).toContain('我确认重新发送这 2 条消息');
      expect(page.text).toContain('<a href="/console/outbox?status=dead">返回，不发送</a>');
      expect(page.text).not.toContain('<script');
      expect(await statuses()).toEqual(['dead', 'dead']);
    });

    it('refuses the form without the tick: the page again, nothing sent, no audit row', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const csrf = await b.csrf('/console/outbox/requeue-dead');
      const res = await b.post('/console/outbox/requeue-dead', { _csrf: csrf });
      expect(res.status).toBe(400);
      expect(res.text).toContain('请勾选「我确认重新发送」后再提交；本次没有发送任何消息。');
      expect(await statuses()).toEqual(['dead', 'dead']);
      expect(await requeueAudits()).toBe(0);
    });

    it('requeues every dead message once confirmed, audited, and then has nothing left to confirm', async () => {
      const b = await ConsoleBrowser.signedIn(server.url, TEST_ADMIN_TOKEN);
      const csrf = await b.csrf('/console/outbox/requeue-dead');
      const res = await b.post('/console/outbox/requeue-dead', { _csrf: csrf, confirm: 'yes' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/console/outbox?status=dead&done=requeued');
      expect(await statuses()).toEqual(['pending', 'pending']);
      expect(await requeueAudits()).toBe(1);
      const again = await b.get('/console/outbox/requeue-dead');
      expect(again.text).toContain('目前没有可以重新发送的失败消息。');
      expect(again.text).not.toContain('name="confirm"');
    });
  });
}
