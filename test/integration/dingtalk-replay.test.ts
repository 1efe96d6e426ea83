import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import {
  callbackBody,
  dingtalkEnv,
  postCallback,
  replyText,
  signFor,
  TEST_DINGTALK,
} from '../helpers/dingtalk-callback.ts';
import { type FakeDingtalkApi, startFakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// A DingTalk callback's sign covers only its timestamp: the (timestamp, sign) pair is bound to the first
// message it came with, so it cannot carry another body within its hour.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`DingTalk sign replay on ${backend.name}`, () => {
    let fake: FakeDingtalkApi;
    let deps: TestDeps;
    let server: RunningServer;
    const recorded = (key: string) =>
      deps.db
        .selectFrom('inbound_messages')
        .select(['id', 'person_id'])
        .where('channel', '=', 'dingtalk')
        .where('message_key', '=', key)
        .execute();

    beforeAll(async () => {
      fake = await startFakeDingtalkApi({ ...TEST_DINGTALK });
      deps = await createTestDeps(backend.name, { env: dingtalkEnv(fake.url) });
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '张三', dingtalk: 'zhangsan01', congressId });
      await seedPerson(deps.db, { name: '王五', dingtalk: 'wangwu03', congressId });
    });
    afterAll(async () => {
      await server?.close();
      await deps.cleanup();
      await fake.close();
    });

    it('answers the same message again as a repeat and refuses another body under the same sign', async () => {
      server = await startServer(deps);
      const ts = Date.now();
      const signed = { timestampMs: ts, sign: signFor(ts) };
      const first = callbackBody({ staffId: 'zhangsan01', text: '帮助', msgId: 'msgREPLAY-1' });
      const answered = await postCallback(server.url, first, signed);
      expect(answered.status).toBe(200);
      expect(replyText(answered.json)).toContain('请假');
      // The same message under the same pair: a repeat, with the stored answer, recorded once.
      const again = await postCallback(server.url, first, signed);
      expect(again.status).toBe(200);
      expect(again.json).toEqual(answered.json);
      expect(await recorded('msgREPLAY-1')).toHaveLength(1);
      // Another body under that pair: refused, nothing recorded, nothing answered.
      const forged = callbackBody({ staffId: 'wangwu03', text: '建议 修一修路灯', msgId: 'msgREPLAY-2' });
      const refused = await postCallback(server.url, forged, signed);
      expect(refused.status).toBe(401);
      expect(refused.text).toBe('bad_signature');
      expect(await recorded('msgREPLAY-2')).toEqual([]);
      // The first message id with a changed body is refused too.
      const tampered = { ...first, text: { content: '建议 另一件事' } };
      expect((await postCallback(server.url, tampered, signed)).status).toBe(401);
      expect(await recorded('msgREPLAY-1')).toHaveLength(1);
      expect(
        (await deps.metrics.inboundCallbacks.get()).values.find(
          (v) => v.labels.channel === 'dingtalk' && v.labels.outcome === 'bad_signature',
        )?.value,
      ).toBe(2);
    });
  });
}
