import { afterAll, beforeAll, describe, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { type ChatHarness, createChatHarness } from '../helpers/chat.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';

describe('try', () => {
  let chat: ChatHarness;
  const clock = new FixedClock('2026-11-23T02:00:00Z');
  beforeAll(async () => {
    chat = await createChatHarness('pglite+memory', { clock });
    const db = chat.deps.db;
    const city = await seedCongress(db);
    await seedPerson(db, { name: '王五', wecom: 'WangWu', congressId: city });
  });
  afterAll(async () => { await chat.close(); });
  it('talks', async () => {
    const log: string[] = [];
    const say = async (who: string, t: string) => { const r = await chat.say(who, t); log.push(`${who}> ${t}\n   < ${r.replace(/\n/g, ' ⏎ ')}`); return r; };
    for (const t of ['下礼拜三我要去外地开会，那天的活动去不了', '取消', '我想请假', '出差', '取消', '请假 出差']) await say('WangWu', t);
    console.log(log.join('\n'));
  });
});
