import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrgan } from '../../db/repositories/organs.ts';
import { jobByName } from '../../jobs/job-list.ts';
import { runJob } from '../../jobs/scheduler.ts';
import { FixedClock } from '../../src/clock.ts';
import { createApi } from '../helpers/api.ts';
import { backends } from '../helpers/backends.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// S8: what an answer promises by a date (落实时限) is followed up with the organ that promised it, once.

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`follow-up of a promise on ${backend.name}`, () => {
    let chat: ChatHarness;
    let server: RunningServer;
    const clock = new FixedClock(at('2026-11-23T10:00:00'));

    const api = createApi<Record<string, unknown>>(() => server.url);

    beforeAll(async () => {
      chat = await createChatHarness(backend.name, { clock });
      server = await startServer(chat.deps, chat.runtime);
      const congressId = await seedCongress(chat.deps.db);
      await seedPerson(chat.deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
      await upsertOrgan(
        chat.deps.db,
        '市住建局',
        {
          contactName: '周科长',
          contactMobile: '13800000009',
          contactWecom: 'ZhujianZhou',
          contactDingtalk: null,
        },
        clock.now(),
      );
    });
    afterAll(async () => {
      await server.close();
      await chat.close();
    });

    it('reminds the organ when its promised date comes, and only once', async () => {
      const code = /JY-\d{4}-\d{4,}/.exec(await chat.say('ZhangSan', '建议 加装老旧小区电梯'))![0];
      expect((await api('POST', `/suggestions/${code}/assignments`, { lead: '市住建局' })).status).toBe(200);
      const answered = await api('POST', `/suggestions/${code}/answers`, {
        done: '已完成摸底',
        planned: '年底前完成三个小区的加装',
        plannedBy: '2026-12-31',
        signedBy: '陈局长',
      });
      expect(answered.status).toBe(200);
      await chat.flush();
      chat.wecom.reset();

      const job = jobByName('follow-ups')!;
      // Before the date: nothing.
      await runJob(chat.deps, job, at('2026-12-30T08:00:00'));
      expect(await chat.inbox('ZhujianZhou')).toEqual([]);

      // On the date (a Thursday), the contact is reminded in working hours.
      clock.set(at('2026-12-31T09:00:00'));
      await runJob(chat.deps, job, at('2026-12-31T08:00:00'));
      const inbox = await chat.inbox('ZhujianZhou');
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toContain(code);
      expect(inbox[0]).toContain('年底前完成三个小区的加装');
      expect(inbox[0]).toContain('2026-12-31（星期四）');

      // A rerun, or the next day's run, reminds nobody again.
      await runJob(chat.deps, job, at('2026-12-31T08:00:00'));
      await runJob(chat.deps, job, at('2027-01-04T08:00:00'));
      clock.set(at('2027-01-04T10:00:00'));
      expect(await chat.inbox('ZhujianZhou')).toHaveLength(1);
    });
  });
}
