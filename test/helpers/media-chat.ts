import type { Clock } from '../../src/clock.ts';
import type { BackendName } from './backends.ts';
import { type ChatHarness, createChatHarness } from './chat.ts';
import { dingtalkEnv, TEST_DINGTALK } from './dingtalk-callback.ts';
import { FakeDingtalkApi } from './fake-dingtalk-api.ts';
import { seedCongress, seedOrgan, seedPeople, seedPerson } from './seed.ts';
import { type RunningServer, startServer } from './server.ts';

// The scene of the media tests (test/integration/media-*.test.ts): the chat on WeCom and on a fake DingTalk
// API (which serves what deputies send there), the app served over HTTP, and the city congress with 张三 on
// both platforms (zhangsan01 on DingTalk), 李四 as staff, and 市交通局 with 刘科长 (JiaotongLiu) as contact.

export interface MediaChat {
  chat: ChatHarness;
  dingtalk: FakeDingtalkApi;
  server: RunningServer;
}

export async function openMediaChat(backend: BackendName, clock: Clock): Promise<MediaChat> {
  const dingtalk = await new FakeDingtalkApi({ ...TEST_DINGTALK, clock }).start();
  const chat = await createChatHarness(backend, { clock, env: dingtalkEnv(dingtalk.url) });
  const server = await startServer(chat.deps, chat.runtime);
  const db = chat.deps.db;
  const congressId = await seedCongress(db);
  await seedPerson(db, { name: '张三', wecom: 'ZhangSan', dingtalk: 'zhangsan01', congressId });
  await seedPeople(db, congressId, [['李四', 'LiSi']], 'staff');
  await seedOrgan(db, '市交通局', { name: '刘科长', wecom: 'JiaotongLiu' }, clock.now());
  return { chat, dingtalk, server };
}
