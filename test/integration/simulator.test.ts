import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_ON_ROSTER } from '../../src/bot/dispatch/fixed-replies.ts';
import { simulateWecomMessage } from '../../src/cli/simulator.ts';
import { backends, createTestDeps, type TestDeps } from '../helpers/backends.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

// The simulate command's round trip in process: it builds its own runtime (a recording sender, messages
// handled as the simulator's channel) and goes through the real WeCom callback, dispatcher and handlers.

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`the simulator on ${backend.name}`, () => {
    let deps: TestDeps;

    beforeAll(async () => {
      deps = await createTestDeps(backend.name);
      const congressId = await seedCongress(deps.db);
      await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
    });
    afterAll(async () => {
      await deps.cleanup();
    });

    it('answers a deputy through the real WeCom path, recorded as the simulator’s own message', async () => {
      const result = await simulateWecomMessage(deps, 'zhangsan', '帮助');
      expect(result.status).toBe(200);
      expect(result.reply).toContain('直接用平常的话告诉我就行');
      expect(result.later).toEqual([]);
      const rows = await deps.db
        .selectFrom('inbound_messages')
        .select(['channel', 'status'])
        .where('sender_id', '=', 'zhangsan')
        .execute();
      expect(rows).toEqual([{ channel: 'simulator', status: 'handled' }]);
    });

    it('answers someone not on the roster with the fixed refusal', async () => {
      const result = await simulateWecomMessage(deps, 'nobody', '帮助');
      expect(result.status).toBe(200);
      expect(result.reply).toBe(NOT_ON_ROSTER);
    });
  });
}
